from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("c/<slug:slug>/report/", views.public, name="public"),
    path("c/<slug:slug>/report/v<int:version>/", views.version, name="version"),
    path("c/<slug:slug>/report/v<int:version>/report.pdf", views.pdf, name="pdf"),
    path("c/<slug:slug>/report/v<int:version>/report.docx", views.docx, name="docx"),
    path("c/<slug:slug>/report/v<int:version>/comments/<slug:key>/", views.drill, name="drill"),
    # Agency workspace (staff; second factor required)
    path("workspace/c/<slug:slug>/reports/", views.ws_list, name="ws_list"),
    path("workspace/c/<slug:slug>/reports/v<int:version>/", views.ws_edit, name="ws_edit"),
    path("workspace/c/<slug:slug>/reports/v<int:version>/text/", views.ws_text, name="ws_text"),
    path(
        "workspace/c/<slug:slug>/reports/v<int:version>/issues/<int:issue_id>/",
        views.ws_respond,
        name="ws_respond",
    ),
    path(
        "workspace/c/<slug:slug>/reports/v<int:version>/issues/add/",
        views.ws_add_issue,
        name="ws_add_issue",
    ),
    path(
        "workspace/c/<slug:slug>/reports/v<int:version>/submit/", views.ws_submit, name="ws_submit"
    ),
    path(
        "workspace/c/<slug:slug>/reports/v<int:version>/return/", views.ws_return, name="ws_return"
    ),
    path(
        "workspace/c/<slug:slug>/reports/v<int:version>/publish/",
        views.ws_publish,
        name="ws_publish",
    ),
]
