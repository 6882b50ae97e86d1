"""The annual report's pages, included by the project's URLs with their own namespace (`overseas_reports`)."""

from django.urls import path

from ansinh.overseas import report_views

app_name = "overseas_reports"

urlpatterns = [
    path("overseas/enterprise/reports/", report_views.enterprise_reports, name="enterprise"),
    path("overseas/enterprise/reports/<int:year>.xlsx", report_views.enterprise_report_xlsx, name="xlsx"),
    path("overseas/enterprise/reports/<int:year>.pdf", report_views.enterprise_report_pdf, name="pdf"),
    path(
        "overseas/enterprise/reports/<int:year>/submit/",
        report_views.enterprise_report_submit,
        name="submit",
    ),
    path(
        "overseas/enterprise/reports/submitted/<int:report_id>.pdf",
        report_views.signed_pdf,
        name="enterprise_signed_pdf",
    ),
    path("staff/overseas/reports/", report_views.staff_reports, name="staff"),
    path("staff/overseas/reports/<int:report_id>.pdf", report_views.signed_pdf, name="signed_pdf"),
]
