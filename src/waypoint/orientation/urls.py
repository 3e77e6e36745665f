from django.urls import path

from waypoint.orientation import views

app_name = "orientation"
urlpatterns = [
    path("veterans/<int:pk>/orientation/", views.veteran_orientation, name="veteran"),
    path("veterans/<int:pk>/orientation/run/", views.run, name="run"),
    path("veterans/<int:pk>/orientation/feedback/", views.feedback, name="feedback"),
    path("veterans/<int:pk>/orientation/add/", views.add_occupation, name="add"),
    path("veterans/<int:pk>/plan/", views.plan, name="plan"),
    path("veterans/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("veterans/<int:pk>/plan/save/", views.plan_save, name="plan_save"),
]
