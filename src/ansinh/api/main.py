"""The ninja API object at /api/v1. Each app contributes its router here."""

from ninja import NinjaAPI

from ansinh import __version__
from ansinh.api import errors
from ansinh.api.auth import bearer

api = NinjaAPI(
    title="ansinh API",
    version=__version__,
    description=(
        "Vietnam's labour, employment and social-security services. Errors always answer "
        '`{"code", "message", "details"}`; messages follow `Accept-Language` (vi by default, en). '
        "Lists take `page` and `page_size` and answer `{items, count, page, page_size, pages}`."
    ),
    urls_namespace="api-1",
    auth=bearer,
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)


def _mount() -> None:
    from ansinh.accounts.api import auth_router
    from ansinh.accounts.api import router as accounts_router
    from ansinh.core.api import router as audit_router
    from ansinh.dossiers.api import router as dossiers_router
    from ansinh.dossiers.partner_api import router as partner_router
    from ansinh.geo.api import router as geo_router
    from ansinh.jobs.centre_api import router as jobs_centre_router
    from ansinh.jobs.employers_api import router as jobs_employers_router
    from ansinh.jobs.fairs_api import router as jobs_fairs_router
    from ansinh.jobs.matching_api import router as jobs_matching_router
    from ansinh.jobs.search_api import router as jobs_search_router
    from ansinh.jobs.seekers_api import router as jobs_seekers_router
    from ansinh.notify.api import router as notify_router
    from ansinh.overseas.api import router as overseas_router
    from ansinh.overseas.exports_api import router as overseas_exports_router
    from ansinh.overseas.imports_api import router as overseas_imports_router
    from ansinh.overseas.reports_api import router as overseas_reports_router
    from ansinh.sos.api import router as sos_router
    from ansinh.sos.desk_api import router as sos_desk_router
    from ansinh.sos.requests_api import router as sos_requests_router
    from ansinh.sos.stats_api import router as sos_stats_router
    from ansinh.sos.workers_api import router as sos_workers_router
    from ansinh.unemployment.api import router as unemployment_router
    from ansinh.unemployment.claims_api import router as unemployment_claims_router
    from ansinh.unemployment.partner_api import router as unemployment_partner_router
    from ansinh.unemployment.stats_api import router as unemployment_stats_router
    from ansinh.welfare.allowance_api import router as welfare_allowance_router
    from ansinh.welfare.card_api import router as welfare_card_router
    from ansinh.welfare.medicine_api import router as welfare_medicine_router
    from ansinh.welfare.overview_api import router as welfare_overview_router
    from ansinh.welfare.pension_api import router as welfare_pension_router
    from ansinh.welfare.pension_partner_api import router as welfare_pension_partner_router
    from ansinh.welfare.statistics_api import router as welfare_statistics_router

    api.add_router("/auth", auth_router)
    api.add_router("", accounts_router)
    api.add_router("/audit", audit_router)
    api.add_router("/reference", geo_router)
    api.add_router("", sos_router)
    api.add_router("/sos", sos_requests_router)
    api.add_router("/sos", sos_desk_router)
    api.add_router("/sos", sos_workers_router)
    api.add_router("/sos", sos_stats_router)
    api.add_router("/partner", partner_router)
    api.add_router("", notify_router)
    api.add_router("", dossiers_router)
    api.add_router("", unemployment_router)
    api.add_router("", unemployment_claims_router)
    api.add_router("/partner", unemployment_partner_router)
    api.add_router("", unemployment_stats_router)
    api.add_router("", overseas_router)
    api.add_router("/overseas", overseas_imports_router)
    api.add_router("/overseas", overseas_reports_router)
    api.add_router("/overseas", overseas_exports_router)
    api.add_router("/jobs", jobs_search_router)
    api.add_router("/jobs", jobs_seekers_router)
    api.add_router("/jobs", jobs_employers_router)
    api.add_router("/jobs", jobs_fairs_router)
    api.add_router("/jobs", jobs_centre_router)
    api.add_router("/jobs", jobs_matching_router)
    api.add_router("", welfare_overview_router)
    api.add_router("/welfare", welfare_allowance_router)
    api.add_router("/welfare", welfare_pension_router)
    api.add_router("/welfare", welfare_medicine_router)
    api.add_router("/welfare", welfare_card_router)
    api.add_router("/welfare", welfare_statistics_router)
    api.add_router("/partner", welfare_pension_partner_router)


_mount()
