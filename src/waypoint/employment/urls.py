from django.urls import path

from waypoint.employment import views

app_name = "employment"
urlpatterns = [
    path("vacancies/", views.vacancy_list, name="vacancies"),
    path("vacancies/<int:pk>/", views.vacancy_detail, name="vacancy"),
]
