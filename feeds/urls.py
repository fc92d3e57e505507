from django.urls import path

from feeds import views

app_name = "feeds"
urlpatterns = [
    path("feeds/consultations.atom", views.ConsultationsFeed(), name="consultations"),
    path("feeds/agency/<slug:agency>.atom", views.ConsultationsFeed(), name="agency"),
    path("feeds/category/<slug:category>.atom", views.ConsultationsFeed(), name="category"),
    path("c/<slug:slug>/comments.atom", views.CommentsFeed(), name="comments"),
    path("embed/c/<slug:slug>/", views.widget, name="widget"),
]
