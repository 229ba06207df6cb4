"""Which date on a page is its publication date, and the words it was read from.

A web copy prints many dates: when it was published and updated, when somebody
viewed or printed it, a copyright year, the dates of readers' comments and of
other stories listed under it, and the dates of the events its story tells.
Every relative date in the story ("on Friday") is resolved against the
publication date, so a wrong one is worse than none.

The forms a publication date takes are ranked in data/publication_dates.yaml,
best first: a "Published"/"Posted"/"Date" label anywhere in the article (a
leading " date 2013-10-30" marker too), a date line, byline or dateline in the
header, a year-less dateline whose year another full date in the same document
gives, a date above the headline (perhaps the site's "today"), a print-edition
footer, an "Updated" label, a photo caption near the top. Dates with a label
that says they are something else (accessed, viewed, printed, a comment, a
copyright), dates in site notices and dates after the article's end are never
candidates, and a date inside the story's own sentences never is either. A
page with none of these forms gets no date.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from detente.ingest.clean import unit_features
from detente.ingest.dates import (
    DateHit,
    Label,
    MonthDay,
    any_year,
    date_data,
    find_dates,
    find_month_days,
    label_at_start,
    label_before,
    only_label,
    parse_with_dateparser,
    strip_bullet,
    valid_iso,
)

FIELD_MAX_CHARS = 200  # a field longer than this is text, not a date
DATELINE_REACH = 80  # a dateline's date starts within this many characters of its line
_ISO_PREFIX = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")


@dataclass(frozen=True)
class PublishedDate:
    iso: str
    text: str  # the words it was read from: the label and the date, or a dateline and the date that gave its year
    form: str  # a rank name from the data file
    unit: int  # the unit it was read from


@dataclass(frozen=True)
class HeaderUnit:
    """What the header reader decided a unit is (byline, dateline, prose, headline…) and the dates it found."""

    kind: str
    dates: tuple[DateHit, ...] = ()


@dataclass(frozen=True)
class _Rules:
    ranks: dict[str, int]
    notices: re.Pattern | None
    article_end: re.Pattern | None
    max_days: int


def _any_of(patterns: list) -> re.Pattern | None:
    patterns = [str(p) for p in patterns or []]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


@lru_cache(maxsize=1)
def rules() -> _Rules:
    data = date_data()
    return _Rules(
        ranks={str(k): int(v) for k, v in (data.get("ranks") or {}).items()},
        notices=_any_of(data.get("notices")),
        article_end=_any_of(data.get("article_end")),
        max_days=int((data.get("yearless_dateline") or {}).get("max_days", 10)),
    )


# ---------------------------------------------------------------- the page's own text


@dataclass(frozen=True)
class _Candidate:
    rank: int
    unit: int
    start: int
    found: PublishedDate


def find_published(units: list[str], header: list[HeaderUnit], title: int | None = None) -> PublishedDate | None:
    """The best-ranked publication date of a page, or None when it prints none.

    `units` are the page's units in order; `header` describes the first of them
    (the header zone) as the header reader tagged them; `title` is the index of
    the headline, when there is one.
    """
    try:
        return _find_published(units, header, title)
    except (ValueError, OverflowError):  # odd input must never stop a batch: no date is the answer
        return None


def _find_published(units: list[str], header: list[HeaderUnit], title: int | None) -> PublishedDate | None:
    end = article_end(units)
    candidates: list[_Candidate] = []
    yearless: list[tuple[int, MonthDay]] = []
    for index, unit in enumerate(units[:end]):
        previous = units[index - 1] if index else ""
        tag = header[index] if index < len(header) else None
        above_title = title is not None and index < title
        candidates.extend(_unit_dates(index, unit, previous, tag, above_title))
        if tag is None:
            continue
        found = dateline(unit)
        if isinstance(found, DateHit):
            candidates.append(_candidate("lead_dateline", index, found.start, found.iso, found.text))
        elif isinstance(found, MonthDay):
            yearless.append((index, found))
        if tag.kind == "prose" and (hit := caption_date(unit)):
            candidates.append(_candidate("caption", index, hit.start, hit.iso, hit.text))
    if yearless and not any(c.rank < rules().ranks.get("yearless_dateline", 2) for c in candidates):
        index, month_day = yearless[0]
        resolved = resolve_year(month_day, full_dates(units[:end]))
        if resolved:
            iso, source = resolved
            text = f"{month_day.text} (year from {source.text})"
            candidates.append(_candidate("yearless_dateline", index, month_day.start, iso, text))
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c.rank, c.unit, c.start)).found


def _candidate(form: str, unit: int, start: int, iso: str, text: str) -> _Candidate:
    rank = rules().ranks.get(form, len(rules().ranks))
    return _Candidate(rank, unit, start, PublishedDate(iso, text, form, unit))


_LABEL_FORMS = {"published": "published_label", "print": "print_label", "updated": "updated_label"}


def _unit_dates(
    index: int, unit: str, previous: str, tag: HeaderUnit | None, above_title: bool = False
) -> list[_Candidate]:
    """Labelled dates anywhere in the article ("Published: …", "Posted on …", "Updated …",
    "Published in Dawn May 16th, 2015"), and a header line's unlabelled ones ("Thursday, July 11, 2013").

    An unlabelled date above the headline may be the site's "today" in its top
    bar rather than the article's date, so it ranks after those below it."""
    prose = unit_features(unit).prose
    if prose and not _opens_with_print_label(unit):
        return []  # a paragraph of the story: its dates are events
    hits = tag.dates if tag is not None and tag.dates else find_dates(unit)
    if not hits or is_notice(unit):
        return []
    lead = len(unit) - len(strip_bullet(unit))
    found = []
    for hit, label in _dates_with_labels(unit, previous, hits):
        if label is None:
            if tag is not None and tag.kind in ("byline", "dateline"):
                form = "date_above_title" if above_title else "header_date"
                found.append(_candidate(form, index, hit.start, hit.iso, hit.text))
            continue
        if label.kind not in _LABEL_FORMS:
            continue  # accessed, viewed, printed, a comment, a copyright
        at_start = label.start <= lead
        if prose and not (label.kind == "print" and at_start and len(hit.iso) == 10):
            continue  # "It was published on May 5, 2013 by …", "Published in May 2015, the report …": the story
        if tag is None and not at_start:
            continue  # beyond the header a metadata line starts with its label
        words = unit[label.start : hit.end] if label.start >= 0 else f"{label.text} {hit.text}"
        found.append(_candidate(_LABEL_FORMS[label.kind], index, hit.start, hit.iso, words.strip(" ,|·")))
    return found


def _opens_with_print_label(unit: str) -> bool:
    label = label_at_start(strip_bullet(unit))
    return label is not None and label.kind == "print"


def _dates_with_labels(text: str, previous: str, hits) -> Iterator[tuple[DateHit, Label | None]]:
    """Each date of a line with the label that names it (or None).

    A label is looked for between the previous date and this one; the first date
    of a line also takes a label standing alone on the line above ("Updated:").
    """
    last = 0
    for number, hit in enumerate(sorted(hits, key=lambda h: h.start)):
        label = label_before(text, last, hit.start) if hit.start >= last else None
        if label is None and number == 0 and not text[: hit.start].strip(" :|·-–—"):
            above = only_label(previous) if previous else None
            if above is not None:
                label = Label(above.kind, above.text, -1, -1)  # named on the line above
        last = max(last, hit.end)
        yield hit, label


def is_notice(unit: str) -> bool:
    """A notice about the site (cookies, privacy, copyright): its dates are about the notice."""
    notices = rules().notices
    return notices is not None and bool(notices.search(unit))


def article_end(units: list[str]) -> int:
    """The index of the first unit after the article: comments, lists of other stories.

    Only a unit after the story has begun (after its first prose unit) ends it,
    so a menu item "Related" at the top ends nothing.
    """
    pattern = rules().article_end
    if pattern is None:
        return len(units)
    started = False
    for index, unit in enumerate(units):
        if started and pattern.search(strip_bullet(unit).strip()):
            return index
        started = started or unit_features(unit).prose
    return len(units)


# ---------------------------------------------------------------- datelines and captions

_PLACE_WORD = r"(?:[A-Z][\w.'’-]*|al|el|de|of|du|la|le)"
_PLACE = re.compile(
    rf"(?P<place>[A-Z][\w.'’-]*(?:[ /-]{_PLACE_WORD}){{0,3}}(?:,\s+[A-Z][\w.'’-]*(?:[ /-]{_PLACE_WORD}){{0,3}}){{0,2}})"
    r",?\s*"
)
_NOT_PLACES = {
    "on", "in", "at", "by", "since", "from", "until", "till", "before", "after", "as", "of", "the", "and", "for",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
    "published", "posted", "updated", "date", "dated", "last", "first",
}
_AGENCY_AND_DASH = re.compile(r"\s*(?:\([^()]{1,80}\)\s*|/[^/\n]{1,40}/\s*)?(?:--|[-–—:])")  # "(Reuters) -", "/PRNewswire/ --"
_CAPITAL_NEXT = re.compile(r"\s*[\"“‘']?(?-i:[A-Z])")


def dateline(unit: str) -> DateHit | MonthDay | None:
    """ "JUBA, August 26, 2015 (SSNA) — …", "TRIPOLI, Nov 04 (Xinhua): …", "BEIRUT Oct 30 (Reuters) - …".

    A place, then the date, then an agency in brackets and a dash or colon. A place
    in capitals ("BEIRUT Oct 30") needs neither. With no year the date is a
    MonthDay, and only another full date in the document can place it.
    """
    head = unit[: DATELINE_REACH + 40]
    if not _DIGIT.search(head) or not unit[:1].isupper():
        return None
    dated = find_dates(head)
    if dated and dated[0].start <= DATELINE_REACH and _dateline_around(unit, dated[0].start, dated[0].end):
        return dated[0]
    for month_day in find_month_days(head):
        if month_day.start > DATELINE_REACH:
            break
        inside_a_full_date = any(h.start <= month_day.start < h.end for h in dated)
        if not inside_a_full_date and _dateline_around(unit, month_day.start, month_day.end):
            return month_day
    return None


_DIGIT = re.compile(r"\d")


def _dateline_around(unit: str, start: int, end: int) -> bool:
    place = _PLACE.fullmatch(unit, 0, start)
    if not place or start == 0:
        return False
    words = re.findall(r"[^\W\d_]+", place["place"])
    if not words or any(w.casefold() in _NOT_PLACES for w in words[:1]):
        return False
    if _AGENCY_AND_DASH.match(unit, end):
        return True
    capitals = place["place"].replace(",", "").replace(" ", "").replace("/", "").replace("-", "")
    shouted = capitals.isupper() and len(capitals) >= 3
    rest = unit[end:]
    return shouted and (not rest.strip() or bool(_CAPITAL_NEXT.match(rest)))


_CAPTION_CUE = re.compile(
    r"\((?:R|L|C|left|right|cent(?:er|re)|top|bottom|front)\)|\b(?:photo|photograph|picture|file image)\b"
    r"|(?:AP|AFP|Reuters|Getty|EPA)\s*(?:/|Photo)",
    re.IGNORECASE,
)


def caption_date(unit: str) -> DateHit | None:
    """A photo caption ends on its place and full date ("… in Moscow, May 7, 2013.") or says it is a picture.

    A story sentence that ends on a date ("… since the invasion in February 2022.")
    is not a caption: a caption's date is a day, set off by a comma.
    """
    if not any_year(unit[-8:]):
        return None  # a caption ends on its year
    hits = find_dates(unit)
    if not hits:
        return None
    last = hits[-1]
    if unit[last.end :].strip() not in ("", "."):
        return None
    if len(last.iso) != 10:
        return None
    if unit[: last.start].rstrip().endswith(",") or _CAPTION_CUE.search(unit):
        return last
    return None


# ---------------------------------------------------------------- a year for a year-less dateline


def full_dates(units: list[str]) -> list[DateHit]:
    """Dates with day, month and year anywhere in the article, except those a label says are
    something else (accessed, viewed, a copyright) and those in site notices."""
    found = []
    previous = ""
    for unit in units:
        hits = find_dates(unit)
        if hits and not is_notice(unit):
            for hit, label in _dates_with_labels(unit, previous, hits):
                if len(hit.iso) == 10 and (label is None or label.kind != "not_published"):
                    found.append(hit)
        previous = unit
    return found


def resolve_year(month_day: MonthDay, dates: list[DateHit]) -> tuple[str, DateHit] | None:
    """The dateline's date in the year that puts it nearest the document's full dates.

    Each full date within `max_days` of the dateline (placed in that date's year,
    or the one before or after across New Year) votes for a year; most votes win
    and a tie gives nothing. No full date near enough: no date.
    """
    votes: Counter[str] = Counter()
    sources: dict[str, DateHit] = {}
    for hit in dates:
        year, month, day = (int(p) for p in hit.iso.split("-"))
        written = date(year, month, day)
        placed = [d for d in (month_day.in_year(y) for y in (year - 1, year, year + 1)) if d]
        if not placed:
            continue
        nearest = min(placed, key=lambda d: abs((d - written).days))
        if abs((nearest - written).days) <= rules().max_days and valid_iso(nearest.year, nearest.month, nearest.day):
            iso = nearest.isoformat()
            votes[iso] += 1
            sources.setdefault(iso, hit)
    if not votes:
        return None
    ranked = votes.most_common(2)
    if len(ranked) == 2 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0], sources[ranked[0][0]]


# ---------------------------------------------------------------- fields (JSONL, HTML meta)


def normalise_published(value: str) -> str | None:
    """A publication date given as a field, as an ISO prefix; None when it cannot be read.

    The precision is what the value states: "2015-10" stays a month. Labels and
    page furniture in the field are read as on a page ("Posted on Wednesday,
    12 September 2018 | 1,234 views").
    """
    value = " ".join(str(value).split())
    if not value or len(value) > FIELD_MAX_CHARS:
        return None
    match = _ISO_PREFIX.match(value)
    if match:
        year, month, day = match.groups()
        if month is None:
            return year if valid_iso(int(year), 1) else None
        return valid_iso(int(year), int(month), int(day) if day else None)
    hits = find_dates(value)
    if hits:  # a date the page's rules reject ("Last viewed: 3 October 2019") is not read another way
        found = find_published([value], [HeaderUnit("dateline", hits)])
        return found.iso if found else None
    year = any_year(value)
    return parse_with_dateparser(value, int(year.group(0))) if year else None
