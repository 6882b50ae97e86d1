"""The public estimator page `/unemployment/estimate/` through Django's client: Vietnamese by default, the
simple figures and the month-by-month box give the API's figures, and bad input is answered 422 with the
message next to its field (linked by aria-describedby) — never a 500.

Translations are filled after these tests are written, so they check ids, values and the `lang` attribute
rather than translated words."""

import re

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

URL = "/unemployment/estimate/"

SIMPLE = {
    "termination_date": "2025-12-31",
    "decided_on": "2026-01-10",
    "months": "12",
    "wage": "8.000.000",
    "region": "I",
    "pay_regime": "employer",
}


def dd(page: str, element_id: str) -> str:
    """The text of the element with this id (tags removed)."""
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(dd|p|div|ul)>', page, re.DOTALL)
    assert found, f"no element {element_id}"
    return re.sub(r"<[^>]+>", "", found[1]).strip()


def assert_error_on(page: str, field: str) -> None:
    assert f'id="id_{field}_error"' in page, page[page.find('id="error-summary"') :][:1500]
    # The input (or the group of radio buttons) points at its message.
    described = re.findall(r'aria-describedby="([^"]*)"', page)
    assert any(f"id_{field}_error" in value.split() for value in described)


def test_the_page_is_vietnamese_by_default_and_needs_no_login_nor_script(client, reference_data):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")  # pages follow the cookie, not the browser
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert '<form method="get" action="/unemployment/estimate/" id="estimate-form"' in page
    fields = ["termination_date", "decided_on", "months", "wage", "contract_months", "history",
              "months_already_received", "previous_termination_date", "previous_reserved_months"]  # fmt: skip
    for field in fields:
        assert f'id="id_{field}"' in page
        assert f'<label for="id_{field}">' in page
    assert 'value="I" id="id_region_0" required checked' in page
    assert 'value="employer" id="id_pay_regime_0" required checked' in page
    assert 'id="result"' not in page
    assert 'id="error-summary"' not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)  # no CDN
    assert len(response.content) < 100_000


def test_english_comes_from_the_language_cookie(client, reference_data, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(URL, {**SIMPLE, "history": "2025-06 8000000 I\n2025-13 8000000 I"})
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Line 2: write the month as YYYY-MM" in dd(page, "id_history_error")


def test_the_simple_figures_give_the_estimate(client, reference_data):
    response = client.get(URL, SIMPLE)
    assert response.status_code == 200
    page = response.content.decode()
    assert dd(page, "result-monthly-benefit") == "4.800.000\u00a0đ"
    assert 'data-value="4800000"' in page
    assert 'data-eligible="yes"' in page
    assert dd(page, "result-benefit-months") == "3"
    assert dd(page, "result-total") == "14.400.000\u00a0đ"
    # The 11th working day after Saturday 10/01/2026, which counts from Monday 12 (Decree 374 Art 45.3).
    assert dd(page, "result-start-date") == "27/01/2026"
    assert dd(page, "result-average-wage") == "8.000.000\u00a0đ"
    assert dd(page, "result-benefit-cap") == "24.800.000\u00a0đ"  # 5 x 4,960,000 (Decree 74/2024)
    assert dd(page, "result-reserved-months") == "0"
    periods = page[page.index('id="result-periods"') :]
    assert "<caption>" in periods
    assert "<td>27/01/2026</td><td>26/02/2026</td>" in periods
    assert "<td>27/03/2026</td><td>26/04/2026</td>" in periods
    explanation = page[page.index('id="result-explanation"') :]
    assert "<caption>" in explanation
    assert "<td>4.800.000\u00a0đ</td><td>Luật 74/2025 Điều 39.1</td>" in explanation
    assert 'id="result-note"' in page
    result = response.context["result"]
    assert result["benefit_months"] == 3
    assert len(result["steps"]) >= 8


def test_a_previous_claim_and_the_old_rules(client, reference_data):
    # The API's issue example: 26 reserved months + 12 contributed after the previous claim.
    response = client.get(
        URL,
        {
            "termination_date": "28/07/2020",  # typed the Vietnamese way, without the date picker
            "decided_on": "2020-07-28",
            "months": "12",
            "wage": "8 000 000 đ",
            "region": "I",
            "pay_regime": "employer",
            "contract_months": "12",
            "previous_termination_date": "2019-02-28",
            "previous_reserved_months": "26",
        },
    )
    assert response.status_code == 200, response.context["form"].errors
    page = response.content.decode()
    assert dd(page, "result-contribution-months") == "38"
    assert dd(page, "result-reserved-months") == "2"
    assert dd(page, "result-start-date") == "19/08/2020"  # 16th working day (old rules)
    assert dd(page, "result-benefit-cap") == "22.100.000\u00a0đ"
    assert '<details id="previous" open>' in page


def test_an_ineligible_history_is_200_with_the_reason(client, reference_data):
    response = client.get(URL, {**SIMPLE, "months": "10"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-eligible="no"' in page
    assert "12" in dd(page, "result-reasons")
    assert dd(page, "result-benefit-months") == "0"
    assert 'id="result-periods"' not in page


def test_the_month_by_month_box_is_used_instead_of_the_simple_figures(client, reference_data):
    # The circular's example: 4 x 4,000,000 and 2 x 5,000,000 -> average 4,333,333, benefit 2,600,000.
    lines = [f"2025-{m:02d} 4.000.000 I" for m in range(1, 9)]
    lines += ["", "2025-09 4,000,000", "10/2025 4000000 1", "2025-11 5.000.000 I", "2025-12 5000000đ I"]
    response = client.get(
        URL,
        {**SIMPLE, "decided_on": "2026-02-02", "months": "abc", "wage": "", "history": "\n".join(lines)},
    )
    assert response.status_code == 200, response.context["form"].errors
    page = response.content.decode()
    assert dd(page, "result-average-wage") == "4.333.333\u00a0đ"
    assert dd(page, "result-monthly-benefit") == "2.600.000\u00a0đ"
    assert dd(page, "result-contribution-months") == "12"
    assert '<details id="detailed" open>' in page


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"termination_date": "hôm qua"}, "termination_date"),
        ({"termination_date": ""}, "termination_date"),
        ({"termination_date": "1990-12-31"}, "termination_date"),
        ({"termination_date": "9999-12-31"}, "termination_date"),
        ({"termination_date": "2099-12-31"}, "termination_date"),
        ({"termination_date": "2012-12-31", "decided_on": "2013-01-10"}, "termination_date"),  # no legal wage
        ({"decided_on": "2025-12-01"}, "decided_on"),
        ({"decided_on": "31/02/2026"}, "decided_on"),
        ({"months": ""}, "months"),
        ({"months": "abc"}, "months"),
        ({"months": "0"}, "months"),
        ({"months": "601"}, "months"),
        ({"wage": ""}, "wage"),
        ({"wage": "lots"}, "wage"),
        ({"wage": "-5"}, "wage"),
        ({"wage": "8.00.000"}, "wage"),
        ({"wage": "9" * 5000}, "wage"),
        ({"region": "V"}, "region"),
        ({"pay_regime": "king"}, "pay_regime"),
        ({"contract_months": "0"}, "contract_months"),
        ({"months_already_received": "-1"}, "months_already_received"),
        ({"previous_termination_date": "2026-01-31", "previous_reserved_months": "3"},
         "previous_termination_date"),  # after this termination: the rules say so
        ({"previous_reserved_months": "3"}, "previous_termination_date"),
        ({"previous_termination_date": "2024-01-31"}, "previous_reserved_months"),
        ({"previous_termination_date": "2024-01-31", "previous_reserved_months": "-3"},
         "previous_reserved_months"),
        ({"history": "2025-13 8000000 I"}, "history"),
        ({"history": "2025-06 lots I"}, "history"),
        ({"history": "2025-06 8000000 V"}, "history"),
        ({"history": "2025-06"}, "history"),
        ({"history": "2099-01 8000000 I"}, "history"),
        ({"history": "2025-06 8000000 I\n2025-06 8000000 I"}, "history"),  # the rules: listed twice
        ({"history": "2025-06 8000000 I\n" * 601}, "history"),
        ({"history": "2025-12 8000000 I", "termination_date": "2025-11-30", "decided_on": "2025-12-05"},
         "termination_date"),  # the rules: the termination is before the last month
    ],
)  # fmt: skip
def test_bad_input_is_422_with_the_message_next_to_its_field(client, reference_data, change, field):
    response = client.get(URL, {**SIMPLE, **change})
    assert response.status_code == 422
    page = response.content.decode()
    assert_error_on(page, field)
    assert 'id="error-summary"' in page
    assert f'href="#id_{field}' in page  # the summary links to the field
    assert 'id="result"' not in page
    assert '<html lang="vi">' in page


def test_a_bad_line_is_named_by_its_number_blank_lines_counted(client, reference_data, settings):
    history = "2025-01 8000000 I\n\n2025-02 8000000 I\n2025-02 8000000 I"
    page = client.get(URL, {**SIMPLE, "history": history}).content.decode()
    assert "4" in dd(page, "id_history_error")
    assert '<details id="detailed" open>' in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(URL, {**SIMPLE, "history": history}).content.decode()
    assert dd(page, "id_history_error") == "Line 4: This month is listed twice."


def test_only_get_and_head(client, reference_data):
    assert client.post(URL, SIMPLE).status_code == 405
    assert client.head(URL).status_code == 200


_TEXT = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=30),
    st.sampled_from(["", "0", "-1", "12", "600", "601", "8.000.000", "I", "IV", "state", "2025-12-31",
                     "2009-01-01", "9999-12-31", "31/12/2025", "2025-06 8000000 I", "1e9"]),
)  # fmt: skip
_FIELDS = ["termination_date", "decided_on", "months", "wage", "region", "pay_regime", "contract_months",
           "months_already_received", "previous_termination_date", "previous_reserved_months"]  # fmt: skip


@given(
    change=st.dictionaries(st.sampled_from(_FIELDS), _TEXT, max_size=4),
    lines=st.lists(st.one_of(_TEXT, st.builds("{} {} {}".format, _TEXT, _TEXT, _TEXT)), max_size=4),
)
@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_a_500(client, reference_data, change, lines):
    response = client.get(URL, {**SIMPLE, **change, "history": "\n".join(lines)})
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert 'id="error-summary"' in response.content.decode()
