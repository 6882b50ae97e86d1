"""Legal parameters: the data file (domain/README.md sections 2 and 2b) and lookups at period boundaries."""

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from ansinh.core.legal import (
    BASE_SALARY,
    MIN_WAGE_HOUR,
    MIN_WAGE_MONTH,
    REGIONS,
    ParameterMissing,
    applies_on,
    base_salary,
    min_wage_month,
    parameter_file_rows,
    parameter_get,
    parameter_value,
)

# --- the data file (no database) ---------------------------------------------------------------------------

ROWS = parameter_file_rows()


def _series(code, region):
    return [r for r in ROWS if r["code"] == code and r["region"] == region]


def test_every_row_of_the_readme_is_there():
    # 10 monthly minimum-wage decrees x 4 regions, 3 hourly x 4, 8 base salaries.
    assert len(_series(MIN_WAGE_MONTH, "I")) == 10
    assert all(len(_series(MIN_WAGE_MONTH, r)) == 10 for r in REGIONS)
    assert all(len(_series(MIN_WAGE_HOUR, r)) == 3 for r in REGIONS)
    assert len(_series(BASE_SALARY, "")) == 8
    assert len(ROWS) == 60


@pytest.mark.parametrize(("code", "region"), [(MIN_WAGE_MONTH, r) for r in REGIONS] + [(BASE_SALARY, "")])
def test_periods_are_contiguous_and_the_last_is_open(code, region):
    series = _series(code, region)
    for earlier, later in itertools.pairwise(series):
        assert earlier["valid_to"] == later["valid_from"] - timedelta(days=1)
    assert series[-1]["valid_to"] is None


def test_values_are_integer_vnd_and_statuses_known():
    assert all(isinstance(r["value"], int) and r["value"] > 0 for r in ROWS)
    assert {r["source_status"] for r in ROWS} == {"P", "S", "U"}
    assert all(r["source"] for r in ROWS)


def test_regions_are_ordered_i_highest():
    for start in {r["valid_from"] for r in _series(MIN_WAGE_MONTH, "I")}:
        values = [r["value"] for r in ROWS if r["code"] == MIN_WAGE_MONTH and r["valid_from"] == start]
        assert values == sorted(values, reverse=True)


def test_duplicate_start_is_refused(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "code,region,valid_from,value,source,source_status,note\n"
        "base_salary,,2024-07-01,1,x,P,\nbase_salary,,2024-07-01,2,y,P,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="same day"):
        parameter_file_rows(path)


@dataclass
class _Row:
    valid_from: date
    valid_to: date | None
    value: int


def test_applies_on_is_pure_and_picks_the_period():
    rows = [_Row(date(2024, 7, 1), None, 3), _Row(date(2020, 1, 1), date(2024, 6, 30), 2)]
    assert applies_on(rows, date(2024, 6, 30)).value == 2
    assert applies_on(rows, date(2024, 7, 1)).value == 3
    assert applies_on(rows, date(2019, 12, 31)) is None
    # Overlapping rows (a data-entry error): the later start wins.
    assert applies_on([*rows, _Row(date(2024, 1, 1), None, 9)], date(2024, 8, 1)).value == 3


# --- lookups in the database -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("reference_data")
class TestLookups:
    @pytest.mark.parametrize(
        ("region", "on", "expected"),
        [
            ("I", date(2025, 12, 31), 4_960_000),
            ("I", date(2026, 1, 1), 5_310_000),
            ("II", date(2026, 1, 1), 4_730_000),
            ("III", date(2026, 1, 1), 4_140_000),
            ("IV", date(2026, 1, 1), 3_700_000),
            ("I", date(2024, 6, 30), 4_680_000),
            ("I", date(2024, 7, 1), 4_960_000),
            ("IV", date(2022, 6, 30), 3_070_000),  # 2020 level, frozen through 2021
            ("IV", date(2022, 7, 1), 3_250_000),
            ("II", date(2014, 1, 1), 2_400_000),
            ("I", date(2035, 1, 1), 5_310_000),  # the latest row stays in force
        ],
    )
    def test_monthly_minimum_wage(self, region, on, expected):
        assert min_wage_month(region, on) == expected

    @pytest.mark.parametrize(
        ("on", "expected"),
        [
            (date(2013, 7, 1), 1_150_000),
            (date(2016, 4, 30), 1_150_000),
            (date(2016, 5, 1), 1_210_000),
            (date(2023, 6, 30), 1_490_000),
            (date(2023, 7, 1), 1_800_000),
            (date(2026, 6, 30), 2_340_000),
            (date(2026, 7, 1), 2_530_000),
        ],
    )
    def test_base_salary(self, on, expected):
        assert base_salary(on) == expected

    def test_hourly_minimum_wage_starts_in_july_2022(self):
        assert parameter_value(MIN_WAGE_HOUR, date(2022, 7, 1), "I") == 22_500
        assert parameter_value(MIN_WAGE_HOUR, date(2026, 1, 1), "IV") == 17_800
        with pytest.raises(ParameterMissing):
            parameter_value(MIN_WAGE_HOUR, date(2022, 6, 30), "I")

    def test_unconfirmed_values_say_so(self):
        row = parameter_get(MIN_WAGE_HOUR, date(2023, 1, 1), "II")
        assert (row.value, row.source_status) == (20_000, "U")
        assert parameter_get(MIN_WAGE_MONTH, date(2026, 1, 1), "I").source_status == "P"

    @pytest.mark.parametrize(
        ("code", "on", "region"),
        [
            (MIN_WAGE_MONTH, date(2013, 12, 31), "I"),  # before the first row
            (MIN_WAGE_MONTH, date(2026, 1, 1), ""),  # regional value asked without a region
            (MIN_WAGE_MONTH, date(2026, 1, 1), "V"),
            ("no_such_parameter", date(2026, 1, 1), ""),
        ],
    )
    def test_missing_raises_a_domain_error_with_a_stable_code(self, code, on, region):
        with pytest.raises(ParameterMissing) as caught:
            parameter_value(code, on, region)
        body = caught.value.as_dict()
        assert body["code"] == "reference.parameter_missing"
        assert body["details"] == {"code": code, "region": region, "on": on.isoformat()}

    def test_value_is_an_int(self):
        assert type(parameter_value(BASE_SALARY, date(2026, 7, 1))) is int
