from django.urls import path

from waypoint.appeals import views

app_name = "appeals"
urlpatterns = [
    path("appeals/", views.appeal_list, name="list"),
    path("appeals/new/", views.log, name="log"),
    path("appeals/new/veterans/", views.veteran_search, name="veteran_search"),
    path("appeals/status/", views.status, name="status"),
    path("appeals/reports/", views.reports, name="reports"),
    path("appeals/reports.csv", views.report_csv, name="report_csv"),
    path("appeals/routing/", views.routing, name="routing"),
    path("appeals/routing/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("appeals/<int:pk>/", views.appeal_detail, name="detail"),
    path("appeals/<int:pk>/take/", views.take, name="take"),
    path("appeals/<int:pk>/answer/", views.answer, name="answer"),
    path("appeals/<int:pk>/close/", views.close, name="close"),
]
