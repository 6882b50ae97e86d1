"""`POST /api/v1/unemployment/estimate` through HTTP: the contract of issue 5, worked examples computed by
hand from the text of the law, and bad input answered 4xx naming the field — never a 500."""

from datetime import date

import pytest

from ansinh.unemployment import rules

pytestmark = pytest.mark.django_db

URL = "unemployment/estimate"


def history(first: str, count: int, wage: int = 8_000_000, region: str = "I") -> list[dict]:
    start = date.fromisoformat(first + "-01")
    return [
        {"month": rules.add_months(start, n).strftime("%Y-%m"), "wage": wage, "region": region}
        for n in range(count)
    ]


def estimate(api_client, body, **kw):
    return api_client.post(URL, body, **kw)


def test_the_issue_s_example_answers_every_field_of_the_contract(api_client, reference_data):
    body = {
        "as_of": "2020-07-28",
        "termination_date": "2020-07-28",
        "contract_months": 12,
        "pay_regime": "employer",
        "contributions": history("2019-08", 12),
        "previous_claim": {"termination_date": "2019-02-28", "reserved_months": 26},
        "months_already_received": 0,
        "benefit_start_date": None,
    }
    response = estimate(api_client, body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert set(data) == {
        "eligible", "reasons", "rule_set", "contribution_months", "average_wage", "monthly_benefit",
        "benefit_cap", "benefit_months", "reserved_months", "start_date", "periods", "explanation",
    }  # fmt: skip
    assert data["eligible"] is True
    assert data["reasons"] == []
    assert data["rule_set"] == "law-38-2013"
    # 26 reserved + the 12 months contributed after the previous claim's termination.
    assert data["contribution_months"] == 38
    assert data["average_wage"] == 8_000_000
    assert data["monthly_benefit"] == 4_800_000
    assert data["benefit_cap"] == 5 * 4_420_000  # region I minimum wage in July 2020 (Decree 90/2019)
    assert data["benefit_months"] == 3
    assert data["reserved_months"] == 2
    # The 16th working day after 28/07/2020: August 2020 has no holiday, so 19 August.
    assert data["start_date"] == "2020-08-19"
    assert data["periods"][0] == {"start": "2020-08-19", "end": "2020-09-18"}
    assert len(data["periods"]) == 3
    assert all({"step", "value", "legal_basis", "unit"} == set(s) for s in data["explanation"])
    assert {s["unit"] for s in data["explanation"]} == {"rule_set", "months", "vnd", "date"}
    assert any("Luật 38/2013 Điều 50.1" in s["legal_basis"] for s in data["explanation"])


def test_circular_example_four_months_at_4m_and_two_at_5m_give_2_600_000(api_client, reference_data):
    # The average of 4 x 4,000,000 and 2 x 5,000,000 is 4,333,333.33; 60 % of it is 2,600,000 exactly.
    contributions = history("2025-01", 10, wage=4_000_000) + history("2025-11", 2, wage=5_000_000)
    body = {"as_of": "2026-02-02", "termination_date": "2025-12-31", "contributions": contributions}
    data = estimate(api_client, body).json()
    assert data["rule_set"] == "law-74-2025"
    assert data["average_wage"] == 4_333_333
    assert data["monthly_benefit"] == 2_600_000


def test_wages_above_twenty_times_the_minimum_wage_are_capped_then_the_benefit_at_five_times(
    api_client, reference_data
):
    # Region I, 2026: minimum wage 5,310,000 (Decree 293/2025); 20x = 106,200,000; 5x = 26,550,000.
    body = {
        "as_of": "2026-07-15",
        "termination_date": "2026-06-30",
        "contributions": history("2024-07", 24, wage=150_000_000),
    }
    data = estimate(api_client, body).json()
    assert data["average_wage"] == 106_200_000
    assert data["benefit_cap"] == 26_550_000
    assert data["monthly_benefit"] == 26_550_000
    capped_steps = [s for s in data["explanation"] if "293/2025" in s["step"] and s["value"] != 26_550_000]
    assert len(capped_steps) == 6
    assert {s["value"] for s in capped_steps} == {106_200_000}
    assert "Nghị định 293/2025" in capped_steps[0]["step"]
    assert capped_steps[0]["legal_basis"] == "Luật 74/2025 Điều 34.2"


def test_each_month_is_capped_by_the_minimum_wage_of_that_month(api_client, reference_data):
    # December 2025 is capped at 20 x 4,960,000 (Decree 74/2024), January-May 2026 at 20 x 5,310,000.
    body = {"as_of": "2026-06-10", "termination_date": "2026-05-31",
            "contributions": history("2024-06", 24, wage=150_000_000)}  # fmt: skip
    data = estimate(api_client, body).json()
    assert data["average_wage"] == round((99_200_000 + 5 * 106_200_000) / 6)


def test_old_rules_state_pay_scale_caps_by_the_base_salary(api_client, reference_data):
    # Base salary 2,340,000 from July 2024 (Decree 73/2024): 20x = 46,800,000, 5x = 11,700,000.
    body = {
        "as_of": "2025-09-15",
        "termination_date": "2025-08-31",
        "pay_regime": "state",
        "contributions": history("2023-09", 24, wage=50_000_000),
    }
    data = estimate(api_client, body).json()
    assert data["rule_set"] == "law-38-2013"
    assert data["average_wage"] == 46_800_000
    assert data["monthly_benefit"] == 11_700_000


def test_new_rules_reserve_nothing_beyond_144_months(api_client, reference_data):
    # 160 months contributed: 12 benefit months; reserved = min(160, 144) - 12 x 12 = 0.
    body = {"as_of": "2026-06-01", "termination_date": "2026-04-30",
            "contributions": history("2013-01", 160, wage=6_000_000)}  # fmt: skip
    data = estimate(api_client, body).json()
    assert data["benefit_months"] == 12
    assert data["reserved_months"] == 0


def test_an_ineligible_history_is_200_with_the_reason(api_client, reference_data):
    body = {"as_of": "2026-03-20", "termination_date": "2026-03-15", "contributions": history("2025-06", 10)}
    data = estimate(api_client, body, language="vi").json()
    assert data["eligible"] is False
    assert data["benefit_months"] == 0
    assert "12" in data["reasons"][0]
    assert "tháng" in data["reasons"][0]  # Vietnamese by default


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b["contributions"].append(dict(b["contributions"][0])), "contributions.12.month"),
        (
            lambda b: b["contributions"].append({"month": "2099-01", "wage": 1, "region": "I"}),
            "contributions.12.month",
        ),
        (lambda b: b["contributions"][3].update(wage=-5), "contributions.3.wage"),
        (lambda b: b["contributions"][0].update(region="V"), "contributions.0.region"),
        (lambda b: b["contributions"][0].update(month="2025-13"), "contributions.0.month"),
        (lambda b: b["contributions"][0].update(wage="lots"), "contributions.0.wage"),
        (lambda b: b.update(termination_date="2025-10-31"), "termination_date"),
        (lambda b: b.update(termination_date="31/12/2025"), "termination_date"),
        (lambda b: b.update(pay_regime="king"), "pay_regime"),
        (lambda b: b.update(contract_months=0), "contract_months"),
        (lambda b: b.update(months_already_received=-1), "months_already_received"),
        (
            lambda b: b.update(previous_claim={"termination_date": "2027-01-01", "reserved_months": 3}),
            "previous_claim.termination_date",
        ),
        (
            lambda b: b.update(previous_claim={"termination_date": "2024-01-01", "reserved_months": -3}),
            "previous_claim.reserved_months",
        ),
        (lambda b: b.pop("contributions"), "contributions"),
        (lambda b: b.update(termination_date="9999-12-31"), "termination_date"),
        (lambda b: b.update(as_of="1999-12-31"), "as_of"),
        (lambda b: b.update(benefit_start_date="9999-12-01"), "benefit_start_date"),
        (
            lambda b: b.update(
                contributions=history("2010-01", 12), termination_date="2010-12-31", as_of="2011-01-05"
            ),
            "contributions",
        ),
    ],
)
def test_bad_input_is_422_naming_the_field(api_client, reference_data, change, field):
    body = {"as_of": "2026-01-10", "termination_date": "2025-12-31", "contributions": history("2025-01", 12)}
    change(body)
    response = estimate(api_client, body, language="en")
    assert response.status_code == 422, response.content
    error = response.json()
    assert error["code"] == "validation.invalid"
    assert field in error["details"]["fields"], error


def test_not_json_and_oversized_histories_are_4xx(api_client, reference_data):
    response = api_client.client.post("/api/v1/" + URL, data="{", content_type="application/json")
    assert 400 <= response.status_code < 500
    body = {"termination_date": "2025-12-31", "contributions": history("1970-01", 601)}
    assert estimate(api_client, body).status_code == 422


def test_the_explanation_follows_the_reader_s_language(api_client, reference_data):
    body = {"as_of": "2026-02-02", "termination_date": "2025-12-31", "contributions": history("2025-01", 12)}
    english = estimate(api_client, body, language="en").json()["explanation"]
    vietnamese = estimate(api_client, body, language="vi").json()["explanation"]
    assert english[0]["step"].startswith("Rules in force")
    assert english[0]["step"] != vietnamese[0]["step"]
    assert english[-1]["legal_basis"].startswith("Law 74/2025")
    assert vietnamese[-1]["legal_basis"].startswith("Luật 74/2025")
