from django.urls import path

from submissions import views

app_name = "submissions"
urlpatterns = [
    path("workspace/c/<slug:slug>/submissions/", views.enter, name="enter"),
    path("workspace/c/<slug:slug>/submissions/batch/", views.batch, name="batch"),
    path(
        "workspace/c/<slug:slug>/submissions/<int:pk>/scan/",
        views.attachment,
        name="attachment",
    ),
]
