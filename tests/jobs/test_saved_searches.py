"""Saved searches: saving the words and filters of a search, the alert switch, and the daily alert that
sends only vacancies new since the last one (at most 10), once however often it runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.jobs import tasks
from ansinh.jobs.errors import NoSeekerProfile
from ansinh.jobs.models import ContractType, SavedSearch, SeekerProfile
from ansinh.jobs.services import saved_searches
from ansinh.notify.models import Message
from tests.factories import PersonFactory, UserFactory
from tests.jobs.world import make_vacancy

pytestmark = pytest.mark.django_db


def _user(profile: SeekerProfile):
    return profile.person.user


def _alerts(profile: SeekerProfile) -> list[Message]:
    return list(
        Message.objects.filter(recipient_person=profile.person, template=saved_searches.ALERT).order_by("pk")
    )


def test_clean_filters_keeps_known_filters_and_names_wrong_ones():
    assert saved_searches.clean_filters(
        {"province": "79", "occupation": "241", "salary_min": "8.000.000", "abroad": "0", "other": "x"}
    ) == {"province": "79", "occupation": "241", "salary_min": 8_000_000, "abroad": False}
    assert saved_searches.clean_filters(
        {"abroad": True, "contract_type": "part_time", "salary_min": "0"}
    ) == {
        "abroad": True,
        "contract_type": "part_time",
    }
    assert saved_searches.clean_filters({"province": "", "abroad": ""}) == {}
    with pytest.raises(ValidationFailed) as caught:
        saved_searches.clean_filters(
            {
                "province": "HCM",
                "occupation": "x",
                "salary_min": "-5",
                "contract_type": "daily",
                "abroad": "maybe",
            }
        )
    assert set(caught.value.details["fields"]) == {
        "province",
        "occupation",
        "salary_min",
        "contract_type",
        "abroad",
    }


def test_a_seeker_saves_a_search_with_a_readable_name(world):
    user = _user(world.seeker_anonymous)
    saved = saved_searches.saved_search_create(
        actor=user, query="  kế   toán ", filters={"province": "79", "occupation": "241", "salary_min": ""}
    )
    assert saved.query == "kế toán"
    assert saved.filters == {"province": "79", "occupation": "241"}
    assert saved.alert is True
    assert saved.name.startswith("kế toán · ")
    assert str(world.hcm) in saved.name
    link = saved_searches.search_link(saved.query, saved.filters)
    assert link.startswith("/jobs/search/?")
    assert "province=79" in link
    assert "occupation=241" in link


def test_saving_refuses_bad_filters_people_without_a_profile_and_more_than_twenty(world):
    user = _user(world.seeker_anonymous)
    with pytest.raises(ValidationFailed) as caught:
        saved_searches.saved_search_create(actor=user, query="x", filters={"salary_min": "lots"})
    assert list(caught.value.details["fields"]) == ["salary_min"]
    with pytest.raises(NoSeekerProfile):
        saved_searches.saved_search_create(actor=UserFactory(person=PersonFactory()), query="x")
    for n in range(saved_searches.MAX_SAVED_SEARCHES):
        saved_searches.saved_search_create(actor=user, query=f"việc {n}")
    with pytest.raises(ValidationFailed):
        saved_searches.saved_search_create(actor=user, query="một nữa")
    assert (
        SavedSearch.objects.filter(seeker=world.seeker_anonymous).count() == saved_searches.MAX_SAVED_SEARCHES
    )


def test_only_the_owner_deletes_or_switches_a_saved_search(world):
    saved = saved_searches.saved_search_create(actor=_user(world.seeker_anonymous), query="kế toán")
    other = _user(world.seeker_full)
    with pytest.raises(NotFound):
        saved_searches.saved_search_delete(actor=other, saved_search_id=saved.pk)
    with pytest.raises(NotFound):
        saved_searches.saved_search_set_alert(actor=other, saved_search_id=saved.pk, alert=False)
    saved.refresh_from_db()
    assert saved.alert is True
    saved_searches.saved_search_delete(actor=_user(world.seeker_anonymous), saved_search_id=saved.pk)
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()


def test_the_alert_sends_new_matching_vacancies_once(world, django_capture_on_commit_callbacks):
    seeker = world.seeker_anonymous
    saved_searches.saved_search_create(actor=_user(seeker), query="ke toan vien", filters={"province": "79"})
    # world.vacancy_a ("Kế toán tổng hợp" in 79) was published before the search was saved: not new.
    match = make_vacancy(world.employer_a, title="Kế toán viên", occupation_code="241")
    make_vacancy(world.employer_b, title="Kế toán viên kho", occupation_code="241")  # in Hà Nội
    make_vacancy(world.employer_a, title="Thợ hàn", occupation_code="721")  # not the words
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_searches.alerts_send() == 1
    [message] = _alerts(seeker)
    assert "Kế toán viên" in message.body
    assert f"/jobs/vacancies/{match.pk}/" in message.body
    assert "Kế toán viên kho" not in message.body
    assert "Thợ hàn" not in message.body
    assert "Kế toán tổng hợp" not in message.body
    assert message.link.startswith("/jobs/search/?")
    # Running again sends nothing: the same vacancies are not new any more.
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_searches.alerts_send() == 0
        assert tasks.send_saved_search_alerts() == 0
    assert len(_alerts(seeker)) == 1
    # A vacancy published later is sent on the next run, alone.
    later = make_vacancy(world.employer_a, title="Kế toán viên thuế", occupation_code="241")
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_searches.alerts_send() == 1
    last = _alerts(seeker)[-1]
    assert "Kế toán viên thuế" in last.body
    assert f"/jobs/vacancies/{later.pk}/" in last.body
    assert f"/jobs/vacancies/{match.pk}/" not in last.body


def test_an_alert_lists_at_most_ten_vacancies(world, django_capture_on_commit_callbacks):
    seeker = world.seeker_full
    saved_searches.saved_search_create(actor=_user(seeker), query="", filters={"contract_type": "seasonal"})
    for n in range(12):
        make_vacancy(
            world.employer_b,
            title=f"Thợ hàn thời vụ {n}",
            occupation_code="721",
            contract_type=ContractType.SEASONAL,
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_searches.alerts_send() == 1
    [message] = _alerts(seeker)
    assert message.body.count("/jobs/vacancies/") == saved_searches.ALERT_VACANCIES
    assert "Thợ hàn thời vụ 11" in message.body  # the newest first


def test_a_new_vacancy_is_alerted_even_below_many_older_better_matches(
    world, django_capture_on_commit_callbacks
):
    """Older vacancies with the words in their title rank above a new one with them only in its description:
    the alert asks the search for the new ones only, so the new one is not lost below them."""
    seeker = world.seeker_anonymous
    for n in range(101):  # more than a first page of results could ever hold
        make_vacancy(world.employer_a, title=f"Kế toán kho {n}", occupation_code="241")
    saved_searches.saved_search_create(actor=_user(seeker), query="ke toan", filters={})
    new = make_vacancy(
        world.employer_a,
        title="Nhân viên văn phòng",
        occupation_code="241",
        description="Hỗ trợ phòng kế toán nhập chứng từ.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_searches.alerts_send() == 1
    [message] = _alerts(seeker)
    assert f"/jobs/vacancies/{new.pk}/" in message.body
    assert message.body.count("/jobs/vacancies/") == 1


def test_a_switched_off_alert_or_a_seeker_not_looking_gets_nothing(world, django_capture_on_commit_callbacks):
    user = _user(world.seeker_anonymous)
    saved = saved_searches.saved_search_create(actor=user, query="ke toan")
    saved_searches.saved_search_set_alert(actor=user, saved_search_id=saved.pk, alert=False)
    make_vacancy(world.employer_a, title="Kế toán viên", occupation_code="241")
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_searches.alerts_send() == 0
    # Switched on again, it starts from now: what was published meanwhile is not sent.
    saved_searches.saved_search_set_alert(actor=user, saved_search_id=saved.pk, alert=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_searches.alerts_send(now=timezone.now() + timedelta(seconds=1)) == 0
    # A seeker who is not looking now gets no alert, and the vacancies do not pile up for later.
    SeekerProfile.objects.filter(pk=world.seeker_anonymous.pk).update(is_looking=False)
    make_vacancy(world.employer_a, title="Kế toán trưởng", occupation_code="241")
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_searches.alerts_send(now=timezone.now() + timedelta(seconds=2)) == 0
    SeekerProfile.objects.filter(pk=world.seeker_anonymous.pk).update(is_looking=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_searches.alerts_send(now=timezone.now() + timedelta(seconds=3)) == 0
    assert _alerts(world.seeker_anonymous) == []
