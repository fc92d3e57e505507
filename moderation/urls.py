from django.urls import path

from moderation import views

app_name = "moderation"
urlpatterns = [
    # Citizens
    path("comments/<int:pk>/flag/", views.flag, name="flag"),
    path("comments/<int:pk>/appeal/", views.appeal, name="appeal"),
    path("my-comments/", views.my_comments, name="mine"),
    path("c/<slug:slug>/moderation/", views.report, name="report"),
    # Moderators (second factor required: accounts.middleware.StaffMFAMiddleware)
    path("moderation/", views.queue, name="queue"),
    path("moderation/bulk/", views.bulk, name="bulk"),
    path("moderation/comments/<int:pk>/", views.item, name="item"),
    path("moderation/comments/<int:pk>/claim/", views.claim, name="claim"),
    path("moderation/comments/<int:pk>/decide/", views.decide, name="decide"),
    path("moderation/comments/<int:pk>/suspend/", views.suspend, name="suspend"),
    path("moderation/comments/<int:pk>/lift/", views.lift_suspension, name="lift"),
    path("moderation/rules/<slug:slug>/", views.policy, name="policy"),
]
