"""The job fairs' pages (namespace `jobs_fair`): public and seekers' under `jobs/fairs/`, employers' booths
under `jobs/fairs/booths/`, the centres' under `staff/jobs/fairs/`."""

from django.urls import path

from ansinh.jobs import fair_views as views

app_name = "jobs_fair"

urlpatterns = [
    path("jobs/fairs/", views.fair_list, name="list"),
    path("jobs/fairs/mine/", views.my_fairs, name="mine"),
    path("jobs/fairs/<int:fair_id>/", views.fair_detail, name="detail"),
    path("jobs/fairs/<int:fair_id>/register/", views.fair_register, name="register"),
    path("jobs/fairs/slots/<int:slot_id>/book/", views.book, name="book"),
    path("jobs/fairs/bookings/<int:booking_id>/cancel/", views.booking_cancel, name="booking_cancel"),
    # employers (and the centre for them)
    path("jobs/fairs/employer/", views.employer_fairs, name="employer"),
    path("jobs/fairs/<int:fair_id>/booth/", views.booth_take, name="booth_take"),
    path("jobs/fairs/booths/<int:booth_id>/", views.booth_page, name="booth"),
    path("jobs/fairs/booths/<int:booth_id>/slots/", views.slot_add, name="slot_add"),
    path("jobs/fairs/slots/<int:slot_id>/delete/", views.slot_delete, name="slot_delete"),
    path("jobs/fairs/bookings/<int:booking_id>/attendance/", views.booking_mark, name="booking_mark"),
    # centres
    path("staff/jobs/fairs/", views.staff_list, name="staff_list"),
    path("staff/jobs/fairs/new/", views.staff_create, name="staff_create"),
    path("staff/jobs/fairs/<int:fair_id>/", views.staff_detail, name="staff_detail"),
    path("staff/jobs/fairs/<int:fair_id>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/jobs/fairs/<int:fair_id>/cancel/", views.staff_cancel, name="staff_cancel"),
    path("staff/jobs/fairs/<int:fair_id>/booths/", views.staff_add_booth, name="staff_add_booth"),
    path("staff/jobs/fairs/<int:fair_id>/door/", views.door, name="door"),
    path("staff/jobs/fairs/<int:fair_id>/door/walk-in/", views.walk_in, name="walk_in"),
    path("staff/jobs/fairs/<int:fair_id>/results/", views.results, name="results"),
]
