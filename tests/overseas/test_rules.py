"""The overseas-labour rules, case by case from the text of the law (domain/README.md section 5): Law
69/2020/QH14, Decree 112/2021/NĐ-CP, Circular 21/2021/TT-BLĐTBXH as amended by Circular 02/2024. No database.

Every cap is tested exactly at the cap (passes) and one đồng (or one unit) past it (fails)."""

import dataclasses
import json
import math
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from ansinh.core.calendar import WorkingCalendar
from ansinh.overseas import rules
from ansinh.overseas.rules import (
    Deadline,
    Facility,
    InvalidTerms,
    LegalRepresentative,
    LicenceApplication,
    Programme,
    StaffMember,
    SupplyContractTerms,
    Violation,
)

WEEKDAYS = WorkingCalendar()  # Monday to Friday, no holidays: the day counts are easy to check
SALARY = 10_000_000


def codes(violations: list[Violation]) -> list[str]:
    return [v.code for v in violations]


def terms(**changes) -> SupplyContractTerms:
    base = SupplyContractTerms(country="DE", contract_months=24, monthly_salary_vnd=SALARY)
    return dataclasses.replace(base, **changes)


# --- money -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (0, "0 đồng"),
        (999, "999 đồng"),
        (1_000, "1.000 đồng"),
        (1_234_000, "1.234.000 đồng"),
        (2_000_000_000, "2.000.000.000 đồng"),
        (-5_000, "-5.000 đồng"),
    ],
)
def test_money_reads_the_vietnamese_way(amount, shown):
    assert rules.format_vnd(amount) == shown


def test_money_is_never_a_float():
    with pytest.raises(TypeError):
        rules.format_vnd(1.5)  # type: ignore[arg-type]


# --- markets -----------------------------------------------------------------------------------------------


def test_market_codes_are_the_country_and_the_programme():
    assert rules.market_code("jp", "tts3") == "JP:tts3"
    assert rules.market_code("de") == "DE"
    assert rules.split_market("JP:tts3") == ("JP", Programme.JP_TECHNICAL_INTERN_3)
    assert rules.split_market("tw") == ("TW", Programme.GENERAL)
    for programme, country in rules.PROGRAMME_COUNTRY.items():
        assert rules.split_market(rules.market_code(country, programme)) == (country, programme)


@pytest.mark.parametrize("market", ["KR:tts3", "JP:caregiver", "JP:unknown", "VN", "J", "JPN", "1A"])
def test_unknown_or_misplaced_market_codes_are_refused(market):
    with pytest.raises(InvalidTerms):
        rules.split_market(market)


# --- service fee (Law Art 23.4; Circular 21 Art 8; Circular 02/2024 Appendix XI) ---------------------------


@pytest.mark.parametrize(
    ("months", "cap_months"),
    [(12, Fraction(1)), (24, Fraction(2)), (18, Fraction(3, 2)), (6, Fraction(1, 2)), (35, Fraction(35, 12))],
)
def test_law_art_23_service_fee_is_one_month_of_salary_per_12_months(months, cap_months):
    cap = rules.service_fee_cap("DE", months, SALARY)
    assert (cap.months, cap.rule) == (cap_months, rules.RULE_GENERAL)
    assert cap.amount_vnd == math.floor(SALARY * cap_months)  # 35 months: 29,166,666.67 -> 29,166,666
    assert "Điều 23" in cap.legal_basis


@pytest.mark.parametrize("months", [36, 48, 60])
def test_law_art_23_contracts_of_36_months_or_more_cap_the_fee_at_3_months(months):
    cap = rules.service_fee_cap("DE", months, SALARY)
    assert (cap.months, cap.amount_vnd, cap.rule) == (3, 3 * SALARY, rules.RULE_LONG_CONTRACT)


def test_law_art_23_seafarers_pay_up_to_1_5_months_per_12_months():
    assert rules.service_fee_cap("SG", 12, SALARY, seafarer=True).months == Fraction(3, 2)
    assert rules.service_fee_cap("SG", 24, SALARY, seafarer=True).months == 3
    assert rules.service_fee_cap("SG", 36, SALARY, seafarer=True).rule == rules.RULE_LONG_CONTRACT


def test_law_art_23_an_extension_is_capped_at_half_a_month_per_12_months():
    cap = rules.service_fee_cap("DE", 24, SALARY, extension=True)
    assert (cap.months, cap.amount_vnd, cap.rule) == (1, SALARY, rules.RULE_EXTENSION)
    assert rules.service_fee_cap("DE", 12, SALARY, extension=True).amount_vnd == SALARY // 2


@pytest.mark.parametrize("programme", ["tts3", "ssw_after_tts"])
def test_circular_02_2024_appx_xi_japan_tts3_and_ssw_after_tts_pay_no_service_fee(programme):
    cap = rules.service_fee_cap(f"JP:{programme}", 36, SALARY)
    assert (cap.months, cap.amount_vnd, cap.rule) == (0, 0, rules.RULE_MARKET)
    assert "Phụ lục XI" in cap.legal_basis


def test_japan_tts_1_2_and_ssw_follow_the_general_caps():
    assert rules.service_fee_cap("JP:tts", 36, SALARY).amount_vnd == 3 * SALARY
    assert rules.service_fee_cap("JP:ssw", 12, SALARY).amount_vnd == SALARY


def test_circular_02_2024_appx_xi_taiwan_caregivers_0_7_month_per_12_at_most_2():
    assert rules.service_fee_cap("TW:caregiver", 12, SALARY).months == Fraction(7, 10)
    assert rules.service_fee_cap("TW:caregiver", 24, SALARY).amount_vnd == 14_000_000
    assert rules.service_fee_cap("TW:caregiver", 36, SALARY).months == 2  # 2.1 capped at 2


@pytest.mark.parametrize("programme", ["domestic", "farm"])
def test_circular_02_2024_appx_xi_taiwan_domestic_and_farm_0_4_month_per_12_at_most_1(programme):
    assert rules.service_fee_cap(f"TW:{programme}", 12, SALARY).amount_vnd == 4_000_000
    assert rules.service_fee_cap(f"TW:{programme}", 24, SALARY).months == Fraction(4, 5)
    assert rules.service_fee_cap(f"TW:{programme}", 36, SALARY).months == 1  # 1.2 capped at 1


def test_the_lowest_cap_wins_when_several_apply():
    # A Taiwan domestic worker's extension: 0.4 per 12 (market) is below 0.5 per 12 (extension).
    assert rules.service_fee_cap("TW:domestic", 12, SALARY, extension=True).months == Fraction(2, 5)
    # A Taiwan caregiver's extension: 0.5 per 12 (extension) is below 0.7 per 12 (market).
    assert rules.service_fee_cap("TW:caregiver", 12, SALARY, extension=True).rule == rules.RULE_EXTENSION


def test_a_cap_in_dong_is_rounded_down_in_the_workers_favour():
    assert rules.service_fee_cap("DE", 18, 10_000_001).amount_vnd == 15_000_001  # 15,000,001.5
    assert rules.service_fee_cap("TW:caregiver", 12, 1_000_001).amount_vnd == 700_000  # 700,000.7


@pytest.mark.parametrize(("months", "salary"), [(0, SALARY), (12, 0), (12, -1)])
def test_a_contract_needs_a_term_and_a_salary(months, salary):
    with pytest.raises(InvalidTerms):
        rules.service_fee_cap("DE", months, salary)


def test_law_art_23_a_fee_exactly_at_the_cap_passes_and_one_dong_more_fails():
    assert rules.check_supply_contract(terms(service_fee_vnd=2 * SALARY)) == []
    (found,) = rules.check_supply_contract(terms(service_fee_vnd=2 * SALARY + 1))
    assert found.code == "overseas.service_fee_over_cap"
    with translation.override("en"):
        assert "20.000.001 đồng" in found.message
        assert "20.000.000 đồng (the monthly salary × 2)" in found.message
    assert found.details["cap_vnd"] == 2 * SALARY


def test_circular_02_2024_a_fee_for_japan_tts3_fails_from_one_dong():
    assert rules.check_supply_contract(terms(country="JP", programme="tts3")) == []
    (found,) = rules.check_supply_contract(terms(country="JP", programme="tts3", service_fee_vnd=1))
    assert found.code == "overseas.service_fee_over_cap"
    with translation.override("en"):
        assert "No service fee" in found.message
        assert "1 đồng" in found.message


# --- broker fee (Law Art 7.8, 22; Circular 21 Art 7; Circular 02/2024 Art 1.5, Appendix X) ------------------


def test_law_art_22_broker_fee_is_half_a_month_per_12_months_and_1_5_from_36_months():
    assert rules.broker_fee_cap("DE", 12, SALARY).amount_vnd == 5_000_000
    assert rules.broker_fee_cap("DE", 24, SALARY).amount_vnd == SALARY
    assert rules.broker_fee_cap("DE", 36, SALARY).months == Fraction(3, 2)
    long = rules.broker_fee_cap("DE", 60, SALARY)
    assert (long.months, long.rule) == (Fraction(3, 2), rules.RULE_BROKER_LONG_CONTRACT)


@pytest.mark.parametrize("market", ["JP", "JP:tts", "TH"])
def test_circular_02_2024_appx_x_no_broker_fee_for_japan_and_thailand(market):
    cap = rules.broker_fee_cap(market, 36, SALARY)
    assert (cap.amount_vnd, cap.rule) == (0, rules.RULE_BROKER_NONE)
    (found,) = rules.check_supply_contract(
        terms(country=market.split(":")[0], contract_months=36, broker_fee_vnd=1)
    )
    assert found.code == "overseas.broker_fee_over_cap"


def test_law_art_22_a_broker_fee_exactly_at_the_cap_passes_and_one_dong_more_fails():
    assert rules.check_supply_contract(terms(broker_fee_vnd=SALARY)) == []
    (found,) = rules.check_supply_contract(terms(broker_fee_vnd=SALARY + 1))
    assert found.code == "overseas.broker_fee_over_cap"
    assert "Phụ lục X" in found.legal_basis


def test_law_art_7_8_the_worker_never_pays_a_broker_fee():
    assert rules.WORKER_BROKER_FEE_CAP == 0
    (found,) = rules.check_supply_contract(terms(worker_broker_fee_vnd=1))
    assert found.code == "overseas.worker_pays_broker_fee"
    assert found.legal_basis == "Luật 69/2020/QH14 Điều 7.8"


# --- worker deposit (Decree 112 Art 29, Appendix II) --------------------------------------------------------


@pytest.mark.parametrize(("country", "cap"), [("TW", 12_000_000), ("KR", 36_000_000)])
def test_decree_112_appx_ii_taiwan_and_korea_deposit_caps(country, cap):
    assert rules.worker_deposit_cap(country).amount_vnd == cap
    assert rules.check_supply_contract(terms(country=country, deposit_vnd=cap)) == []
    (found,) = rules.check_supply_contract(terms(country=country, deposit_vnd=cap + 1))
    assert found.code == "overseas.deposit_over_cap"
    with translation.override("en"):
        assert rules.format_vnd(cap) in found.message


def test_decree_112_appx_ii_korea_seafarers_make_no_deposit():
    assert rules.worker_deposit_cap("KR", seafarer=True).amount_vnd == 0
    (found,) = rules.check_supply_contract(terms(country="KR", seafarer=True, deposit_vnd=1))
    assert found.code == "overseas.deposit_over_cap"


@pytest.mark.parametrize("country", ["JP", "US", "CA", "BR", "MX", "MY", "TH", "SG", "SA", "AE", "QA", "IL"])
def test_decree_112_appx_ii_japan_americas_south_east_asia_middle_east_allow_no_deposit(country):
    cap = rules.worker_deposit_cap(country, airfare_vnd=20_000_000)
    assert (cap.amount_vnd, cap.rule) == (0, rules.DEPOSIT_RULE_NONE)
    (found,) = rules.check_supply_contract(terms(country=country, deposit_vnd=1))
    assert found.code == "overseas.deposit_over_cap"
    with translation.override("en"):
        assert "No deposit may be required" in found.message


def test_decree_112_appx_ii_elsewhere_the_deposit_is_at_most_one_economy_airfare():
    assert rules.worker_deposit_cap("DE", airfare_vnd=15_000_000).amount_vnd == 15_000_000
    assert rules.check_supply_contract(terms(deposit_vnd=15_000_000, airfare_vnd=15_000_000)) == []
    (found,) = rules.check_supply_contract(terms(deposit_vnd=15_000_001, airfare_vnd=15_000_000))
    assert found.code == "overseas.deposit_over_cap"
    # Without the airfare the deposit cannot be checked; no deposit needs no airfare.
    (missing,) = rules.check_supply_contract(terms(deposit_vnd=1))
    assert missing.code == "overseas.deposit_airfare_missing"
    assert rules.check_supply_contract(terms(deposit_vnd=0)) == []


# --- the supply contract as a whole (Law Art 19-20) --------------------------------------------------------


def test_law_art_19_a_supply_contract_is_for_at_least_one_worker():
    (found,) = rules.check_supply_contract(terms(workers=0))
    assert found.code == "overseas.no_workers"
    assert rules.check_supply_contract(terms(workers=1)) == []


def test_every_broken_rule_is_listed_in_order_with_its_figures():
    found = rules.check_supply_contract(
        terms(
            country="TW",
            programme="caregiver",
            contract_months=36,
            service_fee_vnd=20_000_001,
            worker_broker_fee_vnd=500_000,
            broker_fee_vnd=15_000_001,
            deposit_vnd=12_000_001,
            workers=0,
        )
    )
    assert codes(found) == [
        "overseas.no_workers",
        "overseas.service_fee_over_cap",
        "overseas.worker_pays_broker_fee",
        "overseas.broker_fee_over_cap",
        "overseas.deposit_over_cap",
    ]
    json.dumps([v.as_dict() for v in found])  # the API sends them as they are
    fee = found[1].as_dict()
    assert fee["details"] == {
        "given_vnd": 20_000_001,
        "cap_vnd": 20_000_000,
        "cap_months": "2",
        "rule": "market",
    }


@pytest.mark.parametrize(
    "field", ["service_fee_vnd", "broker_fee_vnd", "worker_broker_fee_vnd", "deposit_vnd"]
)
def test_negative_money_is_bad_input_not_a_violation(field):
    with pytest.raises(InvalidTerms) as raised:
        rules.check_supply_contract(terms(**{field: -1}))
    assert raised.value.field == field


# --- licence conditions (Law Art 10.1; Decree 112 Art 4-6, 23) ---------------------------------------------


def staff(activity: str, **changes) -> StaffMember:
    member = StaffMember(
        activity, "college", relevant_field=True, experience_months=0, insured_labour_contract=True
    )
    return dataclasses.replace(member, **changes)


def application(**changes) -> LicenceApplication:
    base = LicenceApplication(
        applied_on=date(2026, 3, 2),
        charter_capital_vnd=5_000_000_000,
        all_owners_domestic=True,
        deposit_vnd=2_000_000_000,
        assigned_branches=0,
        legal_representative=LegalRepresentative("VN", "university", experience_months=60, clean_record=True),
        staff=[staff(activity) for activity in rules.STAFF_ACTIVITIES],
        facility=Facility(
            trainee_capacity=100,
            classroom_m2=140,
            dormitory_capacity=50,
            dormitory_m2=175,
            largest_room_occupants=12,
            separated_by_sex=True,
            owned=False,
            lease_ends_on=date(2028, 3, 2),
        ),
        website="https://xuatkhau.com.vn",
    )
    return dataclasses.replace(base, **changes)


def facility(**changes) -> Facility:
    return dataclasses.replace(application().facility, **changes)


def representative(**changes) -> LegalRepresentative:
    return dataclasses.replace(application().legal_representative, **changes)


def test_law_art_10_1_an_application_exactly_at_every_minimum_passes():
    assert rules.check_licence_conditions(application()) == []


def test_law_art_10_1_charter_capital_of_5_billion():
    (found,) = rules.check_licence_conditions(application(charter_capital_vnd=4_999_999_999))
    assert found.code == "overseas.licence_capital_low"
    with translation.override("en"):
        assert "4.999.999.999 đồng" in found.message
        assert "5.000.000.000 đồng" in found.message


def test_law_art_10_1_all_owners_are_domestic_investors():
    assert codes(rules.check_licence_conditions(application(all_owners_domestic=False))) == [
        "overseas.licence_foreign_owner"
    ]


def test_decree_112_art_23_deposit_2_billion_plus_500_million_per_assigned_branch():
    assert rules.required_enterprise_deposit(0) == 2_000_000_000
    assert rules.required_enterprise_deposit(3) == 3_500_000_000
    with pytest.raises(InvalidTerms):
        rules.required_enterprise_deposit(-1)
    assert rules.check_licence_conditions(application(assigned_branches=2, deposit_vnd=3_000_000_000)) == []
    (found,) = rules.check_licence_conditions(application(assigned_branches=2, deposit_vnd=2_999_999_999))
    assert found.code == "overseas.licence_deposit_low"
    assert found.details["required_vnd"] == 3_000_000_000
    assert "Điều 23" in found.legal_basis


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"nationality": "KR"}, "overseas.licence_representative_nationality"),
        ({"education": "college"}, "overseas.licence_representative_education"),
        ({"experience_months": 59}, "overseas.licence_representative_experience"),
        ({"clean_record": False}, "overseas.licence_representative_record"),
    ],
)
def test_law_art_10_1_the_legal_representative(changes, code):
    found = rules.check_licence_conditions(application(legal_representative=representative(**changes)))
    assert codes(found) == [code]


def test_law_art_10_1_a_postgraduate_representative_with_more_experience_passes():
    person = representative(education="postgraduate", experience_months=61, nationality="vn")
    assert rules.check_licence_conditions(application(legal_representative=person)) == []


def test_decree_112_art_4_one_qualified_staff_member_for_each_activity():
    some = [staff("market_development"), staff("recruitment")]
    found = rules.check_licence_conditions(application(staff=some))
    assert codes(found) == ["overseas.licence_staff_missing"] * 2
    assert [v.details["activity"] for v in found] == ["orientation", "worker_management"]
    assert "Điều 4" in found[0].legal_basis


def test_decree_112_art_4_who_counts_as_qualified_staff():
    assert rules.is_qualified_staff(staff("recruitment"))  # college in a listed field
    other_field = staff("recruitment", relevant_field=False, experience_months=24)
    assert rules.is_qualified_staff(other_field)  # college in another field with 2 years of experience
    assert not rules.is_qualified_staff(dataclasses.replace(other_field, experience_months=23))
    assert not rules.is_qualified_staff(staff("recruitment", education="vocational"))
    assert not rules.is_qualified_staff(staff("recruitment", insured_labour_contract=False))
    with pytest.raises(InvalidTerms):
        rules.is_qualified_staff(staff("cooking"))


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"trainee_capacity": 99, "classroom_m2": 139}, "overseas.licence_facility_capacity"),
        ({"classroom_m2": Decimal("139.9")}, "overseas.licence_classroom_area"),
        ({"dormitory_m2": Decimal("174.9")}, "overseas.licence_dormitory_area"),
        ({"largest_room_occupants": 13}, "overseas.licence_dormitory_room"),
        ({"separated_by_sex": False}, "overseas.licence_dormitory_sexes"),
        ({"dormitory_capacity": 0, "dormitory_m2": 0}, "overseas.licence_dormitory_missing"),
        ({"lease_ends_on": date(2028, 3, 1)}, "overseas.licence_lease_short"),
        ({"lease_ends_on": None}, "overseas.licence_lease_short"),
    ],
)
def test_decree_112_art_5_the_orientation_facility(changes, code):
    found = rules.check_licence_conditions(application(facility=facility(**changes)))
    assert codes(found) == [code]
    assert "Điều 5" in found[0].legal_basis


def test_decree_112_art_5_areas_are_exact_and_read_with_the_readers_decimal_mark():
    assert rules.check_licence_conditions(application(facility=facility(classroom_m2=Decimal("140.0")))) == []
    (found,) = rules.check_licence_conditions(application(facility=facility(classroom_m2=Decimal("139.9"))))
    with translation.override("en"):
        assert "139.9 m²" in found.message
        assert "140 m²" in found.message
    with translation.override("vi"):
        assert "139,9" in found.message


def test_decree_112_art_5_the_lease_message_names_both_days():
    (short,) = rules.check_licence_conditions(application(facility=facility(lease_ends_on=date(2028, 3, 1))))
    (missing,) = rules.check_licence_conditions(application(facility=facility(lease_ends_on=None)))
    with translation.override("en"):
        assert "until 02/03/2028 at least; the lease ends on 01/03/2028" in short.message
        assert "no end date of the lease is given" in missing.message


def test_decree_112_art_5_an_owned_facility_needs_no_lease():
    assert (
        rules.check_licence_conditions(application(facility=facility(owned=True, lease_ends_on=None))) == []
    )


def test_decree_112_art_5_two_years_from_29_february_end_on_28_february():
    leap = application(applied_on=date(2028, 2, 29), facility=facility(lease_ends_on=date(2030, 2, 28)))
    assert rules.check_licence_conditions(leap) == []


@pytest.mark.parametrize(
    "website", ["https://xuatkhau.vn", "www.abc.com.vn/gioi-thieu", "HTTPS://ABC.VN:8443", "abc.vn."]
)
def test_decree_112_art_6_a_website_on_a_vn_domain_passes(website):
    assert rules.check_licence_conditions(application(website=website)) == []


@pytest.mark.parametrize(
    "website", ["", "https://abc.com", "vn.abc.com", "https://abc.com/vn", ".vn", "abc.vnx"]
)
def test_decree_112_art_6_other_websites_fail(website):
    (found,) = rules.check_licence_conditions(application(website=website))
    assert found.code == "overseas.licence_website_domain"
    assert "Điều 6" in found.legal_basis


# --- branches (Law Art 17) ---------------------------------------------------------------------------------


def test_law_art_17_every_delegable_function_may_be_given_to_a_branch():
    assert rules.check_delegation(rules.DELEGABLE_FUNCTIONS) == []
    assert not set(rules.DELEGABLE_FUNCTIONS) & set(rules.BRANCH_FORBIDDEN_FUNCTIONS)


@pytest.mark.parametrize("function", list(rules.BRANCH_FORBIDDEN_FUNCTIONS))
def test_law_art_17_a_branch_never_signs_liquidates_or_collects(function):
    (found,) = rules.check_delegation(["worker_update", function, function])
    assert (found.code, found.details["function"]) == ("overseas.delegation_forbidden", function)
    assert found.legal_basis == "Luật 69/2020/QH14 Điều 17"


def test_an_unknown_branch_function_is_bad_input():
    with pytest.raises(InvalidTerms):
        rules.check_delegation(["fly"])


def test_the_permission_map_delegates_only_functions_of_the_rules():
    from ansinh.overseas.permissions import DELEGABLE

    assert set(DELEGABLE) <= set(rules.DELEGABLE_FUNCTIONS)


# --- deadlines ---------------------------------------------------------------------------------------------


def test_law_art_20_supply_contract_reply_within_5_working_days():
    deadline = rules.supply_contract_reply_deadline(date(2026, 1, 9), WEEKDAYS.add_working_days)  # a Friday
    assert (deadline.due, deadline.working_days) == (date(2026, 1, 16), True)
    holiday = WorkingCalendar([date(2026, 1, 12)])
    assert rules.supply_contract_reply_deadline(date(2026, 1, 9), holiday.add_working_days).due == date(
        2026, 1, 19
    )


def test_law_art_18_39_and_17_other_five_working_day_deadlines():
    assert rules.source_preparation_reply_deadline(date(2026, 1, 5), WEEKDAYS.add_working_days).due == date(
        2026, 1, 12
    )
    assert rules.internship_reply_deadline(date(2026, 1, 5), WEEKDAYS.add_working_days).due == date(
        2026, 1, 12
    )
    assert rules.branch_report_deadline(date(2026, 1, 5), WEEKDAYS.add_working_days).due == date(2026, 1, 12)


def test_law_art_26_database_update_within_5_calendar_days_of_departure():
    deadline = rules.departure_update_deadline(date(2026, 3, 2))
    assert (deadline.due, deadline.working_days) == (date(2026, 3, 7), False)  # a Saturday
    # Civil Code Art 148: a last day that is a day off moves to the next working day (given a calendar).
    assert rules.departure_update_deadline(
        date(2026, 3, 2), add_working_days=WEEKDAYS.add_working_days
    ).due == date(2026, 3, 9)


def test_law_art_26_liquidation_within_180_days_of_the_return_and_departure_within_180_days():
    assert rules.liquidation_deadline(date(2026, 1, 1)).due == date(2026, 6, 30)
    assert rules.departure_wait_deadline(date(2026, 1, 1)).due == date(2026, 6, 30)


def test_law_art_24_the_enterprise_restores_its_deposit_within_30_days_of_its_use():
    assert rules.deposit_restore_deadline(date(2026, 1, 31)).due == date(2026, 3, 2)


def test_circular_21_art_15_annual_report_period_and_due_day():
    assert rules.annual_report_period(2026) == (date(2025, 12, 15), date(2026, 12, 14))
    assert rules.annual_report_due(2026) == date(2026, 12, 19)  # before 20 December
    deadline = rules.annual_report_deadline(2026)
    assert (deadline.code, deadline.due) == ("overseas.annual_report", date(2026, 12, 19))
    # The periods follow each other without a gap or an overlap.
    assert (rules.annual_report_period(2027)[0] - rules.annual_report_period(2026)[1]).days == 1


@pytest.mark.parametrize(
    ("days", "registrar"), [(1, "province"), (89, "province"), (90, "ministry"), (365, "ministry")]
)
def test_law_art_39_internships_under_90_days_at_the_province_else_the_ministry(days, registrar):
    assert rules.internship_registrar(days) == registrar


def test_law_art_39_an_internship_lasts_at_least_a_day():
    with pytest.raises(InvalidTerms):
        rules.internship_registrar(0)


def test_decree_112_art_26_internship_deposit_is_10_percent_of_one_way_airfare_per_worker():
    assert rules.internship_deposit(8_000_000, 3) == 2_400_000
    assert (
        rules.internship_deposit(8_000_005, 1) == 800_001
    )  # 800,000.5 rounded up: the deposit protects workers
    with pytest.raises(InvalidTerms):
        rules.internship_deposit(8_000_000, 0)


def test_days_overdue_counts_calendar_days_after_the_last_day():
    due = date(2026, 3, 10)
    assert rules.days_overdue(due, today=date(2026, 3, 10)) == 0
    assert rules.days_overdue(due, today=date(2026, 3, 11)) == 1
    assert rules.days_overdue(due, today=date(2026, 4, 1), done_on=date(2026, 3, 9)) == 0
    assert rules.days_overdue(due, today=date(2026, 4, 1), done_on=date(2026, 3, 13)) == 3


def test_overdue_obligations_lists_the_late_ones_most_late_first():
    today = date(2026, 7, 10)
    liquidation = rules.liquidation_deadline(date(2026, 1, 1))  # due 30 June: 10 days late
    update = rules.departure_update_deadline(date(2026, 7, 1))  # due 6 July: 4 days late
    on_time = rules.departure_update_deadline(date(2026, 7, 8))  # due 13 July
    done_late = rules.departure_update_deadline(date(2026, 6, 1))  # due 6 June, done 8 June
    items: list[tuple[Deadline, date | None]] = [
        (update, None),
        (on_time, None),
        (liquidation, None),
        (done_late, date(2026, 6, 8)),
    ]
    late = rules.overdue_obligations(items, today=today)
    assert [(o.deadline.code, o.days) for o in late] == [
        ("overseas.contract_liquidation", 10),
        ("overseas.departure_update", 4),
    ]
    with translation.override("en"):
        assert (
            late[0].message
            == "Liquidate the contract after the worker's return: 10 days overdue (due 30/06/2026)."
        )
    with_done = rules.overdue_obligations(items, today=today, include_done=True)
    assert [(o.days, o.done_on) for o in with_done][-1] == (2, date(2026, 6, 8))
    with translation.override("en"):
        assert "done 2 days late, on 08/06/2026" in with_done[-1].message


def test_every_deadline_code_has_a_title():
    assert all(str(title) for title in rules.DEADLINE_TITLES.values())
    assert rules.annual_report_deadline(2026).title


# --- revocation (Law Art 16.2; Decree 112 Art 10) ----------------------------------------------------------


def test_law_art_16_2_no_worker_sent_for_24_consecutive_months():
    licensed, last = date(2022, 1, 10), date(2024, 1, 10)
    assert rules.no_departure_ground_from(licensed_on=licensed, last_departure_on=last) == date(2026, 1, 11)
    assert (
        rules.no_departure_revocation(licensed_on=licensed, last_departure_on=last, today=date(2026, 1, 10))
        is None
    )
    found = rules.no_departure_revocation(
        licensed_on=licensed, last_departure_on=last, today=date(2026, 1, 11)
    )
    assert found is not None
    assert found.code == "overseas.no_departures_24_months"
    assert "Điều 16.2" in found.legal_basis
    with translation.override("en"):
        assert "10/01/2024" in found.message


def test_law_art_16_2_counted_from_the_licence_when_no_worker_was_ever_sent():
    licensed = date(2024, 8, 31)
    assert rules.no_departure_ground_from(licensed_on=licensed, last_departure_on=None) == date(2026, 9, 1)
    # A month end with no same day later stays at the month's last day.
    assert rules.no_departure_ground_from(
        licensed_on=date(2022, 2, 28), last_departure_on=date(2024, 2, 29)
    ) == date(2026, 3, 1)


def test_decree_112_art_10_force_majeure_is_no_ground():
    assert (
        rules.no_departure_revocation(
            licensed_on=date(2020, 1, 1), last_departure_on=None, today=date(2026, 1, 1), force_majeure=True
        )
        is None
    )


# --- every violation ---------------------------------------------------------------------------------------


def all_violations() -> list[Violation]:
    contract = rules.check_supply_contract(
        terms(
            country="JP",
            programme="tts3",
            contract_months=36,
            service_fee_vnd=1,
            broker_fee_vnd=1,
            worker_broker_fee_vnd=1,
            deposit_vnd=1,
            workers=0,
        )
    ) + rules.check_supply_contract(
        terms(service_fee_vnd=SALARY * 3, broker_fee_vnd=SALARY * 2, deposit_vnd=1)
    )
    bad_application = application(
        charter_capital_vnd=1,
        all_owners_domestic=False,
        deposit_vnd=0,
        assigned_branches=1,
        legal_representative=LegalRepresentative("US", "secondary", 0, clean_record=False),
        staff=[],
        facility=Facility(10, 1, 10, 1, 20, separated_by_sex=False, owned=False),
        website="abc.com",
    )
    licence = rules.check_licence_conditions(bad_application)
    licence += rules.check_licence_conditions(application(facility=facility(dormitory_capacity=0)))
    delegation = rules.check_delegation(rules.BRANCH_FORBIDDEN_FUNCTIONS)
    revocation = rules.no_departure_revocation(
        licensed_on=date(2020, 1, 1), last_departure_on=None, today=date(2026, 1, 1)
    )
    assert revocation is not None
    return [*contract, *licence, *delegation, revocation]


def test_every_code_of_the_module_is_produced_by_some_case():
    assert set(codes(all_violations())) == {
        "overseas.no_workers",
        "overseas.service_fee_over_cap",
        "overseas.worker_pays_broker_fee",
        "overseas.broker_fee_over_cap",
        "overseas.deposit_over_cap",
        "overseas.deposit_airfare_missing",
        "overseas.licence_capital_low",
        "overseas.licence_foreign_owner",
        "overseas.licence_deposit_low",
        "overseas.licence_representative_nationality",
        "overseas.licence_representative_education",
        "overseas.licence_representative_experience",
        "overseas.licence_representative_record",
        "overseas.licence_staff_missing",
        "overseas.licence_facility_capacity",
        "overseas.licence_classroom_area",
        "overseas.licence_dormitory_area",
        "overseas.licence_dormitory_room",
        "overseas.licence_dormitory_sexes",
        "overseas.licence_dormitory_missing",
        "overseas.licence_lease_short",
        "overseas.licence_website_domain",
        "overseas.delegation_forbidden",
        "overseas.no_departures_24_months",
    }


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_violation_carries_a_code_a_message_and_a_legal_basis(language):
    with translation.override(language):
        for violation in all_violations():
            assert violation.code.startswith("overseas.")
            message = violation.message
            assert message
            assert "%(" not in message
            assert violation.legal_basis.startswith(("Luật 69/2020/QH14", "Nghị định 112/2021/NĐ-CP"))
            assert "Điều" in violation.legal_basis
            json.dumps(violation.as_dict())
