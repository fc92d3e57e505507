from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("follow/", views.follow, name="follow"),
    path("me/following/", views.following, name="following"),
    path("me/notifications/", views.notice_list, name="list"),
    path("me/notifications/unread.json", views.unread, name="unread"),
    path("me/notifications/settings/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("line/webhook/", views.line_webhook, name="line_webhook"),
]
