"""Pure rules: the state machine, the deadline arithmetic, the form schema, procedure versions by date."""

from datetime import date, timedelta

import pytest

from ansinh.core.calendar import WorkingCalendar
from ansinh.core.errors import ValidationFailed
from ansinh.dossiers import rules
from ansinh.dossiers.forms_schema import clean_form_data, json_schema
from ansinh.dossiers.procedures import State, version_on
from ansinh.dossiers.rules import Action, Side
from ansinh.unemployment.procedures import BENEFIT_CLAIM, BENEFIT_TRANSFER

CLAIM = version_on(BENEFIT_CLAIM, date(2026, 6, 1))
TRANSFER = version_on(BENEFIT_TRANSFER, date(2026, 6, 1))
# Labour Day 2026: Thu 30 Apr and Fri 1 May are holidays.
CAL = WorkingCalendar([date(2026, 4, 30), date(2026, 5, 1)])


def test_versions_are_chosen_by_date():
    assert version_on(BENEFIT_CLAIM, date(2025, 12, 31)).version == "2015"
    assert version_on(BENEFIT_CLAIM, date(2026, 1, 1)).version == "2026"
    assert version_on(BENEFIT_TRANSFER, date(2025, 12, 31)) is None


@pytest.mark.parametrize(
    ("state", "action", "target"),
    [
        (State.DRAFT, Action.SUBMIT, State.SUBMITTED),
        (State.SUBMITTED, Action.RETURN, State.RETURNED),
        (State.RETURNED, Action.RESUBMIT, State.SUBMITTED),
        (State.SUBMITTED, Action.ACCEPT, State.ACCEPTED),
        (State.ACCEPTED, Action.START, State.IN_PROCESSING),
        (State.IN_PROCESSING, Action.APPROVE, State.APPROVED),
        (State.IN_PROCESSING, Action.REFUSE, State.REFUSED),
        (State.APPROVED, Action.DELIVER, State.DELIVERED),
        (State.REFUSED, Action.DELIVER, State.DELIVERED),
        (State.ACCEPTED, Action.WITHDRAW, State.WITHDRAWN),
        (State.RETURNED, Action.CANCEL, State.CANCELLED),
    ],
)
def test_allowed_steps(state, action, target):
    transition = rules.transition_for(CLAIM, state, action)
    assert transition is not None
    assert transition.target == target


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (State.DRAFT, Action.ACCEPT),
        (State.SUBMITTED, Action.APPROVE),  # not checked for completeness yet
        (State.RETURNED, Action.ACCEPT),
        (State.APPROVED, Action.REFUSE),
        (State.DELIVERED, Action.RETURN),
        (State.WITHDRAWN, Action.RESUBMIT),
        (State.CANCELLED, Action.SUBMIT),
    ],
)
def test_illegal_steps(state, action):
    assert rules.transition_for(CLAIM, state, action) is None


def test_a_procedure_only_uses_its_own_states():
    # The transfer has no in-processing step and cannot be cancelled by the body.
    assert rules.transition_for(TRANSFER, State.ACCEPTED, Action.START) is None
    assert rules.transition_for(TRANSFER, State.RETURNED, Action.CANCEL) is None
    assert rules.transition_for(TRANSFER, State.ACCEPTED, Action.APPROVE) is not None
    assert rules.allowed_actions(TRANSFER, State.SUBMITTED, Side.STAFF) == [Action.RETURN, Action.ACCEPT]


def test_notes_are_required_to_return_and_to_refuse():
    assert rules.TRANSITIONS[Action.RETURN].note_required
    assert rules.TRANSITIONS[Action.REFUSE].note_required
    assert not rules.TRANSITIONS[Action.APPROVE].note_required


def test_due_date_counts_working_days_across_a_holiday():
    # Filed Tue 28 Apr 2026: 29 Apr, then 4-8 May, 11-15, 18-21 May → the 15th working day is Thu 21 May.
    assert rules.due_date(date(2026, 4, 28), 15, CAL.add_working_days) == date(2026, 5, 21)
    # Filed on the holiday itself: received the next working day (Mon 4 May).
    assert rules.received_on(date(2026, 5, 1), CAL.is_working_day, CAL.next_working_day) == date(2026, 5, 4)
    assert rules.due_date(date(2026, 5, 4), 3, CAL.add_working_days) == date(2026, 5, 7)


def test_urgency():
    due = date(2026, 5, 21)

    def urgency(day: date | None, today: date) -> rules.Urgency:
        return rules.urgency(day, today, CAL.add_working_days(today, rules.DUE_SOON_WORKING_DAYS))

    assert urgency(due, date(2026, 5, 22)) == rules.Urgency.OVERDUE
    assert urgency(due, date(2026, 5, 19)) == rules.Urgency.DUE_SOON
    assert urgency(due, date(2026, 5, 18)) == rules.Urgency.ON_TIME
    assert urgency(None, date(2026, 5, 18)) == rules.Urgency.ON_TIME
    assert urgency(due, due - timedelta(days=30)) == rules.Urgency.ON_TIME


def test_form_values_are_cleaned_and_errors_name_each_field():
    cleaned = clean_form_data(
        CLAIM.fields,
        {
            "termination_date": "2026-10-30",
            "last_employer": "  Công ty A ",
            "contract_kind": "indefinite",
            "phone": "0912 345 678",
            "wants_training": "on",
        },
    )
    assert cleaned == {
        "termination_date": "2026-10-30",
        "last_employer": "Công ty A",
        "contract_kind": "indefinite",
        "phone": "+84912345678",
        "wants_training": True,
    }
    with pytest.raises(ValidationFailed) as exc:
        clean_form_data(CLAIM.fields, {"termination_date": "2026-02-30", "phone": "12", "nickname": "x"})
    assert set(exc.value.details["fields"]) == {
        "termination_date",
        "phone",
        "nickname",
        "last_employer",
        "contract_kind",
    }


def test_partial_drafts_skip_missing_but_check_typed_values():
    draft = clean_form_data(CLAIM.fields, {"phone": "0912345678"}, partial=True)
    assert draft == {"phone": "+84912345678", "wants_training": False}  # an unticked box is an answer
    with pytest.raises(ValidationFailed):
        clean_form_data(CLAIM.fields, {"contract_kind": "forever"}, partial=True)


def test_json_schema_describes_the_form():
    schema = json_schema(CLAIM.fields)
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"termination_date", "last_employer", "contract_kind", "phone"}
    assert schema["properties"]["termination_date"]["format"] == "date"
    assert schema["properties"]["wants_training"]["type"] == "boolean"
