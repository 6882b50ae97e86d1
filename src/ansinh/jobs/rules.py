"""The job exchange's rules, without the database."""

from ansinh.jobs.models import ApplicationStatus as S
from ansinh.jobs.models import Visibility

# Which status an application may move to, by who moves it. The seeker only withdraws; the employer moves it
# forward or rejects it. A hired, rejected or withdrawn application is final.
EMPLOYER_MOVES: dict[str, set[str]] = {
    S.SENT: {S.VIEWED, S.INTERVIEW, S.OFFER, S.HIRED, S.REJECTED},
    S.VIEWED: {S.INTERVIEW, S.OFFER, S.HIRED, S.REJECTED},
    S.INTERVIEW: {S.OFFER, S.HIRED, S.REJECTED},
    S.OFFER: {S.HIRED, S.REJECTED},
}
WITHDRAWABLE = {S.SENT, S.VIEWED, S.INTERVIEW, S.OFFER}
FINAL = {S.HIRED, S.REJECTED, S.WITHDRAWN}


def employer_may_move(current: str, new: str) -> bool:
    return new in EMPLOYER_MOVES.get(current, set())


def seeker_may_withdraw(current: str) -> bool:
    return current in WITHDRAWABLE


def contacts_visible_to_employer(*, visibility: str, applied_to_employer: bool) -> bool:
    """A seeker's name and contacts reach an employer only when the seeker applied to that employer or
    chose full visibility."""
    return applied_to_employer or visibility == Visibility.FULL


def profile_visible_to_employer(*, visibility: str, applied_to_employer: bool) -> bool:
    """Whether an employer sees the profile at all (a private profile only through an application)."""
    return applied_to_employer or visibility in (Visibility.ANONYMOUS, Visibility.FULL)


def satisfied(score: int) -> bool:
    """Of a 1-5 answer, 4 and 5 count as satisfied."""
    return score >= 4
