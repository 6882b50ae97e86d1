"""Workers' accounts (issue 4): provisioning one worker and the centre's Excel import (all rows or none),
the first sign-in by passport number with the date of birth (API and pages), the worker's profile, the
desk's check of a security answer, and who may do what."""

import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.contrib.auth.hashers import check_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from ansinh.accounts import services as account_services
from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.accounts.models import LoginThrottle, Person, User
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.core.models import AuditEntry
from ansinh.sos.models import HelpRequest, WorkerProfile, WorkerSource
from ansinh.sos.services import workers
from tests.api_client import ApiClient
from tests.factories import PersonFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db

PASSPORT = "C1234567"
BORN = date(1995, 3, 14)
NEW_PASSWORD = "Que-huong-Nghe-An-2026"
AN = {
    "passport_number": "c 1234567",
    "full_name": "  Nguyễn   Văn An ",
    "date_of_birth": BORN,
    "country": "kr",
    "programme": "eps_korea",
    "employer": "Hanil Industrial Co., Ltd.",
    "phone": "010-1234-5678",
}
VI_HEADERS = ["Số hộ chiếu", "Họ và tên", "Ngày sinh", "Nước", "Chương trình", "Chủ sử dụng", "Điện thoại"]
EN_HEADERS = ["passport_number", "full_name", "date_of_birth", "country", "programme", "employer", "phone"]


@pytest.fixture
def operator():
    return make_staff("colab_operator")


def provision(actor=None, **overrides):
    return workers.worker_provision(actor=actor, **{**AN, **overrides})


def workbook(headers, rows) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def upload(buffer: io.BytesIO, name: str = "workers.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def row(passport, name="Trần Thị Lan", born="14/03/1995", country="JP", programme="japan_technical_intern"):
    return [passport, name, born, country, programme, "Kobayashi Foods Co., Ltd.", "+81 90-1234-5678"]


def counts():
    return (WorkerProfile.objects.count(), Person.objects.count(), User.objects.count())


# --- provisioning ------------------------------------------------------------------------------------------


def test_provisioning_makes_the_person_the_record_and_an_account_whose_password_is_the_passport(operator):
    profile, created = provision(operator)
    assert created is True
    assert profile.passport_number == PASSPORT
    assert (profile.country, profile.programme, profile.source) == ("KR", "eps_korea", WorkerSource.IMPORT)
    person = profile.person
    assert (person.full_name, person.name_search) == ("Nguyễn Văn An", "nguyen van an")
    assert person.date_of_birth == BORN
    assert person.phone == "+821012345678"  # a Korean mobile typed the Korean way, stored in E.164
    user = person.user
    assert user.username == PASSPORT
    assert user.check_password(PASSPORT)
    assert user.must_change_password is True
    assert user.first_login_check == "date_of_birth"
    actions = set(AuditEntry.objects.filter(actor=operator).values_list("action", flat=True))
    assert {"worker.provision", "account.provision"} <= actions


def test_provisioning_again_updates_the_record_but_never_a_password_already_changed(operator):
    profile, _ = provision(operator, contract_number="HD-1")
    user = profile.person.user
    account_services.password_change(
        user=user, old_password=PASSPORT, new_password=NEW_PASSWORD, date_of_birth=BORN
    )
    again, created = provision(
        operator, employer="Daemyung Precision Co., Ltd.", contract_number="", phone=""
    )
    assert created is False
    assert again.pk == profile.pk
    assert again.employer == "Daemyung Precision Co., Ltd."
    assert again.contract_number == "HD-1"  # an empty value keeps what the record holds
    assert again.person.phone == "+821012345678"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert (user.must_change_password, user.first_login_check) == (False, "")
    assert counts() == (1, 1, User.objects.count())


def test_a_person_already_in_the_register_is_linked_not_copied(operator):
    known = PersonFactory(passport_number=PASSPORT, date_of_birth=BORN, personal_id="040095001111")
    profile, _ = provision(operator)
    assert profile.person_id == known.pk
    assert Person.objects.count() == 1


def test_a_passport_number_used_as_someone_elses_username_is_refused(operator):
    UserFactory(username=PASSPORT.lower())
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        provision(operator)
    assert "passport_number" in exc.value.details["fields"]
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"passport_number": "AB12"}, "passport_number"),
        ({"passport_number": "C123-4567-ÄÖ"}, "passport_number"),
        ({"full_name": "  "}, "full_name"),
        ({"date_of_birth": None}, "date_of_birth"),
        ({"date_of_birth": date.today() + timedelta(days=1)}, "date_of_birth"),
        ({"country": "XX"}, "country"),
        ({"country": "VN"}, "country"),
        ({"country": ""}, "country"),
        ({"programme": "circus"}, "programme"),
        ({"phone": "12"}, "phone"),
        ({"departure_date": date(2025, 1, 1), "contract_end": date(2024, 1, 1)}, "contract_end"),
    ],
)
def test_bad_values_name_the_field_and_nothing_is_written(operator, overrides, field):
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        provision(operator, **overrides)
    assert field in exc.value.details["fields"]
    assert exc.value.details["fields"][field][0]
    assert counts() == before


def test_every_wrong_field_is_named_at_once(operator):
    with pytest.raises(ValidationFailed) as exc:
        provision(operator, passport_number="1", date_of_birth=None, country="XX")
    assert {"passport_number", "date_of_birth", "country"} <= set(exc.value.details["fields"])


def test_a_programme_may_be_given_by_its_english_name(operator):
    profile, _ = provision(operator, programme="EPS, Korea")
    assert profile.programme == "eps_korea"


def test_only_the_centre_provisions(operator):
    for role in ("enterprise_admin", "enterprise_staff", "provincial_officer"):
        with pytest.raises(PermissionDenied):
            provision(make_staff(role))
    worker_user = provision(operator)[0].person.user
    with pytest.raises(PermissionDenied):
        provision(worker_user, passport_number="C7654321")
    supervisor = make_staff("colab_supervisor")
    assert provision(supervisor, passport_number="C7654321")[1] is True


# --- the Excel import --------------------------------------------------------------------------------------


def test_import_with_vietnamese_headers_then_again_updates(operator):
    rows = [
        row("C1111111", born=datetime(1990, 5, 2)),  # a date cell
        row("C2222222", name="Lê Văn Hùng", born="02/05/1991", country="tw", programme="taiwan"),
        row(33334444, name="Phạm Thị Thu", born="1992-12-31", country="DE", programme="germany_care"),
    ]
    result = workers.worker_import(actor=operator, file=workbook(VI_HEADERS, rows))
    assert (result.created, result.updated) == (3, 0)
    assert set(WorkerProfile.objects.values_list("passport_number", flat=True)) == {
        "C1111111",
        "C2222222",
        "33334444",
    }
    hung = WorkerProfile.objects.get(passport_number="C2222222")
    assert (hung.country, hung.programme, hung.person.date_of_birth) == ("TW", "taiwan", date(1991, 5, 2))
    assert hung.person.phone == "+819012345678"
    assert User.objects.get(username="C2222222").first_login_check == "date_of_birth"
    again = workers.worker_import(actor=operator, file=workbook(VI_HEADERS, [*rows, row("C5555555")]))
    assert (again.created, again.updated) == (1, 3)
    assert AuditEntry.objects.filter(action="worker.import").count() == 2


def test_import_with_english_headers_in_another_order():
    operator = make_staff("colab_operator")
    headers = ["full_name", "passport_number", "country", "date_of_birth", "Contract end", "Passport"]
    rows = [["Đỗ Minh Quân", "N7654321", "JP", "07/08/1998", "31/12/2028", "ignored column"]]
    result = workers.worker_import(actor=operator, file=workbook(headers, rows))
    assert (result.created, result.updated) == (1, 0)
    quan = WorkerProfile.objects.get(passport_number="N7654321")
    assert quan.contract_end == date(2028, 12, 31)
    assert quan.person.full_name == "Đỗ Minh Quân"


def test_a_bad_row_lists_row_and_column_and_nothing_is_written(operator):
    before = counts()
    rows = [
        row("C1111111"),
        row("C2222222", born="31/02/1990"),  # no such day
        row("C3333333", country="Korea"),
        row("C1111111", name="Someone Else"),  # the same passport again
        row("C4444444"),
    ]
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        workers.worker_import(actor=operator, file=workbook(VI_HEADERS, rows))
    found = {(e["row"], e["column"], e["field"]) for e in exc.value.details["rows"]}
    assert found == {
        (3, "Ngày sinh", "date_of_birth"),
        (4, "Nước", "country"),
        (5, "Số hộ chiếu", "passport_number"),
    }
    listed = exc.value.details["fields"]["file"]
    assert len(listed) == 3
    assert listed[0].startswith("Row 3, column Ngày sinh: ")
    assert listed[2] == "Row 5, column Số hộ chiếu: The same passport number is already on row 2."
    assert counts() == before


def test_a_conflict_found_while_saving_rolls_back_the_rows_before_it(operator):
    UserFactory(username="C3333333")  # an existing account of somebody else
    before = counts()
    rows = [row("C1111111"), row("C2222222"), row("C3333333")]
    with pytest.raises(ValidationFailed) as exc:
        workers.worker_import(actor=operator, file=workbook(VI_HEADERS, rows))
    assert [(e["row"], e["field"]) for e in exc.value.details["rows"]] == [(4, "passport_number")]
    assert counts() == before
    assert not AuditEntry.objects.filter(action="worker.provision").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"Passport;Name\nC1234567;An\n", "not an Excel"),
        (workbook(["Họ và tên", "Nước"], [["An", "KR"]]).getvalue(), "Số hộ chiếu"),
        (workbook(VI_HEADERS, []).getvalue(), "no workers"),
        (b"PK\x03\x04 damaged", "not an Excel"),
    ],
)
def test_a_file_that_is_not_a_worker_list_is_refused_clearly(operator, content, expected):
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        workers.worker_import(actor=operator, file=io.BytesIO(content))
    assert expected in exc.value.details["fields"]["file"][0]


def test_more_rows_than_the_limit_are_refused(operator, monkeypatch):
    monkeypatch.setattr(workers, "MAX_IMPORT_ROWS", 3)
    rows = [row(f"C{n:07d}") for n in range(1, 5)]
    with pytest.raises(ValidationFailed) as exc:
        workers.worker_import(actor=operator, file=workbook(VI_HEADERS, rows))
    assert "3" in exc.value.details["fields"]["file"][0]
    assert not WorkerProfile.objects.exists()


def test_import_through_the_api_and_who_may(client, operator):
    file = workbook(VI_HEADERS, [row("C1111111"), row("C2222222")])

    def post(user):
        api = ApiClient(client).as_user(user)
        return client.post(
            "/api/v1/sos/workers/import",
            {"file": upload(file)},
            headers={"Authorization": f"Bearer {api.token}"},
        )

    worker = provision(operator)[0].person.user
    User.objects.filter(pk=worker.pk).update(must_change_password=False)
    assert post(worker).status_code == 403
    assert post(make_staff("enterprise_admin")).status_code == 403
    assert post(make_staff("enterprise_staff")).status_code == 403
    assert WorkerProfile.objects.count() == 1
    done = post(operator)
    assert done.status_code == 200, done.content
    assert done.json() == {"created": 2, "updated": 0}
    bad = client.post(
        "/api/v1/sos/workers/import",
        {"file": upload(workbook(VI_HEADERS, [row("C3333333", born="hôm qua")]))},
        headers={"Authorization": f"Bearer {ApiClient(client).as_user(operator).token}"},
    )
    assert bad.status_code == 422
    assert bad.json()["details"]["rows"][0]["row"] == 2
    assert bad.json()["details"]["rows"][0]["field"] == "date_of_birth"


def test_provision_one_through_the_api(client, operator):
    api = ApiClient(client).as_user(operator)
    body = {**AN, "date_of_birth": BORN.isoformat()}
    first = api.post("sos/workers", body)
    assert first.status_code == 201, first.content
    assert first.json()["passport_number"] == PASSPORT
    assert first.json()["must_change_password"] is True
    assert api.post("sos/workers", body).status_code == 200
    bad = api.post("sos/workers", {**body, "country": "ZZ"})
    assert bad.status_code == 422
    assert "country" in bad.json()["details"]["fields"]
    listed = api.get("sos/workers", q="nguyen van").json()
    assert [w["passport_number"] for w in listed["items"]] == [PASSPORT]
    assert (
        ApiClient(client).as_user(make_staff("enterprise_admin")).post("sos/workers", body).status_code == 403
    )


# --- first sign-in -----------------------------------------------------------------------------------------


def test_first_sign_in_through_the_api(client, operator):
    provision(operator)
    api = ApiClient(client)
    token = api.login(PASSPORT, PASSPORT)
    assert token["must_change_password"] is True
    assert token["first_login_check"] == "date_of_birth"
    assert api.get("sos/requests").json()["code"] == "auth.password_change_required"

    no_date = api.post("auth/password", {"old_password": PASSPORT, "new_password": NEW_PASSWORD})
    assert no_date.status_code == 422
    assert "date_of_birth" in no_date.json()["details"]["fields"]
    assert not LoginThrottle.objects.filter(failures__gt=0).exists()

    wrong = api.post(
        "auth/password",
        {"old_password": PASSPORT, "new_password": NEW_PASSWORD, "date_of_birth": "1995-03-15"},
    )
    assert wrong.status_code == 422
    assert list(wrong.json()["details"]["fields"]) == ["date_of_birth"]
    assert LoginThrottle.objects.get(username_key=PASSPORT.lower()).failures == 1

    right = api.post(
        "auth/password",
        {"old_password": PASSPORT, "new_password": NEW_PASSWORD, "date_of_birth": BORN.isoformat()},
    )
    assert right.status_code == 200, right.content
    user = User.objects.get(username=PASSPORT)
    assert (user.must_change_password, user.first_login_check) == (False, "")
    assert not LoginThrottle.objects.filter(username_key=PASSPORT.lower()).exists()

    again = ApiClient(client)
    assert again.login(PASSPORT.lower(), NEW_PASSWORD)["must_change_password"] is False
    assert again.get("sos/requests").status_code == 200
    sent = again.client.post(
        "/api/v1/sos/requests",
        {"kind": "sos", "latitude": 37.5665, "longitude": 126.978},
        content_type="application/json",
        headers={"Authorization": f"Bearer {again.token}", "Idempotency-Key": "first-sos-0001"},
    )
    assert sent.status_code == 201, sent.content
    assert HelpRequest.objects.get().worker == user


def test_guessing_the_date_of_birth_is_locked_out_like_passwords(client, operator):
    provision(operator)
    api = ApiClient(client)
    api.login(PASSPORT, PASSPORT)
    guesses = [date(1995, 1, 1) + timedelta(days=n) for n in range(5)]
    answers = [
        api.post(
            "auth/password",
            {"old_password": PASSPORT, "new_password": NEW_PASSWORD, "date_of_birth": d.isoformat()},
        )
        for d in guesses
    ]
    assert [a.status_code for a in answers] == [422, 422, 422, 422, 429]
    assert answers[-1].json()["code"] == "auth.locked"
    # Now even the right date, and signing in again, wait for the lock to end.
    right = api.post(
        "auth/password",
        {"old_password": PASSPORT, "new_password": NEW_PASSWORD, "date_of_birth": BORN.isoformat()},
    )
    assert right.status_code == 429
    refused = ApiClient(client).post("auth/token", {"username": PASSPORT, "password": PASSPORT})
    assert refused.json()["code"] == "auth.locked"
    assert AuditEntry.objects.filter(action="auth.first_login_check_failed").count() == 5


def test_first_sign_in_through_the_pages_comes_back_to_the_page_asked_for(client, operator):
    provision(operator)
    asked = client.get("/sos/profile/")
    assert asked.status_code == 302
    assert asked["Location"].startswith("/accounts/login/?next=/sos/profile/")
    login_page = client.get(asked["Location"])
    assert 'name="next" value="/sos/profile/"' in login_page.content.decode()
    signed_in = client.post(
        "/accounts/login/", {"username": PASSPORT.lower(), "password": PASSPORT, "next": "/sos/profile/"}
    )
    assert signed_in["Location"] == "/sos/profile/"
    gate = client.get("/sos/profile/")
    assert gate["Location"] == "/accounts/password/change/?next=/sos/profile/"
    page = client.get(gate["Location"])
    assert "date_of_birth" in page.context["form"].fields
    html = page.content.decode()
    assert 'type="date"' in html
    assert 'name="next" value="/sos/profile/"' in html
    change = {
        "old_password": PASSPORT,
        "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD,
        "next": "/sos/profile/",
    }
    missing = client.post("/accounts/password/change/?next=/sos/profile/", change)
    assert missing.status_code == 422
    assert missing.context["form"].errors["date_of_birth"]
    wrong = client.post("/accounts/password/change/", {**change, "date_of_birth": "1996-03-14"})
    assert wrong.status_code == 422
    assert wrong.context["form"].errors["date_of_birth"]
    done = client.post("/accounts/password/change/", {**change, "date_of_birth": "14/03/1995"})
    assert done.status_code == 302
    assert done["Location"] == "/sos/profile/"
    assert client.get("/sos/profile/").status_code == 200
    # An unsafe next is ignored: the usual landing after signing in instead.
    unsafe = client.get("/accounts/password/change/?next=https://evil.example/")
    assert unsafe.context["next"] == "/my-services/start/"


def test_the_date_field_is_only_for_a_first_sign_in_that_asks_it(client):
    user = UserFactory(must_change_password=True)
    client.force_login(user)
    page = client.get("/accounts/password/change/")
    assert "date_of_birth" not in page.context["form"].fields


# --- the worker's profile ----------------------------------------------------------------------------------


def signed_in_worker(operator):
    profile, _ = provision(operator)
    user = profile.person.user
    account_services.password_change(
        user=user, old_password=PASSPORT, new_password=NEW_PASSWORD, date_of_birth=BORN
    )
    return profile, user


def test_profile_read_and_update_through_the_api(client, operator):
    profile, user = signed_in_worker(operator)
    api = ApiClient(client).as_user(user)
    read = api.get("sos/profile").json()
    assert read["passport_number"] == PASSPORT
    assert (read["country"], read["programme"], read["employer"]) == ("KR", "eps_korea", AN["employer"])
    assert read["has_security_answer"] is False
    assert read["suggested_questions"]
    body = {
        "phone": "+81 90-1234-5678",
        "security_question": "Tên ở nhà của bạn là gì?",
        "security_answer": "  Tí  ",
        "language": "en",
    }
    changed = api.call("PUT", "sos/profile", body)
    assert changed.status_code == 200, changed.content
    data = changed.json()
    assert data["phone"] == "+819012345678"
    assert data["has_security_answer"] is True
    assert data["language"] == "en"
    assert "Tí" not in changed.content.decode()
    assert "security_answer" not in data
    profile.refresh_from_db()
    user.refresh_from_db()
    assert profile.security_answer_hash not in ("", "ti", "Tí", "  Tí  ")  # stored hashed
    assert check_password("ti", profile.security_answer_hash)
    assert (user.phone, user.language) == ("+819012345678", "en")
    # An empty answer keeps the old one; a new question needs a new answer.
    kept = api.call("PUT", "sos/profile", {**body, "security_answer": ""})
    assert kept.status_code == 200
    profile.refresh_from_db()
    assert check_password("ti", profile.security_answer_hash)
    new_question = api.call(
        "PUT", "sos/profile", {**body, "security_question": "Tên trường tiểu học?", "security_answer": ""}
    )
    assert new_question.status_code == 422
    assert "security_answer" in new_question.json()["details"]["fields"]
    bad_phone = api.call("PUT", "sos/profile", {**body, "phone": "12"})
    assert "phone" in bad_phone.json()["details"]["fields"]
    # Nobody else has a worker's profile.
    assert ApiClient(client).as_user(operator).get("sos/profile").status_code == 404
    assert (
        ApiClient(client).as_user(UserFactory(person=PersonFactory())).get("sos/profile").status_code == 404
    )


def test_profile_page(client, operator):
    profile, user = signed_in_worker(operator)
    client.force_login(user)
    page = client.get("/sos/profile/")
    assert page.status_code == 200
    html = page.content.decode()
    assert PASSPORT in html
    assert "/accounts/password/change/" in html
    saved = client.post(
        "/sos/profile/",
        {
            "phone": "+82 10 9876 5432",
            "security_question": str(workers.SECURITY_QUESTIONS[0]),
            "security_answer": "Tèo",
            "language": "vi",
        },
    )
    assert saved.status_code == 302
    profile.refresh_from_db()
    assert profile.person.phone == "+821098765432"
    assert check_password("teo", profile.security_answer_hash)
    client.force_login(operator)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()
    assert client.get("/sos/profile/").status_code == 404


# --- the desk checks a caller ------------------------------------------------------------------------------


def test_check_answer_operator_ok_worker_refused_and_rate_limited(client, operator):
    profile, user = signed_in_worker(operator)
    workers.profile_update(
        actor=user, phone="", security_question="Tên ở nhà?", security_answer="Tí", language="vi"
    )
    desk = ApiClient(client).as_user(operator)
    url = f"sos/workers/{profile.pk}/check-answer"
    assert desk.post(url, {"answer": " TÍ "}).json() == {"match": True}
    assert desk.post(url, {"answer": "Tèo"}).json() == {"match": False}
    assert ApiClient(client).as_user(user).post(url, {"answer": "Tí"}).status_code == 403
    assert (
        ApiClient(client).as_user(make_staff("enterprise_admin")).post(url, {"answer": "Tí"}).status_code
        == 403
    )
    assert desk.post("sos/workers/999999/check-answer", {"answer": "Tí"}).status_code == 404
    for _ in range(4):
        assert desk.post(url, {"answer": "sai"}).json() == {"match": False}
    limited = desk.post(url, {"answer": "Tí"})
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert int(limited["Retry-After"]) > 0
    actions = list(
        AuditEntry.objects.filter(object_type="sos.workerprofile", object_id=str(profile.pk))
        .filter(action__startswith="worker.answer")
        .values_list("action", flat=True)
    )
    assert actions.count("worker.answer_wrong") == 5
    assert actions.count("worker.answer_checked") == 1
    assert "worker.answer_refused" in actions
    # An hour later the desk may ask again.
    AuditEntry.objects.filter(action="worker.answer_wrong").update(at=timezone.now() - timedelta(hours=2))
    assert desk.post(url, {"answer": "Tí"}).json() == {"match": True}


def test_check_answer_without_a_question_set(client, operator):
    profile, _ = provision(operator)
    answer = (
        ApiClient(client).as_user(operator).post(f"sos/workers/{profile.pk}/check-answer", {"answer": "x"})
    )
    assert answer.status_code == 409


# --- the centre's pages ------------------------------------------------------------------------------------


def staff_client(client, user):
    client.force_login(user)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()
    return client


def test_workers_page_lists_searches_and_imports(client, operator):
    provision(operator)
    staff_client(client, operator)
    page = client.get("/staff/sos/workers/")
    assert page.status_code == 200
    assert PASSPORT in page.content.decode()
    assert PASSPORT in client.get("/staff/sos/workers/", {"q": "c123"}).content.decode()
    assert PASSPORT in client.get("/staff/sos/workers/", {"q": "NGUYEN van"}).content.decode()
    assert PASSPORT not in client.get("/staff/sos/workers/", {"q": "Trần"}).content.decode()
    bad = client.post(
        "/staff/sos/workers/", {"file": upload(workbook(VI_HEADERS, [row("C2222222", country="Korea")]))}
    )
    assert bad.status_code == 422
    assert bad.context["import_rows"][0]["column"] == "Nước"
    assert "Nước" in bad.content.decode()
    assert WorkerProfile.objects.count() == 1
    good = client.post("/staff/sos/workers/", {"file": upload(workbook(VI_HEADERS, [row("C2222222")]))})
    assert good.status_code == 302
    assert WorkerProfile.objects.count() == 2
    for n in range(60):
        WorkerProfile.objects.create(person=PersonFactory(), passport_number=f"B{n:07d}", country="JP")
    first = client.get("/staff/sos/workers/")
    assert first.context["page"].paginator.num_pages == 2


def test_template_downloads_and_imports_as_it_is_filled(client, operator):
    staff_client(client, operator)
    response = client.get("/staff/sos/workers/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header_vi for c in workers.COLUMNS]
    sheet.append(["C7777777", "Vũ Thị Mai", "01/01/1999", "TW", "taiwan", "", "", "", "", "", ""])
    filled = io.BytesIO()
    book.save(filled)
    filled.seek(0)
    assert workers.worker_import(actor=operator, file=filled).created == 1


def test_only_the_centre_sees_the_workers_pages(client):
    for role in ("enterprise_admin", "provincial_officer"):
        staff_client(client, make_staff(role))
        assert client.get("/staff/sos/workers/").status_code == 403
        assert client.get("/staff/sos/workers/template.xlsx").status_code == 403
    staff_client(client, make_staff("colab_supervisor"))
    assert client.get("/staff/sos/workers/").status_code == 200
