from django.urls import path

from waypoint.cases import views

app_name = "cases"
urlpatterns = [
    path("cases/", views.caseload, name="caseload"),
    path("cases/supervision/", views.supervision, name="supervision"),
    path("cases/open/<int:veteran>/", views.case_open, name="case_open"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/move/", views.case_move, name="case_move"),
    path("cases/<int:pk>/tasks/new/", views.task_new, name="task_new"),
    path("tasks/<int:pk>/<str:status>/", views.task_status, name="task_status"),
]
