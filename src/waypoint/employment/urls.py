from django.urls import path

from waypoint.employment import views

app_name = "employment"
urlpatterns = [
    path("vacancies/", views.vacancy_list, name="vacancies"),
    path("vacancies/mine/", views.own_vacancies, name="own_vacancies"),
    path("vacancies/new/", views.vacancy_edit, name="vacancy_new"),
    path("vacancies/<int:pk>/", views.vacancy_detail, name="vacancy"),
    path("vacancies/<int:pk>/edit/", views.vacancy_edit, name="vacancy_edit"),
    path("vacancies/<int:pk>/apply/", views.apply, name="apply"),
    path("vacancies/<int:pk>/candidates/", views.vacancy_candidates, name="candidates"),
    path("veterans/<int:pk>/vacancies/", views.veteran_vacancies, name="veteran_vacancies"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/hire/", views.hire, name="hire"),
    path("applications/<int:pk>/<str:status>/", views.application_move, name="application_move"),
    path("placements/<int:pk>/", views.placement_detail, name="placement"),
    path("follow-ups/", views.follow_ups_due, name="follow_ups_due"),
    path("follow-ups/<int:pk>/", views.follow_up_record, name="follow_up"),
]
