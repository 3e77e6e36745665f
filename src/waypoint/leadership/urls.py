from django.urls import path

from waypoint.leadership import views

app_name = "leadership"
T = "leadership/tracks/<int:pk>/"
C = "leadership/candidacies/<int:pk>/"
M = "leadership/meetings/<int:pk>/"
urlpatterns = [
    path("leadership/", views.tracks, name="tracks"),
    path("leadership/mine/", views.mine, name="mine"),
    path("leadership/tracks/new/", views.track_new, name="track_new"),
    path(T, views.track_detail, name="track"),
    path(T + "edit/", views.track_edit, name="track_edit"),
    path(T + "status/<str:status>/", views.track_status, name="track_status"),
    path(T + "apply/", views.apply, name="apply"),
    path(T + "nominate/", views.nominate, name="nominate"),
    path(T + "shortlist/", views.shortlist, name="shortlist"),
    path(T + "shortlist/publish/", views.shortlist_publish, name="shortlist_publish"),
    path(T + "cohort/", views.cohort_form, name="cohort"),
    path(T + "meetings/new/", views.meeting_new, name="meeting_new"),
    path(C, views.candidacy_detail, name="candidacy"),
    path(C + "eligibility/", views.eligibility_decision, name="eligibility"),
    path(C + "recheck/", views.recheck, name="recheck"),
    path(C + "scores/", views.scores, name="scores"),
    path(C + "tests/", views.tests_decision, name="tests"),
    path(C + "interview/", views.interview, name="interview"),
    path(C + "place/", views.place, name="place"),
    path(C + "withdraw/", views.withdraw, name="withdraw"),
    path(M, views.meeting_detail, name="meeting"),
    path(M + "minutes/", views.minutes, name="minutes"),
    path(M + "vote/", views.vote, name="vote"),
    path(M + "decide/<int:candidacy>/", views.decide, name="decide"),
    path(M + "close/", views.meeting_close, name="meeting_close"),
]
