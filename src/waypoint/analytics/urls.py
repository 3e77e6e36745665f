from django.urls import path

from waypoint.analytics import views

app_name = "analytics"
urlpatterns = [
    path("analytics/", views.home, name="home"),
    path("analytics/drill/", views.drill, name="drill"),
    path("analytics/drill/outcomes/", views.drill_outcomes, name="drill_outcomes"),
    path("analytics/export/<slug:name>.<str:fmt>", views.export, name="export"),
]
