"""The procedure catalogue: each app declares its administrative procedures in code, versioned with the law.

A procedure (thủ tục hành chính) is a code plus a list of versions; the version in force on a date is the
one whose [valid_from, valid_to] covers it, so a dossier filed under the old decree keeps the old rules
while new filings take the new ones. Declarations are plain data (no ORM): they are imported at start-up
by the declaring app (see `DossiersConfig.ready`) and registered here.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import get_language


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    IN_PROCESSING = "in_processing"
    APPROVED = "approved"
    REFUSED = "refused"
    DELIVERED = "delivered"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"


# Every procedure passes through these; in_processing, withdrawn and cancelled are each procedure's choice.
CORE_STATES = frozenset(
    {
        State.DRAFT,
        State.SUBMITTED,
        State.RETURNED,
        State.ACCEPTED,
        State.APPROVED,
        State.REFUSED,
        State.DELIVERED,
    }
)


class Filing(StrEnum):
    """How a procedure is done."""

    DOSSIER = "dossier"  # filed as a dossier on the engine (online, at the counter, by a partner)
    SERVICE = "service"  # on the service's own page (e.g. the monthly job-search notification)
    TRIGGERED = "triggered"  # started by the body itself (e.g. a suspension when a month is missed)


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    INTEGER = "integer"
    MONEY = "money"  # integer VND
    DATE = "date"
    MONTH = "month"  # YYYY-MM
    CHOICE = "choice"
    BOOLEAN = "boolean"
    EMAIL = "email"
    PHONE = "phone"
    PERSONAL_ID = "personal_id"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str | Promise


@dataclass(frozen=True)
class FormField:
    name: str
    label: str | Promise
    type: FieldType = FieldType.TEXT
    required: bool = True
    help_text: str | Promise = ""
    choices: tuple[Choice, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    max_length: int = 500


@dataclass(frozen=True)
class DocumentKind:
    """A document the applicant attaches. `content_types` are checked against the file's content."""

    code: str
    label: str | Promise
    mandatory: bool = True
    content_types: tuple[str, ...] = ("application/pdf", "image/jpeg", "image/png")
    max_files: int = 3


@dataclass(frozen=True)
class ProcedureVersion:
    code: str
    version: str
    valid_from: date
    valid_to: date | None
    name_vi: str
    name_en: str
    legal_basis: str
    # Who receives and who decides: the kind of organisation (accounts.OrganisationKind value) and its level.
    receiving_kind: str
    deciding_kind: str
    # "province" (the body in the applicant's province), "nation" (the one national body) or "commune" (the
    # commune people's committee whose ward is the applicant's; it also decides).
    level: str
    processing_days: int  # working days from the complete dossier (Decree 61/2018 Art 19 counting)
    fields: tuple[FormField, ...] = ()
    documents: tuple[DocumentKind, ...] = ()
    optional_states: frozenset[State] = frozenset({State.IN_PROCESSING, State.WITHDRAWN})
    applicant: str = "person"  # "person" or "organisation"
    description_vi: str = ""
    description_en: str = ""
    outputs: tuple[str, ...] = field(default=("approval", "refusal"))
    filing: Filing = Filing.DOSSIER
    service_url_name: str = ""  # the page where a SERVICE procedure is done
    # When the time limit is not "processing_days working days from the complete dossier".
    deadline_vi: str = ""
    deadline_en: str = ""

    @property
    def deadline(self) -> str:
        english = (get_language() or "vi").startswith("en")
        return self.deadline_en if english and self.deadline_en else self.deadline_vi

    @property
    def filed_as_dossier(self) -> bool:
        return self.filing == Filing.DOSSIER

    @property
    def states(self) -> frozenset[State]:
        return CORE_STATES | self.optional_states

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") and self.name_en else self.name_vi

    @property
    def description(self) -> str:
        english = (get_language() or "vi").startswith("en")
        return self.description_en if english and self.description_en else self.description_vi

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def document(self, code: str) -> DocumentKind | None:
        return next((d for d in self.documents if d.code == code), None)


_REGISTRY: dict[str, list[ProcedureVersion]] = {}


def register(*versions: ProcedureVersion) -> None:
    """Declare the versions of one procedure. Periods must not overlap."""
    for version in versions:
        existing = _REGISTRY.setdefault(version.code, [])
        existing[:] = [v for v in existing if v.version != version.version]  # re-import replaces
        for other in existing:
            if _overlaps(version, other):
                raise ValueError(f"{version.code}: versions {other.version} and {version.version} overlap")
        existing.append(version)
        existing.sort(key=lambda v: v.valid_from)


def _overlaps(a: ProcedureVersion, b: ProcedureVersion) -> bool:
    a_end, b_end = a.valid_to or date.max, b.valid_to or date.max
    return a.valid_from <= b_end and b.valid_from <= a_end


def version_on(code: str, day: date) -> ProcedureVersion | None:
    return next((v for v in _REGISTRY.get(code, []) if v.in_force_on(day)), None)


def version_named(code: str, version: str) -> ProcedureVersion | None:
    return next((v for v in _REGISTRY.get(code, []) if v.version == version), None)


def catalogue(day: date) -> list[ProcedureVersion]:
    """The procedures in force on `day`, in the order of their codes."""
    found = (version_on(code, day) for code in sorted(_REGISTRY))
    return [v for v in found if v is not None]


def all_versions(code: str) -> Iterable[ProcedureVersion]:
    return tuple(_REGISTRY.get(code, ()))
