from django.urls import path

from waypoint.cases import record_views, views

app_name = "cases"
urlpatterns = [
    path("cases/", views.caseload, name="caseload"),
    path("cases/supervision/", views.supervision, name="supervision"),
    path("cases/open/<int:veteran>/", views.case_open, name="case_open"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/move/", views.case_move, name="case_move"),
    path("cases/<int:pk>/tasks/new/", views.task_new, name="task_new"),
    path("tasks/<int:pk>/<str:status>/", views.task_status, name="task_status"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notification_read, name="notification_read"),
    # A case's records, referrals and transfers (record_views).
    path("cases/reassign/", record_views.reassign, name="reassign"),
    path("cases/<int:pk>/notes/", record_views.notes, name="notes"),
    path("cases/<int:pk>/notes/<int:note>/edit/", record_views.note_edit, name="note_edit"),
    path("cases/<int:pk>/documents/", record_views.documents, name="documents"),
    path(
        "cases/<int:pk>/documents/<int:document>/download/",
        record_views.document_download,
        name="document_download",
    ),
    path("cases/<int:pk>/timeline/", record_views.timeline, name="timeline"),
    path("cases/<int:pk>/referrals/", record_views.case_referrals, name="case_referrals"),
    path("cases/<int:pk>/referrals/new/", record_views.referral_new, name="referral_new"),
    path("cases/<int:pk>/transfer/", record_views.transfer, name="transfer"),
    path("referrals/", record_views.referral_inbox, name="referrals"),
    path("referrals/<int:pk>/", record_views.referral_detail, name="referral"),
    path("referrals/<int:pk>/accept/", record_views.referral_accept, name="referral_accept"),
    path("referrals/<int:pk>/decline/", record_views.referral_decline, name="referral_decline"),
]
