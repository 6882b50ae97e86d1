"""Internship contracts (Law 69/2020 Art 39-40): registered online like the others, with the province's
department for an internship under 90 days and with the Department of Overseas Labour from 90 days; the
length in days decides, and it is required."""

import pytest

from ansinh.core.errors import ValidationFailed
from ansinh.overseas.models import Contract
from ansinh.overseas.services import contracts
from tests.overseas.test_pages import contract_form, sign_in
from tests.overseas.world import build_world, contract_terms

pytestmark = pytest.mark.django_db

INTERNSHIP = {"kind": "internship", "country": "JP", "contract_months": 3, "service_fee": 0}


@pytest.fixture
def world(db):
    return build_world()


def test_the_length_in_days_decides_who_registers_the_internship(world):
    with pytest.raises(ValidationFailed) as refused:
        contracts.contract_submit(actor=world.admin_a, **contract_terms(number="TT-1", **INTERNSHIP))
    assert "internship_days" in refused.value.details["fields"]
    assert not Contract.objects.exists()

    short = contracts.contract_submit(
        actor=world.admin_a, **contract_terms(number="TT-1", internship_days=89, **INTERNSHIP)
    )
    long = contracts.contract_submit(
        actor=world.admin_a, **contract_terms(number="TT-2", internship_days=90, **INTERNSHIP)
    )
    assert short.registrar == world.province_department
    assert long.registrar == world.dolab
    assert (short.internship_days, long.internship_days) == (89, 90)
    # A supply contract needs no days.
    supply = contracts.contract_submit(actor=world.admin_a, **contract_terms(number="HD-9"))
    assert supply.internship_days is None


def test_the_page_takes_the_internship_days(client, world):
    sign_in(client, world.staff_a)
    form = contract_form(number="TT-3", kind="internship", country="JP", contract_months="2", service_fee="0")
    missing = client.post("/overseas/enterprise/contracts/", form)
    assert missing.status_code == 200
    assert missing.context["form"].errors["internship_days"]
    sent = client.post("/overseas/enterprise/contracts/", {**form, "internship_days": "60"})
    assert sent.status_code == 302
    assert Contract.objects.get(number="TT-3").registrar == world.province_department
