"""The partner API through HTTP (Django's test client): authentication, idempotency, refusals."""

import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest

from ansinh.accounts.models import Person
from ansinh.dossiers.models import Attachment, Dossier
from ansinh.dossiers.services.partners import signature_for
from tests.dossiers.partner_support import EXE, PDF, PNG, applicant, form_data, make_partner, make_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/partner/dossiers"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def partner():
    return make_partner()


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def body(world, reference: str = "G22.99-261126-0001", **overrides: Any) -> dict[str, Any]:
    return {
        "reference": reference,
        "procedure_code": "tctn-huong",
        "applicant": applicant(),
        "province_code": world.province.code,
        "form_data": form_data(),
        "attachments": [
            {"document_code": "termination_proof", "filename": "qd.pdf", "content_base64": b64(PDF)},
            {"document_code": "social_insurance_book", "filename": "so.png", "content_base64": b64(PNG)},
        ],
        **overrides,
    }


def post(client, payload: dict[str, Any], token: str | None, **headers: str):
    raw = json.dumps(payload).encode()
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.post(URL, raw, content_type="application/json", headers=headers)


def signed_post(client, payload: dict[str, Any], token: str, secret: str, *, stamp: str | None = None):
    raw = json.dumps(payload).encode()
    stamp = stamp or str(int(time.time()))
    headers = {
        "Authorization": f"Bearer {token}",
        "X-Ansinh-Timestamp": stamp,
        "X-Ansinh-Signature": signature_for(secret, stamp, raw),
    }
    return client.post(URL, raw, content_type="application/json", headers=headers)


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


class TestAuthentication:
    def test_wrong_token_is_401_partner_unauthenticated(self, client, world, partner):
        response = post(client, body(world), "wrong-token")
        assert response.status_code == 401
        assert response.json()["code"] == "partner.unauthenticated"
        assert not Dossier.objects.exists()

    def test_no_token_is_401(self, client, world, partner):
        response = post(client, body(world), None)
        assert response.status_code == 401
        assert response.json()["code"] == "partner.unauthenticated"

    def test_a_user_token_is_not_accepted(self, api_client, world, partner):
        api_client.as_user(UserFactory(is_superuser=True))
        response = api_client.post("partner/dossiers", body(world))
        assert response.status_code == 401
        assert response.json()["code"] == "partner.unauthenticated"

    def test_bad_signature_is_401(self, client, world, partner):
        _partner, token, secret = partner
        raw = json.dumps(body(world)).encode()
        stamp = str(int(time.time()))
        response = client.post(
            URL,
            raw,
            content_type="application/json",
            headers={
                "Authorization": f"Bearer {token}",
                "X-Ansinh-Timestamp": stamp,
                "X-Ansinh-Signature": signature_for(secret, stamp, raw + b"tampered"),
            },
        )
        assert response.status_code == 401
        assert response.json()["code"] == "partner.unauthenticated"
        assert response.json()["details"]["reason"] == "invalid_signature"
        assert not Dossier.objects.exists()

    def test_stale_signature_is_401(self, client, world, partner):
        _partner, token, secret = partner
        response = signed_post(client, body(world), token, secret, stamp=str(int(time.time()) - 600))
        assert response.status_code == 401
        assert response.json()["details"]["reason"] == "stale_timestamp"

    def test_good_signature_is_accepted(self, client, world, partner, media):
        _partner, token, secret = partner
        response = signed_post(client, body(world), token, secret)
        assert response.status_code == 201, response.content
        assert response.json()["created"] is True


class TestSubmit:
    def test_created_then_a_duplicate_returns_the_first_dossier(self, client, world, partner, media):
        _partner, token, _secret = partner
        first = post(client, body(world), token)
        assert first.status_code == 201, first.content
        data = first.json()
        assert data["created"] is True
        assert data["state"] == "submitted"
        assert data["receipt_code"]
        assert data["due_date"]
        assert data["reference"] == "G22.99-261126-0001"

        again = post(client, body(world), token)
        assert again.status_code == 200, again.content
        repeat = again.json()
        assert repeat["created"] is False
        assert repeat["id"] == data["id"]
        assert repeat["receipt_code"] == data["receipt_code"]
        assert Dossier.objects.count() == 1
        assert Attachment.objects.count() == 2

    def test_an_invalid_attachment_type_stores_nothing(self, client, world, partner, media):
        _partner, token, _secret = partner
        payload = body(
            world,
            attachments=[
                {"document_code": "termination_proof", "filename": "qd.pdf", "content_base64": b64(PDF)},
                {"document_code": "social_insurance_book", "filename": "so.exe", "content_base64": b64(EXE)},
            ],
        )
        response = post(client, payload, token)
        assert response.status_code == 422, response.content
        error = response.json()
        assert error["code"] == "dossier.upload_refused"
        assert list(error["details"]["fields"]) == ["attachments.1"]
        assert not Dossier.objects.exists()
        assert not Attachment.objects.exists()
        assert not Person.objects.exists()
        assert stored_files(media) == []

    def test_bad_base64_names_the_field(self, client, world, partner, media):
        _partner, token, _secret = partner
        payload = body(world)
        payload["attachments"][1]["content_base64"] = "not base64!!"
        response = post(client, payload, token)
        assert response.status_code == 422
        assert response.json()["code"] == "validation.invalid"
        assert list(response.json()["details"]["fields"]) == ["attachments.1.content_base64"]
        assert not Dossier.objects.exists()

    def test_line_wrapped_base64_is_accepted(self, client, world, partner, media):
        _partner, token, _secret = partner
        payload = body(world)
        encoded = b64(PDF)
        payload["attachments"][0]["content_base64"] = "\n".join(
            encoded[i : i + 20] for i in range(0, len(encoded), 20)
        )
        assert post(client, payload, token).status_code == 201

    def test_a_bad_form_answers_with_every_field(self, client, world, partner, media):
        _partner, token, _secret = partner
        response = post(client, body(world, form_data={"contract_kind": "x"}, province_code="ZZ"), token)
        assert response.status_code == 422
        fields = response.json()["details"]["fields"]
        assert {"form_data.contract_kind", "form_data.termination_date", "province_code"} <= set(fields)
        assert not Dossier.objects.exists()

    @pytest.mark.parametrize("reference", ["", "has space", "slash/inside", "x" * 101])
    def test_a_bad_reference_is_refused(self, client, world, partner, reference):
        _partner, token, _secret = partner
        response = post(client, body(world, reference=reference), token)
        assert response.status_code == 422
        assert "reference" in response.json()["details"]["fields"]

    def test_missing_mandatory_documents(self, client, world, partner, media):
        _partner, token, _secret = partner
        response = post(client, body(world, attachments=[]), token)
        assert response.status_code == 422
        assert response.json()["code"] == "dossier.missing_documents"
        assert not Dossier.objects.exists()


class TestStatus:
    def test_the_partner_reads_its_dossier(self, client, world, partner, media):
        _partner, token, _secret = partner
        created = post(client, body(world), token).json()
        response = client.get(f"{URL}/G22.99-261126-0001", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        data = response.json()
        assert data["id"] == created["id"]
        assert data["state"] == "submitted"
        assert data["state_label"]
        assert "created" not in data

    def test_another_partners_dossier_does_not_exist(self, client, world, partner, media):
        _partner, token, _secret = partner
        post(client, body(world), token)
        _other, other_token, _other_secret = make_partner(code="other")
        response = client.get(f"{URL}/G22.99-261126-0001", headers={"Authorization": f"Bearer {other_token}"})
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"

    def test_status_needs_the_partner_token(self, client, world, partner):
        response = client.get(f"{URL}/G22.99-261126-0001")
        assert response.status_code == 401
        assert response.json()["code"] == "partner.unauthenticated"

    def test_signed_status_request(self, client, world, partner, media):
        _partner, token, secret = partner
        post(client, body(world), token)
        stamp = str(int(time.time()))
        headers = {
            "Authorization": f"Bearer {token}",
            "X-Ansinh-Timestamp": stamp,
            "X-Ansinh-Signature": signature_for(secret, stamp, b""),
        }
        assert client.get(f"{URL}/G22.99-261126-0001", headers=headers).status_code == 200


def test_the_openapi_document_describes_the_partner_api(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/partner/dossiers"]["post"]
    assert "security" not in operation  # partner tokens are checked by the endpoint, not the user bearer
    assert "Bearer" in operation["description"]
    assert set(operation["responses"]) >= {"200", "201"}
    assert "/api/v1/partner/dossiers/{reference}" in document["paths"]
