"""Pure rules of sign-in security: lockout and password-age decisions (no ORM)."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    failure_limit: int = 5
    lock_minutes: int = 15
    # Failures older than this no longer count towards the limit.
    window_minutes: int = 15


@dataclass(frozen=True)
class FailureOutcome:
    failures: int
    locked_until: datetime | None


def register_failure(
    policy: LockoutPolicy, *, failures: int, last_failure_at: datetime | None, now: datetime
) -> FailureOutcome:
    """The state after one more failed attempt. The limit-th failure locks the account."""
    if last_failure_at is None or now - last_failure_at > timedelta(minutes=policy.window_minutes):
        failures = 0
    failures += 1
    if failures >= policy.failure_limit:
        return FailureOutcome(failures, now + timedelta(minutes=policy.lock_minutes))
    return FailureOutcome(failures, None)


def seconds_left(locked_until: datetime | None, now: datetime) -> int:
    if locked_until is None or locked_until <= now:
        return 0
    return math.ceil((locked_until - now).total_seconds())


def minutes_left(seconds: int) -> int:
    return max(1, -(-seconds // 60))
