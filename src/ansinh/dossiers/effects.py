"""What a step means to the app that declared the procedure.

The engine moves every dossier the same way; an app whose procedure has consequences beyond the dossier
(a benefit claim approved becomes a benefit being paid) registers them here, by procedure code:
- `before_step(dossier, step, actor)` runs inside the step's transaction, after the engine checked the
  step and before it is saved: it may write the app's own records, or raise a `DomainError` to refuse the
  step (nothing is written then);
- `decision_facts(dossier)` returns (label, value) rows the decision PDF prints under its articles;
- `deciding_kind(dossier)` names the kind of body that decides this dossier when it is not the
  procedure's `deciding_kind` (a province may delegate the decision to its employment centre);
- `case_decision(dossier, event)` says what a decision taken later on the running case decides (a benefit
  suspended, continued, ended): the app records the step with `services.case_decisions`, the engine
  issues it as a signed PDF like its own decisions.

An explicit registry rather than signals: a reader of `apply_step` sees that there is a hook, and a reader
of the app sees what it hooks, in one call.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ansinh.accounts.models import Organisation
from ansinh.dossiers.models import Dossier, DossierEvent


@dataclass(frozen=True)
class CaseDecision:
    """A later decision as its PDF states it, in Vietnamese like every issued document."""

    heading: str  # "Quyết định"
    subject: str  # "về việc tạm dừng hưởng trợ cấp thất nghiệp"
    number: str
    issuer: Organisation
    legal_basis: list[str]  # the "Căn cứ ..." lines
    articles: list[str]  # "Điều 1. ..." in order; the engine adds the article on entry into force
    facts: list[tuple[str, str]]

    @property
    def title(self) -> str:
        return f"{self.heading} {self.subject}"


BeforeStep = Callable[[Dossier, str, Any], None]
DecisionFacts = Callable[[Dossier], list[tuple[str, str]]]
DecidingKind = Callable[[Dossier], str | None]
CaseDecisionOf = Callable[[Dossier, DossierEvent], CaseDecision]


@dataclass(frozen=True)
class Effects:
    before_step: BeforeStep | None = None
    decision_facts: DecisionFacts | None = None
    deciding_kind: DecidingKind | None = None
    case_decision: CaseDecisionOf | None = None


_EFFECTS: dict[str, Effects] = {}


def register(procedure_code: str, effects: Effects) -> None:
    _EFFECTS[procedure_code] = effects


def before_step(dossier: Dossier, step: str, actor: Any) -> None:
    effects = _EFFECTS.get(dossier.procedure_code)
    if effects is not None and effects.before_step is not None:
        effects.before_step(dossier, step, actor)


def decision_facts(dossier: Dossier) -> list[tuple[str, str]]:
    effects = _EFFECTS.get(dossier.procedure_code)
    if effects is None or effects.decision_facts is None:
        return []
    return effects.decision_facts(dossier)


def deciding_kind(dossier: Dossier, default: str) -> str:
    effects = _EFFECTS.get(dossier.procedure_code)
    if effects is None or effects.deciding_kind is None:
        return default
    return effects.deciding_kind(dossier) or default


def case_decision(dossier: Dossier, event: DossierEvent) -> CaseDecision:
    effects = _EFFECTS.get(dossier.procedure_code)
    if effects is None or effects.case_decision is None:
        raise LookupError(f"{dossier.procedure_code} records no decisions on a running case")
    return effects.case_decision(dossier, event)
