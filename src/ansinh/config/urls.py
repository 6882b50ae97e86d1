from django.contrib import admin
from django.urls import include, path

from ansinh.accounts import views as account_views
from ansinh.api.main import api
from ansinh.notify import views as notify_views
from ansinh.web import views as web_views

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("readyz", web_views.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("i18n/setlang/", account_views.language_view, name="set_language"),
    path("accounts/", include("ansinh.accounts.urls")),
    path("staff/partners/", include("ansinh.dossiers.partner_urls")),
    path("staff/", include("ansinh.web.staff_urls")),
    path("admin/", admin.site.urls),
    path("inbox/", include("ansinh.notify.urls")),
    path("sw.js", notify_views.service_worker, name="service_worker"),
    path("", include("ansinh.dossiers.urls")),
    path("", include("ansinh.sos.urls")),
    path("", include("ansinh.unemployment.urls")),
    path("", include("ansinh.overseas.stats_urls")),
    path("", include("ansinh.overseas.urls")),
    path("", include("ansinh.overseas.report_urls")),
    path("", include("ansinh.overseas.export_urls")),
    path("", include("ansinh.jobs.public_urls")),
    path("", include("ansinh.jobs.seeker_urls")),
    path("", include("ansinh.jobs.employer_urls")),
    path("", include("ansinh.jobs.fair_urls")),
    path("", include("ansinh.jobs.centre_urls")),
    path("", include("ansinh.jobs.match_urls")),
    path("", include("ansinh.welfare.overview_urls")),
    path("", include("ansinh.welfare.allowance_urls")),
    path("", include("ansinh.welfare.pension_urls")),
    path("", include("ansinh.welfare.medicine_urls")),
    path("", include("ansinh.welfare.card_urls")),
    path("", include("ansinh.welfare.statistics_urls")),
    path("", include("ansinh.web.urls")),
]

handler404 = "ansinh.web.views.page_not_found"
handler500 = "ansinh.web.views.server_error"
