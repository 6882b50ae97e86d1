"""Reads of social-security cards and the payments made with them.

Scope:
- A citizen sees their own card, its history and the payments made to them (no permission needed).
- An officer with `welfare_card.manage` sees the people of their area: the whole country (nation scope),
  the people living in their provinces (province scope), or, for a commune's people's committee (organisation
  scope), the people living in the ward it serves and those whose social allowance it decided. Reading a
  person's card this way is audited.
- A cashier (`welfare_payment.record`) sees a card only by scanning it (services.card_payments), in any
  province: the card goes where its holder goes.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ansinh.accounts.models import Organisation, OrganisationKind, Person
from ansinh.accounts.selectors import active_memberships, grant_for, membership_allows
from ansinh.core import audit
from ansinh.core.errors import NotFound
from ansinh.core.text import normalise_search
from ansinh.welfare.card_signing import card_qr_payload, initials_of
from ansinh.welfare.models import BenefitPayment, CardStatus, SocialAllowance, SocialSecurityCard
from ansinh.welfare.permissions import CARD_MANAGE, PAYMENT_RECORD

SEARCH_LIMIT = 20


# --- the holder's own --------------------------------------------------------------------------------------


def active_card_of(person_id: int | None) -> SocialSecurityCard | None:
    if not person_id:
        return None
    return SocialSecurityCard.objects.filter(person_id=person_id, status=CardStatus.ACTIVE).first()


def qr_text(card: SocialSecurityCard) -> str:
    """The signed QR text of a card (freshly signed with the current key; see card_signing)."""
    return card_qr_payload(
        card.number,
        card.issue,
        timezone.localdate(card.issued_at),
        initials=initials_of(card.person.full_name),
    )


def cards_of(person_id: int) -> QuerySet[SocialSecurityCard]:
    """Every issue of the person's card, newest first."""
    return SocialSecurityCard.objects.filter(person_id=person_id).order_by("-issue")


def payments_of(person_id: int) -> QuerySet[BenefitPayment]:
    return (
        BenefitPayment.objects.filter(person_id=person_id)
        .select_related("service_point", "province")
        .order_by("-recorded_at", "-id")
    )


# --- officers ----------------------------------------------------------------------------------------------


def may_manage_cards(actor: Any) -> bool:
    return not grant_for(actor, CARD_MANAGE).empty


def people_for_card_officer(actor: Any) -> QuerySet[Person]:
    """The people whose cards the actor manages (see the module docstring); none without the permission."""
    grant = grant_for(actor, CARD_MANAGE)
    if grant.nation:
        return Person.objects.all()
    where = Q(pk__in=[])
    if grant.province_ids:
        where |= Q(province_id__in=sorted(grant.province_ids))
    for path in sorted(grant.org_paths):
        wards = Organisation.objects.filter(
            path__startswith=path, kind=OrganisationKind.COMMUNE, ward__isnull=False
        ).values("ward_id")
        decided = SocialAllowance.objects.filter(person=OuterRef("pk"), org_path__startswith=path)
        where |= Q(ward_id__in=wards) | Q(Exists(decided))
    return Person.objects.filter(where)


def card_person_get_for(actor: Any, person_id: int) -> Person:
    """One person, for an officer managing cards; the read is audited."""
    person = people_for_card_officer(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound()
    audit.record_read(actor=actor, obj=person, reason="welfare.card")
    return person


def card_search_for(actor: Any, query: str) -> list[Person]:
    """People the officer manages, by personal ID number, card number or name (at most 20)."""
    term = "".join((query or "").split())
    if not term:
        return []
    people = people_for_card_officer(actor)
    if term.isdigit() and len(term) == 12:
        holders = SocialSecurityCard.objects.filter(number=term).values("person_id")
        people = people.filter(Q(personal_id=term) | Q(pk__in=holders))
    elif term.isdigit():
        people = people.filter(personal_id=term)
    else:
        people = people.filter(name_search__contains=normalise_search(query))
    return list(people.order_by("name_search", "pk")[:SEARCH_LIMIT])


# --- cashiers ----------------------------------------------------------------------------------------------


def service_point_of(actor: Any) -> Organisation | None:
    """The organisation the actor records payments for: their service point (the first membership whose
    role may record payments; a service point before any other kind of organisation)."""
    candidates = [m for m in active_memberships(actor) if membership_allows(m, PAYMENT_RECORD)]
    candidates.sort(key=lambda m: (m.organisation.kind != OrganisationKind.SERVICE_POINT, m.pk))
    return candidates[0].organisation if candidates else None


def card_by_number_issue(number: str, issue: int) -> SocialSecurityCard | None:
    return SocialSecurityCard.objects.select_related("person").filter(number=number, issue=issue).first()


def payment_by_request_key(service_point_id: int, request_key: str) -> BenefitPayment | None:
    return (
        BenefitPayment.objects.select_related("service_point", "province")
        .filter(service_point_id=service_point_id, request_key=request_key)
        .first()
    )


def payment_for_month(kind: str, benefit_id: int, period: Any) -> BenefitPayment | None:
    return (
        BenefitPayment.objects.select_related("service_point", "province")
        .filter(kind=kind, benefit_id=benefit_id, period=period)
        .first()
    )


def payment_get_for_cashier(actor: Any, payment_id: int) -> BenefitPayment:
    """A payment recorded at the actor's service point (its receipt page)."""
    point = service_point_of(actor)
    payment = (
        BenefitPayment.objects.select_related("service_point", "province", "person", "card")
        .filter(pk=payment_id, service_point_id=point.pk if point else None)
        .first()
    )
    if payment is None:
        raise NotFound()
    return payment
