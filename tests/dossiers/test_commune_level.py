"""The "commune" level: a dossier goes to the commune people's committee serving the applicant's ward,
which also decides it; the province and nation levels are unchanged."""

import pytest
from django.utils import translation

from ansinh.accounts.models import Person
from ansinh.dossiers.errors import NoReceivingBody
from ansinh.dossiers.procedures import version_on
from ansinh.dossiers.services import filing
from ansinh.welfare.procedures import ALLOWANCE_APPLICATION
from tests.welfare.allowance_world import APPLICATION_FORM, allowance_world, commune_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return allowance_world()


def _procedure():
    from django.utils import timezone

    return version_on(ALLOWANCE_APPLICATION, timezone.localdate())


def test_the_receiving_body_is_the_commune_of_the_applicants_ward(world):
    procedure = _procedure()
    assert filing.receiving_body(procedure, world.province.pk, world.ward.pk) == world.commune
    assert filing.receiving_body(procedure, None, world.other_ward.pk) == world.other_commune


def test_filed_online_it_goes_to_the_citizens_commune_which_decides(world):
    dossier = filing.dossier_start(
        actor=world.citizen, procedure_code=ALLOWANCE_APPLICATION, form_data=APPLICATION_FORM
    )
    assert dossier.receiving_organisation == world.commune
    assert dossier.org_path == world.commune.path
    assert dossier.province_id == world.province.pk
    assert filing.deciding_body(_procedure(), dossier) == world.commune
    other = filing.dossier_start(actor=world.stranger, procedure_code=ALLOWANCE_APPLICATION, form_data={})
    assert other.receiving_organisation == world.other_commune


def test_without_a_ward_the_citizen_is_told_to_set_it(world):
    Person.objects.filter(pk=world.person.pk).update(ward=None)
    world.citizen.person.refresh_from_db()
    with translation.override("en"):
        with pytest.raises(NoReceivingBody) as caught:
            filing.dossier_start(actor=world.citizen, procedure_code=ALLOWANCE_APPLICATION, form_data={})
        assert "profile" in str(caught.value.message)
        assert "counter" in str(caught.value.message)


def test_an_inactive_commune_or_a_ward_without_one_receives_nothing(world):
    world.commune.is_active = False
    world.commune.save(update_fields=["is_active"])
    with pytest.raises(NoReceivingBody):
        filing.receiving_body(_procedure(), world.province.pk, world.ward.pk)
    with pytest.raises(NoReceivingBody):
        filing.receiving_body(_procedure(), world.province.pk, None)


def test_a_commune_of_another_kind_does_not_receive(world):
    from tests.factories import OrganisationFactory

    ward = world.ward
    clinic = OrganisationFactory(kind="clinic", province=world.province, ward=ward)
    assert filing.receiving_body(_procedure(), world.province.pk, ward.pk) != clinic
    assert commune_of(ward) == world.commune


def test_province_level_is_unchanged(world):
    """A province-level procedure still goes to its province's body and ignores the ward."""
    from ansinh.accounts.models import OrganisationKind
    from ansinh.unemployment.procedures import BENEFIT_CLAIM
    from tests.factories import OrganisationFactory

    centre = OrganisationFactory(kind=OrganisationKind.EMPLOYMENT_CENTRE, province=world.province)
    procedure = version_on(BENEFIT_CLAIM, _procedure().valid_from.replace(year=2026, month=6))
    assert procedure is not None
    assert procedure.level == "province"
    assert filing.receiving_body(procedure, world.province.pk, world.ward.pk) == centre
    assert filing.receiving_body(procedure, world.province.pk) == centre
