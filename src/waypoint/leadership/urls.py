from django.urls import path

from waypoint.leadership.views import candidacies, council, tracks

app_name = "leadership"
T = "leadership/tracks/<int:pk>/"
C = "leadership/candidacies/<int:pk>/"
M = "leadership/meetings/<int:pk>/"
urlpatterns = [
    path("leadership/", tracks.tracks, name="tracks"),
    path("leadership/mine/", candidacies.mine, name="mine"),
    path("leadership/tracks/new/", tracks.track_new, name="track_new"),
    path(T, tracks.track_detail, name="track"),
    path(T + "edit/", tracks.track_edit, name="track_edit"),
    path(T + "status/<str:status>/", tracks.track_status, name="track_status"),
    path(T + "apply/", tracks.apply, name="apply"),
    path(T + "nominate/", tracks.nominate, name="nominate"),
    path(T + "shortlist/", tracks.shortlist, name="shortlist"),
    path(T + "shortlist/publish/", tracks.shortlist_publish, name="shortlist_publish"),
    path(T + "cohort/", tracks.cohort_form, name="cohort"),
    path(T + "meetings/new/", council.meeting_new, name="meeting_new"),
    path(C, candidacies.candidacy_detail, name="candidacy"),
    path(C + "eligibility/", candidacies.eligibility_decision, name="eligibility"),
    path(C + "recheck/", candidacies.recheck, name="recheck"),
    path(C + "scores/", candidacies.scores, name="scores"),
    path(C + "tests/", candidacies.tests_decision, name="tests"),
    path(C + "interview/", candidacies.interview, name="interview"),
    path(C + "place/", candidacies.place, name="place"),
    path(C + "withdraw/", candidacies.withdraw, name="withdraw"),
    path(M, council.meeting_detail, name="meeting"),
    path(M + "minutes/", council.minutes, name="minutes"),
    path(M + "vote/", council.vote, name="vote"),
    path(M + "decide/<int:candidacy>/", council.decide, name="decide"),
    path(M + "close/", council.meeting_close, name="meeting_close"),
]
