from django.urls import path

from waypoint.cases import casefile_views, views

app_name = "cases"
urlpatterns = [
    path("cases/", views.caseload, name="caseload"),
    path("cases/supervision/", views.supervision, name="supervision"),
    path("cases/open/<int:veteran>/", views.case_open, name="case_open"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/move/", views.case_move, name="case_move"),
    path("cases/<int:pk>/tasks/new/", views.task_new, name="task_new"),
    path("tasks/<int:pk>/<str:status>/", views.task_status, name="task_status"),
    # A case's file, referrals and transfers (casefile_views).
    path("cases/reassign/", casefile_views.reassign, name="reassign"),
    path("cases/<int:pk>/notes/", casefile_views.notes, name="notes"),
    path("cases/<int:pk>/notes/<int:note>/edit/", casefile_views.note_edit, name="note_edit"),
    path("cases/<int:pk>/documents/", casefile_views.documents, name="documents"),
    path(
        "cases/<int:pk>/documents/<int:document>/download/",
        casefile_views.document_download,
        name="document_download",
    ),
    path("cases/<int:pk>/timeline/", casefile_views.timeline, name="timeline"),
    path("cases/<int:pk>/referrals/", casefile_views.case_referrals, name="case_referrals"),
    path("cases/<int:pk>/referrals/new/", casefile_views.referral_new, name="referral_new"),
    path("cases/<int:pk>/transfer/", casefile_views.transfer, name="transfer"),
    path("referrals/", casefile_views.referral_inbox, name="referrals"),
    path("referrals/<int:pk>/", casefile_views.referral_detail, name="referral"),
    path("referrals/<int:pk>/accept/", casefile_views.referral_accept, name="referral_accept"),
    path("referrals/<int:pk>/decline/", casefile_views.referral_decline, name="referral_decline"),
]
