"""`ansinh demo`: the accounts it prints work, it refuses or skips a loaded database, it makes the number of
people asked for, and what it makes passes the platform's own identifier checks."""

import re
from io import StringIO

import pyotp
import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction

from ansinh.accounts.models import Organisation, OrganisationKind, Person, Role, TotpDevice, User
from ansinh.accounts.selectors import needs_two_factor
from ansinh.core.audit import verify_chain
from ansinh.core.identifiers import is_vietnamese_passport_format, normalise_phone, parse_personal_id
from ansinh.core.models import AuditEntry
from ansinh.geo.models import LegacyProvince, Province, Ward
from ansinh.overseas.models import Worker
from ansinh.web.demo import builder

pytestmark = pytest.mark.django_db


def run_demo(tmp_path, *args: str) -> str:
    out = StringIO()
    call_command("demo", *args, "--accounts-file", str(tmp_path / "demo-accounts.md"), stdout=out)
    return out.getvalue()


def printed_accounts(output: str) -> dict[str, dict[str, str]]:
    """The accounts table as printed: the lines between the dashed rule and the first blank line."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("-----")) + 1
    accounts = {}
    for line in lines[start:]:
        if not line.strip():
            break
        username, role, organisation, password, secret = re.split(r"\s{2,}", line.strip())
        accounts[username] = {
            "role": role,
            "organisation": organisation,
            "password": password,
            "totp": secret,
        }
    return accounts


@pytest.fixture
def loaded(reference_data, tmp_path):
    return run_demo(tmp_path)


def test_every_standard_role_has_one_demo_account(loaded):
    accounts = printed_accounts(loaded)
    roles = [a["role"] for a in accounts.values()]
    assert sorted(roles) == sorted([*Role.objects.values_list("code", flat=True), "citizen"])
    assert len(roles) == len(set(roles))
    assert set(accounts) == set(builder.demo_usernames())
    for username, account in accounts.items():
        user = User.objects.get(username=username)
        assert user.must_change_password is False
        if account["role"] == "citizen":
            assert not user.memberships.exists()
            assert user.person is not None
        else:
            membership = user.memberships.get()
            assert membership.role.code == account["role"]
            assert membership.organisation.name == account["organisation"]


def test_printed_accounts_sign_in_through_the_api(loaded, api_client):
    accounts = printed_accounts(loaded)
    for username, account in accounts.items():
        # Every printed account signs in from one address, more often than the per-address limit allows.
        cache.clear()
        user = User.objects.get(username=username)
        credentials = {"username": username, "password": account["password"]}
        if needs_two_factor(user):
            # Roles that read personal data still need the second factor, and the printed secret gives it.
            assert account["totp"] != "-", username
            refused = api_client.post("auth/token", credentials)
            assert refused.status_code == 403, (username, refused.content)
            assert refused.json()["code"] == "auth.otp_required"
            credentials["otp"] = pyotp.TOTP(account["totp"]).now()
        else:
            assert account["totp"] == "-", username
            assert not TotpDevice.objects.filter(user=user).exists()
        otp = {"otp": credentials["otp"]} if "otp" in credentials else {}
        data = api_client.login(username, account["password"], **otp)
        assert data["must_change_password"] is False
        me = api_client.get("me").json()
        assert me["username"] == username
        assert [m["role"] for m in me["memberships"]] == (
            [] if account["role"] == "citizen" else [account["role"]]
        )


def test_printed_accounts_sign_in_on_the_web_with_the_second_factor(loaded, client):
    account = printed_accounts(loaded)["demo.province"]
    signed_in = client.post(
        "/accounts/login/", {"username": "demo.province", "password": account["password"]}
    )
    assert signed_in.status_code == 302
    assert client.get("/staff/people/")["Location"].startswith("/accounts/2fa/")
    verified = client.post("/accounts/2fa/", {"code": pyotp.TOTP(account["totp"]).now()})
    assert verified.status_code == 302
    assert client.get("/staff/people/").status_code == 200
    # The provincial officer (Sở Nội vụ Nghệ An) finds people of Nghệ An, and nobody from elsewhere.
    citizen = Person.objects.get(user__username="demo.citizen")
    elsewhere = Person.objects.exclude(province=citizen.province).exclude(user__isnull=False).first()
    found = client.get("/staff/people/", {"q": citizen.personal_id}).content.decode()
    assert f"/staff/people/{citizen.pk}/" in found
    not_found = client.get("/staff/people/", {"q": elsewhere.personal_id}).content.decode()
    assert f"/staff/people/{elsewhere.pk}/" not in not_found


def test_accounts_file_repeats_the_printed_table(loaded, tmp_path):
    page = (tmp_path / "demo-accounts.md").read_text(encoding="utf-8")
    for username, account in printed_accounts(loaded).items():
        row = next(line for line in page.splitlines() if line.startswith(f"| `{username}` |"))
        assert f"`{account['password']}`" in row
        if account["totp"] != "-":
            assert f"`{account['totp']}`" in row
            assert f"secret={account['totp']}" in page  # the otpauth:// link for phones


def test_organisation_tree(loaded):
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == set(OrganisationKind.values)
    ministry = Organisation.objects.get(code="BNV")
    for name in ("Cục Quản lý lao động ngoài nước", "Trung tâm Lao động ngoài nước", "Cục Việc làm"):
        assert Organisation.objects.get(name=name).parent == ministry
    departments = Organisation.objects.filter(kind=OrganisationKind.PROVINCIAL_DEPARTMENT)
    assert departments.count() >= 3
    for department in departments:
        assert department.province is not None
        centre = department.children.get(kind=OrganisationKind.EMPLOYMENT_CENTRE)
        assert centre.province == department.province
        assert centre.path.startswith(department.path)
    for branch in Organisation.objects.filter(kind=OrganisationKind.BRANCH):
        assert branch.parent.kind == OrganisationKind.ENTERPRISE
        assert branch.delegated_permissions
    countries = set(
        Organisation.objects.filter(kind=OrganisationKind.MISSION).values_list("country", flat=True)
    )
    assert {"KR", "JP", "TW", "DE"} <= countries
    assert Organisation.objects.get(code="SNV-40").name == "Sở Nội vụ tỉnh Nghệ An"


def test_if_empty_second_run_changes_nothing(loaded, tmp_path):
    counts = [m.objects.count() for m in (Organisation, Person, User, AuditEntry, TotpDevice)]
    output = run_demo(tmp_path, "--if-empty")
    assert "not loaded" in output
    assert [m.objects.count() for m in (Organisation, Person, User, AuditEntry, TotpDevice)] == counts


def test_second_run_without_if_empty_fails_clearly(loaded, tmp_path):
    audit_rows = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="--if-empty"):
        run_demo(tmp_path)
    assert AuditEntry.objects.count() == audit_rows
    assert Person.objects.count() == 1000


def test_demo_account_names_already_taken_fail_clearly(reference_data, tmp_path):
    User.objects.create_user("demo.citizen", "Mot-mat-khau-dai-2026")
    with pytest.raises(CommandError, match=r"demo\.citizen"):
        run_demo(tmp_path)
    assert not Organisation.objects.exists()


def test_existing_people_fail_clearly(reference_data, tmp_path):
    Person.objects.create(full_name="Nguyễn Văn Có Sẵn", name_search="nguyen van co san")
    with pytest.raises(CommandError, match="already holds people"):
        run_demo(tmp_path, "--if-empty")
    assert not Organisation.objects.exists()


def test_without_provinces_it_says_to_load_reference_data(db, tmp_path):
    # The session may have loaded reference data already: remove it inside this test's transaction.
    Ward.objects.all().delete()
    LegacyProvince.objects.all().delete()
    Province.objects.all().delete()
    with pytest.raises(CommandError, match="ansinh load_reference"):
        run_demo(tmp_path)
    assert not Organisation.objects.exists()
    assert not Person.objects.exists()


def test_if_empty_on_an_empty_database_loads(reference_data, tmp_path):
    run_demo(tmp_path, "--if-empty")
    assert Person.objects.count() == 1000


@pytest.mark.parametrize("scale", [2, 3])
def test_scale_multiplies_the_people(reference_data, tmp_path, scale):
    run_demo(tmp_path, "--scale", str(scale))
    total = scale * builder.PEOPLE_PER_SCALE
    assert Person.objects.count() == total
    # The bulk-inserted register leaves one audit row per batch, naming the rows it added.
    batches = AuditEntry.objects.filter(action="demo.load", object_type="accounts.person").order_by("seq")
    bulk = total - len(builder.demo_usernames()) - 1  # and the documented demo worker
    assert batches.count() == -(-bulk // builder.BATCH_SIZE)
    assert sum(e.changes["count"] for e in batches) == bulk
    last = batches.last()
    assert (
        Person.objects.filter(pk__gte=last.changes["first_id"], pk__lte=last.changes["last_id"]).count()
        == (last.changes["count"])
    )
    assert verify_chain().ok


def test_scale_below_one_is_refused(reference_data, tmp_path):
    with pytest.raises(CommandError, match="--scale"):
        run_demo(tmp_path, "--scale", "0")
    assert not Organisation.objects.exists()


def test_people_have_valid_consistent_identifiers(loaded):
    successors = dict(LegacyProvince.objects.values_list("code", "successor_id"))
    home = 0
    people = list(Person.objects.all())
    assert len(people) == 1000
    for person in people:
        parsed = parse_personal_id(person.personal_id)
        assert parsed.valid, person.personal_id
        assert parsed.warnings == []
        assert parsed.sex == person.sex
        assert parsed.birth_year == person.date_of_birth.year
        home += successors.get(parsed.province_code) == person.province_id
        if person.passport_number:
            assert is_vietnamese_passport_format(person.passport_number)
        if person.phone:
            assert normalise_phone(person.phone) == person.phone
        if person.ward_id:
            assert person.ward.province_id == person.province_id
        assert person.name_search
    # Most people were born in (a province now merged into) the one they live in; some moved.
    assert 0.75 < home / len(people) < 0.95
    passports = [p.passport_number for p in people if p.passport_number]
    assert len(passports) == len(set(passports))
    # Everyone sent abroad by the demo enterprises was given a passport (tests/web/test_demo_overseas.py);
    # of the others, about two in five hold one.
    sent = set(Worker.objects.values_list("person_id", flat=True))
    at_home = [p for p in people if p.pk not in sent]
    assert 0.3 < sum(1 for p in at_home if p.passport_number) / len(at_home) < 0.5
    assert sum(p.sex == "F" for p in people) > 400
    assert all(p.ward_id for p in people)


class _Rollback(Exception):
    pass


def _load_and_roll_back(tmp_path, seed: str) -> tuple[list[tuple[object, ...]], dict[str, dict[str, str]]]:
    try:
        with transaction.atomic():
            output = run_demo(tmp_path, "--seed", seed)
            people = list(
                Person.objects.order_by("pk").values_list(
                    "full_name", "personal_id", "passport_number", "phone"
                )
            )
            raise _Rollback
    except _Rollback:
        pass
    return people, printed_accounts(output)


def test_same_seed_same_data(reference_data, tmp_path):
    first = _load_and_roll_back(tmp_path, "7")
    assert not Organisation.objects.exists()
    again = _load_and_roll_back(tmp_path, "7")
    other = _load_and_roll_back(tmp_path, "8")
    assert first == again
    assert first[0] != other[0]
    assert first[1] != other[1]


def test_readme_and_docs_list_the_accounts_the_demo_prints(loaded):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for document in ("README.md", "docs/demo-accounts.md"):
        text = (root / document).read_text(encoding="utf-8")
        for username, account in printed_accounts(loaded).items():
            row = next(line for line in text.splitlines() if line.startswith(f"| `{username}` |"))
            assert f"`{account['password']}`" in row, document
            if account["totp"] != "-":
                assert f"`{account['totp']}`" in row, document


def test_demo_workers_abroad_and_the_documented_one(loaded, api_client):
    from pathlib import Path

    from ansinh.sos.models import Mission, WorkerProfile
    from ansinh.web.demo.workers import DEMO_WORKER, demo_worker_count

    workers = WorkerProfile.objects.select_related("person__user")
    assert workers.count() == demo_worker_count()
    assert set(workers.values_list("country", flat=True)) == {"KR", "JP", "TW", "DE"}
    assert set(workers.values_list("source", flat=True)) == {"demo"}
    for worker in workers:
        account = worker.person.user
        assert account.username == worker.passport_number
        assert (account.must_change_password, account.first_login_check) == (True, "date_of_birth")
    an = workers.get(passport_number=DEMO_WORKER.passport_number)
    assert (an.person.full_name, an.person.date_of_birth) == (
        DEMO_WORKER.full_name,
        DEMO_WORKER.date_of_birth,
    )
    assert (an.country, an.programme, an.employer) == ("KR", "eps_korea", DEMO_WORKER.employer)
    assert an.person.phone == DEMO_WORKER.phone
    assert an.security_answer_hash
    # The first sign-in as the documents describe it.
    token = api_client.login(DEMO_WORKER.passport_number, DEMO_WORKER.passport_number)
    assert (token["must_change_password"], token["first_login_check"]) == (True, "date_of_birth")
    changed = api_client.post(
        "auth/password",
        {
            "old_password": DEMO_WORKER.passport_number,
            "new_password": "Que-huong-Nghe-An-2026",
            "date_of_birth": DEMO_WORKER.date_of_birth.isoformat(),
        },
    )
    assert changed.status_code == 200, changed.content
    # The desk's directory: a mission, its labour section and the police of each country; no invented
    # numbers for the missions, the public emergency numbers for the police.
    police = dict(Mission.objects.filter(kind="police").values_list("country", "phone_24h"))
    assert police == {"KR": "112", "JP": "110", "TW": "110", "DE": "110"}
    assert not Mission.objects.exclude(kind="police").exclude(phone_24h="", phone="").exists()
    assert Mission.objects.filter(kind="embassy").count() == 4
    root = Path(__file__).resolve().parents[2]
    for document in ("README.md", "docs/demo-accounts.md"):
        text = (root / document).read_text(encoding="utf-8")
        assert f"`{DEMO_WORKER.passport_number}`" in text, document
        assert DEMO_WORKER.date_of_birth.strftime("%d/%m/%Y") in text, document
