from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("consent/", views.consent, name="consent"),
    path("data/", views.data_page, name="data"),
    path("data/download/", views.data_download, name="data_download"),
    path("delete/", views.delete, name="delete"),
]
