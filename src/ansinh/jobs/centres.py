"""Which employment service centre serves a province."""

from ansinh.accounts.models import Organisation, OrganisationKind


def centre_for_province(province_id: int | None) -> Organisation | None:
    """The province's (first active) employment service centre, or None where none is registered."""
    if province_id is None:
        return None
    return (
        Organisation.objects.filter(
            kind=OrganisationKind.EMPLOYMENT_CENTRE, province_id=province_id, is_active=True
        )
        .order_by("path")
        .first()
    )
