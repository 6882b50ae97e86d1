"""The public status look-up: receipt code + the applicant's ID number, no login, rate-limited.

Two limits, both counted on failures only: per client address (someone trying many codes) and per receipt
code (someone guessing the ID number that goes with one code). A correct pair is never slowed down by
other people's mistakes beyond the per-code limit.
"""

from dataclasses import dataclass
from datetime import date

from django.core.cache import cache

from ansinh.dossiers.errors import LookupThrottled
from ansinh.dossiers.messages import next_step
from ansinh.dossiers.models import Dossier
from ansinh.dossiers.selectors import dossier_by_receipt
from ansinh.dossiers.services.filing import procedure_of

WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_CLIENT = 20
MAX_FAILURES_PER_CODE = 5


@dataclass(frozen=True)
class PublicStatus:
    receipt_code: str
    procedure: str
    state: str
    state_label: str
    received_on: date | None
    due_date: date | None
    next_step: str
    receiving_organisation: str


def _over(key: str, limit: int) -> bool:
    return (cache.get(key) or 0) >= limit


def _count_failure(key: str) -> None:
    if cache.add(key, 1, WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)


def dossier_status_lookup(*, receipt_code: str, id_number: str, client: str) -> PublicStatus | None:
    code = receipt_code.strip().upper()
    client_key = f"dossier-lookup:client:{client}"
    code_key = f"dossier-lookup:code:{code}"
    if _over(client_key, MAX_FAILURES_PER_CLIENT) or _over(code_key, MAX_FAILURES_PER_CODE):
        raise LookupThrottled()
    dossier = dossier_by_receipt(code, id_number)
    if dossier is None:
        _count_failure(client_key)
        _count_failure(code_key)
        return None
    return public_status(dossier)


def public_status(dossier: Dossier) -> PublicStatus:
    return PublicStatus(
        receipt_code=dossier.receipt_code or "",
        procedure=procedure_of(dossier).name,
        state=dossier.state,
        state_label=dossier.state_label,
        received_on=dossier.received_on,
        due_date=dossier.due_date,
        next_step=str(next_step(dossier.state)),
        receiving_organisation=dossier.receiving_organisation.name,
    )


MAX_FILE_CHECKS_PER_CLIENT = 30


def verify_check_allowed(client: str) -> bool:
    """Checking an uploaded PDF costs a full signature validation: 30 per client per 15 minutes."""
    key = f"dossier-verify:client:{client}"
    if _over(key, MAX_FILE_CHECKS_PER_CLIENT):
        return False
    _count_failure(key)
    return True
