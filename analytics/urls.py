from django.urls import path

from analytics import views

app_name = "analytics"
urlpatterns = [
    # Public: everyone who can view the consultation.
    path("c/<slug:slug>/analysis/", views.opinion_page, name="opinion"),
    # The agency's analysts and editors (under /analytics/, where staff sign in with two steps).
    path("analytics/<slug:slug>/", views.dashboard, name="dashboard"),
    path("analytics/<slug:slug>/runs/", views.run_start, name="run_start"),
    path("analytics/<slug:slug>/runs/<int:run_id>/comments/", views.run_comments, name="comments"),
    path(
        "analytics/<slug:slug>/runs/<int:run_id>/export.<str:fmt>", views.run_export, name="export"
    ),
]
