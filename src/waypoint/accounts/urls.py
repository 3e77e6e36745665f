from django.urls import path

from waypoint.accounts import views

app_name = "accounts"
urlpatterns = [
    path("manage/", views.manage, name="manage"),
    path("manage/users/", views.user_list, name="user_list"),
    path("manage/users/new/", views.user_new, name="user_new"),
    path("manage/users/<int:pk>/", views.user_detail, name="user_detail"),
    path("manage/users/<int:pk>/roles/", views.user_roles, name="user_roles"),
    path("manage/users/<int:pk>/active/", views.user_active, name="user_active"),
    path(
        "manage/users/<int:pk>/second-factor/",
        views.user_reset_second_factor,
        name="user_reset_second_factor",
    ),
    path("manage/roles/", views.role_list, name="role_list"),
    path("manage/organisations/", views.organisation_list, name="organisation_list"),
    path("manage/organisations/new/", views.organisation_new, name="organisation_new"),
    path("manage/organisations/<int:pk>/", views.organisation_edit, name="organisation_edit"),
]
