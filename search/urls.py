from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("search/", views.search, name="results"),
    path("c/<slug:slug>/comments/search/", views.comment_search, name="comments"),
]
