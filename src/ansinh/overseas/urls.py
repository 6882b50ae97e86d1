from django.urls import path

from ansinh.overseas import views

app_name = "overseas"

urlpatterns = [
    path("overseas/register/", views.register, name="register"),
    path("overseas/enterprise/", views.portal, name="portal"),
    path("overseas/enterprise/info/", views.portal_update, name="portal_update"),
    path("overseas/enterprise/branches/", views.branch_create, name="branch_create"),
    path(
        "overseas/enterprise/branches/<int:branch_id>/functions/",
        views.branch_delegate,
        name="branch_delegate",
    ),
    path("overseas/enterprise/contracts/", views.contract_list, name="contracts"),
    path("overseas/enterprise/contracts/<int:contract_id>/sign/", views.contract_sign, name="contract_sign"),
    path("overseas/enterprise/workers/", views.worker_list, name="workers"),
    path("overseas/enterprise/workers/<int:worker_id>/", views.worker_detail, name="worker"),
    path("staff/overseas/", views.staff_enterprises, name="staff_enterprises"),
    path("staff/overseas/enterprises/<int:enterprise_id>/", views.staff_enterprise, name="staff_enterprise"),
    path(
        "staff/overseas/enterprises/<int:enterprise_id>/licence/", views.licence_grant, name="licence_grant"
    ),
    path("staff/overseas/licences/<int:licence_id>/change/", views.licence_change, name="licence_change"),
    path("staff/overseas/contracts/", views.staff_queue, name="staff_queue"),
    path("staff/overseas/contracts/<int:contract_id>/", views.staff_contract, name="staff_contract"),
]
