"""The unemployment-benefit rules, case by case from the text of the laws (domain/README.md section 1), with
the real wage tables of the foundation (core/data/legal_parameters.csv) and no database."""

import dataclasses
from datetime import date

import pytest
from django.utils import translation

from ansinh.core.calendar import WorkingCalendar
from ansinh.core.legal import parameter_file_rows
from ansinh.unemployment import rules
from ansinh.unemployment.rules import Claim, Contribution, InvalidClaim, PreviousClaim

TABLE = rules.WageTable(parameter_file_rows())
WEEKDAYS = WorkingCalendar()  # Monday to Friday, no holidays: the day counts below are easy to check


def months(first: str, count: int, wage: int = 8_000_000, region: str = "I") -> list[Contribution]:
    start = date.fromisoformat(first + "-01")
    return [Contribution(rules.add_months(start, n), wage, region) for n in range(count)]


def run(claim: Claim, today: date = date(2026, 11, 26)) -> rules.Estimate:
    return rules.estimate(claim, TABLE, WEEKDAYS.add_working_days, today)


def test_the_rule_set_is_the_one_in_force_on_the_decision_day():
    assert rules.rule_set_on(date(2025, 12, 31)) == rules.OLD_RULES
    assert rules.rule_set_on(date(2026, 1, 1)) == rules.NEW_RULES  # Law 74/2025 Art 55.4


def test_twelve_months_within_the_24_before_termination_make_a_claimant_eligible():
    twelve = Claim(date(2026, 3, 15), months("2025-04", 12), filed_on=date(2026, 3, 20))
    assert run(twelve).eligible
    eleven = Claim(date(2026, 3, 15), months("2025-05", 11), filed_on=date(2026, 3, 20))
    result = run(eleven)
    assert not result.eligible
    assert result.benefit_months == 0
    assert "12" in result.reasons[0]
    # Months older than the 24-month window do not count (Law 74/2025 Art 38.1.b).
    old_and_recent = Claim(
        date(2026, 3, 15), months("2023-01", 6) + months("2025-10", 6), filed_on=date(2026, 3, 20)
    )
    assert not run(old_and_recent).eligible


def test_a_short_contract_looks_back_36_months():
    history = months("2023-06", 6) + months("2025-10", 6)  # 12 months within 36, 6 within 24
    new_short = Claim(date(2026, 3, 15), history, contract_months=6, filed_on=date(2026, 3, 20))
    assert run(new_short).eligible  # Law 74: contracts of 1 to under 12 months
    indefinite = Claim(date(2026, 3, 15), history, filed_on=date(2026, 3, 20))
    assert not run(indefinite).eligible
    # Old rules: only seasonal contracts of 3 to under 12 months (Law 38 Art 49.2).
    old_two_months = Claim(date(2025, 3, 15), months("2022-06", 6) + months("2024-10", 6), contract_months=2,
                           filed_on=date(2025, 3, 20))  # fmt: skip
    assert not run(old_two_months).eligible
    old_six_months = Claim(date(2025, 3, 15), old_two_months.contributions, contract_months=6,
                           filed_on=date(2025, 3, 20))  # fmt: skip
    assert run(old_six_months).eligible


@pytest.mark.parametrize(
    ("contributed", "benefit_months"),
    [(11, 0), (12, 3), (36, 3), (47, 3), (48, 4), (60, 5), (143, 11), (144, 12), (200, 12)],
)
def test_benefit_months_3_for_12_to_36_then_one_per_12_at_most_12(contributed, benefit_months):
    assert rules.benefit_months_for(contributed) == benefit_months  # Art 50.2 / Art 39.2


def test_reserved_months_and_the_144_month_limit_of_the_new_rules():
    assert rules.reserved_months_for(40, 3, rules.NEW_RULES) == 4
    assert rules.reserved_months_for(30, 3, rules.NEW_RULES) == 0
    assert rules.reserved_months_for(40, 1, rules.NEW_RULES) == 28  # stopped after one month
    assert rules.reserved_months_for(150, 12, rules.NEW_RULES) == 0  # Decree 374 Art 8.1
    assert rules.reserved_months_for(150, 12, rules.OLD_RULES) == 6


def test_sixty_percent_of_the_six_most_recent_contributed_months_gaps_skipped():
    history = (
        months("2025-01", 4, 6_000_000)
        + months("2025-07", 6, 9_000_000)[:2]
        + months("2025-11", 4, 10_000_000)
    )
    result = run(Claim(date(2026, 2, 27), history, filed_on=date(2026, 3, 2)))
    # The six most recent: Jul, Aug at 9 M and Nov-Feb at 10 M (Sep-Oct missing are skipped).
    assert result.average_wage == 9_666_667  # 58,000,000 / 6, to the nearest đồng
    assert result.monthly_benefit == round((2 * 9_000_000 + 4 * 10_000_000) * 6 / 60)
    assert result.contribution_months == 10
    assert not result.eligible  # 10 months: too few


def test_wages_are_capped_at_20_times_the_minimum_wage_of_their_month_and_the_benefit_at_5_times():
    history = months("2025-03", 12, 200_000_000)  # every month far above the cap
    result = run(Claim(date(2026, 2, 28), history, filed_on=date(2026, 3, 2)))
    # The six most recent months: Sep-Dec 2025 at 20 x 4,960,000, Jan-Feb 2026 at 20 x 5,310,000.
    assert result.average_wage == round((4 * 20 * 4_960_000 + 2 * 20 * 5_310_000) / 6)
    assert result.benefit_cap == 5 * 5_310_000 == 26_550_000  # last contribution month, region I
    assert result.monthly_benefit == result.benefit_cap
    capped = [s for s in result.explanation if s.legal_basis == rules.cite("Law 74/2025 Art 34.2")]
    assert [s.value for s in capped] == [20 * 4_960_000] * 4 + [20 * 5_310_000] * 2


def test_old_rules_cap_the_state_pay_scale_by_the_base_salary():
    history = months("2024-09", 12, 50_000_000)
    result = run(Claim(date(2025, 8, 31), history, pay_regime=rules.STATE, filed_on=date(2025, 9, 3)))
    assert result.rule_set == rules.OLD_RULES
    assert result.benefit_cap == 5 * 2_340_000 == 11_700_000  # at termination (Law 38 Art 50.1)
    assert result.average_wage == 20 * 2_340_000
    assert result.monthly_benefit == 11_700_000
    employer = run(Claim(date(2025, 8, 31), history, filed_on=date(2025, 9, 3)))
    assert employer.benefit_cap == 5 * 4_960_000


def test_start_day_11th_working_day_new_16th_old_and_the_benefit_months():
    new = run(Claim(date(2026, 2, 27), months("2025-03", 12), filed_on=date(2026, 3, 2)))  # a Monday
    assert new.start_date == date(2026, 3, 17)
    assert new.periods == [
        rules.Period(date(2026, 3, 17), date(2026, 4, 16)),
        rules.Period(date(2026, 4, 17), date(2026, 5, 16)),
        rules.Period(date(2026, 5, 17), date(2026, 6, 16)),
    ]
    old = run(Claim(date(2025, 2, 28), months("2024-03", 12), filed_on=date(2025, 3, 3)))  # a Monday
    assert old.start_date == date(2025, 3, 25)
    month_end = rules.benefit_periods(date(2026, 1, 31), 2)
    assert month_end == [
        rules.Period(date(2026, 1, 31), date(2026, 2, 27)),
        rules.Period(date(2026, 2, 28), date(2026, 3, 30)),
    ]


def test_previous_claim_reserved_months_add_to_the_months_after_it():
    # As in the estimator's contract: decided 28 July 2020 under the old rules.
    claim = Claim(
        termination_date=date(2020, 7, 28),
        contributions=months("2019-08", 12),
        decided_on=date(2020, 7, 28),
        contract_months=12,
        previous_claim=PreviousClaim(date(2020, 2, 28), 26),
    )
    result = run(claim, today=date(2020, 7, 28))
    assert result.rule_set == rules.OLD_RULES
    assert result.eligible
    assert result.contribution_months == 26 + 5  # March to July 2020
    assert result.benefit_months == 3
    assert result.reserved_months == 0
    assert result.average_wage == 8_000_000
    assert result.monthly_benefit == 4_800_000
    assert result.benefit_cap == 5 * 4_420_000


def test_filing_later_than_three_months_is_refused():
    result = run(Claim(date(2026, 2, 27), months("2025-03", 12), filed_on=date(2026, 5, 28)))
    assert not result.eligible
    assert "27/05/2026" in result.reasons[0]


@pytest.mark.parametrize(
    ("claim", "field"),
    [
        (Claim(date(2026, 3, 1), [*months("2025-03", 2), *months("2025-04", 1)]), "contributions.2.month"),
        (Claim(date(2026, 3, 1), months("2026-12", 1)), "contributions.0.month"),
        (Claim(date(2026, 3, 1), months("2025-03", 1, wage=-1)), "contributions.0.wage"),
        (Claim(date(2026, 3, 1), months("2025-03", 1, region="V")), "contributions.0.region"),
        (Claim(date(2025, 3, 1), months("2025-03", 2)), "termination_date"),
        (Claim(date(2026, 3, 1), months("2025-03", 1), pay_regime="freelance"), "pay_regime"),
        (Claim(date(2026, 3, 1), months("2025-03", 1), previous_claim=PreviousClaim(date(2026, 4, 1), 3)),
         "previous_claim.termination_date"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field(claim, field):
    with pytest.raises(InvalidClaim) as refused:
        run(claim)
    assert refused.value.field == field


def test_every_figure_has_a_step_with_its_legal_basis():
    result = run(Claim(date(2026, 2, 27), months("2025-03", 12), filed_on=date(2026, 3, 2)))
    assert all(step.legal_basis for step in result.explanation)
    values = [step.value for step in result.explanation]
    for figure in (result.monthly_benefit, result.benefit_cap, result.benefit_months, result.start_date):
        assert figure in values


def test_a_history_in_any_order_gives_the_same_estimate():
    history = months("2025-01", 4, 6_000_000) + months("2025-07", 8, 60_000_000)
    in_order = run(Claim(date(2026, 2, 27), history, filed_on=date(2026, 3, 2)))
    shuffled = run(Claim(date(2026, 2, 27), history[::-1], filed_on=date(2026, 3, 2)))
    assert shuffled == in_order
    # A month listed twice is named where it is listed the second time, in whatever order the history is.
    twice = [*months("2025-04", 1), *months("2025-03", 1), *months("2025-04", 1)]
    with pytest.raises(InvalidClaim) as refused:
        run(Claim(date(2026, 3, 1), twice))
    assert refused.value.field == "contributions.2.month"


def test_the_explanation_is_in_the_language_of_each_estimate():
    # The texts are translated once per language and rule set (and filled in once per decision day and per
    # source): switching back and forth must not mix them.
    claim = Claim(date(2026, 2, 27), months("2025-03", 12), filed_on=date(2026, 3, 2))
    first = {}
    for language in ("en", "vi", "en", "vi"):
        with translation.override(language):
            _ = translation.gettext
            steps = run(claim).explanation
            decided = _("Rules in force on the decision day %(day)s")
            assert steps[0].step == decided % {"day": "02/03/2026"}
            next_day = run(dataclasses.replace(claim, filed_on=date(2026, 3, 3))).explanation
            assert next_day[0].step == decided % {"day": "03/03/2026"}
            assert steps[0].legal_basis == rules.cite("Law 74/2025 Art 55.4; Decree 374/2025 Art 43.5")
            cap = _("Maximum monthly benefit: 5 times the legal wage (%(source)s)")
            assert steps[4].step == cap % {"source": rules.cite("Decree 293/2025/NĐ-CP Art 3")}
            assert steps[-2].step == _("Months of contributions kept for a later claim")
            assert steps == first.setdefault(language, steps)
    assert first["en"][0].legal_basis.startswith("Law 74/2025")
    assert first["vi"][0].legal_basis.startswith("Luật 74/2025")
    assert first["en"][-2].step != first["vi"][-2].step


def test_a_changed_wage_table_gives_a_changed_answer():
    # Each table remembers the values it found (by month and region); another table answers from its rows.
    history = months("2025-03", 12, 200_000_000)  # every month above the cap
    claim = Claim(date(2026, 2, 28), history, filed_on=date(2026, 3, 2))
    before = run(claim)
    raised = rules.WageTable(
        {**row, "value": row["value"] + 1_000_000} if row["code"] == "min_wage_month" else row
        for row in parameter_file_rows()
    )
    after = rules.estimate(claim, raised, WEEKDAYS.add_working_days, date(2026, 11, 26))
    assert after.benefit_cap == before.benefit_cap + 5 * 1_000_000
    assert after.average_wage == before.average_wage + 20 * 1_000_000
    assert run(claim) == before  # the first table still gives its own answer
