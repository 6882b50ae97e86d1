"""The pages through Django's client: public pages, the applicant's pages, the staff queue (query count
bounded whatever the page size) and an access matrix for every protected page and endpoint."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.dossiers.models import NO_DUE_DATE, Dossier
from ansinh.dossiers.services import attachments, filing, transitions
from tests.api_client import ApiClient
from tests.dossiers.conftest import VALID_FORM, pdf_upload

pytestmark = pytest.mark.django_db


def _sign_in(client, user):
    client.force_login(user)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()


def _submitted(world):
    dossier = filing.dossier_start(actor=world.citizen, procedure_code="tctn-huong", form_data=VALID_FORM)
    for code in ("termination_proof", "social_insurance_book"):
        attachments.attachment_add(
            actor=world.citizen, dossier_id=dossier.pk, document_code=code, upload=pdf_upload()
        )
    return transitions.dossier_act(actor=world.citizen, dossier_id=dossier.pk, action="submit")


def test_public_pages_are_vietnamese_by_default(client, world):
    page = client.get("/procedures/")
    assert page.status_code == 200
    assert "Giải quyết hưởng trợ cấp thất nghiệp" in page.content.decode()
    detail = client.get("/procedures/tctn-huong/")
    assert "15" in detail.content.decode()
    assert 'lang="vi"' in detail.content.decode()
    assert client.get("/lookup/").status_code == 200
    assert client.get("/verify/NOPE234567/").status_code == 404


def test_citizen_files_on_the_pages(client, world, run_on_commit):
    _sign_in(client, world.citizen)
    bad = client.post("/procedures/tctn-huong/file/", {"termination_date": "hôm qua"})
    assert bad.status_code == 200
    assert "YYYY-MM-DD" in bad.content.decode()
    assert Dossier.objects.count() == 0
    created = client.post("/procedures/tctn-huong/file/", {**VALID_FORM, "wants_training": "on"})
    dossier = Dossier.objects.get()
    assert created.status_code == 302
    assert created["Location"] == f"/dossiers/{dossier.pk}/"
    for code in ("termination_proof", "social_insurance_book"):
        client.post(f"/dossiers/{dossier.pk}/attach/", {"document_code": code, "file": pdf_upload()})
    client.post(f"/dossiers/{dossier.pk}/act/", {"action": "submit"})
    dossier.refresh_from_db()
    assert dossier.state == "submitted"
    assert dossier.form_data["wants_training"] is True
    page = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert dossier.receipt_code in page
    assert dossier.due_date.strftime("%d/%m/%Y") in page
    lookup = client.post("/lookup/", {"receipt_code": dossier.receipt_code, "id_number": "040090001234"})
    assert lookup.status_code == 200
    assert 'data-state="submitted"' in lookup.content.decode()


def test_queue_query_count_does_not_grow_with_the_page(client, world):
    template = _submitted(world)
    rows = [
        Dossier(
            receipt_code=f"TTDVVL-NA-261126-{i + 2:04d}",
            procedure_code=template.procedure_code,
            procedure_version=template.procedure_version,
            state="accepted",
            applicant_person=world.person,
            applicant_name=world.person.full_name,
            applicant_name_search="nguyen van an",
            applicant_id_number=world.person.personal_id,
            receiving_organisation=world.centre,
            org_path=world.centre.path,
            province_id=world.centre.province_id,
            due_date=date(2026, 12, 1),
            queue_due=date(2026, 12, 1),
            assigned_to=world.officer,
        )
        for i in range(40)
    ]
    Dossier.objects.bulk_create(rows)
    _sign_in(client, world.officer)

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    client.get("/staff/dossiers/")  # warm the calendar cache
    small = count("/staff/dossiers/?state=accepted")
    page = client.get("/staff/dossiers/").content.decode()
    assert page.count("TTDVVL-NA-261126-") == 25  # one page
    assert Dossier.objects.filter(queue_due=NO_DUE_DATE).count() == 0
    cursor_page = client.get("/staff/dossiers/").context["page"]
    assert cursor_page.next_cursor
    bigger = count(f"/staff/dossiers/?cursor={cursor_page.next_cursor}")
    assert small <= 16
    assert bigger <= small + 1


def test_detail_shows_only_the_steps_the_officer_may_take(client, world):
    dossier = _submitted(world)
    _sign_in(client, world.officer)
    page = client.get(f"/dossiers/{dossier.pk}/").content.decode()
    assert 'value="accept"' in page
    assert 'value="return"' in page
    assert 'value="approve"' not in page


# --- access matrix ------------------------------------------------------------------------------------------
# (actor, method, path, expected status). `{d}` is a submitted dossier of the citizen in the Nghệ An centre.
MATRIX = [
    ("anonymous", "GET", "/dossiers/{d}/", 302),
    ("citizen", "GET", "/dossiers/{d}/", 200),
    ("stranger", "GET", "/dossiers/{d}/", 404),
    ("officer", "GET", "/dossiers/{d}/", 200),
    ("decider", "GET", "/dossiers/{d}/", 200),
    ("outsider_officer", "GET", "/dossiers/{d}/", 404),
    ("citizen", "GET", "/dossiers/{d}/attachments/{a}/", 200),
    ("officer", "GET", "/dossiers/{d}/attachments/{a}/", 200),
    ("stranger", "GET", "/dossiers/{d}/attachments/{a}/", 404),
    ("outsider_officer", "GET", "/dossiers/{d}/attachments/{a}/", 404),
    ("anonymous", "GET", "/api/v1/dossiers/{d}", 401),
    ("citizen", "GET", "/api/v1/dossiers/{d}", 200),
    ("stranger", "GET", "/api/v1/dossiers/{d}", 404),
    ("officer", "GET", "/api/v1/dossiers/{d}", 200),
    ("outsider_officer", "GET", "/api/v1/dossiers/{d}", 404),
    ("citizen", "GET", "/api/v1/dossiers/{d}/attachments/{a}", 200),
    ("outsider_officer", "GET", "/api/v1/dossiers/{d}/attachments/{a}", 404),
    ("anonymous", "POST", "/api/v1/dossiers/{d}/actions", 401),
    ("citizen", "POST", "/api/v1/dossiers/{d}/actions", 404),
    ("stranger", "POST", "/api/v1/dossiers/{d}/actions", 404),
    ("decider", "POST", "/api/v1/dossiers/{d}/actions", 404),  # decides, does not receive
    ("outsider_officer", "POST", "/api/v1/dossiers/{d}/actions", 404),
    ("officer", "POST", "/api/v1/dossiers/{d}/actions", 200),
    ("head", "POST", "/api/v1/dossiers/{d}/actions", 200),
    ("anonymous", "GET", "/api/v1/queue", 401),
    ("anonymous", "POST", "/api/v1/queue/assign", 401),
    ("officer", "POST", "/api/v1/queue/assign", 404),  # no supervise permission
    ("outsider_officer", "POST", "/api/v1/queue/assign", 404),
    ("head", "POST", "/api/v1/queue/assign", 200),
    ("citizen", "POST", "/api/v1/counter/dossiers", 403),
    ("decider", "POST", "/api/v1/counter/dossiers", 403),
    ("officer", "POST", "/api/v1/counter/dossiers", 201),
    ("anonymous", "GET", "/staff/dossiers/", 302),
]  # fmt: skip

BODIES = {
    "/api/v1/dossiers/{d}/actions": lambda w, d: {"action": "accept"},
    "/api/v1/queue/assign": lambda w, d: {"dossier_ids": [d.pk], "officer_id": w.officer.pk},
    "/api/v1/counter/dossiers": lambda w, d: {
        "procedure_code": "tctn-huong",
        "applicant_id_number": w.person.personal_id,
    },
}


@pytest.mark.parametrize(("actor", "method", "path", "expected"), MATRIX, ids=lambda v: str(v))
def test_access_matrix(client, world, actor, method, path, expected):
    dossier = _submitted(world)
    attachment = dossier.attachments.first()
    url = path.format(d=dossier.pk, a=attachment.pk)
    before = (Dossier.objects.count(), list(Dossier.objects.values_list("state", "assigned_to_id")))
    user = None if actor == "anonymous" else getattr(world, actor)
    if url.startswith("/api/"):
        api = ApiClient(client)
        if user is not None:
            api.as_user(user)
        body = BODIES.get(path, lambda w, d: None)(world, dossier)
        response = api.call(method, url, body)
    else:
        if user is not None:
            _sign_in(client, user)
        response = client.get(url) if method == "GET" else client.post(url)
    assert response.status_code == expected, response.content[:300]
    if expected >= 400:
        after = (Dossier.objects.count(), list(Dossier.objects.values_list("state", "assigned_to_id")))
        assert after == before  # a refused call changed nothing


def test_the_counter_finds_citizens_by_exact_id_number_only(client, world, run_on_commit):
    from ansinh.core.models import AuditEntry
    from tests.factories import PersonFactory, ProvinceFactory

    visitor = PersonFactory(
        full_name="Lê Thị Hoa", personal_id="001090007777", province=ProvinceFactory(code="01", name="Hà Nội")
    )
    _sign_in(client, world.officer)
    by_name = client.get("/staff/dossiers/counter/", {"id_number": "Lê Thị Hoa"}).content.decode()
    assert "001090007777" not in by_name
    by_id = client.get("/staff/dossiers/counter/", {"id_number": "001090007777"}).content.decode()
    assert "Lê Thị Hoa" in by_id
    assert AuditEntry.objects.filter(action="person.read", object_id=str(visitor.pk)).exists()
    forged = client.post(
        "/staff/dossiers/counter/",
        {"person": world.person.pk, "id_number": "001090007777", "procedure": "tctn-huong"},
    )
    assert forged.status_code == 200  # a record id that does not hold the number shown is refused
    assert not Dossier.objects.exists()
    opened = client.post(
        "/staff/dossiers/counter/",
        {"person": visitor.pk, "id_number": "001090007777", "procedure": "tctn-huong"},
    )
    dossier = Dossier.objects.get(applicant_person=visitor)
    assert opened["Location"] == f"/dossiers/{dossier.pk}/"
    assert dossier.channel == "counter"
    assert dossier.receiving_organisation == world.centre
    # The officer files for the citizen: attaches their papers and submits.
    for code in ("termination_proof", "social_insurance_book"):
        client.post(f"/dossiers/{dossier.pk}/attach/", {"document_code": code, "file": pdf_upload()})
    client.post(f"/dossiers/{dossier.pk}/save/", VALID_FORM)
    client.post(f"/dossiers/{dossier.pk}/act/", {"action": "submit"})
    dossier.refresh_from_db()
    assert dossier.state == "submitted"
    assert dossier.receipt_code.startswith("TTDVVL-NA-")


def test_a_desk_outside_the_receiving_kind_cannot_open_counter_dossiers(client, world):
    _sign_in(client, world.decider)  # the department decides; it has no counter for this procedure
    response = client.post("/staff/dossiers/counter/", {"person": world.person.pk, "procedure": "tctn-huong"})
    assert response.status_code == 200
    assert not Dossier.objects.exists()


def test_an_officer_cannot_handle_their_own_dossier(world, api_client, run_on_commit):
    from tests.factories import PersonFactory, make_staff

    # A centre officer who is also out of work claims the benefit at their own centre.
    officer = make_staff("employment_centre_officer", world.centre)
    officer.person = PersonFactory(personal_id="040088005555", province=world.centre.province)
    officer.save()
    dossier = filing.dossier_start(actor=officer, procedure_code="tctn-huong", form_data=VALID_FORM)
    for code in ("termination_proof", "social_insurance_book"):
        attachments.attachment_add(
            actor=officer, dossier_id=dossier.pk, document_code=code, upload=pdf_upload()
        )
    transitions.dossier_act(actor=officer, dossier_id=dossier.pk, action="submit")
    api = ApiClient(api_client.client).as_user(officer)
    assert api.get(f"dossiers/{dossier.pk}").json()["allowed_actions"] == ["withdraw"]
    assert api.post(f"dossiers/{dossier.pk}/actions", {"action": "accept"}).status_code == 404
    # A colleague handles it as usual.
    colleague = ApiClient(api_client.client).as_user(world.officer)
    assert colleague.post(f"dossiers/{dossier.pk}/actions", {"action": "accept"}).status_code == 200
