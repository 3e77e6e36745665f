from django.urls import path

from waypoint.taxonomy import views

app_name = "taxonomy"
urlpatterns = [
    path("taxonomy/", views.browse, name="browse"),
    path("taxonomy/suggest/", views.suggest, name="suggest"),
    path("taxonomy/occupations/<int:pk>/", views.occupation_detail, name="occupation"),
    path("taxonomy/skills/<int:pk>/", views.skill_detail, name="skill"),
]
