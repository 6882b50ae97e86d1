from django.urls import path

from ansinh.unemployment import claim_views, staff_views, views

app_name = "unemployment"

urlpatterns = [
    path("unemployment/estimate/", views.estimate, name="estimate"),
    path("unemployment/", claim_views.mine, name="mine"),
    path("unemployment/notify/", claim_views.notify, name="notify"),
    path("staff/unemployment/", staff_views.claim_list, name="claims"),
    path("staff/unemployment/claims/<int:claim_id>/", staff_views.claim_detail, name="claim"),
    path("staff/unemployment/claims/<int:claim_id>/act/", staff_views.claim_act, name="claim_act"),
    path("staff/unemployment/delegation/", staff_views.delegation_page, name="delegation"),
]
