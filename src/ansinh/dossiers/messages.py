"""What the engine tells people: notification templates and the applicant's next step for each state."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ansinh.dossiers.procedures import State
from ansinh.notify.templates import register_template

STATE_CHANGED = "dossier.state_changed"
DOCUMENT_ISSUED = "dossier.document_issued"
ASSIGNED = "dossier.assigned"
DEADLINES = "dossier.deadlines"

register_template(
    STATE_CHANGED,
    _("Dossier {receipt_code}: {state}"),
    _(
        'Your dossier "{procedure}" ({receipt_code}) is now: {state}.\n{note}\n'
        "Due date: {due_date}.\n{next_step}"
    ),
)
register_template(
    DOCUMENT_ISSUED,
    _("Dossier {receipt_code}: {document}"),
    _(
        'Your dossier "{procedure}" ({receipt_code}) is now: {state}.\n{note}\n'
        "{document} has been issued: open the dossier to download it (verification code {short_code}).\n"
        "Due date: {due_date}.\n{next_step}"
    ),
)
register_template(
    ASSIGNED,
    _("{count} dossier(s) assigned to you"),
    _("You are now the officer in charge of: {codes}."),
)
register_template(
    DEADLINES,
    _("Deadlines: {overdue} overdue, {due_soon} due within 2 working days"),
    _("{organisation}\nOverdue: {overdue_codes}\nDue within 2 working days: {due_soon_codes}"),
)

NEXT_STEP: dict[State, Promise] = {
    State.DRAFT: _("Complete the form, attach the documents and submit the dossier."),
    State.SUBMITTED: _("Nothing for now: the officers are checking your dossier."),
    State.RETURNED: _("Add or correct what the officer asked for, then submit the dossier again."),
    State.ACCEPTED: _("Nothing for now: your dossier is complete and will be decided by the due date."),
    State.IN_PROCESSING: _("Nothing for now: your dossier is being decided."),
    State.APPROVED: _("The decision is ready: download it or collect it at the receiving body."),
    State.REFUSED: _(
        "Read the reasons in the refusal. You may file again, or complain or appeal as it explains."
    ),
    State.DELIVERED: _("Nothing more: the result has been delivered."),
    State.WITHDRAWN: _("Nothing more: you withdrew the dossier."),
    State.CANCELLED: _("Nothing more: the dossier was cancelled."),
}


def next_step(state: str) -> Promise:
    return NEXT_STEP[State(state)]


# How each step reads on the timeline.
ACTION_LABELS: dict[str, Promise] = {
    "create": _("Dossier opened"),
    "submit": _("Submitted"),
    "return": _("Returned for completion"),
    "resubmit": _("Submitted again, completed"),
    "accept": _("Accepted as complete"),
    "start": _("Processing started"),
    "approve": _("Approved"),
    "refuse": _("Refused"),
    "deliver": _("Result delivered"),
    "withdraw": _("Withdrawn by the applicant"),
    "cancel": _("Cancelled"),
    "attach": _("Document attached"),
    "detach": _("Document removed"),
    "assign": _("Officer in charge changed"),
    "document": _("Document issued"),
}


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
