"""The dates an export keeps (`--since`/`--until`), read the way the timeline and the networks read them.

An event is kept when the day it happened, or its document's publication day
when no report dates it, can fall inside the window: "2013-05" overlaps a
window from 2013-05-20, so it stays. Only events are windowed in the
record exports; the other kinds describe the corpus and are written whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from detente.analysis.timeline import date_bounds
from detente.present.exports import ExportError


@dataclass(frozen=True)
class DateWindow:
    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value and date_bounds(value) is None:
                raise ExportError(f"--{name} {value!r} is not a date; give an ISO prefix such as 2013, 2013-05 or 2013-05-07.")

    @property
    def open(self) -> bool:
        """True when nothing is left out."""
        return not self.since and not self.until

    def holds(self, when: str | None) -> bool:
        """Whether an event dated `when` (an ISO prefix or range; None: undated) can fall in the window."""
        if self.open:
            return True
        bounds = date_bounds(when)
        if bounds is None:
            return False
        low = date_bounds(self.since)[0] if self.since else date.min
        high = date_bounds(self.until)[1] if self.until else date.max
        return bounds[0] <= high and low <= bounds[1]


EVERYTHING = DateWindow()
