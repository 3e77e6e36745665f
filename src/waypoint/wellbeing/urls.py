from django.urls import path

from waypoint.wellbeing import views

app_name = "wellbeing"
urlpatterns = [
    path("wellbeing/", views.home, name="home"),
    path("wellbeing/on-duty/", views.on_duty, name="on_duty"),
    path("wellbeing/alerts/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("wellbeing/veterans/<int:veteran_id>/", views.person, name="person"),
    path("wellbeing/veterans/<int:veteran_id>/start/", views.start, name="start"),
    path("wellbeing/veterans/<int:veteran_id>/enrol/", views.enrol, name="enrol"),
    path("wellbeing/veterans/<int:veteran_id>/schedule/", views.schedule, name="schedule"),
    path("wellbeing/veterans/<int:veteran_id>/notify/", views.notify, name="notify"),
    path("wellbeing/enrolments/<int:pk>/end/", views.end_enrolment, name="end_enrolment"),
    path("wellbeing/screenings/<int:pk>/", views.screening_detail, name="screening"),
    path("wellbeing/screenings/<int:pk>/answer/", views.answer, name="answer"),
    path("wellbeing/responses/<int:pk>/correct/", views.correct, name="correct"),
    path("wellbeing/responses/<int:pk>/fhir/", views.response_fhir, name="response_fhir"),
    path(
        "wellbeing/instruments/<str:instrument_id>/fhir/",
        views.questionnaire,
        name="questionnaire",
    ),
    path("wellbeing/records/", views.records, name="records"),
    path("wellbeing/records/<int:veteran_id>/", views.kept_record, name="kept_record"),
    path("me/wellbeing/", views.mine, name="mine"),
    path("me/wellbeing/consent/", views.consent, name="consent"),
    path("command/notices/", views.notices, name="notices"),
]
