from django.urls import path

from waypoint.shared import views

app_name = "shared"
urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notification_read, name="notification_read"),
]
