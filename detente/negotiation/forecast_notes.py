"""Words for a forecast that seems to contradict its own Monte Carlo draws.

The weighted median and BDM jump from one actor's position to another as the
inputs move, so the forecast at the likely inputs can sit where few draws land
(the Syria example: a median of 55 beside a draws' middle of 20.4). That is
the model, not a bug, but two such numbers side by side read as a bug. These
sentences say why, with the actors' names and the weight on each side, for
the Negotiation page and `detente model forecast --draws`.
"""

from __future__ import annotations

from detente.negotiation.median import median_split
from detente.negotiation.montecarlo import NEAR, Summary
from detente.negotiation.spatial import IssueInputs

NAMES_LISTED = 4  # actors named in a sentence before "and N others"


def why_apart(model: str, summary: Summary, inputs: IssueInputs, names: dict) -> str:
    """Why the forecast at the likely inputs is not where the draws land, in words a reader can check.

    Call it for a summary that is not `representative`; `names` maps actor ids to display names.
    """
    general = (f"Only {summary.near:.0%} of the draws land within {NEAR:g} point of {_text(summary.forecast)}; "
               f"the middle of the draws is {_text(summary.median)}.")
    if model != "median":
        return (f"At the likely inputs this model gives {_text(summary.forecast)}, but it jumps between actors' "
                f"positions as the inputs move within their ranges. {general}")
    x, c, s = inputs.likely()
    split = median_split(x, c * s)
    if split is None:
        return general
    below = _actors([a for a, v in zip(inputs.actors, x) if v < split.position], names)
    at = _actors([a for a, v in zip(inputs.actors, x) if v == split.position], names)
    if split.margin_down <= split.margin_up and split.lower is not None:
        why = (f"At the likely inputs the actors below {_text(split.position)} ({below}) hold {split.below:.2%} of "
               f"the weight (capability × salience), just short of half, so the median is {at} at "
               f"{_text(split.position)}; where the draws give them half or more, it falls to "
               f"{_text(split.lower)} or near it.")
    elif split.upper is not None:
        why = (f"At the likely inputs the actors at or below {_text(split.position)} hold {split.below + split.at:.2%} "
               f"of the weight (capability × salience), just over half, so the median is {at} at "
               f"{_text(split.position)}; where the draws leave them under half, it rises to "
               f"{_text(split.upper)} or near it.")
    else:
        return general
    return f"{why} {general}"


def _actors(ids: list[str], names: dict) -> str:
    shown = [names.get(a, a) for a in ids[:NAMES_LISTED]]
    if len(ids) > NAMES_LISTED:
        shown.append(f"{len(ids) - NAMES_LISTED} others")
    return ", ".join(shown) if shown else "nobody"


def _text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".removesuffix(".0")
