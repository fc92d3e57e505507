from django.urls import path

from topics import views, workspace

app_name = "topics"
urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("c/<slug:slug>/", views.consultation_detail, name="detail"),
    path("c/<slug:slug>/position/", views.position, name="position"),
    path("c/<slug:slug>/answers/", views.answers, name="answers"),
    # Agency workspace (staff; second factor required)
    path("workspace/", workspace.home, name="ws_home"),
    path("workspace/a/<slug:slug>/", workspace.agency_page, name="ws_agency"),
    path("workspace/a/<slug:slug>/new/", workspace.create, name="ws_create"),
    path("workspace/c/<slug:slug>/", workspace.manage, name="ws_manage"),
    path("workspace/c/<slug:slug>/edit/", workspace.edit, name="ws_edit"),
    path("workspace/c/<slug:slug>/preview/", workspace.preview, name="ws_preview"),
    path("workspace/c/<slug:slug>/answers.csv", workspace.answers_csv, name="ws_answers_csv"),
    path("workspace/c/<slug:slug>/publish/", workspace.publish, name="ws_publish"),
    path("workspace/c/<slug:slug>/unschedule/", workspace.unschedule, name="ws_unschedule"),
    path("workspace/c/<slug:slug>/extend/", workspace.extend, name="ws_extend"),
    path("workspace/c/<slug:slug>/close/", workspace.close, name="ws_close"),
]
