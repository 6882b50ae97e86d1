"""Writes of social-security cards: issue, revoke, re-issue.

- One valid card per person (a database constraint). The number stays with the person for life; each issue
  has its own `issue` number, signed into the QR, so the QR of a revoked card stops working everywhere the
  moment it is revoked (the service point checks the issue against the database when it pays).
- A citizen gets their own card online once their account carries a personal ID number (the identity
  behind it was checked when the account was linked to the national ID); an officer with
  `welfare_card.manage` issues, revokes and re-issues for the people of their area (card_selectors).
- Asking for a card twice gives the card already issued (a double click makes one card).
- Every write is audited and the holder is told (after commit).
"""

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts.models import Person
from ansinh.accounts.selectors import require_permission
from ansinh.core import audit
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.notify.services import notify_person
from ansinh.welfare import card_messages, card_selectors
from ansinh.welfare.card_errors import CardNotActive, NeedsPersonalId, NoCard
from ansinh.welfare.card_signing import card_number_for, current_key_id, display_number
from ansinh.welfare.models import CardStatus, RevokeReason, SocialSecurityCard
from ansinh.welfare.permissions import CARD_MANAGE

# What a holder may give as the reason when they revoke their own card; the others are an officer's.
HOLDER_REASONS = (RevokeReason.LOST, RevokeReason.DAMAGED, RevokeReason.OTHER)


def card_issue(*, actor: Any, person_id: int | None = None) -> tuple[SocialSecurityCard, bool]:
    """The person's card: a new one (issue 1, or the next issue of their number after a revocation), or the
    valid one they already have. `person_id` None (or the actor's own): a citizen for themselves. Returns
    the card and whether it was made now."""
    person = _person_for(actor, person_id, issuing=True)
    with transaction.atomic():
        _lock(person)
        active = card_selectors.active_card_of(person.pk)
        if active is not None:
            return active, False
        card = _new_issue(actor, person)
    _tell_issued(person, card)
    return card, True


def card_revoke(*, actor: Any, card_id: int, reason: str) -> SocialSecurityCard:
    """Revokes a valid card: its QR is refused from now on. The holder (lost, damaged, other) or an officer
    (any reason)."""
    card = SocialSecurityCard.objects.select_related("person").filter(pk=card_id).first()
    if card is None:
        raise NotFound()
    own = _check_access(actor, card.person_id)
    _check_reason(reason, own)
    with transaction.atomic():
        _lock(card.person)
        card = SocialSecurityCard.objects.select_related("person").get(pk=card_id)
        if card.status != CardStatus.ACTIVE:
            raise CardNotActive()
        _revoke(actor, card, reason)
    _tell_revoked(card)
    return card


def card_reissue(
    *,
    actor: Any,
    card_id: int | None = None,
    person_id: int | None = None,
    reason: str = RevokeReason.LOST,
) -> SocialSecurityCard:
    """A new card with the same number and the next issue: the valid card (if still valid) is revoked with
    `reason` (lost by default) in the same transaction. By card, by person, or (neither) the actor's own."""
    if card_id is not None:
        card = SocialSecurityCard.objects.filter(pk=card_id).only("person_id").first()
        if card is None:
            raise NotFound()
        person_id = card.person_id
    own = _check_access(actor, person_id if person_id is not None else getattr(actor, "person_id", None))
    _check_reason(reason, own)
    person = _person_for(actor, person_id, issuing=False)
    with transaction.atomic():
        _lock(person)
        previous = card_selectors.active_card_of(person.pk)
        if previous is None and not card_selectors.cards_of(person.pk).exists():
            raise NoCard()
        if previous is not None:
            _revoke(actor, previous, reason)
        card = _new_issue(actor, person)
    if previous is not None:
        _tell_revoked(previous)
    _tell_issued(person, card)
    return card


# --- helpers -----------------------------------------------------------------------------------------------


def _person_for(actor: Any, person_id: int | None, *, issuing: bool) -> Person:
    own_id = getattr(actor, "person_id", None)
    if person_id is None or person_id == own_id:
        if not own_id:
            raise NotFound()
        person = Person.objects.get(pk=own_id)
        if issuing and not (person.personal_id or "").strip():
            raise NeedsPersonalId()
        return person
    require_permission(actor, CARD_MANAGE)
    return card_selectors.card_person_get_for(actor, person_id)


def _check_access(actor: Any, person_id: int | None) -> bool:
    """True when the actor acts on their own card; an officer's card must be in their area; anyone else
    does not see the card at all."""
    if person_id is not None and person_id == getattr(actor, "person_id", None):
        return True
    if person_id is None or not card_selectors.may_manage_cards(actor):
        raise NotFound()
    if not card_selectors.people_for_card_officer(actor).filter(pk=person_id).exists():
        raise NotFound()
    return False


def _check_reason(reason: str, own: bool) -> None:
    allowed = HOLDER_REASONS if own else RevokeReason.values
    if reason not in allowed:
        choices = ", ".join(str(value) for value in allowed)
        raise ValidationFailed.single(
            "reason", _("Choose the reason: one of %(choices)s.") % {"choices": choices}
        )


def _lock(person: Person) -> None:
    # Issues for one person are serialised on the person's row: two "get my card" clicks, or an officer
    # and the holder at once, make one card (the one-valid-card constraint would refuse the second anyway).
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True).first()


def _new_issue(actor: Any, person: Person) -> SocialSecurityCard:
    previous = card_selectors.cards_of(person.pk).first()
    card = SocialSecurityCard.objects.create(
        person=person,
        number=previous.number if previous is not None else card_number_for(person.pk),
        issue=previous.issue + 1 if previous is not None else 1,
        key_id=current_key_id(),
        issued_at=timezone.now(),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    card.person = person
    audit.record(
        actor=actor,
        action="welfare.card_issue",
        obj=card,
        changes={"person": person.pk, "number": card.number, "issue": card.issue, "key_id": card.key_id},
    )
    return card


def _revoke(actor: Any, card: SocialSecurityCard, reason: str) -> None:
    card.status = CardStatus.REVOKED
    card.revoked_at = timezone.now()
    card.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    card.revoke_reason = reason
    card.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
    audit.record(
        actor=actor,
        action="welfare.card_revoke",
        obj=card,
        changes={"person": card.person_id, "number": card.number, "issue": card.issue, "reason": reason},
    )


def _tell_issued(person: Person, card: SocialSecurityCard) -> None:
    context = {"number": display_number(card.number), "issue": str(card.issue)}
    link = reverse("welfare_card:home")
    transaction.on_commit(lambda: notify_person(person, card_messages.CARD_ISSUED, context, link=link))


def _tell_revoked(card: SocialSecurityCard) -> None:
    person = card.person
    revoked_at = card.revoked_at or timezone.now()
    context = {
        "number": display_number(card.number),
        "issue": str(card.issue),
        "day": timezone.localtime(revoked_at).strftime("%d/%m/%Y %H:%M"),
        "reason": str(RevokeReason(card.revoke_reason).label) if card.revoke_reason else "",
    }
    link = reverse("welfare_card:home")
    transaction.on_commit(lambda: notify_person(person, card_messages.CARD_REVOKED, context, link=link))
