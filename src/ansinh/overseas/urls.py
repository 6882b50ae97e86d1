from django.urls import path

from ansinh.overseas import import_views, views

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
    path("overseas/enterprise/partners/", views.partner_list, name="partners"),
    path("overseas/enterprise/workers/", views.worker_list, name="workers"),
    path("overseas/enterprise/workers/<int:worker_id>/", views.worker_detail, name="worker"),
    path("overseas/enterprise/imports/", import_views.import_list, name="imports"),
    path("overseas/enterprise/imports/template.xlsx", import_views.import_template, name="import_template"),
    path("overseas/enterprise/imports/<int:import_id>/", import_views.import_detail, name="import"),
    path(
        "overseas/enterprise/imports/<int:import_id>/errors.xlsx",
        import_views.import_errors,
        name="import_errors",
    ),
    path(
        "overseas/enterprise/imports/<int:import_id>/signed.pdf",
        import_views.import_signed_pdf,
        name="import_signed",
    ),
    path(
        "overseas/enterprise/imports/<int:import_id>/confirm/",
        import_views.import_confirm,
        name="import_confirm",
    ),
    path("staff/overseas/", views.staff_enterprises, name="staff_enterprises"),
    path("staff/overseas/enterprises/<int:enterprise_id>/", views.staff_enterprise, name="staff_enterprise"),
    path(
        "staff/overseas/enterprises/<int:enterprise_id>/licence/", views.licence_grant, name="licence_grant"
    ),
    path("staff/overseas/licences/<int:licence_id>/change/", views.licence_change, name="licence_change"),
    path("staff/overseas/contracts/", views.staff_queue, name="staff_queue"),
    path("staff/overseas/contracts/<int:contract_id>/", views.staff_contract, name="staff_contract"),
]
