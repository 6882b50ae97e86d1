"""Pure rules of the dossier engine: the state machine and the deadline arithmetic. No ORM here.

The one-stop procedure (Decree 61/2018/NĐ-CP, as amended by Decree 107/2021/NĐ-CP and replaced in part by
Decree 118/2025/NĐ-CP): a dossier is received, and if incomplete it is returned with a single written
guidance of what is missing; the processing time runs from the day the *complete* dossier is received, so
a return stops the clock and a resubmission starts it again from zero. See docs/decisions/0006.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ansinh.dossiers.procedures import ProcedureVersion, State


class Action(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"  # for completion
    RESUBMIT = "resubmit"
    ACCEPT = "accept"
    START = "start"  # processing
    APPROVE = "approve"
    REFUSE = "refuse"
    DELIVER = "deliver"
    WITHDRAW = "withdraw"
    CANCEL = "cancel"


class Side(StrEnum):
    APPLICANT = "applicant"
    STAFF = "staff"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[State]
    target: State
    side: Side
    note_required: bool = False


_OPEN = frozenset({State.SUBMITTED, State.RETURNED, State.ACCEPTED, State.IN_PROCESSING})

TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        Transition(Action.SUBMIT, frozenset({State.DRAFT}), State.SUBMITTED, Side.APPLICANT),
        Transition(
            Action.RETURN,
            frozenset({State.SUBMITTED, State.ACCEPTED, State.IN_PROCESSING}),
            State.RETURNED,
            Side.STAFF,
            note_required=True,
        ),
        Transition(Action.RESUBMIT, frozenset({State.RETURNED}), State.SUBMITTED, Side.APPLICANT),
        Transition(Action.ACCEPT, frozenset({State.SUBMITTED}), State.ACCEPTED, Side.STAFF),
        Transition(Action.START, frozenset({State.ACCEPTED}), State.IN_PROCESSING, Side.STAFF),
        Transition(
            Action.APPROVE, frozenset({State.ACCEPTED, State.IN_PROCESSING}), State.APPROVED, Side.STAFF
        ),
        Transition(
            Action.REFUSE,
            frozenset({State.ACCEPTED, State.IN_PROCESSING}),
            State.REFUSED,
            Side.STAFF,
            note_required=True,
        ),
        Transition(Action.DELIVER, frozenset({State.APPROVED, State.REFUSED}), State.DELIVERED, Side.STAFF),
        Transition(Action.WITHDRAW, _OPEN | {State.DRAFT}, State.WITHDRAWN, Side.APPLICANT),
        Transition(Action.CANCEL, frozenset({State.SUBMITTED, State.RETURNED}), State.CANCELLED, Side.STAFF),
    )
}

FINAL_STATES = frozenset({State.DELIVERED, State.WITHDRAWN, State.CANCELLED})
# States in which the receiving body owes the applicant an answer by the due date.
CLOCK_RUNNING = frozenset({State.SUBMITTED, State.ACCEPTED, State.IN_PROCESSING})


def transition_for(procedure: ProcedureVersion, state: State, action: Action) -> Transition | None:
    """The transition `action` from `state` under `procedure`, or None when it is not allowed.

    A procedure that does not use a state (no in-processing step, no withdrawal) cannot enter it.
    """
    transition = TRANSITIONS.get(action)
    if transition is None or state not in transition.sources:
        return None
    if transition.target not in procedure.states or state not in procedure.states:
        return None
    return transition


def allowed_actions(procedure: ProcedureVersion, state: State, side: Side) -> list[Action]:
    return [
        action
        for action, t in TRANSITIONS.items()
        if t.side == side and transition_for(procedure, state, action) is not None
    ]


def received_on(
    submitted: date, is_working_day: Callable[[date], bool], next_working_day: Callable[[date], date]
) -> date:
    """A dossier filed on a weekend or holiday (online, any hour) is received on the next working day."""
    return submitted if is_working_day(submitted) else next_working_day(submitted)


def due_date(complete_on: date, processing_days: int, add_working_days: Callable[[date, int], date]) -> date:
    """The last day for the answer: `processing_days` working days after the complete dossier's receipt."""
    return add_working_days(complete_on, processing_days)


class Urgency(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


DUE_SOON_WORKING_DAYS = 2


def urgency(due: date | None, today: date, due_soon_until: date) -> Urgency:
    """Overdue after the due date; due soon up to `due_soon_until` (today + 2 working days, from the
    calendar), which is also what the sweep warns about."""
    if due is None:
        return Urgency.ON_TIME
    if today > due:
        return Urgency.OVERDUE
    if due <= due_soon_until:
        return Urgency.DUE_SOON
    return Urgency.ON_TIME
