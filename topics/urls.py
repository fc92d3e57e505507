from django.urls import path

from topics import views

app_name = "topics"
urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("c/<slug:slug>/", views.consultation_detail, name="detail"),
    path("c/<slug:slug>/position/", views.position, name="position"),
]
