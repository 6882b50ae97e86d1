"""Job seekers: signing up (person, account and profile at once, every field's problem named), starting a
profile from an existing account, and the profile and CV kept in step with the rows matching reads."""

import pytest

from ansinh.accounts.models import Person, User
from ansinh.core.errors import RateLimited, ValidationFailed
from ansinh.core.models import AuditEntry
from ansinh.core.text import normalise_search
from ansinh.geo.models import Occupation
from ansinh.jobs import rules
from ansinh.jobs.errors import NoSeekerProfile
from ansinh.jobs.models import SeekerOccupation, SeekerProfile, SeekerProvince, Visibility
from ansinh.jobs.services import seekers
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "full_name": "  Nguyễn   Thị Hoa ",
    "phone": "0912 345 670",
    "password": "mua-xuan-tren-song-Huong",
    "province": "79",
}


def _fields(exc: ValidationFailed) -> dict[str, list[str]]:
    return exc.details["fields"]


def test_sign_up_makes_a_person_an_account_and_a_profile(reference_data):
    user, profile = seekers.seeker_register(**GOOD, client="10.0.0.1")
    assert user.username == "+84912345670"
    assert user.phone == "+84912345670"
    assert user.check_password(GOOD["password"])
    assert not user.must_change_password
    person = user.person
    assert person.full_name == "Nguyễn Thị Hoa"
    assert person.name_search == "nguyen thi hoa"
    assert person.province.code == "79"
    assert profile.person == person
    assert profile.province.code == "79"
    assert profile.visibility == Visibility.ANONYMOUS
    assert AuditEntry.objects.filter(action="jobs.seeker_register", object_id=str(profile.pk)).exists()


def test_sign_up_names_every_wrong_field_and_writes_nothing(reference_data):
    before = (Person.objects.count(), User.objects.count(), SeekerProfile.objects.count())
    with pytest.raises(ValidationFailed) as caught:
        seekers.seeker_register(full_name=" ", phone="12", password="123", province="99")
    assert set(_fields(caught.value)) == {"full_name", "phone", "password", "province"}
    with pytest.raises(ValidationFailed) as caught:
        seekers.seeker_register(**{**GOOD, "password": "", "province": ""})
    assert set(_fields(caught.value)) == {"password", "province"}
    assert (Person.objects.count(), User.objects.count(), SeekerProfile.objects.count()) == before


@pytest.mark.parametrize(
    "password",
    ["short1", "1234567890123", "password123", "hoa0912345670!", "Nguyen Thi Hoa"],
    ids=["too-short", "numeric", "common", "phone-inside", "the-name"],
)
def test_the_password_rules_apply(reference_data, password):
    with pytest.raises(ValidationFailed) as caught:
        seekers.seeker_register(**{**GOOD, "password": password})
    assert list(_fields(caught.value)) == ["password"]


def test_a_phone_number_signs_up_once(reference_data):
    seekers.seeker_register(**GOOD)
    with pytest.raises(ValidationFailed) as caught:
        seekers.seeker_register(**{**GOOD, "phone": "+84 912 345 670", "full_name": "Người khác"})
    assert list(_fields(caught.value)) == ["phone"]
    # An account that already has the number on file (a worker, a claimant) counts too.
    UserFactory(username="someone", phone="+84987654321")
    with pytest.raises(ValidationFailed) as caught:
        seekers.seeker_register(**{**GOOD, "phone": "0987654321"})
    assert list(_fields(caught.value)) == ["phone"]


def test_sign_up_is_rate_limited_by_client_address(reference_data, monkeypatch):
    monkeypatch.setattr(seekers, "SIGNUPS_PER_CLIENT_HOUR", 2)
    for number in ("0912000001", "0912000002"):
        seekers.seeker_register(**{**GOOD, "phone": number}, client="203.0.113.9")
    with pytest.raises(RateLimited):
        seekers.seeker_register(**{**GOOD, "phone": "0912000003"}, client="203.0.113.9")
    # Another address is not affected.
    seekers.seeker_register(**{**GOOD, "phone": "0912000004"}, client="203.0.113.10")


def test_an_existing_account_starts_its_profile_once(reference_data):
    person = PersonFactory(province=None)
    user = UserFactory(person=person)
    first = seekers.seeker_profile_start(actor=user, headline="  Lái   xe ")
    assert first.headline == "Lái xe"
    assert first.person == person
    assert seekers.seeker_profile_start(actor=user) == first
    assert SeekerProfile.objects.filter(person=person).count() == 1
    with pytest.raises(ValidationFailed) as caught:
        seekers.seeker_profile_start(actor=UserFactory(person=None))
    assert list(_fields(caught.value)) == ["person"]


PROFILE = {
    "headline": "Kế toán tổng hợp",
    "education": "university",
    "skills": "Kế toán tổng hợp; Excel,  thuế , Excel",
    "experience": "3 năm tại Công ty Sài Gòn",
    "experience_years": 3,
    "occupations": ["241", "331"],
    "provinces": ["79", "01"],
    "province": "79",
    "expected_salary": "12.000.000",
    "wants_abroad": True,
    "wants_remote": False,
    "visibility": Visibility.FULL,
    "is_looking": True,
}


def test_the_profile_and_its_rows_are_kept_in_step(world):
    user = world.seeker_anonymous.person.user
    profile = seekers.seeker_profile_update(actor=user, **PROFILE)
    profile.refresh_from_db()
    assert profile.expected_salary == 12_000_000
    assert profile.skills_search == "ke toan tong hop, excel, thue"
    assert "ke toan tong hop" in profile.search_text
    assert "3 nam tai cong ty sai gon" in profile.search_text
    rows = sorted(
        SeekerOccupation.objects.filter(seeker=profile).values_list("occupation__code", "sub_major_group")
    )
    assert rows == [("241", "24"), ("331", "33")]
    assert set(SeekerProvince.objects.filter(seeker=profile).values_list("province__code", flat=True)) == {
        "79",
        "01",
    }
    # Writing again replaces the rows, never adds to them.
    seekers.seeker_profile_update(actor=user, **{**PROFILE, "occupations": ["721"], "provinces": []})
    assert list(
        SeekerOccupation.objects.filter(seeker=profile).values_list("sub_major_group", flat=True)
    ) == ["72"]
    assert not SeekerProvince.objects.filter(seeker=profile).exists()
    profile.refresh_from_db()
    finance, welders = (Occupation.objects.get(code=code) for code in ("241", "721"))
    assert normalise_search(finance.name_vi) not in profile.search_text
    assert normalise_search(welders.name_vi) in profile.search_text


def test_profile_errors_name_their_fields_and_change_nothing(world):
    user = world.seeker_anonymous.person.user
    before = SeekerProfile.objects.get(pk=world.seeker_anonymous.pk)
    bad = {
        **PROFILE,
        "headline": "",
        "education": "phd",
        "occupations": ["241", "24", "999"],
        "provinces": ["79", "01", "48", "31", "92", "96"],
        "expected_salary": "nhiều",
        "experience_years": 99,
        "visibility": "public",
    }
    with pytest.raises(ValidationFailed) as caught:
        seekers.seeker_profile_update(actor=user, **bad)
    assert set(_fields(caught.value)) == {
        "headline",
        "education",
        "occupations",
        "provinces",
        "expected_salary",
        "experience_years",
        "visibility",
    }
    with pytest.raises(ValidationFailed) as caught:
        seekers.seeker_profile_update(
            actor=user, **{**PROFILE, "occupations": ["241", "242", "243", "251", "261", "331"]}
        )
    assert list(_fields(caught.value)) == ["occupations"]
    after = SeekerProfile.objects.get(pk=world.seeker_anonymous.pk)
    assert (after.headline, after.search_text) == (before.headline, before.search_text)
    assert list(after.wanted_occupations.values_list("occupation__code", flat=True)) == ["241"]


def test_only_a_person_with_a_profile_can_write_one(world):
    with pytest.raises(NoSeekerProfile):
        seekers.seeker_profile_update(actor=UserFactory(person=PersonFactory()), **PROFILE)
    with pytest.raises(NoSeekerProfile):
        seekers.seeker_profile_update(actor=world.admin_a, **PROFILE)


@pytest.mark.parametrize(
    ("visibility", "applied", "profile_seen", "contacts_seen"),
    [
        (Visibility.PRIVATE, False, False, False),
        (Visibility.ANONYMOUS, False, True, False),
        (Visibility.FULL, False, True, True),
        (Visibility.PRIVATE, True, True, True),
        (Visibility.ANONYMOUS, True, True, True),
    ],
)
def test_visibility_chosen_on_the_profile_decides_what_employers_see(
    world, visibility, applied, profile_seen, contacts_seen
):
    user = world.seeker_anonymous.person.user
    profile = seekers.seeker_profile_update(actor=user, **{**PROFILE, "visibility": visibility})
    assert profile.visibility == visibility
    seen = {"visibility": profile.visibility, "applied_to_employer": applied}
    assert rules.profile_visible_to_employer(**seen) is profile_seen
    assert rules.contacts_visible_to_employer(**seen) is contacts_seen
