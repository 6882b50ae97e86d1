"""The pension payment calendar: on which days a pension month is paid by each method, and from which
month a change of arrangement applies. Rules: dates in, dates out (the working-day calendar they use
reads the official day-off overrides).

Sources, marked [P] primary text read, [S] secondary source, [U] unconfirmed:
- [S] Quyết định 166/QĐ-BHXH as reported by the press (vietnamnet.vn, "lịch trả lương hưu"): payment starts
  on the 2nd of the month (the next working day when the 2nd is a day off); a bank transfer reaches the
  account by the 5th at the latest; cash is paid at fixed points from the 2nd to the 10th, and from the 11th
  to the 25th it can still be collected at the provider's (post office's) points.
- [S] Home payment for people aged 80+ on request and for people who cannot travel (Law 41/2024, article
  unconfirmed; CV 972/BHXH-TCKT): no day is published, so it is done within the fixed-point days [U].
- [U] The cut-off day for a change of arrangement: by analogy with Decree 20/2021 Art 34(4) [P] (the list of
  payees for next month goes to the payment provider before the 25th), a change received by the 20th is
  on next month's list; a later one misses it and applies a month later. Configurable below.

Every day here is a module constant so that a province or a new decision changes one line, not the rules.
"""

from dataclasses import dataclass
from datetime import date

from ansinh.core import workdays

BANK = "bank"
POST_OFFICE = "post_office"
HOME_DELIVERY = "home_delivery"
METHODS = (BANK, POST_OFFICE, HOME_DELIVERY)

# [S] QĐ 166/QĐ-BHXH (press reports): the day the monthly payment starts, for every method.
PAYMENT_START_DAY = 2
# [S] The transfer reaches the bank account by this day at the latest.
BANK_LATEST_DAY = 5
# [S] Cash at the fixed payment points (and the home visits, [U]) from the start day to this day...
FIXED_POINTS_LAST_DAY = 10
# [S] ...and afterwards at the post office's own points until this day.
POST_OFFICE_LAST_DAY = 25
# [U] A change of arrangement received after this day of the month misses next month's payee list.
ARRANGEMENT_CUTOFF_DAY = 20


class UnknownMethod(ValueError):
    """A method that is not bank, post_office or home_delivery."""


@dataclass(frozen=True)
class PaymentDays:
    """How a pension month is paid by one method: between `opens` and `closes` (both included). For cash at
    the post office, `fixed_points_until` is the last day of the fixed payment points; afterwards the money
    is still collected at the post office's own points until `closes`."""

    period: date
    method: str
    opens: date
    closes: date
    fixed_points_until: date | None = None


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _working_on_or_after(day: date) -> date:
    """The day itself when it is a working day, else the next working day (a holiday moves the payment
    later, never earlier)."""
    return day if workdays.is_working_day(day) else workdays.next_working_day(day)


def payment_days(period: date, method: str) -> PaymentDays:
    """The days on which the pension month `period` (any day of the month) is paid by `method`."""
    if method not in METHODS:
        raise UnknownMethod(method)
    first = month_start(period)
    opens = _working_on_or_after(first.replace(day=PAYMENT_START_DAY))
    if method == BANK:
        closes = _working_on_or_after(first.replace(day=BANK_LATEST_DAY))
        return PaymentDays(first, method, opens, max(opens, closes))
    fixed_until = max(opens, _working_on_or_after(first.replace(day=FIXED_POINTS_LAST_DAY)))
    if method == HOME_DELIVERY:
        return PaymentDays(first, method, opens, fixed_until)
    closes = max(fixed_until, first.replace(day=POST_OFFICE_LAST_DAY))
    return PaymentDays(first, method, opens, closes, fixed_points_until=fixed_until)


def payment_window(period: date, method: str) -> tuple[date, date]:
    """The first and last day (both included) the pension month `period` is paid by `method`."""
    days = payment_days(period, method)
    return days.opens, days.closes


def pension_months(starts_on: date, until: date) -> list[date]:
    """The first days of the months from `starts_on`'s month to `until`'s month (both included); empty
    when `until` is before `starts_on`'s month."""
    months: list[date] = []
    month, last = month_start(starts_on), month_start(until)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def calendar(year: int, month_from: int, count: int, method: str) -> list[PaymentDays]:
    """The payment days of `count` months from `month_from`/`year` by `method` (the calendar page)."""
    if count <= 0:
        return []
    month = date(year, month_from, 1)
    months = []
    for _ in range(count):
        months.append(payment_days(month, method))
        month = next_month(month)
    return months


def arrangement_takes_effect(requested_on: date) -> date:
    """The first month a change of arrangement requested on `requested_on` applies to: next month when it
    arrives by the cut-off day, the month after when later (the payee list for next month has gone to the
    payment provider). This month's payment is never changed: it may already be on its way."""
    following = next_month(requested_on)
    if requested_on.day > ARRANGEMENT_CUTOFF_DAY:
        return next_month(following)
    return following
