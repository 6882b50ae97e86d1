"""The social-security card's domain errors: stable codes, messages a cashier or a citizen can act on."""

from django.utils.translation import gettext_lazy as _

from ansinh.core.errors import Conflict, DomainError, PermissionDenied


class CardForged(DomainError):
    """Not a card QR, a QR whose signature does not verify, or one signed for a card that does not exist.
    `details["reason"]`: "format", "unknown_key", "signature" or "unknown_card" (for the logs; the
    cashier sees one message, since the advice is the same)."""

    code = "welfare.card_forged"
    status = 422
    default_message = _(
        "This QR code is not a genuine social-security card. Do not pay: ask for the holder's ID card "
        "and call the social affairs office."
    )


class CardRevoked(Conflict):
    code = "welfare.card_revoked"
    default_message = _("This card was revoked; ask the holder for the new card.")


class NoCard(Conflict):
    code = "welfare.no_card"
    default_message = _("There is no valid social-security card for this person.")


class CardNotActive(Conflict):
    code = "welfare.card_not_active"
    default_message = _("This card is no longer valid; only the valid card can be changed.")


class NeedsPersonalId(Conflict):
    code = "welfare.card_needs_personal_id"
    default_message = _(
        "Your account has no personal ID number yet. Add it to your profile (or ask the commune) to get "
        "the card."
    )


class AlreadyPaid(Conflict):
    code = "welfare.already_paid"
    default_message = _("This month was already paid.")


class NotDue(Conflict):
    code = "welfare.not_due"
    default_message = _("This benefit month is not due for this card: it is not in the list of benefits due.")


class NotAtServicePoint(PermissionDenied):
    code = "welfare.not_at_service_point"
    default_message = _("Payments are recorded from a service point's account.")


class RequestKeyReused(Conflict):
    code = "welfare.request_key_reused"
    default_message = _(
        "This request key was already used for another payment. Reload the page and try again."
    )
