"""My services: everything the platform holds for the signed-in person, on one page (issue 8, deliverable 1).

A read, nothing else. Each section reads through its app's own selector where one exists (the claim, the
applications and fair bookings, the support requests, the dossiers, the inbox) and straight from the welfare
tables otherwise; everything is scoped to the actor's own user and person, so nobody else's record can
appear. Each section holds its few latest items (`LIMIT`), its count and its next steps; the steps of every
section, ordered by date, make the "next steps" list at the top.

The cost is bounded whatever the person's history: a fixed number of queries per section (one more, a
count, only when a section has more than `LIMIT` items). tests/welfare/test_overview.py asserts the bound.

Texts are translated when built (the caller's active language), so the page and the API say the same.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import Case, Prefetch, QuerySet, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.core.money import vnd
from ansinh.dossiers import selectors as dossier_selectors
from ansinh.dossiers.messages import next_step as dossier_next_step
from ansinh.dossiers.models import STATE_LABELS, Dossier
from ansinh.dossiers.procedures import State, version_named
from ansinh.dossiers.rules import CLOCK_RUNNING, FINAL_STATES
from ansinh.jobs import fair_selectors, seeker_selectors
from ansinh.jobs.models import BookingStatus, SeekerProfile
from ansinh.notify import selectors as inbox_selectors
from ansinh.sos import selectors as sos_selectors
from ansinh.sos.models import RequestKind
from ansinh.unemployment import selectors as claim_selectors
from ansinh.unemployment.models import BenefitClaim, ClaimStatus
from ansinh.welfare import allowance_selectors, pension_calendar
from ansinh.welfare.models import (
    OPEN_MEDICINE_STATUSES,
    AllowanceStatus,
    BenefitKind,
    BenefitPayment,
    CardStatus,
    MedicineMode,
    MedicineRegistration,
    MedicineStatus,
    Pension,
    PensionArrangement,
    PensionStatus,
    SocialAllowance,
    SocialSecurityCard,
)

LIMIT = 3  # items per section; "see all" leads to the service's own page
MAX_NEXT_STEPS = 8


@dataclass(frozen=True)
class Link:
    """A page by its URL name. A name another part has not (yet) declared gives no link rather than an
    error: the overview never breaks because one service's page is missing."""

    name: str
    args: tuple[Any, ...] = ()

    def url(self) -> str:
        try:
            return reverse(self.name, args=self.args)
        except NoReverseMatch:
            return ""


@dataclass(frozen=True)
class NextStep:
    service: str
    text: str
    on: date | None  # the day it is due or happens; None: no date (listed last)
    link: Link | None = None


@dataclass(frozen=True)
class Item:
    title: str
    status: str = ""
    status_label: str = ""
    detail: str = ""
    on: date | None = None
    amount: int | None = None
    link: Link | None = None


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    count: int = 0
    steps: list[NextStep] = field(default_factory=list)
    see_all: Link | None = None

    @property
    def next_step(self) -> NextStep | None:
        """The section's single most urgent step: the earliest dated one, else the first."""
        ordered = _by_date(self.steps)
        return ordered[0] if ordered else None


@dataclass(frozen=True)
class Offer:
    key: str
    title: str
    link: Link


@dataclass
class MyServices:
    has_person: bool
    person_name: str
    today: date
    unread: int = 0
    sections: list[Section] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)

    @property
    def next_steps(self) -> list[NextStep]:
        return _by_date(step for section in self.sections for step in section.steps)[:MAX_NEXT_STEPS]

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def _by_date(steps: Iterable[NextStep]) -> list[NextStep]:
    return sorted(steps, key=lambda s: (s.on is None, s.on or date.min))


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _month(value: date) -> str:
    return value.strftime("%m/%Y")


def _hm(value: time) -> str:
    return value.strftime("%H:%M")


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _take(qs: QuerySet[Any], limit: int = LIMIT) -> tuple[list[Any], int]:
    """The first `limit` rows and the total: one query, and a count only when there are more."""
    rows = list(qs[: limit + 1])
    if len(rows) <= limit:
        return rows, len(rows)
    return rows[:limit], qs.count()


# --- the page ---------------------------------------------------------------------------------------------


def my_services(user: Any, *, today: date | None = None) -> MyServices:
    """Everything the platform holds for `user` (their own records only)."""
    today = today or timezone.localdate()
    person_id = getattr(user, "person_id", None)
    person = user.person if person_id else None
    result = MyServices(
        has_person=person is not None, person_name=person.full_name if person else "", today=today
    )
    sections: list[Section | None] = []
    if person_id:
        this_month = today.replace(day=1)
        paid_now = set(
            BenefitPayment.objects.filter(person_id=person_id, period=this_month).values_list(
                "kind", "benefit_id"
            )
        )
        claim_section = _unemployment(person_id, today)
        allowance_section = _allowance(person_id, today, paid_now)
        card_section = _card(person_id)
        sections += [
            claim_section,
            allowance_section,
            _pension(person_id, today, paid_now),
            _medicine(person_id, today),
            card_section,
            _payments(person_id),
        ]
    sections += [_dossiers(user, today)]
    if person_id:
        sections += [_applications(user), _fairs(person_id, today)]
    sections += [_support(user)]
    inbox = _inbox(user, today)
    result.unread = inbox[1]
    sections.append(inbox[0])
    result.sections = [s for s in sections if s is not None and s.count]
    result.offers = _offers({s.key for s in result.sections}, has_person=person is not None)
    return result


# --- unemployment benefit ----------------------------------------------------------------------------------


def _claim_steps(claim: BenefitClaim, today: date) -> list[NextStep]:
    step = claim_selectors.next_step(claim, today)
    link = Link("unemployment:mine")
    kind = step["kind"]
    if kind == "notify_now":
        month = step["month"]
        text = _("Notify your job search for benefit month %(n)d by %(day)s") % {
            "n": month.number,
            "day": _day(month.notify_until),
        }
        return [NextStep("unemployment", text, month.notify_until, link)]
    if kind == "wait":
        month = step["month"]
        text = _("Notify your job search for benefit month %(n)d between %(start)s and %(end)s") % {
            "n": month.number,
            "start": _day(month.notify_from),
            "end": _day(month.notify_until),
        }
        return [NextStep("unemployment", text, month.notify_from, link)]
    if kind == "suspended":
        text = _("Your benefit is suspended: notify your job search to continue it")
        return [NextStep("unemployment", text, today, link)]
    return []


def _unemployment(person_id: int, today: date) -> Section:
    section = Section("unemployment", _("Unemployment benefit"), see_all=Link("unemployment:mine"))
    claims, section.count = _take(claim_selectors.claims_of_person(person_id).order_by("-decided_on", "-pk"))
    for claim in claims:
        section.items.append(
            Item(
                title=_("Decision %(number)s") % {"number": claim.decision_number},
                status=claim.status,
                status_label=claim.get_status_display(),
                detail=_("%(months)d months from %(start)s, managed by %(centre)s")
                % {
                    "months": claim.benefit_months,
                    "start": _day(claim.start_date),
                    "centre": claim.centre.name,
                },
                on=claim.start_date,
                amount=claim.monthly_benefit,
                link=Link("unemployment:mine"),
            )
        )
        if claim.status in (ClaimStatus.PAYING, ClaimStatus.SUSPENDED) and not section.steps:
            section.steps = _claim_steps(claim, today)
    return section


# --- the monthly social allowance ------------------------------------------------------------------------


def _allowance(person_id: int, today: date, paid_now: set[tuple[str, int]]) -> Section:
    section = Section("allowance", _("Monthly social allowance"), see_all=Link("welfare_allowance:home"))
    rows, section.count = _take(
        SocialAllowance.objects.filter(person_id=person_id)
        .select_related("commune")
        .prefetch_related("changes")
        .order_by("-starts_on", "-pk")
    )
    this_month = today.replace(day=1)
    for allowance in rows:
        amount = allowance_selectors.amount_in_month(
            allowance, allowance_selectors.allowance_month_now(allowance, today)
        )
        section.items.append(
            Item(
                title=_("Monthly social allowance"),
                status=allowance.status,
                status_label=allowance.get_status_display(),
                detail=_("Decided by %(commune)s, from %(month)s")
                % {"commune": allowance.commune.name, "month": _month(allowance.starts_on)},
                on=allowance.starts_on,
                amount=amount,
                link=Link("welfare_allowance:home"),
            )
        )
        due = (
            allowance.status == AllowanceStatus.ACTIVE
            and allowance.starts_on <= this_month
            and (allowance.ends_on is None or allowance.ends_on >= this_month)
            and (BenefitKind.SOCIAL_ALLOWANCE, allowance.pk) not in paid_now
        )
        if not due:
            continue
        values = {"amount": vnd(amount), "month": _month(this_month)}
        if allowance.payment_method == "service_point":
            text = (
                _("Allowance %(amount)s for %(month)s is due: collect it with your card at any service point")
                % values
            )
        else:
            text = _("Allowance %(amount)s for %(month)s is paid into your bank account this month") % values
        section.steps.append(NextStep("allowance", text, this_month, Link("welfare_allowance:home")))
    return section


# --- pensions --------------------------------------------------------------------------------------------


def _arrangement_in_force(pension: Pension, today: date) -> PensionArrangement | None:
    # Prefetched newest first: the first one already valid is the one in force.
    return next((a for a in pension.arrangements.all() if a.valid_from <= today), None)


def _pension_steps(pension: Pension, today: date, paid_now: set[tuple[str, int]]) -> list[NextStep]:
    link = Link("welfare_pension:home")
    arrangement = _arrangement_in_force(pension, today)
    if arrangement is None:
        return [NextStep("pension", _("Choose how and where to receive your pension"), today, link)]
    if (BenefitKind.PENSION, pension.pk) in paid_now:
        return []
    opens, closes = pension_calendar.payment_window(today, arrangement.method)
    if today > closes:
        return []
    values = {
        "amount": vnd(pension.monthly_amount),
        "month": _month(today),
        "start": _day(opens),
        "end": _day(closes),
    }
    if arrangement.method == pension_calendar.BANK:
        text = _("Pension %(amount)s for %(month)s: paid into your bank account by %(end)s") % values
        return [NextStep("pension", text, closes, link)]
    if arrangement.method == pension_calendar.HOME_DELIVERY:
        text = _("Pension %(amount)s for %(month)s: delivered at home between %(start)s and %(end)s") % values
        return [NextStep("pension", text, opens, link)]
    text = (
        _("Pension %(amount)s for %(month)s: collect it at the post office from %(start)s to %(end)s")
        % values
    )
    return [NextStep("pension", text, opens, link)]


def _pension(person_id: int, today: date, paid_now: set[tuple[str, int]]) -> Section:
    section = Section("pension", _("Pension"), see_all=Link("welfare_pension:home"))
    qs = (
        Pension.objects.filter(person_id=person_id)
        .prefetch_related(
            Prefetch("arrangements", queryset=PensionArrangement.objects.order_by("-valid_from", "-pk"))
        )
        .order_by("-starts_on", "-pk")
    )
    rows, section.count = _take(qs)
    for pension in rows:
        arrangement = _arrangement_in_force(pension, today)
        section.items.append(
            Item(
                title=_("Pension %(code)s") % {"code": pension.social_insurance_code},
                status=pension.status,
                status_label=pension.get_status_display(),
                detail=arrangement.get_method_display() if arrangement else _("No payment arrangement yet"),
                on=pension.starts_on,
                amount=pension.monthly_amount,
                link=Link("welfare_pension:home"),
            )
        )
        if pension.status == PensionStatus.ACTIVE:
            section.steps += _pension_steps(pension, today, paid_now)
    return section


# --- regular medicine ------------------------------------------------------------------------------------


def _medicine_step(request: MedicineRegistration, today: date) -> NextStep | None:
    link = Link("welfare_medicine:home")
    if (
        request.status != MedicineStatus.SCHEDULED
        or request.scheduled_on is None
        or request.scheduled_on < today
    ):
        return None
    values = {"clinic": request.clinic.name, "day": _day(request.scheduled_on)}
    if request.mode == MedicineMode.PICKUP and request.window_start and request.window_end:
        values.update(start=_hm(request.window_start), end=_hm(request.window_end))
        text = _("Your medicine is ready to collect at %(clinic)s on %(day)s, %(start)s–%(end)s") % values
    elif request.mode == MedicineMode.PICKUP:
        text = _("Your medicine is ready to collect at %(clinic)s on %(day)s") % values
    else:
        text = _("Your medicine from %(clinic)s will be delivered on %(day)s") % values
    return NextStep("medicine", text, request.scheduled_on, link)


def _medicine(person_id: int, today: date) -> Section:
    section = Section("medicine", _("Regular medicine"), see_all=Link("welfare_medicine:home"))
    rows, section.count = _take(
        MedicineRegistration.objects.filter(person_id=person_id)
        .select_related("clinic")
        .order_by("-requested_at", "-pk")
    )
    for request in rows:
        section.items.append(
            Item(
                title=request.condition,
                status=request.status,
                status_label=request.get_status_display(),
                detail=request.clinic.name,
                on=request.scheduled_on if request.status in OPEN_MEDICINE_STATUSES else None,
                link=Link("welfare_medicine:home"),
            )
        )
        step = _medicine_step(request, today)
        if step is not None:
            section.steps.append(step)
    return section


# --- the social-security card and the payments made with it -------------------------------------------


def _card(person_id: int) -> Section:
    section = Section("card", _("Social-security card"), see_all=Link("welfare_card:home"))
    card = (
        SocialSecurityCard.objects.filter(person_id=person_id, status=CardStatus.ACTIVE)
        .order_by("-issued_at", "-pk")
        .first()
    )
    if card is not None:
        section.count = 1
        section.items.append(
            Item(
                title=_("Card number %(number)s") % {"number": card.number},
                status=card.status,
                status_label=card.get_status_display(),
                detail=_("Issued on %(day)s") % {"day": _day(_local(card.issued_at).date())},
                on=_local(card.issued_at).date(),
                link=Link("welfare_card:home"),
            )
        )
    return section


def _payments(person_id: int) -> Section:
    section = Section("payments", _("Payments received with the card"), see_all=Link("welfare_card:home"))
    rows, section.count = _take(
        BenefitPayment.objects.filter(person_id=person_id)
        .select_related("service_point")
        .order_by("-recorded_at", "-pk")
    )
    for payment in rows:
        section.items.append(
            Item(
                title=payment.get_kind_display(),
                status="paid",
                status_label=_("Paid"),
                detail=_("Month %(month)s, at %(place)s, receipt %(receipt)s")
                % {
                    "month": _month(payment.period),
                    "place": payment.service_point.name,
                    "receipt": payment.receipt_number,
                },
                on=_local(payment.recorded_at).date(),
                amount=payment.amount,
            )
        )
    return section


# --- dossiers ----------------------------------------------------------------------------------------------


def _dossier_title(dossier: Dossier) -> str:
    version = version_named(dossier.procedure_code, dossier.procedure_version)
    name = str(version.name) if version else dossier.procedure_code
    return f"{name} ({dossier.receipt_code})" if dossier.receipt_code else name


def _dossier_step(dossier: Dossier, title: str, today: date) -> NextStep | None:
    link = Link("dossiers:detail", (dossier.pk,))
    if dossier.state == State.RETURNED:
        return NextStep(
            "dossiers", _("Complete and send again: %(dossier)s") % {"dossier": title}, today, link
        )
    if dossier.state == State.DRAFT:
        return NextStep(
            "dossiers", _("Finish and submit your draft: %(dossier)s") % {"dossier": title}, None, link
        )
    if dossier.state in CLOCK_RUNNING and dossier.due_date:
        text = _("%(dossier)s: answer due by %(day)s") % {"dossier": title, "day": _day(dossier.due_date)}
        return NextStep("dossiers", text, dossier.due_date, link)
    return None


def _dossiers(user: Any, today: date) -> Section:
    section = Section("dossiers", _("My dossiers"), see_all=Link("dossiers:mine"))
    # Open dossiers first (they still ask something of someone), the nearest deadline first; then the newest.
    qs = (
        dossier_selectors.dossiers_for_applicant(user)
        .select_related("receiving_organisation")
        .annotate(finished=Case(When(state__in=FINAL_STATES, then=Value(1)), default=Value(0)))
        .order_by("finished", "queue_due", "-created_at", "-pk")
    )
    rows, section.count = _take(qs)
    for dossier in rows:
        title = _dossier_title(dossier)
        section.items.append(
            Item(
                title=title,
                status=dossier.state,
                status_label=str(STATE_LABELS.get(State(dossier.state), dossier.state)),
                detail=str(dossier_next_step(dossier.state)),
                on=dossier.due_date,
                link=Link("dossiers:detail", (dossier.pk,)),
            )
        )
        step = _dossier_step(dossier, title, today)
        if step is not None:
            section.steps.append(step)
    return section


# --- the job exchange ---------------------------------------------------------------------------------------


def _applications(user: Any) -> Section:
    section = Section("jobs", _("Job applications"), see_all=Link("jobs_seeker:applications"))
    rows, section.count = _take(seeker_selectors.applications_of(user))
    for application in rows:
        vacancy = application.vacancy
        section.items.append(
            Item(
                title=vacancy.title,
                status=application.status,
                status_label=application.get_status_display(),
                detail=vacancy.employer.organisation.name,
                on=_local(application.status_changed_at).date(),
                link=Link("jobs_seeker:applications"),
            )
        )
    return section


def _fairs(person_id: int, today: date) -> Section:
    section = Section("fairs", _("Job fairs and interviews"), see_all=Link("jobs_fair:mine"))
    now = timezone.now()
    registrations, registered = _take(fair_selectors.registrations_of(person_id))
    seeker_id = SeekerProfile.objects.filter(person_id=person_id).values_list("pk", flat=True).first()
    bookings: Sequence[Any] = []
    booked = 0
    if seeker_id is not None:
        bookings, booked = _take(fair_selectors.bookings_of(seeker_id))
    section.count = registered + booked
    for booking in bookings:
        slot = booking.slot
        starts = _local(slot.starts_at)
        employer = slot.booth.employer.organisation.name
        section.items.append(
            Item(
                title=_("Interview with %(employer)s") % {"employer": employer},
                status=booking.status,
                status_label=booking.get_status_display(),
                detail=f"{slot.booth.fair.title}, {starts:%H:%M %d/%m/%Y}",
                on=starts.date(),
                link=Link("jobs_fair:mine"),
            )
        )
        if booking.status == BookingStatus.BOOKED and slot.starts_at >= now:
            text = _("Interview with %(employer)s at %(time)s") % {
                "employer": employer,
                "time": f"{starts:%H:%M %d/%m/%Y}",
            }
            section.steps.append(NextStep("fairs", text, starts.date(), Link("jobs_fair:mine")))
    for registration in registrations:
        fair = registration.fair
        starts = _local(fair.starts_at)
        section.items.append(
            Item(
                title=fair.title,
                status="registered",
                status_label=_("Registered"),
                detail=fair.venue or fair.province.name,
                on=starts.date(),
                link=Link("jobs_fair:detail", (fair.pk,)),
            )
        )
        if fair.ends_at >= now and starts.date() >= today:
            text = _("Job fair %(fair)s on %(day)s") % {"fair": fair.title, "day": _day(starts.date())}
            section.steps.append(NextStep("fairs", text, starts.date(), Link("jobs_fair:detail", (fair.pk,))))
    section.items = section.items[:LIMIT]
    return section


# --- support and SOS requests (workers abroad) ----------------------------------------------------------


def _support(user: Any) -> Section:
    section = Section("support", _("Support and SOS requests"), see_all=Link("sos:app_requests"))
    rows, section.count = _take(sos_selectors.my_requests(user))
    for request in rows:
        section.items.append(
            Item(
                title=request.reference or request.get_kind_display(),
                status=request.status,
                status_label=request.get_status_display(),
                detail=request.get_kind_display()
                if request.kind == RequestKind.SOS
                else request.get_category_display(),
                on=_local(request.created_at).date(),
                link=Link("sos:app_request", (request.pk,)),
            )
        )
    return section


# --- the inbox ---------------------------------------------------------------------------------------------


def _inbox(user: Any, today: date) -> tuple[Section, int]:
    section = Section("inbox", _("Inbox"), see_all=Link("notify:inbox"))
    unread = inbox_selectors.unread_count_for(user)
    rows, section.count = _take(inbox_selectors.inbox_for(user))
    for message in rows:
        section.items.append(
            Item(
                title=message.subject,
                status="unread" if message.read_at is None else "read",
                status_label=_("Unread") if message.read_at is None else _("Read"),
                on=_local(message.created_at).date(),
                link=Link("notify:inbox"),
            )
        )
    if unread:
        text = _("You have %(n)d unread messages") % {"n": unread}
        section.steps.append(NextStep("inbox", text, None, Link("notify:inbox")))
    return section, unread


# --- other services you can use ----------------------------------------------------------------------------


def _offers(used: set[str], *, has_person: bool) -> list[Offer]:
    """Services the person does not use yet, to start from here."""
    offers: list[Offer] = []
    if has_person and "allowance" not in used:
        offers.append(
            Offer("allowance", _("Apply for the monthly social allowance"), Link("welfare_allowance:home"))
        )
    if has_person and "medicine" not in used:
        offers.append(
            Offer("medicine", _("Register to receive your regular medicine"), Link("welfare_medicine:home"))
        )
    if has_person and "card" not in used:
        offers.append(Offer("card", _("Get your social-security card"), Link("welfare_card:home")))
    if "jobs" not in used:
        offers.append(Offer("jobs", _("Find a job"), Link("jobs_public:home")))
    if "unemployment" not in used:
        offers.append(
            Offer("unemployment", _("Estimate your unemployment benefit"), Link("unemployment:estimate"))
        )
    return offers
