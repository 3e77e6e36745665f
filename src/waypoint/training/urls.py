from django.urls import path

from waypoint.training import views

app_name = "training"
urlpatterns = [
    path("training/", views.catalogue, name="catalogue"),
    path("training/programmes/new/", views.programme_new, name="programme_new"),
    path("training/programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("training/programmes/<int:pk>/cohorts/new/", views.cohort_new, name="cohort_new"),
    path("training/cohorts/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("training/enrolments/", views.enrolments, name="enrolments"),
    path("training/enrolments/<int:pk>/<str:status>/", views.enrolment_move, name="enrolment_move"),
]
