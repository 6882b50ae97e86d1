"""The one-stop counter: a numbered ticket per centre per day, called to a desk, then served or left.

Numbers restart at 1 each day at each centre. Two tickets issued at the same moment cannot get the same
number: the table's unique (centre, day, number) refuses the second, which retries with the next number
(inside a savepoint, so the transaction stays usable). Calling the next ticket locks the first waiting one
with `SELECT ... FOR UPDATE SKIP LOCKED`, so two desks calling at once get two different people.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ansinh.core import audit
from ansinh.core.errors import Conflict, ValidationFailed
from ansinh.jobs import centre_selectors as sel
from ansinh.jobs.errors import StatusChangeNotAllowed
from ansinh.jobs.models import CounterTicket, ServiceKind, TicketStatus
from ansinh.jobs.services.service_records import person_for_service, service_delivered

ISSUE_ATTEMPTS = 20


class QueueEmpty(Conflict):
    code = "jobs.queue_empty"
    default_message = gettext_lazy("Nobody is waiting.")


def _desk(desk: str) -> str:
    desk = " ".join((desk or "").split())
    if not desk:
        raise ValidationFailed.single("desk", _("Enter the number or name of your desk."))
    if len(desk) > 20:
        raise ValidationFailed.single("desk", _("Keep the desk name under 20 characters."))
    return desk


@transaction.atomic
def ticket_issue(
    *,
    actor: Any,
    centre_id: Any = None,
    purpose: str,
    personal_id: str = "",
    full_name: str = "",
) -> CounterTicket:
    """The next number of the day at the centre. The person may be named now (by the personal ID number)
    or at the desk; a ticket served without a person records no service."""
    centre = sel.centre_get_for(actor, centre_id)
    purpose = " ".join((purpose or "").split())
    if not purpose:
        raise ValidationFailed.single("purpose", _("Say what the person came for."))
    if len(purpose) > 40:
        raise ValidationFailed.single("purpose", _("Keep it under 40 characters."))
    person = person_for_service(personal_id=personal_id, full_name=full_name) if personal_id else None
    day = timezone.localdate()
    for _attempt in range(ISSUE_ATTEMPTS):
        last = CounterTicket.objects.filter(centre=centre, day=day).aggregate(n=Max("number"))["n"] or 0
        try:
            with transaction.atomic():
                ticket = CounterTicket.objects.create(
                    centre=centre,
                    day=day,
                    number=last + 1,
                    person=person,
                    purpose=purpose,
                    org_path=centre.path,
                )
        except IntegrityError:
            continue  # another ticket took this number meanwhile: take the next one
        break
    else:  # pragma: no cover - twenty collisions in a row
        raise Conflict(_("The counter is very busy. Please try again."))
    audit.record(actor=actor, action="jobs.ticket_issue", obj=ticket)
    return ticket


@transaction.atomic
def ticket_call_next(*, actor: Any, centre_id: Any = None, desk: str) -> CounterTicket:
    """The lowest waiting number of the day is called to the desk."""
    centre = sel.centre_get_for(actor, centre_id)
    desk = _desk(desk)
    ticket = (
        CounterTicket.objects.select_for_update(skip_locked=True)
        .filter(centre=centre, day=timezone.localdate(), status=TicketStatus.WAITING)
        .order_by("number")
        .first()
    )
    if ticket is None:
        raise QueueEmpty()
    ticket.status = TicketStatus.CALLED
    ticket.desk = desk
    ticket.called_at = timezone.now()
    ticket.served_by = actor
    ticket.save(update_fields=["status", "desk", "called_at", "served_by"])
    audit.record(actor=actor, action="jobs.ticket_call", obj=ticket, changes={"desk": desk})
    return ticket


def _locked(actor: Any, ticket_id: int) -> CounterTicket:
    found = sel.ticket_get_for(actor, ticket_id)
    ticket = CounterTicket.objects.select_for_update().get(pk=found.pk)
    ticket.centre = found.centre
    return ticket


@transaction.atomic
def ticket_serve(*, actor: Any, ticket_id: int, personal_id: str = "", full_name: str = "") -> CounterTicket:
    """The person at the desk was served. With a person (named on the ticket or now), the service is
    recorded and they get a satisfaction survey."""
    ticket = _locked(actor, ticket_id)
    if ticket.status not in (TicketStatus.WAITING, TicketStatus.CALLED):
        raise StatusChangeNotAllowed()
    if personal_id and ticket.person_id is None:
        ticket.person = person_for_service(personal_id=personal_id, full_name=full_name)
    now = timezone.now()
    ticket.status = TicketStatus.SERVED
    ticket.served_at = now
    ticket.called_at = ticket.called_at or now
    ticket.served_by = actor
    ticket.save(update_fields=["status", "served_at", "called_at", "served_by", "person"])
    audit.record(actor=actor, action="jobs.ticket_serve", obj=ticket)
    if ticket.person is not None:
        service_delivered(
            centre=ticket.centre, person=ticket.person, kind=ServiceKind.COUNTER, source_id=ticket.pk, at=now
        )
    return ticket


@transaction.atomic
def ticket_leave(*, actor: Any, ticket_id: int) -> CounterTicket:
    """The person called did not come to the desk, or went away."""
    ticket = _locked(actor, ticket_id)
    if ticket.status not in (TicketStatus.WAITING, TicketStatus.CALLED):
        raise StatusChangeNotAllowed()
    ticket.status = TicketStatus.LEFT
    ticket.save(update_fields=["status"])
    audit.record(actor=actor, action="jobs.ticket_leave", obj=ticket)
    return ticket
