from django.urls import path

from waypoint.analytics import views

app_name = "analytics"
urlpatterns = [
    path("analytics/", views.home, name="home"),
    path("analytics/drill/", views.drill, name="drill"),
    path("analytics/export/<slug:name>.<str:fmt>", views.export, name="export"),
]
