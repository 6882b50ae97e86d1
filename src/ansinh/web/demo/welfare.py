"""The citizen social-security services in the demo (issue 8): the commune people's committee of the demo
citizen's ward (it receives their allowance application) and a few others, a health-insurance clinic in
each demo province, benefit service points in three provinces; pensioners with the arrangements the
social-insurance agency would send (marked "demo"), among them the documented `demo.pensioner` with a card
and this month's pension to collect at any service point; monthly allowances decided by the commune
through the dossier engine; regular-medicine requests in the clinic's queue.

The stories go through the real services at their moment (`demo_clock`); the pensions are written
directly, as the partner API would store them, with one `demo.load` audit row.
"""

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ansinh.accounts.models import Organisation, OrganisationKind, Person, User
from ansinh.accounts.services import organisation_create
from ansinh.core import audit
from ansinh.geo.models import Province, Ward
from ansinh.web.demo.clock import demo_clock
from ansinh.web.demo.organisations import DemoTree, province_base_name, province_label
from ansinh.welfare import pension_calendar
from ansinh.welfare.card_signing import card_qr_payload, initials_of
from ansinh.welfare.models import (
    PaymentMethod,
    Pension,
    PensionArrangement,
    PensionStatus,
    SocialAllowance,
    SocialSecurityCard,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PENSIONER_USERNAME = "demo.pensioner"
CASHIER2_USERNAME = "demo.cashier2"
# Accounts of a role that already has its demo account: a cashier in the second province (a card of the
# first province is paid there) and a pensioner, both people of the register (see builder.load).
SECOND_ACCOUNTS: list[tuple[str, str | None, Callable[[DemoTree], Organisation] | None]] = [
    (CASHIER2_USERNAME, "service_point_cashier", lambda t: t.service_points[1]),
    (PENSIONER_USERNAME, None, None),
]
DEMO_PHONE = "+84912000000"  # for people of the register without a phone (a relative's, in the story)
PENSIONERS = 8  # besides demo.pensioner
ALLOWANCES = 3
# Women retire at 56 years 8 months and men at 61 years 3 months in 2026 (Labour Code 2019 Art 169.2,
# Decree 135/2020), up to five years earlier after arduous work or with reduced capacity (Art 169.3): the
# register's people are 18 to 62, so the demo's pensioners are its oldest, from 55 (women) or 60 (men).
PENSION_AGE = {"F": 55, "M": 60}
PENSION_AMOUNTS = (3_850_000, 4_620_000, 5_310_000, 6_275_000, 7_480_000, 9_120_000)
BANKS = ("Agribank", "Vietcombank", "BIDV", "VietinBank")
# (group, children, circumstances) of the allowances the commune decided.
ALLOWANCE_STORIES = [
    ("disability_severe", None, "Khuyết tật vận động nặng sau tai nạn, sống với mẹ già, không thu nhập."),
    ("single_parent", 2, "Chồng mất năm 2023, một mình nuôi hai con đang đi học, hộ cận nghèo."),
    ("disability_extreme", None, "Khuyết tật đặc biệt nặng, cần người chăm sóc thường xuyên."),
]  # fmt: skip
MEDICINE_STORIES = [
    ("Tăng huyết áp", "Amlodipin 5 mg, 1 viên mỗi sáng"),
    ("Đái tháo đường type 2", "Metformin 500 mg, 2 viên mỗi ngày"),
    ("Bệnh phổi tắc nghẽn mạn tính", "Thuốc xịt Salbutamol"),
    ("Tăng huyết áp", "Losartan 50 mg, 1 viên mỗi ngày"),
]


@dataclass
class WelfareDemo:
    communes: int = 0
    clinics: int = 0
    service_points: int = 0
    pensions: int = 0
    allowances: int = 0
    medicine_requests: int = 0
    cards: int = 0
    payments: int = 0


def _ward_label(ward: Ward) -> str:
    """ "Phường Vinh Phú" -> "phường Vinh Phú" (the form inside an official name)."""
    unit, _space, rest = ward.name.partition(" ")
    return f"{unit.lower()} {rest}" if unit.lower() in {"phường", "xã", "đặc"} else ward.name


def _org(tree: DemoTree, code: str, name: str, name_en: str, kind: str, **extra: Any) -> Organisation:
    node = organisation_create(actor=None, code=code, name=name, name_en=name_en, kind=kind, **extra)
    tree.all.append(node)
    return node


def _commune(tree: DemoTree, ward: Ward) -> Organisation:
    existing = next((c for c in tree.communes if c.ward_id == ward.pk), None)
    if existing is not None:
        return existing
    commune = _org(
        tree,
        f"UBND-{ward.code}",
        f"Ủy ban nhân dân {_ward_label(ward)}",
        f"People's Committee of {ward.name}",
        OrganisationKind.COMMUNE,
        province=ward.province,
        ward=ward,
    )
    tree.communes.append(commune)
    return commune


def add_welfare_bodies(tree: DemoTree, citizen: Person) -> None:
    """Made right after the demo citizen's person (their ward is drawn with it): their commune first (the
    commune accounts work there), a clinic in each demo province (the main one is the citizen's ward's
    health station) and a post office service point in the first three provinces."""
    main = tree.main.province
    home = Ward.objects.filter(pk=citizen.ward_id or 0).select_related("province").first()
    if home is None:  # reference data without wards: the main province's first ward
        home = Ward.objects.filter(province=main).select_related("province").order_by("code").first()
    if home is None:
        raise ValueError("the demo's social-security bodies need the wards of the reference data")
    _commune(tree, home)
    for ward in Ward.objects.filter(province=main).exclude(pk=home.pk).order_by("code")[:2]:
        _commune(tree, ward)
    for units in tree.provincial:
        province = units.province
        clinic_ward = (
            home
            if province == home.province
            else Ward.objects.filter(province=province).order_by("code").first()
        )
        if clinic_ward is None:
            continue
        tree.clinics.append(
            _org(tree, f"TYT-{clinic_ward.code}", f"Trạm Y tế {_ward_label(clinic_ward)}",
                 f"Health station of {clinic_ward.name}", OrganisationKind.CLINIC, province=province)
        )  # fmt: skip
    for units in tree.provincial[:3]:
        province = units.province
        tree.service_points.append(
            _org(tree, f"BD-{province.code}-DCT", f"Bưu điện {province_label(province)} – điểm chi trả",
                 f"{province_base_name(province)} Post Office – benefit payment point",
                 OrganisationKind.SERVICE_POINT, province=province)
        )  # fmt: skip


# --- people of the register ----------------------------------------------------------------------------


def _free_people(province: Province | None = None) -> QuerySet[Person]:
    """People of the register with no account and no other demo story (abroad, job seeking, a benefit)."""
    people = Person.objects.filter(
        user__isnull=True,
        job_seeker__isnull=True,
        overseas_records__isnull=True,
        pensions__isnull=True,
        social_allowances__isnull=True,
    ).exclude(ward=None)
    if province is not None:
        people = people.filter(province=province)
    return people.order_by("id")


def _born_before(today: date, years: int) -> date:
    return (
        today.replace(year=today.year - years)
        if not (today.month == 2 and today.day == 29)
        else (date(today.year - years, 2, 28))
    )


def _pension_age_people(today: date, province: Province | None = None) -> QuerySet[Person]:
    from django.db.models import Q

    return _free_people(province).filter(
        Q(sex="F", date_of_birth__lte=_born_before(today, PENSION_AGE["F"]))
        | Q(sex="M", date_of_birth__lte=_born_before(today, PENSION_AGE["M"]))
    )


def second_account_people(tree: DemoTree, today: date) -> dict[str, Person]:
    second = tree.provincial[1].province if len(tree.provincial) > 1 else tree.main.province
    cashier = _free_people(second).first()
    # Any seed works: the main province's oldest if none there is of pension age.
    pensioner = (
        _pension_age_people(today, tree.main.province).first()
        or _free_people(tree.main.province).order_by("date_of_birth", "id").first()
    )
    if cashier is None or pensioner is None:
        raise ValueError("the register is too small for the demo's second accounts")
    return {CASHIER2_USERNAME: cashier, PENSIONER_USERNAME: pensioner}


# --- pensions -------------------------------------------------------------------------------------------


def _arrangement(
    pension: Pension, method: str, service_point: Organisation | None, rng: random.Random, now: datetime
) -> PensionArrangement:
    person = pension.person
    fields: dict[str, object] = {}
    if method == PaymentMethod.BANK:
        fields = {
            "bank_name": rng.choice(BANKS),
            "bank_account": "".join(rng.choice("0123456789") for _ in range(13)),
            "account_holder": person.full_name.upper(),
        }
    elif method == PaymentMethod.POST_OFFICE:
        fields = {"service_point": service_point}
    else:
        fields = {
            "delivery_address": person.address or "",
            "delivery_reason": "Đi lại khó khăn sau tai biến, sống một mình.",
        }
    return PensionArrangement.objects.create(
        pension=pension,
        method=method,
        province=pension.province,
        valid_from=pension_calendar.month_start(pension.starts_on),
        created_at=now,
        acknowledged_at=now,
        **fields,
    )


def _load_pensions(tree: DemoTree, pensioner: Person, *, seed: int, today: date) -> int:
    """The documented pensioner collects cash at the post office of the main province; the others are paid
    by each method. Received from the agency at the start of last month: last month and this one are due
    (`benefits_due` leaves out the months before the platform had the pension)."""
    rng = random.Random(f"demo-pensions-{seed}")  # noqa: S311 - reproducible demo data
    points = {p.province_id: p for p in tree.service_points}
    provinces = [u.province for u in tree.provincial]
    others = list(
        _pension_age_people(today).filter(province__in=provinces).exclude(pk=pensioner.pk)[:PENSIONERS]
    )
    received = timezone.make_aware(datetime.combine(_last_month(today), time(9)), VN)
    methods = [PaymentMethod.POST_OFFICE, PaymentMethod.BANK, PaymentMethod.HOME_DELIVERY, PaymentMethod.BANK]
    created: list[Pension] = []
    for n, person in enumerate([pensioner, *others]):
        assert person.province is not None
        retired = person.date_of_birth.replace(day=1) if person.date_of_birth else today
        retired = retired.replace(year=retired.year + PENSION_AGE[person.sex or "M"] - 1)
        pension = Pension.objects.create(
            person=person,
            social_insurance_code=f"{person.province.code}{seed % 100:02d}{n + 1:06d}",
            pension_kind="retirement",
            monthly_amount=rng.choice(PENSION_AMOUNTS),
            starts_on=min(retired, today.replace(day=1)),
            status=PensionStatus.ACTIVE,
            province=person.province,
            source="demo",
            received_at=received,
        )
        method = methods[n % len(methods)]
        point = points.get(person.province_id)
        if method == PaymentMethod.POST_OFFICE and point is None:
            method = PaymentMethod.BANK
        _arrangement(pension, method, point, rng, received)
        created.append(pension)
    audit.record(
        actor=None,
        action="demo.load",
        object_type="welfare.pension",
        changes={"count": len(created), "first_id": created[0].pk, "last_id": created[-1].pk, "seed": seed},
    )
    return len(created)


# --- allowances -----------------------------------------------------------------------------------------


def _load_allowances(tree: DemoTree, *, today: date) -> int:
    """People of the main province living in the demo citizen's commune (moved there: the register draws
    their wards at random) apply at its one-stop desk; the chairman approves five weeks ago, so the
    allowance is paid from last month and this month is due."""
    from ansinh.dossiers.models import IssuedDocument
    from ansinh.dossiers.services import filing, transitions
    from ansinh.web.demo.unemployment import FOLLOW_UP
    from ansinh.welfare.procedures import ALLOWANCE_APPLICATION

    commune = tree.communes[0]
    officer = User.objects.get(username="demo.commune")
    chair = User.objects.get(username="demo.chair")
    people = list(
        _free_people(tree.main.province).filter(date_of_birth__gt=_born_before(today, 55))[
            : len(ALLOWANCE_STORIES)
        ]
    )
    Person.objects.filter(pk__in=[p.pk for p in people]).update(ward=commune.ward)
    decided = timezone.make_aware(datetime.combine(today - timedelta(days=35), time(10)), VN)
    count = 0
    for n, (person, (group, children, circumstances)) in enumerate(
        zip(people, ALLOWANCE_STORIES, strict=False)
    ):
        filed = decided - timedelta(days=8 + n)
        form: dict[str, Any] = {
            "group": group,
            "circumstances": circumstances,
            "phone": person.phone or DEMO_PHONE,
            "payment_method": "service_point",
        }
        if children:
            form["children"] = children
        with demo_clock(filed), transaction.atomic():
            dossier = filing.dossier_receive_at_counter(
                actor=officer,
                procedure_code=ALLOWANCE_APPLICATION,
                applicant_id_number=person.personal_id or "",
                applicant_person_id=person.pk,
                form_data=form,
                organisation_id=commune.pk,
            )
            transitions.dossier_act(actor=officer, dossier_id=dossier.pk, action="submit")
            transitions.dossier_act(actor=officer, dossier_id=dossier.pk, action="accept")
        with demo_clock(decided + timedelta(minutes=n)), transaction.atomic():
            transitions.dossier_act(actor=chair, dossier_id=dossier.pk, action="approve")
        # As for every demo step, its documents (receipt, decision) are dated a minute after it.
        for document in IssuedDocument.objects.filter(dossier=dossier).select_related("event"):
            IssuedDocument.objects.filter(pk=document.pk).update(issued_at=document.event.at + FOLLOW_UP)
        count += 1
    return count


# --- medicine -----------------------------------------------------------------------------------------


def _insurance_card(prefix: str, person: Person) -> str:
    """The usual printed form: two letters (the holder's group), the benefit level, the province's code and
    ten digits (here the end of the personal ID number)."""
    province = person.province.code if person.province else "40"
    return f"{prefix}{province[-2:]}{(person.personal_id or '0' * 10)[-10:]}"


def _load_medicine(tree: DemoTree, pensioner: User, *, today: date) -> int:
    """Requests waiting in the queue of the clinic of the citizen's ward: `demo.citizen` and
    `demo.pensioner` asked online yesterday (through the service); two allowance beneficiaries asked
    through a relative's phone call, taken down by the clinic (written directly, one audit row)."""
    from ansinh.welfare.models import MedicineMode, MedicineRegistration
    from ansinh.welfare.services.medicine import medicine_request

    clinic = tree.clinics[0]
    citizen = User.objects.select_related("person__province").get(username="demo.citizen")
    asked = timezone.make_aware(datetime.combine(today - timedelta(days=1), time(19, 30)), VN)
    online = [
        (citizen, "GD4", MEDICINE_STORIES[0], MedicineMode.PICKUP),
        (pensioner, "HT3", MEDICINE_STORIES[1], MedicineMode.DELIVERY),
    ]
    count = 0
    for n, (user, prefix, (condition, medicines), mode) in enumerate(online):
        assert user.person is not None
        with demo_clock(asked + timedelta(minutes=7 * n)):
            medicine_request(
                actor=user,
                clinic_id=clinic.pk,
                insurance_card_number=_insurance_card(prefix, user.person),
                condition=condition,
                medicines=medicines,
                mode=mode,
                delivery_address=user.person.address or "",
                phone=user.person.phone or DEMO_PHONE,
            )
        count += 1
    phoned = [
        MedicineRegistration(
            person=allowance.person,
            clinic=clinic,
            insurance_card_number=_insurance_card("BT2", allowance.person),
            condition=condition,
            medicines=medicines,
            mode=MedicineMode.DELIVERY,
            delivery_address=allowance.person.address or "",
            phone=allowance.person.phone or DEMO_PHONE,
            requested_at=asked - timedelta(days=1, hours=n),
            org_path=clinic.path,
            province=clinic.province,
        )
        for n, (allowance, (condition, medicines)) in enumerate(
            zip(
                SocialAllowance.objects.filter(commune=tree.communes[0]).select_related("person__province")
                .order_by("id")[:2],
                MEDICINE_STORIES[2:],
                strict=False,
            )
        )
    ]  # fmt: skip
    created = MedicineRegistration.objects.bulk_create(phoned)
    if created:
        audit.record(
            actor=None,
            action="demo.load",
            object_type="welfare.medicineregistration",
            changes={"count": len(created), "ids": [r.pk for r in created]},
        )
    return count + len(created)


# --- cards and payments --------------------------------------------------------------------------------


def _last_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def _qr(card: SocialSecurityCard) -> str:
    return card_qr_payload(
        card.number,
        card.issue,
        timezone.localdate(card.issued_at),
        initials=initials_of(card.person.full_name),
    )


def _load_cards(tree: DemoTree, pensioner: User, *, today: date) -> tuple[int, int]:
    """The pensioner asked for the card online last month and collected last month's pension with it at
    the main province's post office; the allowance beneficiaries got theirs from the commune and collected
    their first month. This month is left to collect (at any service point of any province: `demo.cashier2`
    in the second province)."""
    from ansinh.welfare.benefits_due import benefits_due
    from ansinh.welfare.services import card_payments, cards

    cashier = User.objects.get(username="demo.cashier")
    officer = User.objects.get(username="demo.commune")
    this_month = today.replace(day=1)
    asked = timezone.make_aware(datetime.combine(_last_month(today) + timedelta(days=2), time(8)), VN)
    with demo_clock(asked):
        issued = [cards.card_issue(actor=pensioner)[0]]
    for allowance in SocialAllowance.objects.filter(commune=tree.communes[0]).order_by("id"):
        with demo_clock(allowance.decided_at + timedelta(hours=2)):
            issued.append(cards.card_issue(actor=officer, person_id=allowance.person_id)[0])
    paid = 0
    for card in issued:
        moment = max(card.issued_at + timedelta(hours=1), asked + timedelta(days=2, hours=1))
        if timezone.localdate(moment) >= this_month:
            continue
        with demo_clock(moment):
            for item in benefits_due(card.person, timezone.localdate(moment)):
                card_payments.payment_record(
                    actor=cashier,
                    qr=_qr(card),
                    kind=item.kind,
                    benefit_id=item.benefit_id,
                    period=item.period,
                    request_key=f"demo-{item.kind}-{item.benefit_id}-{item.period:%Y%m}",
                )
                paid += 1
    return len(issued), paid


def load_welfare(tree: DemoTree, *, seed: int, today: date) -> WelfareDemo:
    """Loads the stories outside any transaction (as `load_dossiers`): each step commits, so the decision
    documents are issued and can be backdated. The messages the services send stay in the inboxes; none
    leaves the platform (the demo's addresses are invented)."""
    from django.db.models import Max

    from ansinh.notify.models import Delivery, DeliveryStatus, Message
    from ansinh.web.demo.dossiers import NOT_SENT, deliveries_muted, task_log_quiet

    pensioner = Person.objects.get(user__username=PENSIONER_USERNAME)
    result = WelfareDemo(
        communes=len(tree.communes), clinics=len(tree.clinics), service_points=len(tree.service_points)
    )
    first_message = Message.objects.aggregate(top=Max("pk"))["top"] or 0
    with deliveries_muted(), task_log_quiet():
        with transaction.atomic():
            result.pensions = _load_pensions(tree, pensioner, seed=seed, today=today)
        result.allowances = _load_allowances(tree, today=today)
        pensioner_user = User.objects.select_related("person__province").get(username=PENSIONER_USERNAME)
        result.cards, result.payments = _load_cards(tree, pensioner_user, today=today)
        with transaction.atomic():
            result.medicine_requests = _load_medicine(tree, pensioner_user, today=today)
    Delivery.objects.filter(message_id__gt=first_message).update(
        status=DeliveryStatus.SKIPPED, last_error=NOT_SENT, sent_at=None
    )
    return result


# --- the accounts page ----------------------------------------------------------------------------------


def welfare_lines(welfare: WelfareDemo, second_accounts: Sequence[Any]) -> list[str]:
    """The social-security section of `docs/demo-accounts.md`, with the second accounts (`DemoAccount`s)."""
    lines = [
        "## Social-security services",
        "",
        "Two more accounts, of roles that already have one above:",
        "",
        "| Username | Role | Organisation | Password | TOTP secret |",
        "|---|---|---|---|---|",
    ]
    for a in second_accounts:
        secret = f"`{a.totp_secret}`" if a.totp_secret else "-"
        lines.append(
            f"| `{a.username}` | `{a.role_code}` | {a.organisation or '-'} | `{a.password}` | {secret} |"
        )
    lines += [""]
    lines += [f"- `{a.username}`: `{a.totp_uri}`" for a in second_accounts if a.totp_secret]
    lines += [
        "",
        f"{welfare.communes} commune people's committees (the first serves `demo.citizen`'s ward: "
        "`demo.commune` receives and `demo.chair` decides its monthly social allowance applications at "
        f"`/social/allowance/commune/`), {welfare.clinics} health-insurance clinics (`demo.clinic` works "
        "the first one's regular-medicine queue at `/social/medicine/clinic/`) and "
        f"{welfare.service_points} benefit service points (post offices). `demo.citizen` sees everything "
        "on `/my-services/` (the page after signing in), "
        "applies for the allowance from `/social/allowance/` and gets the social-security card at "
        "`/social/card/`.",
        "",
        f'{welfare.pensions} pensioners (data source "demo", as the social-insurance agency would send '
        "them) are paid by bank transfer, at the post office or at home. `demo.pensioner` collects the "
        "pension in cash with the card: last month was paid at the main province's post office; this "
        "month is still due, so `demo.cashier2` (another province) scans the card at "
        "`/social/card/scan/` (paste the text under the QR on `demo.pensioner`'s `/social/card/`) and pays "
        "it; a second scan of the same month is refused. The pension page is `/social/pension/`.",
        "",
        f"{welfare.allowances} people of `demo.citizen`'s commune receive the monthly social allowance, "
        f"decided by the commune chairman five weeks ago through the dossier engine; {welfare.cards} cards "
        f"are issued and {welfare.payments} months paid with them. {welfare.medicine_requests} "
        "regular-medicine requests wait in the clinic's queue.",
    ]
    return lines
