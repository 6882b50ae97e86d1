"""The social-security card's pages (namespace `welfare_card`):

- the citizen's card (`/social/card/`): get it, see it with its QR, the benefits due and the payments made,
  "I lost my card" (revoke and re-issue at once), and the printable PDF;
- the service point (`/social/card/scan/`): one box a scanner types the QR into, then the holder and the
  benefits due with one "Record payment" button each (a request key made when the page is shown, so a
  double click records once), and the receipt;
- the officer (`/social/card/manage/`): find a person, issue, revoke, re-issue;
- the public keys for offline verifiers (`/social/card/keys.json`).

Thin: the same services and selectors as `card_api`. Plain forms that work without JavaScript; every POST
that changes something redirects (PRG), except a refused payment, which shows the scan again with the reason.
"""

import uuid
from datetime import date
from typing import Any

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ansinh.core.errors import DomainError
from ansinh.web.forms import error_text
from ansinh.web.pages import signed_in_page
from ansinh.welfare import card_selectors as sel
from ansinh.welfare.benefits_due import benefits_due
from ansinh.welfare.card_forms import CardSearchForm, PayForm, RevokeForm, ScanForm
from ansinh.welfare.card_selectors import qr_text
from ansinh.welfare.card_signing import display_number, public_jwks
from ansinh.welfare.models import RevokeReason, SocialSecurityCard
from ansinh.welfare.permissions import CARD_MANAGE, PAYMENT_RECORD
from ansinh.welfare.services import card_payments, cards

KEYS_MAX_AGE = 3600


def qr_svg(payload: str, label: str) -> SafeString:
    """The QR as inline SVG, made on the server (no external image, no script)."""
    svg = segno.make(payload, error="m").svg_inline(scale=4, dark="#111", omitsize=True, title=label)
    return mark_safe(svg)  # noqa: S308 - segno's own markup of our own alphanumeric payload


def _refuse_or_message(request: HttpRequest, exc: DomainError) -> None:
    if exc.status in (401, 403, 404):
        raise exc
    messages.error(request, error_text(exc))


# --- the citizen -------------------------------------------------------------------------------------------


@require_safe
@signed_in_page()
def home(request: HttpRequest) -> HttpResponse:
    person_id = getattr(request.user, "person_id", None)
    context: dict[str, Any] = {"has_person": bool(person_id), "card": None}
    if person_id:
        card = sel.active_card_of(person_id)
        context |= {
            "card": card,
            "history": list(sel.cards_of(person_id)[:10]),
            "due": benefits_due(person_id),
            "payments": list(sel.payments_of(person_id)[:20]),
            "holder_reasons": [
                (value, label) for value, label in RevokeReason.choices if value in cards.HOLDER_REASONS
            ],
        }
        if card is not None:
            payload = qr_text(card)
            context |= {
                "qr": payload,
                "qr_svg": qr_svg(payload, _("Social-security card QR code")),
                "number": display_number(card.number),
            }
    return render(request, "welfare/card/home.html", context)


@require_POST
@signed_in_page()
def get_card(request: HttpRequest) -> HttpResponse:
    try:
        _card, created = cards.card_issue(actor=request.user)
    except DomainError as exc:
        _refuse_or_message(request, exc)
    else:
        if created:
            messages.success(request, _("Your social-security card is ready."))
    return redirect("welfare_card:home")


@require_POST
@signed_in_page()
def lost(request: HttpRequest) -> HttpResponse:
    reason = request.POST.get("reason") or RevokeReason.LOST
    try:
        card = cards.card_reissue(actor=request.user, reason=reason)
    except DomainError as exc:
        _refuse_or_message(request, exc)
    else:
        messages.success(
            request,
            _(
                "Your old card no longer works. Your new card is issue %(issue)d; print it or show it in "
                "the app."
            )
            % {"issue": card.issue},
        )
    return redirect("welfare_card:home")


@require_safe
@signed_in_page()
def card_pdf(request: HttpRequest) -> HttpResponse:
    from ansinh.core.pdf import qr_data_uri, render_pdf

    card = sel.active_card_of(getattr(request.user, "person_id", None))
    if card is None:
        messages.error(request, _("You have no valid card to print yet."))
        return redirect("welfare_card:home")
    payload = qr_text(card)
    pdf = render_pdf(
        "welfare/card/pdf.html",
        {
            "card": card,
            "person": card.person,
            "number": display_number(card.number),
            "qr": qr_data_uri(payload),
            "payload": payload,
            "issued_on": timezone.localdate(card.issued_at),
        },
        language="vi",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="the-an-sinh-{card.number}-{card.issue}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- the service point -------------------------------------------------------------------------------------


def _scan_page(request: HttpRequest, form: ScanForm, status: int = 200, **extra: Any) -> HttpResponse:
    return render(request, "welfare/card/scan.html", {"form": form, **extra}, status=status)


def _with_keys(scan: card_payments.CardScan, qr: str) -> dict[str, Any]:
    """The scan's result with one fresh request key per item: the key is made now, when the page is shown,
    so a second click on the same button sends the same key and records nothing more."""
    items = [{"due": item, "request_key": uuid.uuid4().hex} for item in scan.due]
    return {"scan": scan, "items": items, "qr": qr, "total": sum(item.amount for item in scan.due)}


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(PAYMENT_RECORD)
def scan(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _scan_page(request, ScanForm())
    form = ScanForm(request.POST)
    if not form.is_valid():
        return _scan_page(request, form, 400)
    qr = form.cleaned_data["qr"]
    try:
        result = card_payments.card_scan(actor=request.user, qr=qr)
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        form.add_error("qr", error_text(exc))
        return _scan_page(request, form, exc.status)
    return _scan_page(request, ScanForm(), **_with_keys(result, qr))


@require_POST
@signed_in_page(PAYMENT_RECORD)
def pay(request: HttpRequest) -> HttpResponse:
    form = PayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The payment form was incomplete. Scan the card again."))
        return redirect("welfare_card:scan")
    kind, benefit_id, period = form.cleaned_data["item"].split(":")
    qr = form.cleaned_data["qr"]
    try:
        payment, created = card_payments.payment_record(
            actor=request.user,
            qr=qr,
            kind=kind,
            benefit_id=int(benefit_id),
            period=date.fromisoformat(period),
            request_key=form.cleaned_data["request_key"],
        )
    except (ValueError, DomainError) as exc:
        if isinstance(exc, DomainError) and exc.status in (401, 403):
            raise
        refusal = error_text(exc) if isinstance(exc, DomainError) else _("The payment form was incomplete.")
        status = exc.status if isinstance(exc, DomainError) else 400
        return _refused(request, qr, refusal, status)
    if not created:
        messages.info(request, _("This payment was already recorded: here is its receipt."))
    return redirect("welfare_card:receipt", payment_id=payment.pk)


def _refused(request: HttpRequest, qr: str, refusal: str, status: int) -> HttpResponse:
    """The refusal on top of the card scanned again (the list may have changed), or on the empty scan form
    when the card itself is refused now."""
    try:
        result = card_payments.card_scan(actor=request.user, qr=qr)
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        return _scan_page(request, ScanForm(), status, refusal=refusal)
    return _scan_page(request, ScanForm(), status, refusal=refusal, **_with_keys(result, qr))


@require_safe
@signed_in_page(PAYMENT_RECORD)
def receipt(request: HttpRequest, payment_id: int) -> HttpResponse:
    payment = sel.payment_get_for_cashier(request.user, payment_id)
    return render(
        request,
        "welfare/card/receipt.html",
        {"payment": payment, "number": display_number(payment.card.number) if payment.card else ""},
    )


# --- the officer -------------------------------------------------------------------------------------------


@require_safe
@signed_in_page(CARD_MANAGE)
def manage(request: HttpRequest) -> HttpResponse:
    form = CardSearchForm(request.GET or None)
    people = sel.card_search_for(request.user, form.cleaned_data["q"]) if form.is_valid() else []
    active = {
        card.person_id: card for card in SocialSecurityCard.objects.filter(person__in=people, status="active")
    }
    rows = [{"person": person, "card": active.get(person.pk)} for person in people]
    return render(
        request, "welfare/card/manage.html", {"form": form, "rows": rows, "searched": form.is_bound}
    )


@require_safe
@signed_in_page(CARD_MANAGE)
def manage_person(request: HttpRequest, person_id: int) -> HttpResponse:
    person = sel.card_person_get_for(request.user, person_id)
    history = list(sel.cards_of(person.pk))
    card = next((c for c in history if c.status == "active"), None)
    return render(
        request,
        "welfare/card/manage_person.html",
        {
            "person": person,
            "card": card,
            "number": display_number(card.number) if card else "",
            "history": history,
            "revoke_form": RevokeForm(),
            "id_last4": (person.personal_id or "")[-4:],
        },
    )


@require_POST
@signed_in_page(CARD_MANAGE)
def manage_issue(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        card, created = cards.card_issue(actor=request.user, person_id=person_id)
    except DomainError as exc:
        _refuse_or_message(request, exc)
    else:
        if created:
            messages.success(request, _("Card %(number)s issued.") % {"number": display_number(card.number)})
    return redirect("welfare_card:manage_person", person_id=person_id)


@require_POST
@signed_in_page(CARD_MANAGE)
def manage_revoke(request: HttpRequest, person_id: int, card_id: int) -> HttpResponse:
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the reason."))
        return redirect("welfare_card:manage_person", person_id=person_id)
    reissue = request.POST.get("then") == "reissue"
    try:
        if reissue:
            card = cards.card_reissue(actor=request.user, card_id=card_id, reason=form.cleaned_data["reason"])
            messages.success(
                request, _("The card was revoked and issue %(issue)d made.") % {"issue": card.issue}
            )
        else:
            cards.card_revoke(actor=request.user, card_id=card_id, reason=form.cleaned_data["reason"])
            messages.success(request, _("The card was revoked."))
    except DomainError as exc:
        _refuse_or_message(request, exc)
    return redirect("welfare_card:manage_person", person_id=person_id)


# --- public ------------------------------------------------------------------------------------------------


@require_safe
def keys(request: HttpRequest) -> JsonResponse:
    """The card signing keys as a JWK set, for verifiers that check card QRs offline."""
    response = JsonResponse(public_jwks())
    response["Cache-Control"] = f"public, max-age={KEYS_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response
