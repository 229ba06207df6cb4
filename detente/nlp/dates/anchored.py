"""Days counted from another day the text gives: "a day earlier", "the following day", "two days later".

"Signed on Friday … had initialled the document a day earlier" dates the
initialling to Thursday; measured from the publication date instead it would
be the day before the paper came out, which is rarely the same. So these
phrases are resolved only against a full date (day precision) named before
them in the same paragraph or the one just before it (wire stories run a
sentence to a paragraph); with none, they stay undated rather than guessed.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from detente.nlp.dates.calendar import shift_days
from detente.nlp.dates.expressions import TimeExpression, lexicon_section

CONFIDENCE = 0.75
_REACH = 600  # characters back to look for the day a phrase counts from


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern, dict[str, int], dict[str, int], dict[str, int]]:
    section = lexicon_section("anchored_days")
    phrases = {str(k).lower(): int(v) for k, v in (section.get("phrases") or {}).items()}
    directions = {str(k).lower(): int(v) for k, v in (section.get("directions") or {}).items()}
    units = {str(k).lower(): int(v) for k, v in (section.get("units") or {}).items()}
    counts = {str(k).lower(): int(v) for k, v in (section.get("counts") or {}).items()}
    fixed = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    counted = (
        r"(?P<n>\d{1,2}|" + "|".join(re.escape(c) for c in sorted(counts, key=len, reverse=True)) + r")\s+"
        r"(?P<unit>" + "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True)) + r")\s+"
        r"(?P<dir>" + "|".join(re.escape(d) for d in sorted(directions, key=len, reverse=True)) + r")"
    )
    regex = re.compile(rf"(?i)\b(?:(?P<fixed>{fixed})|{counted})\b")
    return regex, phrases, {**directions}, {**units, **{f"#{k}": v for k, v in counts.items()}}


def find_anchored(text: str, found: list[TimeExpression]) -> list[TimeExpression]:
    """The anchored phrases of a text resolved against the full dates already `found` before them."""
    regex, phrases, directions, table = _pattern()
    days = sorted((e for e in found if e.precision == "day"), key=lambda e: e.start)
    taken = [(e.start, e.end) for e in found]
    out = []
    for m in regex.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        offset = _offset(m, phrases, directions, table)
        anchor = _anchor_before(text, days, m.start())
        if offset is None or anchor is None:
            continue
        value = shift_days(date.fromisoformat(anchor.value), offset)
        if value is not None:
            out.append(TimeExpression(m.start(), m.end(), m.group(0), value.isoformat(), "day", CONFIDENCE))
    return out


def _offset(m: re.Match, phrases: dict[str, int], directions: dict[str, int], table: dict[str, int]) -> int | None:
    if m["fixed"]:
        return phrases.get(m["fixed"].lower())
    count_text = m["n"].lower()
    count = int(count_text) if count_text.isdigit() else table.get(f"#{count_text}")
    unit = table.get(m["unit"].lower())
    if count is None or unit is None:
        return None
    return count * unit * directions[m["dir"].lower()]


def _anchor_before(text: str, days: list[TimeExpression], at: int) -> TimeExpression | None:
    """The last full date before `at` within reach, in this paragraph or the one before."""
    for expression in reversed(days):
        if expression.end > at:
            continue
        if at - expression.end > _REACH or len(re.findall(r"\n[ \t]*\n", text[expression.end:at])) > 1:
            return None
        return expression
    return None
