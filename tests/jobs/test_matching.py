"""Matching on the real database: ranking, reasons, visibility, scope, the candidate cut, query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from ansinh.core.errors import NotFound, PermissionDenied
from ansinh.jobs import matching
from ansinh.jobs.errors import NoSeekerProfile
from ansinh.jobs.models import Application, EmployerStatus, SeekerProfile, VacancyStatus, Visibility
from ansinh.web.demo.jobs_seekers import load_seekers
from tests.factories import UserFactory
from tests.jobs.world import make_seeker, make_vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def welders(world):
    """Around Hà Nội's welding vacancy (721, skills "Hàn điện", pays up to 15,000,000): more seekers."""
    return {
        # The same occupation but in Hồ Chí Minh City, no welding skill.
        "far": make_seeker(
            full_name="Đỗ Văn Xa",
            username="far",
            province=world.hcm,
            headline="Thợ hàn",
            occupations=["721"],
            skills="Lái xe",
        ),
        # A related occupation (722 blacksmiths, same sub-major group 72), in Hà Nội.
        "near": make_seeker(
            full_name="Bùi Văn Gần",
            username="near",
            province=world.hanoi,
            headline="Thợ rèn",
            occupations=["722"],
        ),
        # Fits perfectly but private.
        "private": make_seeker(
            full_name="Hoàng Thị Kín",
            username="private-welder",
            province=world.hanoi,
            headline="Thợ hàn",
            occupations=["721"],
            skills="Hàn điện",
            visibility=Visibility.PRIVATE,
        ),
        # Fits perfectly but not looking.
        "idle": make_seeker(
            full_name="Vũ Văn Nghỉ",
            username="idle",
            province=world.hanoi,
            headline="Thợ hàn",
            occupations=["721"],
            skills="Hàn điện",
            is_looking=False,
        ),
        # Another trade altogether.
        "cook": make_seeker(
            full_name="Mai Văn Bếp",
            username="cook",
            province=world.hanoi,
            headline="Đầu bếp",
            occupations=["512"],
        ),
    }


def ids(matches):
    return [m.seeker_id for m in matches]


def test_ranking_and_reasons_for_an_employer(world, welders):
    found = matching.seekers_for_vacancy(world.admin_b, world.vacancy_b.pk)
    # Full fit (40 + 30 + 20 + 10), then the same occupation elsewhere (40 + 10), then the related one
    # in Hà Nội (15 + 20 + 10); private, not looking and the cook never.
    assert ids(found) == [world.seeker_full.pk, welders["far"].pk, welders["near"].pk]
    assert [m.score for m in found] == [100, 50, 45]
    assert found[0].reasons == [
        "Wants this occupation",
        "1 of 1 skill: Hàn điện",
        f"Wants to work in {world.hanoi}",
        "Expects 9,000,000 VND, within the range",
    ]
    assert found[2].reasons[0] == "Wants a related occupation"


def test_skills_reason_names_the_seekers_words(world):
    vacancy = make_vacancy(
        world.employer_b, title="Thợ hàn", occupation_code="721", skills="hàn điện, HAN MIG, hàn TIG"
    )
    found = matching.seekers_for_vacancy(world.admin_b, vacancy.pk)
    assert found[0].seeker_id == world.seeker_full.pk
    assert "2 of 3 skills: Hàn điện, hàn MIG" in found[0].reasons
    assert found[0].score == 40 + 20 + 20 + 10  # two thirds of the skills


def test_salary_above_the_range_is_said_and_not_scored(world):
    vacancy = make_vacancy(
        world.employer_b, title="Thợ hàn phụ", occupation_code="721", salary=(5_000_000, 8_000_000)
    )
    found = matching.seekers_for_vacancy(world.admin_b, vacancy.pk)
    assert found[0].seeker_id == world.seeker_full.pk
    assert "Expects 9,000,000 VND, above the range" in found[0].reasons
    assert found[0].score == 40 + 20


def test_remote_vacancy_fits_a_seeker_who_works_remotely(world):
    remote = make_seeker(
        full_name="Lý Văn Xa",
        username="remote",
        province=world.hcm,
        headline="Kế toán",
        occupations=["241"],
        wants_remote=True,
    )
    vacancy = make_vacancy(world.employer_b, title="Kế toán từ xa", occupation_code="241", is_remote=True)
    found = {m.seeker_id: m for m in matching.seekers_for_vacancy(world.admin_b, vacancy.pk)}
    assert "Would work remotely" in found[remote.pk].reasons
    assert found[remote.pk].score == 40 + 20 + 10
    # Lan wants Hồ Chí Minh City only: no place points for a remote job based in Hà Nội.
    assert found[world.seeker_anonymous.pk].score == 40 + 10


def test_employer_never_sees_private_profiles_and_anonymous_ones_without_contacts(world, welders):
    found = {m.seeker_id: m for m in matching.seekers_for_vacancy(world.admin_b, world.vacancy_b.pk)}
    assert welders["private"].pk not in found
    full = found[world.seeker_full.pk]
    assert (full.name, full.phone, full.email) == ("Lê Văn Minh", "+84912345678", "seeker-minh@example.vn")
    anonymous = found[welders["far"].pk]
    assert (anonymous.name, anonymous.phone, anonymous.email) == (None, None, None)
    assert not anonymous.contacts_shown


def test_an_anonymous_seeker_who_applied_shows_contacts_to_that_employer(world, welders):
    Application.objects.create(
        vacancy=world.vacancy_b, seeker=welders["far"], org_path=world.vacancy_b.org_path
    )
    found = {m.seeker_id: m for m in matching.seekers_for_vacancy(world.admin_b, world.vacancy_b.pk)}
    assert found[welders["far"].pk].name == "Đỗ Văn Xa"
    assert found[welders["far"].pk].applied
    assert "Has applied to your vacancies" in found[welders["far"].pk].reasons


def test_centre_officer_sees_private_profiles_with_contacts_for_any_employer(world, welders):
    found = {m.seeker_id: m for m in matching.seekers_for_vacancy(world.centre_officer, world.vacancy_b.pk)}
    assert found[welders["private"].pk].name == "Hoàng Thị Kín"
    assert found[welders["far"].pk].phone == "+84912345678"
    assert welders["idle"].pk not in found


def test_another_employer_gets_not_found_and_others_are_refused(world):
    with pytest.raises(NotFound):
        matching.seekers_for_vacancy(world.admin_a, world.vacancy_b.pk)
    with pytest.raises(NotFound):
        matching.seekers_for_vacancy(world.admin_b, 999_999)
    for actor in [
        world.provincial_officer,
        world.ministry_officer,
        seeker_user(world.seeker_full),
        UserFactory(),
    ]:
        with pytest.raises(PermissionDenied):
            matching.seekers_for_vacancy(actor, world.vacancy_b.pk)


def test_the_cut_keeps_the_best_when_a_slice_is_capped(world, monkeypatch):
    # With room for one seeker per slice, the newest seeker wanting the occupation fills the occupation
    # slice, yet the full fit still comes through the occupation-and-province slice.
    for n in range(3):
        make_seeker(
            full_name=f"Thợ Hàn Mới {n}",
            username=f"new-{n}",
            province=world.hcm,
            headline="Thợ hàn",
            occupations=["721"],
        )
    monkeypatch.setattr(matching, "CAP_OCCUPATION", 1)
    monkeypatch.setattr(matching, "CAP_OCCUPATION_PLACE", 1)
    monkeypatch.setattr(matching, "CAP_GROUP", 1)
    monkeypatch.setattr(matching, "CAP_GROUP_PLACE", 1)
    found = matching.seekers_for_vacancy(world.admin_b, world.vacancy_b.pk)
    assert found[0].seeker_id == world.seeker_full.pk
    # The capped slices bring at most 4 candidates: here the full fit and the newest welder.
    assert [m.headline for m in found] == ["Thợ hàn", "Thợ hàn"]
    assert found[1].score == 40 + 10


def test_limit(world, welders):
    assert len(matching.seekers_for_vacancy(world.admin_b, world.vacancy_b.pk, limit=1)) == 1


def test_query_count_is_bounded(world, welders, django_assert_max_num_queries):
    for n in range(15):
        make_seeker(
            full_name=f"Người {n}",
            username=f"many-{n}",
            province=world.hanoi,
            headline="Thợ hàn",
            occupations=["721", "722"],
            visibility=Visibility.FULL,
        )
    with django_assert_max_num_queries(6):
        found = matching.seekers_for_vacancy(world.admin_b, world.vacancy_b.pk)
    assert len(found) == 18


# --- for a seeker ------------------------------------------------------------------------------------------


def seeker_user(profile: SeekerProfile):
    from ansinh.accounts.models import User

    return User.objects.get(person=profile.person)


def test_vacancies_for_a_seeker_best_first_with_reasons(world):
    near = make_vacancy(world.employer_a, title="Thợ rèn", occupation_code="722", province=world.hanoi)
    make_vacancy(world.employer_a, title="Kế toán", occupation_code="241")
    found = matching.vacancies_for_seeker(seeker_user(world.seeker_full))
    assert [m.vacancy.pk for m in found] == [world.vacancy_b.pk, near.pk]
    assert found[0].score == 100
    assert found[0].reasons[0].startswith("An occupation you want: ")
    assert "1 of 1 skill: Hàn điện" in found[0].reasons
    assert f"In a province you want: {world.hanoi}" in found[0].reasons
    assert "Pays up to 15,000,000 VND, you expect 9,000,000 VND" in found[0].reasons
    assert found[1].reasons[0].startswith("Close to an occupation you want: ")


def test_only_open_vacancies_of_verified_employers_before_their_deadline(world):
    user = seeker_user(world.seeker_full)
    closed = make_vacancy(
        world.employer_b, title="Đã đóng", occupation_code="721", status=VacancyStatus.CLOSED
    )
    late = make_vacancy(
        world.employer_b,
        title="Hết hạn",
        occupation_code="721",
        deadline=timezone.localdate() - timedelta(days=1),
    )
    pending = make_vacancy(world.employer_pending, title="Chưa xác minh", occupation_code="721")
    found = [m.vacancy.pk for m in matching.vacancies_for_seeker(user)]
    assert world.vacancy_b.pk in found
    assert not {closed.pk, late.pk, pending.pk} & set(found)
    world.employer_b.status = EmployerStatus.SUSPENDED
    world.employer_b.save()
    assert world.vacancy_b.pk not in [m.vacancy.pk for m in matching.vacancies_for_seeker(user)]


def test_a_user_without_a_profile_is_told_to_make_one(world):
    with pytest.raises(NoSeekerProfile):
        matching.vacancies_for_seeker(world.admin_a)


def test_vacancies_query_count_is_bounded(world, django_assert_max_num_queries):
    for n in range(10):
        make_vacancy(world.employer_b, title=f"Thợ hàn {n}", occupation_code="721")
    user = seeker_user(world.seeker_full)
    with django_assert_max_num_queries(5):
        found = matching.vacancies_for_seeker(user)
        [m.vacancy.employer.organisation.name for m in found]
    assert len(found) == 11


# --- the bulk generator ------------------------------------------------------------------------------------


def test_generated_seekers_are_consistent_and_matched(world):
    before = SeekerProfile.objects.count()
    done = load_seekers(300, seed=3, batch=120)
    assert done.seekers == 300
    assert SeekerProfile.objects.count() == before + 300
    made = SeekerProfile.objects.filter(pk__gte=done.first_seeker_id).prefetch_related(
        "wanted_occupations__occupation"
    )
    for profile in made[:50]:
        assert profile.wanted_occupations.all(), profile
        for wanted in profile.wanted_occupations.all():
            assert wanted.sub_major_group == wanted.occupation.code[:2]
        assert profile.wanted_provinces.filter(province_id=profile.province_id).exists()
    visibilities = set(made.values_list("visibility", flat=True))
    assert visibilities == {Visibility.ANONYMOUS, Visibility.FULL, Visibility.PRIVATE}
    # The same seed gives the same seekers.
    again = load_seekers(5, seed=3)
    first = list(made.order_by("pk").values_list("headline", "skills")[:5])
    second = list(
        SeekerProfile.objects.filter(pk__gte=again.first_seeker_id)
        .order_by("pk")
        .values_list("headline", "skills")
    )
    assert first == second
    # And the centre's matching sees them.
    wanted = made.first().wanted_occupations.first()
    vacancy = make_vacancy(world.employer_b, title="Việc", occupation_code=wanted.occupation.code)
    assert matching.seekers_for_vacancy(world.centre_officer, vacancy.pk)
