"""Foreign partners (issue 6): the broker a broker fee is paid to is named and recorded with the contract;
the enterprise's page lists the employers, agencies and brokers of its own contracts only."""

import pytest

from ansinh.core.errors import ValidationFailed
from ansinh.overseas.models import Contract, ForeignParty, ForeignPartyKind
from ansinh.overseas.services import contracts
from tests.overseas.test_pages import contract_form, sign_in
from tests.overseas.world import build_world, contract_terms

pytestmark = pytest.mark.django_db

BROKER = {"registration_number": "kr-555-01", "name": "Seoul Manpower Consulting"}


@pytest.fixture
def world(db):
    return build_world()


def test_a_broker_fee_names_its_broker_and_the_broker_is_recorded_once(world):
    with pytest.raises(ValidationFailed) as refused:
        contracts.contract_submit(
            actor=world.admin_a, **contract_terms(number="HD-B-1", broker_fee=5_000_000)
        )
    assert "broker.name" in refused.value.details["fields"]
    assert not Contract.objects.filter(number="HD-B-1").exists()

    first = contracts.contract_submit(
        actor=world.admin_a, **contract_terms(number="HD-B-1", broker_fee=5_000_000, broker=BROKER)
    )
    again = contracts.contract_submit(
        actor=world.admin_b, **contract_terms(number="HD-B-2", broker_fee=4_000_000, broker=BROKER)
    )
    assert first.broker == again.broker
    assert (first.broker.kind, first.broker.registration_number) == (ForeignPartyKind.BROKER, "KR-555-01")
    # Without a broker fee, a contract need not name one.
    plain = contracts.contract_submit(actor=world.admin_a, **contract_terms(number="HD-B-3"))
    assert plain.broker is None


def test_the_page_lists_the_partners_of_the_enterprises_own_contracts(client, world):
    sign_in(client, world.staff_a)
    sent = client.post(
        "/overseas/enterprise/contracts/",
        contract_form(number="HD-B-9", broker_fee="5.000.000", broker_name="", broker_registration_number=""),
    )
    assert sent.status_code == 200
    assert sent.context["form"].errors["broker_name"]  # named beside its field, nothing written
    assert not Contract.objects.filter(number="HD-B-9").exists()
    sent = client.post(
        "/overseas/enterprise/contracts/",
        contract_form(
            number="HD-B-9",
            broker_fee="5.000.000",
            broker_name=BROKER["name"],
            broker_registration_number=BROKER["registration_number"],
        ),
    )
    assert sent.status_code == 302
    contracts.contract_submit(
        actor=world.admin_b,
        **contract_terms(
            number="HD-B-8", foreign_party={"registration_number": "TW-1", "name": "Formosa Plastics"}
        ),
    )
    page = client.get("/overseas/enterprise/partners/")
    assert page.status_code == 200
    listed = {(p.kind, p.name): p.contract_count for p in page.context["page"]}
    assert listed == {
        (ForeignPartyKind.EMPLOYER, "Daehan Industrial Co."): 1,
        (ForeignPartyKind.BROKER, BROKER["name"]): 1,
    }
    assert "Formosa Plastics" not in page.content.decode()  # enterprise B's partner
    assert ForeignParty.objects.filter(name="Formosa Plastics").exists()

    client.logout()
    sign_in(client, world.citizen)
    assert client.get("/overseas/enterprise/partners/").status_code == 403


def test_the_api_takes_and_shows_the_broker(world, api_client):
    api_client.as_user(world.staff_a)
    body = {**contract_terms(number="HD-B-7", broker_fee=5_000_000, broker=BROKER), "signed_on": "2026-11-02"}
    made = api_client.post("overseas/contracts", body)
    assert made.status_code == 201, made.content
    assert made.json()["broker"] == BROKER["name"]
