from django.urls import path

from ansinh.unemployment import claim_views, payment_views, staff_views, stats_views, views

app_name = "unemployment"

urlpatterns = [
    path("unemployment/estimate/", views.estimate, name="estimate"),
    path("unemployment/", claim_views.mine, name="mine"),
    path("unemployment/notify/", claim_views.notify, name="notify"),
    path("staff/unemployment/", staff_views.claim_list, name="claims"),
    path("staff/unemployment/claims/<int:claim_id>/", staff_views.claim_detail, name="claim"),
    path("staff/unemployment/claims/<int:claim_id>/act/", staff_views.claim_act, name="claim_act"),
    path("staff/unemployment/payments/", payment_views.payments, name="payments"),
    path("staff/unemployment/payments/hand-off/", payment_views.payments_hand_off, name="payments_hand_off"),
    path("staff/unemployment/payments.xlsx", payment_views.payments_xlsx, name="payments_xlsx"),
    path("staff/unemployment/delegation/", staff_views.delegation_page, name="delegation"),
    *stats_views.urlpatterns,
]
