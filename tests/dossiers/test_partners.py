"""The partner services on the real database: credentials, authentication, idempotent submission."""

import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from ansinh.accounts.models import Person
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.core.models import AuditEntry
from ansinh.dossiers import partner_selectors
from ansinh.dossiers.errors import MissingDocuments, PartnerAuthFailed, UploadRefused
from ansinh.dossiers.models import Attachment, CallbackStatus, Channel, Dossier, PartnerCallback
from ansinh.dossiers.procedures import State
from ansinh.dossiers.services import partners
from ansinh.dossiers.services.partners import callback_retry_delay, signature_for
from tests.dossiers.partner_support import (
    EXE,
    PDF,
    PERSONAL_ID,
    applicant,
    form_data,
    make_partner,
    make_world,
    submission,
)
from tests.factories import PersonFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


class TestPartnerCreate:
    def test_token_and_secret_are_shown_once_and_the_token_is_kept_hashed(self):
        partner, token, secret = make_partner("https://portal.example.vn/callbacks")
        assert token
        assert secret
        assert token != secret
        assert partner.token_hash != token
        assert len(partner.token_hash) == 64
        assert partner.token_prefix == token[:8]
        assert partner.hmac_secret == secret
        assert AuditEntry.objects.filter(action="partner.create", object_id=str(partner.pk)).exists()

    def test_needs_partner_manage(self):
        with pytest.raises(PermissionDenied):
            partners.partner_create(actor=UserFactory(), code="x", name="X")
        admin = make_staff("system_admin")
        partner, _token, _secret = partners.partner_create(actor=admin, code="lgsp-hn", name="LGSP Hà Nội")
        assert partner.code == "lgsp-hn"

    @pytest.mark.parametrize(
        ("fields", "bad"),
        [
            ({"code": "has space", "name": "X"}, "code"),
            ({"code": "", "name": "X"}, "code"),
            ({"code": "ok", "name": "  "}, "name"),
            ({"code": "ok", "name": "X", "callback_url": "ftp://example.vn/x"}, "callback_url"),
            ({"code": "ok", "name": "X", "callback_url": "not a url"}, "callback_url"),
        ],
    )
    def test_refuses_bad_fields(self, fields, bad):
        with pytest.raises(ValidationFailed) as caught:
            partners.partner_create(actor=None, **fields)
        assert bad in caught.value.details["fields"]

    def test_code_is_unique(self):
        make_partner(code="dvcqg")
        with pytest.raises(ValidationFailed) as caught:
            make_partner(code="DVCQG")
        assert "code" in caught.value.details["fields"]


class TestAuthenticate:
    def auth(self, token, *, signature=None, timestamp=None, body=b"{}", now=None):
        return partners.partner_authenticate(
            authorization=f"Bearer {token}" if token is not None else None,
            signature=signature,
            timestamp=timestamp,
            body=body,
            now=now,
        )

    def reason(self, **kwargs) -> str:
        with pytest.raises(PartnerAuthFailed) as caught:
            self.auth(**kwargs)
        assert caught.value.code == "partner.unauthenticated"
        assert caught.value.status == 401
        return caught.value.details["reason"]

    def test_token_alone_is_enough(self):
        partner, token, _secret = make_partner()
        assert self.auth(token) == partner

    def test_missing_wrong_or_deactivated_token_is_refused(self):
        partner, token, _secret = make_partner()
        assert self.reason(token=None) == "missing_token"
        assert self.reason(token="not-the-token") == "invalid_token"
        partner.is_active = False
        partner.save()
        assert self.reason(token=token) == "invalid_token"

    def test_a_user_api_token_is_not_a_partner_token(self):
        from ansinh.accounts.services import token_issue

        make_partner()
        _api_token, raw = token_issue(user=UserFactory())
        assert self.reason(token=raw) == "invalid_token"

    def test_good_signature(self):
        partner, token, secret = make_partner()
        stamp = str(int(time.time()))
        body = b'{"reference":"A1"}'
        assert (
            self.auth(token, signature=signature_for(secret, stamp, body), timestamp=stamp, body=body)
            == partner
        )

    def test_bad_signature_stale_or_missing_timestamp_is_refused(self):
        _partner, token, secret = make_partner()
        body = b'{"reference":"A1"}'
        now = time.time()
        stamp = str(int(now))
        good = signature_for(secret, stamp, body)
        assert (
            self.reason(token=token, signature=good, timestamp=stamp, body=body + b" ") == "invalid_signature"
        )
        assert self.reason(token=token, signature=signature_for("other", stamp, body), timestamp=stamp) == (
            "invalid_signature"
        )
        assert self.reason(token=token, signature="sha256=ünïcode", timestamp=stamp, body=body) == (
            "invalid_signature"
        )
        old = str(int(now) - 301)
        stale = signature_for(secret, old, body)
        assert self.reason(token=token, signature=stale, timestamp=old, body=body) == "stale_timestamp"
        assert self.reason(token=token, signature=good, timestamp=None, body=body) == "invalid_timestamp"
        assert self.reason(token=token, signature=None, timestamp=stamp, body=body) == "invalid_signature"
        assert self.reason(token=token, signature=good, timestamp="12a", body=body) == "invalid_timestamp"


class TestSubmit:
    def test_files_and_submits_a_dossier(self, media):
        world = make_world()
        partner, _token, _secret = make_partner()
        dossier, created = partners.partner_submit(partner=partner, **submission(world))
        assert created
        dossier.refresh_from_db()
        assert dossier.state == State.SUBMITTED
        assert dossier.channel == Channel.PARTNER
        assert dossier.partner == partner
        assert dossier.partner_reference == "G22-0001"
        assert dossier.receipt_code
        assert dossier.due_date
        assert dossier.receiving_organisation == world.centre
        assert dossier.applicant_person.personal_id == PERSONAL_ID
        assert dossier.applicant_id_number == PERSONAL_ID
        assert dossier.form_data["contract_kind"] == "indefinite"
        kinds = sorted(dossier.attachments.values_list("document_code", "content_type"))
        assert kinds == [("social_insurance_book", "image/png"), ("termination_proof", "application/pdf")]
        assert len(stored_files(media)) == 2
        submit = dossier.events.get(action="submit")
        assert "G22-0001" in submit.note
        assert submit.actor is None
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"dossier.create", "dossier.attach", "dossier.submit", "dossier.partner_submit"} <= actions

    def test_a_repeat_returns_the_first_dossier(self, media):
        world = make_world()
        partner, _token, _secret = make_partner()
        first, created = partners.partner_submit(partner=partner, **submission(world))
        again, created_again = partners.partner_submit(
            partner=partner, **submission(world, form_data=form_data(last_employer="Khác"))
        )
        assert created
        assert not created_again
        assert again.pk == first.pk
        assert Dossier.objects.count() == 1
        assert Attachment.objects.count() == 2
        assert len(stored_files(media)) == 2

    def test_the_same_reference_from_another_partner_is_another_dossier(self):
        world = make_world()
        one, _t1, _s1 = make_partner(code="one")
        two, _t2, _s2 = make_partner(code="two")
        a, _ = partners.partner_submit(partner=one, **submission(world))
        b, created = partners.partner_submit(partner=two, **submission(world))
        assert created
        assert a.pk != b.pk
        assert a.applicant_person_id == b.applicant_person_id  # one person, found by ID number

    def test_a_race_lost_on_the_unique_reference_returns_the_winner(self, monkeypatch, media):
        world = make_world()
        partner, _token, _secret = make_partner()
        winner, _ = partners.partner_submit(partner=partner, **submission(world))
        real = partner_selectors.partner_dossier_find
        calls = {"n": 0}

        def blind_twice(partner, reference):
            # The loser's two look-ups ran before the winner committed; the one after the conflict sees it.
            calls["n"] += 1
            return None if calls["n"] <= 2 else real(partner, reference)

        monkeypatch.setattr(partner_selectors, "partner_dossier_find", blind_twice)
        dossier, created = partners.partner_submit(partner=partner, **submission(world))
        assert not created
        assert dossier.pk == winner.pk
        assert Dossier.objects.count() == 1
        assert Attachment.objects.count() == 2
        assert len(stored_files(media)) == 2

    def test_an_existing_person_is_used_and_not_changed(self):
        world = make_world()
        partner, _token, _secret = make_partner()
        person = PersonFactory(full_name="Nguyễn Văn An", personal_id=PERSONAL_ID, phone="+84900000000")
        dossier, _ = partners.partner_submit(
            partner=partner,
            **submission(world, applicant=applicant(full_name="NGUYEN VAN AN", phone="0987654321")),
        )
        assert dossier.applicant_person_id == person.pk
        person.refresh_from_db()
        assert person.phone == "+84900000000"
        assert Person.objects.count() == 1

    def test_a_name_that_does_not_match_the_id_number_is_refused(self, media):
        world = make_world()
        partner, _token, _secret = make_partner()
        PersonFactory(full_name="Trần Thị Bình", personal_id=PERSONAL_ID)
        with pytest.raises(ValidationFailed) as caught:
            partners.partner_submit(partner=partner, **submission(world))
        assert list(caught.value.details["fields"]) == ["applicant.full_name"]
        assert not Dossier.objects.exists()
        assert stored_files(media) == []

    def test_without_a_province_code_the_applicants_province_is_used(self):
        world = make_world()
        partner, _token, _secret = make_partner()
        PersonFactory(full_name="Nguyễn Văn An", personal_id=PERSONAL_ID, province=world.province)
        dossier, _ = partners.partner_submit(partner=partner, **submission(world, province_code=None))
        assert dossier.receiving_organisation == world.centre

    def test_no_province_at_all_is_refused(self):
        world = make_world()
        partner, _token, _secret = make_partner()
        with pytest.raises(ValidationFailed) as caught:
            partners.partner_submit(partner=partner, **submission(world, province_code=None))
        assert "province_code" in caught.value.details["fields"]
        assert not Dossier.objects.exists()
        assert not Person.objects.exists()

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"procedure_code": "no-such-procedure"}, "procedure_code"),
            ({"province_code": "ZZ"}, "province_code"),
            ({"form_data": form_data(contract_kind="forever")}, "form_data.contract_kind"),
            ({"form_data": form_data(unknown="x")}, "form_data.unknown"),
            ({"form_data": {}}, "form_data.termination_date"),
            ({"applicant": applicant(personal_id="123")}, "applicant.personal_id"),
            ({"applicant": applicant(email="not-an-email")}, "applicant.email"),
            ({"applicant": applicant(phone="12")}, "applicant.phone"),
            ({"applicant": applicant(full_name=" ")}, "applicant.full_name"),
            ({"reference": " "}, "reference"),
        ],
    )
    def test_bad_input_leaves_nothing_behind(self, media, overrides, field):
        world = make_world()
        partner, _token, _secret = make_partner()
        with pytest.raises(ValidationFailed) as caught:
            partners.partner_submit(partner=partner, **submission(world, **overrides))
        assert field in caught.value.details["fields"]
        assert not Dossier.objects.exists()
        assert not Person.objects.exists()
        assert not Attachment.objects.exists()
        assert stored_files(media) == []

    @pytest.mark.parametrize(
        ("attachments", "field"),
        [
            ([("termination_proof", "a.exe", EXE)], "attachments.0"),
            ([("termination_proof", "a.pdf", b"")], "attachments.0"),
            ([("not_asked_for", "a.pdf", PDF)], "attachments.0.document_code"),
            ([("other", "a.pdf", PDF)] * 4, "attachments.3"),
        ],
    )
    def test_a_refused_file_leaves_nothing_behind(self, media, attachments, field):
        world = make_world()
        partner, _token, _secret = make_partner()
        with pytest.raises(UploadRefused) as caught:
            partners.partner_submit(partner=partner, **submission(world, attachments=attachments))
        assert field in caught.value.details["fields"]
        assert not Dossier.objects.exists()
        assert not Attachment.objects.exists()
        assert stored_files(media) == []

    def test_a_file_over_the_size_limit_is_refused(self, settings, media):
        settings.DOSSIER_UPLOAD_MAX_BYTES = 1024 * 1024
        world = make_world()
        partner, _token, _secret = make_partner()
        big = PDF + b"0" * (1024 * 1024)
        with pytest.raises(UploadRefused):
            partners.partner_submit(
                partner=partner, **submission(world, attachments=[("termination_proof", "a.pdf", big)])
            )
        assert stored_files(media) == []

    def test_missing_documents_delete_the_files_already_stored(self, media):
        # The files pass their checks and are stored; the submission then fails (a mandatory document is
        # missing) and rolls back: the stored files must go too.
        world = make_world()
        partner, _token, _secret = make_partner()
        with pytest.raises(MissingDocuments):
            partners.partner_submit(
                partner=partner, **submission(world, attachments=[("termination_proof", "a.pdf", PDF)])
            )
        assert not Dossier.objects.exists()
        assert not Attachment.objects.exists()
        assert stored_files(media) == []

    def test_the_filename_is_kept_without_its_path(self):
        world = make_world()
        partner, _token, _secret = make_partner()
        attachments = [
            ("termination_proof", "C:\\Users\\an\\qd.pdf", PDF),
            ("social_insurance_book", "", PDF),
        ]
        dossier, _ = partners.partner_submit(partner=partner, **submission(world, attachments=attachments))
        names = sorted(dossier.attachments.values_list("original_name", flat=True))
        assert names == ["file", "qd.pdf"]


class TestCallbackOutbox:
    def test_the_submission_writes_a_pending_callback_in_its_transaction(self):
        world = make_world()
        partner, _token, _secret = make_partner("http://127.0.0.1:9/callbacks")
        dossier, _ = partners.partner_submit(partner=partner, **submission(world))
        callback = PartnerCallback.objects.get()
        assert callback.status == CallbackStatus.PENDING
        assert callback.partner == partner
        assert callback.dossier == dossier
        assert callback.next_attempt_at is not None
        assert callback.attempts == 0
        payload = callback.payload
        assert payload["event_id"] == callback.event_id
        assert payload["reference"] == "G22-0001"
        assert payload["receipt_code"] == dossier.receipt_code
        assert payload["state"] == "submitted"
        assert payload["previous_state"] == "draft"
        assert payload["due_date"] == dossier.due_date.isoformat()
        assert payload["action"] == "submit"
        assert "G22-0001" in payload["note"]

    def test_without_a_callback_url_the_row_is_written_failed_with_the_reason(self):
        world = make_world()
        partner, _token, _secret = make_partner("")
        partners.partner_submit(partner=partner, **submission(world))
        callback = PartnerCallback.objects.get()
        assert callback.status == CallbackStatus.FAILED
        assert "callback URL" in callback.last_error
        assert partners.callback_deliver(callback.pk) == CallbackStatus.FAILED

    def test_a_failed_step_writes_no_callback(self):
        world = make_world()
        partner, _token, _secret = make_partner("http://127.0.0.1:9/callbacks")
        with pytest.raises(MissingDocuments):
            partners.partner_submit(partner=partner, **submission(world, attachments=[]))
        assert not PartnerCallback.objects.exists()


def test_back_off_doubles_from_one_minute():
    assert [callback_retry_delay(n) for n in range(1, 9)] == [60, 120, 240, 480, 960, 1920, 3840, 7680]
    assert callback_retry_delay(0) == 60
    # Seven waits between eight attempts: a little over two hours before a callback is marked failed.
    total = sum(callback_retry_delay(n) for n in range(1, partners.CALLBACK_MAX_ATTEMPTS))
    assert 2 * 3600 < total < 3 * 3600


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_with_one_reference_make_one_dossier(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = make_world()
    partner, _token, _secret = make_partner()
    barrier = threading.Barrier(4)
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            dossier, created = partners.partner_submit(partner=partner, **submission(world))
            results.append((dossier.pk, created))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(results) == 4
    assert len({pk for pk, _created in results}) == 1
    assert sum(created for _pk, created in results) == 1
    assert Dossier.objects.count() == 1
    assert Attachment.objects.count() == 2
    # The attachments (the receipt PDF issued after the commit lives under issued/).
    assert len(stored_files(tmp_path / "media" / "dossiers")) == 2


def test_the_command_prints_credentials_that_work():
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command(
        "partner_create", "lgsp-hn", "LGSP Hà Nội", "--callback-url", "https://lgsp.example.vn/cb", stdout=out
    )
    lines = dict(line.split(":", 1) for line in out.getvalue().splitlines() if ":" in line)
    token = lines["Token"].strip()
    partner = partners.partner_authenticate(
        authorization=f"Bearer {token}", signature=None, timestamp=None, body=b""
    )
    assert partner.code == "lgsp-hn"
    assert partner.hmac_secret == lines["HMAC secret"].strip()
    assert partner.callback_url == "https://lgsp.example.vn/cb"
    with pytest.raises(CommandError, match="code"):
        call_command("partner_create", "lgsp-hn", "Again", stdout=StringIO())


def test_an_applicant_registered_concurrently_is_found_on_the_second_try(monkeypatch):
    world = make_world()
    partner, _token, _secret = make_partner()
    real = partners.person_create
    calls = {"n": 0}

    def registered_meanwhile(**fields):
        # Another submission registers the person between our look-up and our insert.
        calls["n"] += 1
        if calls["n"] == 1:
            PersonFactory(full_name=fields["full_name"], personal_id=fields["personal_id"])
        return real(**fields)

    monkeypatch.setattr(partners, "person_create", registered_meanwhile)
    dossier, created = partners.partner_submit(partner=partner, **submission(world))
    assert created
    # One connection cannot commit "the other submission": its row went with our rolled-back first try, so
    # the second try registers the person itself. What matters: a conflict, not a refusal, then success.
    assert calls["n"] == 2
    assert Person.objects.count() == 1
    assert dossier.applicant_person.personal_id == PERSONAL_ID
