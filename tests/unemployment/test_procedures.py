"""The six unemployment-insurance procedures in the public catalogue, with their documents and deadlines;
the ones that are not filed as dossiers cannot be."""

import pytest

from ansinh.unemployment.procedures import (
    BENEFIT_CLAIM,
    BENEFIT_TRANSFER,
    CONTINUATION,
    JOB_SEARCH_NOTIFICATION,
    SUSPENSION,
    TERMINATION,
)
from tests.api_client import ApiClient

pytestmark = pytest.mark.django_db

SIX = (BENEFIT_CLAIM, JOB_SEARCH_NOTIFICATION, SUSPENSION, CONTINUATION, TERMINATION, BENEFIT_TRANSFER)


def test_the_catalogue_page_lists_the_six_with_their_deadlines(client):
    page = client.get("/procedures/").content.decode()
    for code in SIX:
        assert f'href="/procedures/{code}/"' in page
    claim = client.get(f"/procedures/{BENEFIT_CLAIM}/").content.decode()
    assert "15" in claim  # working days from the complete dossier (Decree 374 Art 16.1)
    assert f'href="/procedures/{BENEFIT_CLAIM}/file/"' in claim
    notification = client.get(f"/procedures/{JOB_SEARCH_NOTIFICATION}/").content.decode()
    assert "03 ngày làm việc" in notification  # the monthly window, in words
    assert 'href="/unemployment/"' in notification  # done on the claimant's page, not as a dossier
    assert f"/procedures/{JOB_SEARCH_NOTIFICATION}/file/" not in notification
    suspension = client.get(f"/procedures/{SUSPENSION}/").content.decode()
    assert "02 ngày làm việc" in suspension
    transfer = client.get(f"/procedures/{BENEFIT_TRANSFER}/").content.decode()
    assert "Mẫu 19" in transfer  # the request form to attach


def test_the_catalogue_api_says_how_each_is_done(client):
    listed = {p["code"]: p for p in client.get("/api/v1/procedures").json()}
    assert set(SIX) <= set(listed)
    assert listed[BENEFIT_CLAIM]["filing"] == "dossier"
    assert listed[BENEFIT_CLAIM]["processing_days"] == 15
    assert {d["code"] for d in listed[BENEFIT_CLAIM]["documents"]} >= {
        "termination_proof",
        "social_insurance_book",
    }
    assert listed[JOB_SEARCH_NOTIFICATION]["filing"] == "service"
    assert listed[SUSPENSION]["filing"] == "triggered"
    assert listed[CONTINUATION]["deadline"]
    assert listed[TERMINATION]["filing"] == "dossier"
    assert listed[BENEFIT_TRANSFER]["processing_days"] == 3


def test_procedures_done_elsewhere_cannot_be_filed_as_dossiers(client, world):
    client.force_login(world.citizen)
    assert client.get(f"/procedures/{SUSPENSION}/file/").status_code == 404
    api = ApiClient(client)
    api.as_user(world.citizen)
    response = api.post("dossiers", {"procedure_code": JOB_SEARCH_NOTIFICATION, "form_data": {}})
    assert response.status_code == 404
    assert response.json()["code"] == "dossier.procedure_not_found"
