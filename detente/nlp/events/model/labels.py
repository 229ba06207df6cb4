"""The two label sets of the event-type model and how they map onto each other.

Quad classes are the Phoenix grouping of CAMEO root codes that the ConfliBERT
sentences carry: 0 public statement or appeal (or no event at all), 1 verbal
cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
Types are the 16 PLOVER 0.8 types of DESIGN.md plus NONE, a sentence that
reports no event.

REQUEST is both an appeal (CAMEO 02, class 0) and a demand (CAMEO 10, class
3). It maps to 0: in the ConfliBERT news sentences calls and appeals
("urged", "called on", "appealed to") carry class 0 far more often than 3,
and our own gold's REQUESTs are mostly calls. Where the source says it is a
demand (a PLOVER 0.5 DEMAND in the GSR), the sentence keeps class 3.
"""

from __future__ import annotations

QUAD_CLASSES: tuple[int, ...] = (0, 1, 2, 3, 4)
NONE = "NONE"
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
TYPE_CLASSES: tuple[str, ...] = PLOVER_TYPES + (NONE,)

QUAD_OF_TYPE: dict[str, int] = {
    NONE: 0, "REQUEST": 0,
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1,
    "COOPERATE": 2, "AID": 2, "CONCEDE": 2, "RETREAT": 2,
    "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "SANCTION": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}

# The GSR's PLOVER 0.5 labels: their 0.8 type (as ../shared/data/README.md maps them) and their quad
# class (from the CAMEO root each stands for; DEMAND is CAMEO 10, a demand, so 3).
PLOVER05_TYPE: dict[str, str] = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
PLOVER05_QUAD: dict[str, int] = {"DEMAND": 3, "DISAPPROVE": 3, "INVESTIGATE": 3, "FIGHT": 4}


def quad_of_type(plover_type: str | None) -> int:
    """The quad class of a PLOVER 0.8 type (no event, or an unknown type, is 0)."""
    return QUAD_OF_TYPE.get(plover_type or NONE, 0)


def types_of_quad(quad: int) -> tuple[str, ...]:
    """The types a quad class allows; class 0 is an appeal or no event at all."""
    return tuple(t for t in TYPE_CLASSES if QUAD_OF_TYPE[t] == quad)


def plover08(label: str) -> str:
    """A GSR label (PLOVER 0.5) in PLOVER 0.8."""
    return PLOVER05_TYPE.get(label, label)


def quad_of_plover05(label: str) -> int:
    return PLOVER05_QUAD.get(label, QUAD_OF_TYPE.get(label, 0))
