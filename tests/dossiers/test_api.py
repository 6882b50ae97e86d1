"""The dossier API through HTTP: the applicant's path, the staff queue, bad input, the public endpoints."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ansinh.dossiers.models import Attachment, Dossier
from tests.dossiers.conftest import PDF_BYTES, VALID_FORM

pytestmark = pytest.mark.django_db


def _upload(api, dossier_id, code="termination_proof", content=PDF_BYTES, name="a.pdf"):
    return api.client.post(
        f"/api/v1/dossiers/{dossier_id}/attachments",
        {"document_code": code, "file": SimpleUploadedFile(name, content)},
        headers={"Authorization": f"Bearer {api.token}"},
    )


def test_catalogue_is_public_with_a_form_schema(client):
    response = client.get("/api/v1/procedures")
    assert response.status_code == 200
    claim = next(p for p in response.json() if p["code"] == "tctn-huong")
    assert claim["name_vi"] == "Giải quyết hưởng trợ cấp thất nghiệp"
    assert claim["processing_days"] == 15  # the 2026 version (Decree 374/2025)
    assert claim["form_schema"]["properties"]["contract_kind"]["enum"] == [
        "indefinite",
        "definite",
        "seasonal",
    ]
    old = client.get("/api/v1/procedures/tctn-huong?on=2025-06-01").json()
    assert old["version"] == "2015"
    assert old["processing_days"] == 20
    assert client.get("/api/v1/procedures/tctn-huong?on=2010-01-01").status_code == 404


def test_applicant_files_online_through_the_api(world, api_client, run_on_commit):
    api = api_client.as_user(world.citizen)
    created = api.post("dossiers", {"procedure_code": "tctn-huong", "form_data": VALID_FORM})
    assert created.status_code == 201, created.content
    dossier_id = created.json()["id"]
    assert created.json()["state"] == "draft"
    assert created.json()["allowed_actions"] == ["submit", "withdraw"]

    early = api.post(f"dossiers/{dossier_id}/actions", {"action": "submit"})
    assert early.status_code == 422
    assert early.json()["code"] == "dossier.missing_documents"

    assert _upload(api, dossier_id).status_code == 201
    assert _upload(api, dossier_id, "social_insurance_book").status_code == 201
    submitted = api.post(f"dossiers/{dossier_id}/actions", {"action": "submit"})
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert body["receipt_code"].startswith("TTDVVL-NA-")
    assert body["due_date"]
    assert [d["kind"] for d in body["documents"]] == ["receipt"]

    wrong = api.post(f"dossiers/{dossier_id}/actions", {"action": "approve"})
    assert wrong.status_code == 404  # the applicant has no staff powers over it at all

    again = api.post(f"dossiers/{dossier_id}/actions", {"action": "submit"})
    assert again.status_code == 409
    assert again.json()["code"] == "dossier.invalid_transition"
    assert again.json()["details"]["state"] == "submitted"


def test_wrong_file_type_or_size_is_refused_and_nothing_is_stored(world, api_client, settings):
    api = api_client.as_user(world.citizen)
    dossier_id = api.post("dossiers", {"procedure_code": "tctn-huong", "form_data": {}}).json()["id"]
    media = settings.MEDIA_ROOT
    files_before = {p for p in media.rglob("*") if p.is_file()} if media.exists() else set()
    # An executable renamed to .pdf: the content decides.
    exe = _upload(api, dossier_id, content=b"MZ\x90\x00" + b"\x00" * 200, name="giay-to.pdf")
    assert exe.status_code == 422
    assert exe.json()["code"] == "dossier.upload_refused"
    assert "file" in exe.json()["details"]["fields"]
    settings.DOSSIER_UPLOAD_MAX_BYTES = 100
    big = _upload(api, dossier_id, content=PDF_BYTES + b"0" * 200)
    assert big.status_code == 422
    assert "100" in big.json()["details"]["fields"]["file"][0]
    unknown = _upload(api, dossier_id, code="passport")
    assert unknown.status_code == 422
    assert "document_code" in unknown.json()["details"]["fields"]
    assert Attachment.objects.count() == 0
    files_after = {p for p in media.rglob("*") if p.is_file()} if media.exists() else set()
    assert files_after == files_before


def test_bad_form_values_are_named_in_vietnamese(world, api_client):
    api = api_client.as_user(world.citizen)
    response = api.post(
        "dossiers",
        {
            "procedure_code": "tctn-huong",
            "form_data": {"termination_date": "30/10/2026", "contract_kind": "x"},
        },
    )
    assert response.status_code == 422
    fields = response.json()["details"]["fields"]
    assert set(fields) == {"termination_date", "contract_kind"}
    assert "YYYY-MM-DD" in fields["termination_date"][0]
    assert Dossier.objects.count() == 0


def test_staff_queue_and_steps(world, api_client, run_on_commit):
    citizen = api_client.as_user(world.citizen)
    dossier_id = citizen.post("dossiers", {"procedure_code": "tctn-huong", "form_data": VALID_FORM}).json()[
        "id"
    ]
    _upload(citizen, dossier_id)
    _upload(citizen, dossier_id, "social_insurance_book")
    code = citizen.post(f"dossiers/{dossier_id}/actions", {"action": "submit"}).json()["receipt_code"]

    from tests.api_client import ApiClient

    officer = ApiClient(api_client.client).as_user(world.officer)
    queue = officer.get("queue")
    assert queue.status_code == 200
    assert [d["receipt_code"] for d in queue.json()["items"]] == [code]
    assert queue.json()["counts"] == {"submitted": 1}
    by_id = officer.get("queue", search=world.person.personal_id).json()["items"]
    assert [d["id"] for d in by_id] == [dossier_id]
    detail = officer.get(f"dossiers/{dossier_id}").json()
    assert set(detail["allowed_actions"]) == {"return", "accept", "cancel"}
    no_note = officer.post(f"dossiers/{dossier_id}/actions", {"action": "return"})
    assert no_note.status_code == 422
    assert "note" in no_note.json()["details"]["fields"]

    outsider = ApiClient(api_client.client).as_user(world.outsider_officer)
    assert outsider.get("queue").json()["items"] == []
    assert outsider.get(f"dossiers/{dossier_id}").status_code == 404


def test_status_lookup_without_login(world, api_client, client, run_on_commit):
    citizen = api_client.as_user(world.citizen)
    dossier_id = citizen.post("dossiers", {"procedure_code": "tctn-huong", "form_data": VALID_FORM}).json()[
        "id"
    ]
    _upload(citizen, dossier_id)
    _upload(citizen, dossier_id, "social_insurance_book")
    code = citizen.post(f"dossiers/{dossier_id}/actions", {"action": "submit"}).json()["receipt_code"]

    ok = client.post(
        "/api/v1/dossiers/lookup",
        {"receipt_code": code.lower(), "id_number": world.person.personal_id},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["state"] == "submitted"
    assert ok.json()["next_step"]
    wrong = client.post(
        "/api/v1/dossiers/lookup",
        {"receipt_code": code, "id_number": "040090009999"},
        content_type="application/json",
    )
    assert wrong.status_code == 404
    assert "040090001234" not in wrong.content.decode()
    # Guessing the ID number for one code is stopped after a few tries, even with the right one.
    for _ in range(5):
        client.post(
            "/api/v1/dossiers/lookup",
            {"receipt_code": code, "id_number": "040090009998"},
            content_type="application/json",
        )
    blocked = client.post(
        "/api/v1/dossiers/lookup",
        {"receipt_code": code, "id_number": world.person.personal_id},
        content_type="application/json",
    )
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "dossier.lookup_throttled"


def test_an_oversized_api_body_gets_the_error_contract(client, settings):
    settings.SMALL_BODY_MAX_BYTES = 1000
    response = client.post(
        "/api/v1/dossiers/lookup",
        {"receipt_code": "X" * 2000, "id_number": "1"},
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request.too_large"


def test_large_json_bodies_are_only_for_the_partner_paths(client, settings):
    settings.SMALL_BODY_MAX_BYTES = 1000
    body = {"reference": "x" * 2000}
    partner = client.post("/api/v1/partner/dossiers", body, content_type="application/json")
    assert partner.status_code == 422  # not refused for its size: the partner endpoint read and judged it
    other = client.post("/api/v1/dossiers/lookup", body, content_type="application/json")
    assert other.status_code == 413
