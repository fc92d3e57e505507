from django.urls import path

from comments import views

app_name = "comments"
urlpatterns = [
    path("c/<slug:slug>/comments/", views.comment_post, name="post"),
    path("c/<slug:slug>/comments/<int:pk>/", views.thread, name="thread"),
    path("comments/<int:pk>/edit/", views.edit, name="edit"),
    path("comments/<int:pk>/vote/", views.vote, name="vote"),
]
