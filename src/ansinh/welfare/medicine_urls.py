from django.urls import path

from ansinh.welfare import medicine_views

app_name = "welfare_medicine"

urlpatterns = [
    path("social/medicine/", medicine_views.home, name="home"),
    path("social/medicine/<int:registration_id>/cancel/", medicine_views.cancel, name="cancel"),
    path("social/medicine/clinic/", medicine_views.queue, name="clinic"),
    path("social/medicine/clinic/<int:registration_id>/", medicine_views.detail, name="clinic_detail"),
    path("social/medicine/clinic/<int:registration_id>/schedule/", medicine_views.schedule, name="schedule"),
    path("social/medicine/clinic/<int:registration_id>/dispense/", medicine_views.dispense, name="dispense"),
    path("social/medicine/clinic/<int:registration_id>/decline/", medicine_views.decline, name="decline"),
]
