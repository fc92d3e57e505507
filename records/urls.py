from django.urls import path

from records import views

app_name = "records"
urlpatterns = [
    path("", views.home, name="home"),
    path("key", views.key, name="key"),
    path("checkpoint", views.checkpoint, name="checkpoint"),
    path("checkpoint/<int:size>", views.checkpoint, name="checkpoint_at"),
    path("checkpoints.json", views.checkpoint_list, name="checkpoints"),
    path("proof/inclusion", views.inclusion, name="inclusion"),
    path("proof/consistency", views.consistency, name="consistency"),
    path("entries", views.entries, name="entries"),
    path("contents", views.contents, name="contents"),
    path("receipt/<int:index>/", views.receipt, name="receipt"),
    path("receipt/<int:index>.json", views.receipt_download, name="receipt_download"),
    path("mine/", views.mine, name="mine"),
    path("mine/comment/<int:pk>/", views.comment_receipt, name="comment_receipt"),
    path("mine/vote/<int:pk>/", views.vote_receipt, name="vote_receipt"),
]
