from django.urls import path

from opendata import views

app_name = "opendata"
urlpatterns = [
    path("c/<slug:slug>/data/", views.page, name="page"),
    path("c/<slug:slug>/data/datapackage.json", views.datapackage, name="datapackage"),
    path("c/<slug:slug>/data/package.zip", views.package_zip, name="package_zip"),
    path("c/<slug:slug>/data/polis.zip", views.polis_zip, name="polis_zip"),
    path("data/", views.catalog_page, name="catalog_page"),
    path("data/catalog.json", views.catalog_json, name="catalog"),
    path("data/api/3/action/<str:action>", views.ckan_action, name="ckan"),
    path("data/api/action/<str:action>", views.ckan_action, name="ckan_unversioned"),
]
