"""The cross-report timeline: one entry per real-world event, with every report of it.

Three outlets reporting the Kerry–Lavrov meeting give three event rows; a
reader wants one line with three sources. Rows are merged when they agree on
what happened (type, mode, status), share their participants, and have dates
that can be the same day once their precision is honoured: "May 2013" fits
"7 May 2013"; "Tuesday" resolved to 7 May does not fit 9 May. A row whose date
is only its document's publication date (nothing in the sentence dated it)
is taken to lie in the two weeks up to that day.

Merging is greedy and sweeps the rows in date order, so a corpus of any size
is compared only within overlapping dates; a row joins an entry only if it
fits the entry as a whole (the dates all its rows allow, the participants
they name), not merely one row of it, so chains of near-misses do not glue
separate events together.

So reports of different types or statuses never meet, and neither do dated
reports whose windows do not chain into overlap: `independent_groups` splits
a corpus along those lines, and merging each group alone gives the entries of
one merge of the whole (`entry_order` puts them in the same order). The store
keeps the entries and re-merges only the groups a new extraction touches
(`detente.analysis.timeline_refresh`).
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

# Event types where who is "actor" and who "recipient" is the reporter's choice:
# "Kerry met Lavrov" and "Lavrov met Kerry" are one meeting.
SYMMETRIC_TYPES = frozenset({"CONSULT", "COOPERATE", "AGREE"})
# Participants two reports must share, as a share of the smaller set: "Kerry met de
# Mistura" and "Kerry met Zarif" share half, and are two meetings.
# How long before its publication day an undated report may describe.
UNDATED_WINDOW = timedelta(days=14)
MIN_OVERLAP = 0.5


@dataclass
class TimelineEntry:
    """One real-world event and the reports of it (each a row of `event_rows`)."""

    type: str
    mode: str | None
    status: str
    date: str | None
    first: date | None  # the span of days every report allows
    last: date | None
    actors: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    location: str | None = None
    reports: list[dict] = field(default_factory=list)

    @property
    def docs(self) -> list[str]:
        return list(dict.fromkeys(r["doc"] for r in self.reports))

    @property
    def confidence(self) -> float:
        """Independent reports make an event surer: 1 - Π(1 - c) over its documents' best rows."""
        best: dict[str, float] = {}
        for report in self.reports:
            best[report["doc"]] = max(best.get(report["doc"], 0.0), float(report.get("confidence") or 0.0))
        doubt = 1.0
        for value in best.values():
            doubt *= 1.0 - value
        return round(1.0 - doubt, 3)


# -- dates with precision --------------------------------------------------------


def date_bounds(value: str | None) -> tuple[date, date] | None:
    """The first and last day an ISO prefix or "A/B" range can mean: "2013-05" → (May 1, May 31)."""
    if not value:
        return None
    text = str(value).strip()
    if "/" in text:
        start, _, end = text.partition("/")
        low, high = date_bounds(start), date_bounds(end)
        if low is None or high is None:
            return None
        return low[0], high[1]
    try:
        parts = [int(p) for p in text[:10].split("-")]
    except ValueError:
        return None
    try:
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        if len(parts) == 2:
            return date(parts[0], parts[1], 1), date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
        day = date(parts[0], parts[1], parts[2])
    except ValueError:
        return None
    return day, day


def report_bounds(row: dict) -> tuple[date, date] | None:
    """The days a report may mean: its stated date, or the fortnight up to publication when nothing dated it."""
    bounds = date_bounds(row.get("date"))
    if bounds is None:
        return None
    if not row.get("date_text") and row.get("date") and row.get("date") == _day(row.get("published")):
        return bounds[0] - UNDATED_WINDOW, bounds[1]
    return bounds


def _day(value: str | None) -> str | None:
    return str(value)[:10] if value else None


def dates_compatible(a: str | None, b: str | None) -> bool:
    """Whether two dates can name the same day, each at its own precision."""
    first, second = date_bounds(a), date_bounds(b)
    if first is None or second is None:
        return first is None and second is None
    return first[0] <= second[1] and second[0] <= first[1]


def _precision(value: str | None) -> int:
    """Fewer possible days is more precise: a day beats a week, a week beats a month."""
    bounds = date_bounds(value)
    return -(bounds[1] - bounds[0]).days if bounds else -100000


# -- merging ----------------------------------------------------------------------------


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _participants(row: dict) -> set[str]:
    return set(row.get("actors") or []) | set(row.get("recipients") or [])


def _fits(entry: TimelineEntry, row: dict, bounds: tuple[date, date] | None) -> bool:
    if row["type"] != entry.type or row.get("status", "reported") != entry.status:
        return False
    if row.get("mode") and entry.mode and row["mode"] != entry.mode:
        return False
    if (bounds is None) != (entry.first is None):
        return False
    if bounds is None and not _published_near(entry, row):
        return False
    if bounds is not None and not (bounds[0] <= entry.last and entry.first <= bounds[1]):
        return False
    if entry.type in SYMMETRIC_TYPES:
        return _overlap(_participants(row), set(entry.actors) | set(entry.recipients)) > MIN_OVERLAP
    actors = set(row.get("actors") or [])
    recipients = set(row.get("recipients") or [])
    if actors and entry.actors:
        if _overlap(actors, set(entry.actors)) < MIN_OVERLAP:
            return False
        return not (recipients and entry.recipients) or _overlap(recipients, set(entry.recipients)) >= MIN_OVERLAP
    # One side names no doer: the rest must agree, and something must be shared.
    return _overlap(_participants(row), set(entry.actors) | set(entry.recipients)) > MIN_OVERLAP


def _published_near(entry: TimelineEntry, row: dict) -> bool:
    """Undated reports are one event only if published within weeks of each other (or in one document)."""
    if any(r.get("doc") == row.get("doc") for r in entry.reports):
        return True
    mine = date_bounds(_day(row.get("published")))
    if mine is None:
        return False
    for report in entry.reports:
        theirs = date_bounds(_day(report.get("published")))
        if theirs is None or abs((theirs[0] - mine[0]).days) > UNDATED_WINDOW.days // 2:
            return False
    return True


def _join(entry: TimelineEntry, row: dict, bounds: tuple[date, date] | None) -> None:
    entry.reports.append(row)
    if bounds is not None:
        entry.first, entry.last = max(entry.first, bounds[0]), min(entry.last, bounds[1])
    entry.mode = entry.mode or row.get("mode")
    entry.actors = list(dict.fromkeys(entry.actors + list(row.get("actors") or [])))
    recipients = [r for r in (row.get("recipients") or []) if r not in entry.actors]
    entry.recipients = [r for r in dict.fromkeys(entry.recipients + recipients) if r not in entry.actors]
    entry.location = entry.location or row.get("location")


def _new_entry(row: dict, bounds: tuple[date, date] | None) -> TimelineEntry:
    entry = TimelineEntry(
        type=row["type"], mode=row.get("mode"), status=row.get("status") or "reported", date=None,
        first=bounds[0] if bounds else None, last=bounds[1] if bounds else None,
    )
    _join(entry, row, None)
    return entry


def _entry_date(entry: TimelineEntry) -> str | None:
    """The most precise stated date that fits every report, else the day (or month) they all allow."""
    stated = [r["date"] for r in entry.reports if r.get("date") and r.get("date_text")]
    fitting = [d for d in stated if (b := date_bounds(d)) and entry.first and b[0] <= entry.last and entry.first <= b[1]]
    if fitting:
        return max(fitting, key=lambda d: (_precision(d), Counter(fitting)[d]))
    if entry.first is None:
        return None
    if entry.first == entry.last:
        return entry.first.isoformat()
    if (entry.first.year, entry.first.month) == (entry.last.year, entry.last.month):
        return entry.first.isoformat()[:7]
    undated = [r["date"] for r in entry.reports if r.get("date")]
    return min(undated) if undated else None


class _UndatedEntries:
    """The undated entries a report could join, found without trying every one.

    An undated report joins an entry of its type and status only when every
    report of it was published within half of `UNDATED_WINDOW` of its own, or
    when the entry holds its document (`_published_near`). So the entries to
    try are those first published within that many days, and those holding its
    document, in the order they were made: the same entry the whole list would
    give, without the list's cost growing with every undated report.
    """

    def __init__(self) -> None:
        self.order: dict[int, int] = {}  # id(entry) → when it was made
        self.by_day: dict[tuple, list[TimelineEntry]] = {}  # (type, status, first published day) → entries
        self.by_doc: dict[tuple, list[TimelineEntry]] = {}  # (type, status, document) → entries holding it

    def candidates(self, row: dict) -> list[TimelineEntry]:
        key = (row["type"], row.get("status") or "reported")
        found = {id(e): e for e in self.by_doc.get((*key, row.get("doc")), [])}
        day = date_bounds(_day(row.get("published")))
        if day is not None:
            reach = UNDATED_WINDOW.days // 2
            for offset in range(-reach, reach + 1):
                for entry in self.by_day.get((*key, day[0] + timedelta(days=offset)), []):
                    found[id(entry)] = entry
        return sorted(found.values(), key=lambda e: self.order[id(e)])

    def add(self, entry: TimelineEntry, row: dict) -> None:
        """Index `entry`, new or just joined by `row`."""
        key = (entry.type, entry.status)
        if id(entry) not in self.order:
            self.order[id(entry)] = len(self.order)
            first = date_bounds(_day(entry.reports[0].get("published")))
            if first is not None:
                self.by_day.setdefault((*key, first[0]), []).append(entry)
        holders = self.by_doc.setdefault((*key, row.get("doc")), [])
        if all(held is not entry for held in holders):
            holders.append(entry)


def build_timeline(rows: list[dict]) -> list[TimelineEntry]:
    """Merge event rows (with type, mode, status, actors, recipients, date, date_text, published, doc)."""
    dated: list[tuple[tuple[date, date], dict]] = []
    undated: list[dict] = []
    for row in rows:
        bounds = report_bounds(row)
        if bounds is None:
            undated.append(row)
        else:
            dated.append((bounds, row))
    dated.sort(key=lambda pair: (pair[0][0], pair[0][1], pair[1].get("doc", ""), pair[1].get("start", 0)))
    entries: list[TimelineEntry] = []
    open_entries: list[TimelineEntry] = []
    for bounds, row in dated:
        open_entries = [e for e in open_entries if e.last >= bounds[0]]
        home = next((e for e in open_entries if _fits(e, row, bounds)), None)
        if home is None:
            home = _new_entry(row, bounds)
            entries.append(home)
            open_entries.append(home)
        else:
            _join(home, row, bounds)
    undated_entries = _UndatedEntries()
    for row in undated:
        home = next((e for e in undated_entries.candidates(row) if _fits(e, row, None)), None)
        if home is None:
            home = _new_entry(row, None)
            entries.append(home)
        else:
            _join(home, row, None)
        undated_entries.add(home, row)
    for entry in entries:
        entry.date = _entry_date(entry)
    return sorted(entries, key=lambda e: (e.date is None, e.first or date.max, e.date or "", e.type))


# -- independent groups ----------------------------------------------------------------


@dataclass
class TimelineGroup:
    """Reports that can merge only with each other: one type and status, and either a run of date windows
    that chain into overlap (`first`..`last`, the days they cover) or all that type's undated reports."""

    type: str
    status: str
    first: date | None
    last: date | None
    rows: list[dict]


def independent_groups(rows: list[dict]) -> list[TimelineGroup]:
    """Split reports into groups that `build_timeline` merges one at a time to the entries of one merge of all.

    A report joins only an entry of its own type and status (`_fits`), and a
    dated one only an entry still open at its first day, whose days lie inside
    the window of every report it holds: so a report whose window starts after
    every earlier window of its type and status has ended meets nothing before
    it. Undated reports meet only undated ones. Each group keeps the rows in
    the order of `rows`, which breaks the merge's ties.
    """
    kinds: dict[tuple, list[tuple[int, tuple[date, date] | None, dict]]] = {}
    for position, row in enumerate(rows):
        kinds.setdefault((row["type"], row.get("status", "reported")), []).append((position, report_bounds(row), row))
    groups = []
    for (kind, status), members in kinds.items():
        dated = sorted((m for m in members if m[1] is not None), key=lambda m: (m[1][0], m[0]))
        run: list = []
        run_last = date.min
        for member in dated:
            if run and member[1][0] > run_last:
                groups.append(_dated_group(kind, status, run))
                run = []
            run_last = member[1][1] if not run else max(run_last, member[1][1])
            run.append(member)
        if run:
            groups.append(_dated_group(kind, status, run))
        undated = [row for _position, bounds, row in members if bounds is None]
        if undated:
            groups.append(TimelineGroup(kind, status, None, None, undated))
    return groups


def _dated_group(kind: str, status: str, run: list) -> TimelineGroup:
    return TimelineGroup(kind, status, run[0][1][0], max(m[1][1] for m in run),
                         [row for _position, _bounds, row in sorted(run, key=lambda m: m[0])])


def report_order(row: dict) -> tuple:
    """The order reports are given to `build_timeline` in (the store lists them so): by date or publication, undated last."""
    when = row["date"] if row.get("date") is not None else row.get("published")
    return (when is None, when or "", row.get("doc", ""), row.get("start", 0), row.get("id", 0))


def entry_lead(entry: TimelineEntry) -> dict:
    """The report that opened `entry` (its first), as the columns that order it: see `entry_order`."""
    lead = entry.reports[0]
    bounds = report_bounds(lead)
    when = lead["date"] if lead.get("date") is not None else lead.get("published")
    return {
        "undated": entry.first is None,
        "when_missing": bounds is not None or when is None,
        "undated_when": when if bounds is None else None,
        "lead_from": bounds[0].isoformat() if bounds else None,
        "lead_to": bounds[1].isoformat() if bounds else None,
        "lead_doc": lead.get("doc", ""),
        "lead_start": lead.get("start", 0),
        "lead_when_missing": when is None,
        "lead_when": when,
        "lead_event": lead.get("id", 0),
    }


def entry_order(entry: TimelineEntry) -> tuple:
    """Where `build_timeline` puts `entry` among the entries of every group, whichever group it was merged in.

    It sorts by (undated, first day, date, type) and keeps the order entries
    were made in: dated ones as their first reports come in the sweep (by
    window, then `report_order`), then undated ones in `report_order`. The
    store orders its entries by the same fields (detente.store.events).
    """
    lead = entry_lead(entry)
    return (lead["undated"], entry.first or date.max, entry.date or "", entry.type,
            lead["when_missing"], lead["undated_when"] or "", lead["lead_from"] or "", lead["lead_to"] or "",
            lead["lead_doc"], lead["lead_start"], lead["lead_when_missing"], lead["lead_when"] or "", lead["lead_event"])
