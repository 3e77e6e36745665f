from django.urls import path

from waypoint.people import edit_views, import_views, views

app_name = "people"
urlpatterns = [
    path("veterans/", views.veteran_list, name="veteran_list"),
    path("veterans/export.csv", views.veteran_export, name="veteran_export"),
    path("veterans/new/", views.intake, name="intake"),
    path("veterans/duplicates/", views.duplicate_check, name="duplicate_check"),
    path("veterans/<int:pk>/", views.veteran_detail, name="veteran_detail"),
    path("veterans/<int:pk>/edit/", edit_views.veteran_edit, name="veteran_edit"),
    path(
        "veterans/<int:pk>/coordinator/", edit_views.assign_coordinator, name="assign_coordinator"
    ),
    path("veterans/<int:pk>/limitations/", edit_views.limitation_edit, name="limitation_edit"),
    path("veterans/<int:pk>/preferences/", edit_views.preferences_edit, name="preferences_edit"),
    path("veterans/<int:pk>/consents/give/", edit_views.consent_give, name="consent_give"),
    path(
        "veterans/<int:pk>/consents/<str:purpose>/withdraw/",
        edit_views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "veterans/<int:pk>/skill/<int:part_pk>/confirm/",
        edit_views.skill_confirm,
        name="skill_confirm",
    ),
    path(
        "veterans/<int:pk>/<str:kind>/<int:part_pk>/occupation/",
        edit_views.part_occupation,
        name="part_occupation",
    ),
    path("veterans/<int:pk>/<str:kind>/add/", edit_views.part_add, name="part_add"),
    path(
        "veterans/<int:pk>/<str:kind>/<int:part_pk>/edit/", edit_views.part_edit, name="part_edit"
    ),
    path(
        "veterans/<int:pk>/<str:kind>/<int:part_pk>/delete/",
        edit_views.part_delete,
        name="part_delete",
    ),
    path("register/", views.self_register, name="self_register"),
    path("import/", import_views.import_page, name="import"),
    path("import/<int:pk>/", import_views.import_job, name="import_job"),
    path("import/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
]
