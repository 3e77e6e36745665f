from django.urls import path

from waypoint.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("account/second-factor/", views.second_factor, name="second_factor"),
    path("healthz", views.healthz, name="healthz"),
]
