"""The staff area leads each welfare role to its work: the commune to its allowances and cards, the clinic
to its medicine queue, the service point to the card scanner; nobody sees another role's entry."""

import pytest
from django.conf import settings

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.accounts.models import OrganisationKind
from tests.factories import OrganisationFactory, make_staff

pytestmark = pytest.mark.django_db

ENTRIES = {
    "commune_officer": {"/social/allowance/commune/", "/social/card/manage/"},
    "commune_chair": {"/social/allowance/commune/", "/staff/social/figures/"},
    "clinic_staff": {"/social/medicine/clinic/"},
    "service_point_cashier": {"/social/card/scan/"},
}
KINDS = {
    "commune_officer": OrganisationKind.COMMUNE,
    "commune_chair": OrganisationKind.COMMUNE,
    "clinic_staff": OrganisationKind.CLINIC,
    "service_point_cashier": OrganisationKind.SERVICE_POINT,
}
ALL = set().union(*ENTRIES.values())


@pytest.mark.parametrize("role", sorted(ENTRIES))
def test_each_role_sees_its_own_entries_only(client, role):
    user = make_staff(role, OrganisationFactory(kind=KINDS[role]))
    client.force_login(user)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/staff/").content.decode()
    shown = {url for url in ALL if f'href="{url}"' in page}
    assert shown == ENTRIES[role]
    for url in shown:
        assert client.get(url).status_code == 200
