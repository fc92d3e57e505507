from django.urls import path

from comments import views

app_name = "comments"
urlpatterns = [
    path("c/<slug:slug>/comments/", views.comment_post, name="post"),
    path("comments/<int:pk>/vote/", views.vote, name="vote"),
]
