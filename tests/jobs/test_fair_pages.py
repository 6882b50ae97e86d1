"""The job fairs' pages: the public list and fair page (no video link shown), the seeker's registration,
QR and bookings, the employer's booth, the centre's planning, door check-in, walk-ins and results."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.jobs.models import (
    BookingStatus,
    FairKind,
    FairRegistration,
    FairStatus,
    InterviewBooking,
    InterviewSlot,
    JobFair,
    ServiceRecord,
)
from ansinh.jobs.services import bookings, fairs
from tests.jobs.test_fairs import fair_fields, make_booth, make_fair, make_slot, user_of

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    client.force_login(user, backend="ansinh.accounts.backends.LockoutAwareBackend")
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()
    return client


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_public_sees_upcoming_fairs_with_bounded_queries(world, client, django_assert_max_num_queries):
    for i in range(5):
        fair = make_fair(world, title=f"Ngày hội số {i}")
        make_booth(world, fair)
    cancelled = make_fair(world, title="Ngày hội đã huỷ")
    fairs.fair_cancel(actor=world.centre_officer, fair_id=cancelled.pk)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("jobs_fair:list"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Ngày hội số 4" in text
    assert "Ngày hội đã huỷ" not in text


def test_the_fair_page_shows_booths_and_free_places_but_no_video_link(
    world, client, django_assert_max_num_queries
):
    fair = make_fair(world)
    slot = make_slot(world, make_booth(world, fair), capacity=2)
    make_slot(world, make_booth(world, fair, employer="b"), actor=world.admin_b)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("jobs_fair:detail", args=[fair.pk]))
    text = response.content.decode()
    assert world.employer_a.organisation.name in text
    assert world.vacancy_a.title in text
    assert f'data-free="{slot.capacity}"' in text
    assert slot.video_link not in text
    assert client.get(reverse("jobs_fair:detail", args=[999_999])).status_code == 404


def test_a_seeker_registers_books_sees_the_qr_and_the_link_and_cancels(world, client):
    fair = make_fair(world, FairKind.HYBRID)
    slot = make_slot(world, make_booth(world, fair), capacity=1)
    sign_in(client, user_of(world.seeker_anonymous))
    response = client.post(reverse("jobs_fair:register", args=[fair.pk]))
    assert response.status_code == 302
    registration = FairRegistration.objects.get(fair=fair, person=world.seeker_anonymous.person)
    response = client.post(reverse("jobs_fair:book", args=[slot.pk]))
    booking = InterviewBooking.objects.get(slot=slot)
    assert response["Location"] == f"{reverse('jobs_fair:mine')}?booked={booking.pk}"
    page = client.get(reverse("jobs_fair:mine")).content.decode()
    assert "<svg" in page
    assert registration.code in page
    assert slot.video_link in page
    # The slot is full now: a second seeker is told so on the fair's page.
    other = sign_in(type(client)(), user_of(world.seeker_full))
    response = other.post(reverse("jobs_fair:book", args=[slot.pk]), follow=True)
    assert "Khung giờ phỏng vấn này đã kín chỗ" in response.content.decode()
    assert slot.video_link not in other.get(reverse("jobs_fair:mine")).content.decode()
    client.post(reverse("jobs_fair:booking_cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert InterviewSlot.objects.get(pk=slot.pk).booked == 0


def test_my_fairs_needs_a_seeker_profile(world, client):
    sign_in(client, world.admin_a)
    assert client.get(reverse("jobs_fair:mine")).status_code == 409
    assert client.get(reverse("jobs_fair:mine")).status_code == 409


def test_an_employer_takes_a_booth_chooses_vacancies_and_publishes_a_slot(world, client):
    fair = make_fair(world)
    sign_in(client, world.admin_a)
    assert fair.title in client.get(reverse("jobs_fair:employer")).content.decode()
    response = client.post(reverse("jobs_fair:booth_take", args=[fair.pk]))
    booth = fair.booths.get()
    assert response["Location"] == reverse("jobs_fair:booth", args=[booth.pk])
    client.post(reverse("jobs_fair:booth", args=[booth.pk]), {"vacancy_ids": [world.vacancy_a.pk]})
    assert list(booth.vacancies.all()) == [world.vacancy_a]
    start = fair.starts_at + timedelta(hours=1)
    bad = client.post(
        reverse("jobs_fair:slot_add", args=[booth.pk]),
        {
            "starts_at": _local(start),
            "ends_at": _local(start + timedelta(minutes=30)),
            "capacity": 3,
            "video_link": "http://x.vn",
        },
    )
    assert bad.status_code == 400
    assert "https://" in bad.content.decode()
    good = client.post(
        reverse("jobs_fair:slot_add", args=[booth.pk]),
        {
            "starts_at": _local(start),
            "ends_at": _local(start + timedelta(minutes=30)),
            "capacity": 3,
            "video_link": "https://meet.example.vn/a",
        },
    )
    assert good.status_code == 302
    slot = booth.slots.get()
    assert (slot.capacity, slot.video_link, slot.starts_at) == (3, "https://meet.example.vn/a", start)
    booking = bookings.booking_create(actor=user_of(world.seeker_anonymous), slot_id=slot.pk)
    page = client.get(reverse("jobs_fair:booth", args=[booth.pk])).content.decode()
    assert world.seeker_anonymous.person.full_name in page
    client.post(reverse("jobs_fair:booking_mark", args=[booking.pk]), {"status": "attended"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED
    assert ServiceRecord.objects.filter(kind="fair").count() == 1


def test_a_centre_plans_a_mobile_fair_checks_people_in_and_closes_it(world, client):
    sign_in(client, world.centre_officer)
    fields = fair_fields(world, FairKind.MOBILE)
    data = fields | {"starts_at": _local(fields["starts_at"]), "ends_at": _local(fields["ends_at"])}
    missing = client.post(reverse("jobs_fair:staff_create"), data | {"ward_id": ""})
    assert missing.status_code == 400
    response = client.post(reverse("jobs_fair:staff_create"), data)
    fair = JobFair.objects.get()
    assert response["Location"] == reverse("jobs_fair:staff_detail", args=[fair.pk])
    assert fair.kind == FairKind.MOBILE
    assert fair.ward_id == fields["ward_id"]
    client.post(reverse("jobs_fair:staff_add_booth", args=[fair.pk]), {"tax_code": world.employer_a.tax_code})
    assert fair.booths.get().employer == world.employer_a
    registration = fairs.fair_register(actor=user_of(world.seeker_anonymous), fair_id=fair.pk)
    assert client.get(reverse("jobs_fair:door", args=[fair.pk])).status_code == 200
    response = client.post(reverse("jobs_fair:door", args=[fair.pk]), {"code": registration.code.lower()})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    wrong = client.post(reverse("jobs_fair:door", args=[fair.pk]), {"code": "ZZZZ"})
    assert wrong.status_code == 400
    client.post(
        reverse("jobs_fair:walk_in", args=[fair.pk]), {"full_name": "Vũ Thị Mai", "phone": "0987654321"}
    )
    assert fair.registrations.filter(checked_in_at__isnull=False).count() == 2
    JobFair.objects.filter(pk=fair.pk).update(
        starts_at=timezone.now() - timedelta(hours=5), ends_at=timezone.now() - timedelta(hours=1)
    )
    booth = fair.booths.get()
    page = client.get(reverse("jobs_fair:results", args=[fair.pk])).content.decode()
    assert f'name="booth_{booth.pk}_hires"' in page
    response = client.post(
        reverse("jobs_fair:results", args=[fair.pk]),
        {
            f"booth_{booth.pk}_interviews": 7,
            f"booth_{booth.pk}_offers": 3,
            f"booth_{booth.pk}_hires": 2,
            "close": "1",
        },
    )
    assert response.status_code == 302
    fair.refresh_from_db()
    assert fair.status == FairStatus.CLOSED
    # The province's department reads the results without the form.
    reader = sign_in(type(client)(), world.provincial_officer)
    page = reader.get(reverse("jobs_fair:results", args=[fair.pk])).content.decode()
    assert 'data-total="hires">2<' in page
    assert 'data-total="attended">2<' in page
    assert "results-form" not in page


def test_the_staff_list_is_scoped_and_bounded(world, client, django_assert_max_num_queries):
    for i in range(4):
        make_fair(world, title=f"Hội chợ {i}")
    sign_in(client, world.centre_officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("jobs_fair:staff_list"))
    assert "Hội chợ 3" in response.content.decode()
    other = sign_in(type(client)(), world.other_centre_officer)
    assert "Hội chợ 3" not in other.get(reverse("jobs_fair:staff_list")).content.decode()
