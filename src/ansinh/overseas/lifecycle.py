"""The steps of a worker's time abroad, as the enterprise reports them (pure: no ORM).

A worker is registered on a registered contract, trained, departs, works (and may change employer), and
comes back — at the end of the contract or before it — or stays on illegally, or dies abroad; the contract
with the worker is then liquidated (Law 69/2020 Art 26: within 180 days of the return). A worker who never
departed can be liquidated straight away.
"""

REGISTERED = "registered"
TRAINED = "trained"
DEPARTED = "departed"
WORKING = "working"
CHANGED_EMPLOYER = "changed_employer"
RETURNED_EARLY = "returned_early"
RETURNED = "returned"
OVERSTAYING = "overstaying"
DECEASED = "deceased"
LIQUIDATED = "liquidated"

_ABROAD_NEXT = frozenset({CHANGED_EMPLOYER, RETURNED_EARLY, RETURNED, OVERSTAYING, DECEASED})

NEXT_STEPS: dict[str, frozenset[str]] = {
    REGISTERED: frozenset({TRAINED, DEPARTED, LIQUIDATED}),
    TRAINED: frozenset({DEPARTED, LIQUIDATED}),
    DEPARTED: frozenset({WORKING}) | _ABROAD_NEXT,
    WORKING: _ABROAD_NEXT,
    CHANGED_EMPLOYER: frozenset({WORKING}) | _ABROAD_NEXT,
    OVERSTAYING: frozenset({RETURNED_EARLY, DECEASED}),
    RETURNED_EARLY: frozenset({LIQUIDATED}),
    RETURNED: frozenset({LIQUIDATED}),
    DECEASED: frozenset({LIQUIDATED}),
    LIQUIDATED: frozenset(),
}

# Steps that say the worker came back (or will not come back): they set the return date.
ENDS_THE_STAY = frozenset({RETURNED_EARLY, RETURNED, DECEASED})


def can_step(current: str, step: str) -> bool:
    return step in NEXT_STEPS.get(current, frozenset())
