"""Calendar dates as web pages print them: "July 11, 2013", "11th July 2013", "2013-07-11", "07 Temmuz 2017".

Only what a page writes is read. A date without a year ("Feb. 19") is found
apart from dated ones, because its year is unknown; a date that does not exist
(31 February, month 13) or has an absurd year is no date. Month names come from
data/publication_dates.yaml, so a page's furniture in another language (a
Turkish "Temmuz", a French "juillet") is read like English.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from dateparser.date import DateDataParser

from detente.data_files import load_yaml

MIN_YEAR, MAX_YEAR = 1900, 2100
DATA_FILE = "publication_dates.yaml"

_WEEKDAY = (
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thur?s?|fri|sat|sun)\.?,?\s+)?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_TIME = (
    r"(?:\s*[,|·]?\s*(?:at\s+)?[0-2]?\d[:.][0-5]\d(?:[:.][0-5]\d)?\s*(?:[ap]\.?\s?m\.?)?"
    r"(?:\s*\((?-i:[A-Z]{2,5})\)|\s*(?-i:[A-Z]{2,5})(?:\s*[+-]\s*\d{1,2}(?::?\d\d)?)?)?)?"
)
_ANY_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_PARSER_SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["year", "month"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PREFER_DATES_FROM": "past",
}


@dataclass(frozen=True)
class DateHit:
    iso: str  # YYYY-MM-DD, or YYYY-MM when the page gives no day
    text: str  # the words, as printed
    start: int
    end: int


@dataclass(frozen=True)
class MonthDay:
    """A date printed without its year ("Oct 30", "30 October")."""

    month: int
    day: int
    text: str
    start: int
    end: int

    def in_year(self, year: int) -> date | None:
        try:
            return date(year, self.month, self.day)
        except ValueError:
            return None  # 29 February outside a leap year, or 31 November


@dataclass(frozen=True)
class _Forms:
    month_names: dict[str, int]  # folded name -> month number
    dated: tuple[tuple[str, re.Pattern], ...]
    yearless: tuple[re.Pattern, ...]
    month: str  # the month alternation, for patterns elsewhere


def fold(text: str) -> str:
    """ "Ağustos", "AGUSTOS" and "ağustos" are one key: no accents, no case, Turkish dotless i as i."""
    text = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("İ", "I"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=1)
def date_data() -> dict:
    source = resources.files("detente") / "data" / DATA_FILE
    return load_yaml(source.read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=1)
def forms() -> _Forms:
    names: dict[str, int] = {}
    spellings: set[str] = set()
    for number, words in (date_data().get("months") or {}).items():
        for word in words or []:
            word = str(word)
            names[fold(word)] = int(number)
            spellings.update({word.casefold(), fold(word)})
    alternation = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
    month = rf"(?P<mon>{alternation})(?![^\W\d_])\.?"
    dated = (
        ("day", re.compile(rf"(?<![\w]){_WEEKDAY}{month}\s*{_DAY}(?:\s*,\s*|\s+){_YEAR}{_TIME}", re.IGNORECASE)),
        (
            "day",
            re.compile(
                rf"(?<![\w]){_WEEKDAY}{_DAY}\s*(?:of\s+|de\s+)?{month},?\s+(?:de\s+)?{_YEAR}{_TIME}", re.IGNORECASE
            ),
        ),
        (
            "iso",
            re.compile(rf"(?<![\d/.-]){_YEAR}(?P<sep>[-/.])(?P<num>[01]?\d)(?P=sep)(?P<day>[0-3]?\d)(?![\d]){_TIME}"),
        ),
        ("numeric", re.compile(rf"(?<![\d/.-])[0-3]?\d(?P<sep>[/.])[0-3]?\d(?P=sep){_YEAR}(?![/.]\d){_TIME}")),
        ("month", re.compile(rf"(?<![\w]){month},?\s+{_YEAR}", re.IGNORECASE)),
    )
    yearless = (
        re.compile(rf"(?<![\w]){_WEEKDAY}{month}\s*{_DAY}(?![\d])", re.IGNORECASE),
        re.compile(rf"(?<![\w]){_WEEKDAY}{_DAY}\s*(?:of\s+)?{month}", re.IGNORECASE),
    )
    return _Forms(names, dated, yearless, month)


def month_number(name: str) -> int | None:
    return forms().month_names.get(fold(name.rstrip(".")))


@lru_cache(maxsize=4096)  # a page's header lines are read several times, by several readers
def find_dates(text: str) -> tuple[DateHit, ...]:
    """Dates that name their year, in text order. "Feb. 19" alone is no date: its year is unknown."""
    if not _ANY_YEAR.search(text):
        return ()
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for form, pattern in forms().dated:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            iso = _iso(form, match)
            if iso:
                hits.append(DateHit(iso, match.group(0).strip(" ,|·"), match.start(), match.end()))
            taken.append((match.start(), match.end()))  # "31 February 2015" is no date, nor is its "February 2015"
    return tuple(sorted(hits, key=lambda h: h.start))


def find_month_days(text: str) -> list[MonthDay]:
    """Year-less dates ("Oct 30", "30 October", "Sept. 23rd") in text order; a day no month has is none."""
    found = []
    for pattern in forms().yearless:
        for match in pattern.finditer(text):
            month = month_number(match["mon"])
            day = int(match["day"])
            if month and MonthDay(month, day, "", 0, 0).in_year(2000):  # 2000 was a leap year
                found.append(MonthDay(month, day, match.group(0).strip(), match.start(), match.end()))
    return sorted(found, key=lambda m: m.start)


def valid_iso(year: int, month: int, day: int | None = None) -> str | None:
    """The ISO prefix of a date that exists in a plausible year, else None."""
    if not MIN_YEAR <= year <= MAX_YEAR or not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None  # "2013-56-11" is a page counter, "31 February" no day at all


def _iso(form: str, match: re.Match) -> str | None:
    year = int(match["year"])
    if form == "numeric":
        return parse_with_dateparser(match.group(0), year)
    month = int(match["num"]) if form == "iso" else month_number(match["mon"])
    if month is None:
        return None
    return valid_iso(year, month, None if form == "month" else int(match["day"]))


@lru_cache(maxsize=1)
def _date_parser() -> DateDataParser:
    return DateDataParser(languages=["en"], settings=_PARSER_SETTINGS)


@lru_cache(maxsize=4096)
def parse_with_dateparser(text: str, year: int) -> str | None:
    """Forms the patterns above leave ambiguous (7/12/2013). dateparser fills missing parts with
    today's, so the result only counts if its year is the one written."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        found = _date_parser().get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input; no date is the answer
        return None
    when = found.date_obj if found else None
    if when is None or when.year != year:
        return None
    return when.strftime("%Y-%m") if found.period == "month" else when.date().isoformat()


def any_year(text: str) -> re.Match | None:
    return _ANY_YEAR.search(text)


# ---------------------------------------------------------------- labels

LABEL_KINDS = ("published", "print", "updated", "not_published")
_BULLET = re.compile(r"^\s*(?:[-–—•·▪◦●■*+>]\s*)+")
_LABEL_GAP_WORDS = 4  # "Published in Dawn May 16, 2015": a few words may sit between a label and its date
_GAP_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Label:
    kind: str  # one of LABEL_KINDS
    text: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _label_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    found = []
    for kind in LABEL_KINDS:
        patterns = [str(p) for p in (date_data().get("labels") or {}).get(kind) or []]
        if patterns:
            joined = "|".join(f"(?:{p})" for p in patterns)
            # a whole word, not part of one ("tweet-date" is markup); "©" may touch its year
            found.append((kind, re.compile(rf"(?<![\w-])(?:{joined})(?:(?<=[^\w-])|(?![\w-]))", re.IGNORECASE)))
    return tuple(found)


def label_before(text: str, start: int, end: int) -> Label | None:
    """The label nearest before a date that runs from `end`, searched in text[start:end].

    The nearest one wins ("Posted on 12 May 2014 | Viewed 3 Oct 2019": the second
    date is a view); where two end together the longer one ("Modified Date" over
    "Date"). A label more than a few words before the date is not its label.
    """
    best: Label | None = None
    segment = text[start:end]
    for kind, pattern in _label_patterns():
        for match in pattern.finditer(segment):
            label = Label(kind, match.group(0), start + match.start(), start + match.end())
            if len(_GAP_WORD.findall(text[label.end : end])) > _LABEL_GAP_WORDS:
                continue
            if best is None or (label.end, -label.start) > (best.end, -best.start):
                best = label
    return best


def label_at_start(text: str) -> Label | None:
    """The longest label that opens the text ("Published Date:", "date", "Güncelleme Tarihi")."""
    best: Label | None = None
    for kind, pattern in _label_patterns():
        match = pattern.match(text)
        if match and (best is None or match.end() > best.end):
            best = Label(kind, match.group(0), 0, match.end())
    return best


def strip_labels(text: str, kinds: tuple[str, ...]) -> str:
    """The text without its labels of these kinds: what a date line says besides its label and date."""
    for kind, pattern in _label_patterns():
        if kind in kinds:
            text = pattern.sub(" ", text)
    return text


def only_label(unit: str) -> Label | None:
    """A unit that is nothing but a label ("Updated:"), naming the date on the next line."""
    text = strip_bullet(unit).rstrip(" :")
    label = label_at_start(text)
    return label if label and label.end == len(text) else None


def strip_bullet(unit: str) -> str:
    """ "- Published Date: …": list markers in front of a metadata line are not part of it."""
    return _BULLET.sub("", unit, count=1)


# ---------------------------------------------------------------- a date run into the text

_RUN_IN = re.compile(r"[\"“‘']?([^\W\d_])")
_SEPARATOR = re.compile(r"\s*(?:[-–—:|]+|--)\s+")


@dataclass(frozen=True)
class RunOn:
    """A metadata date at the start of a unit, with the text that runs on after it."""

    end: int  # where the text after the date starts
    labelled: bool  # " date 2013-10-30 Talks…", rather than a bare "March 27, 2012A spokesman…"
    glued: bool  # nothing between the date and the text: "2012A"
    separated: bool  # a dash, colon or bar between them


def leading_date(unit: str) -> RunOn | None:
    """ " date 2013-10-30 Envoys meet…", "March 27, 2012A spokesman said…", "May 7, 2013 — The envoys…".

    Web copies lose the line break between a page's date and its first line. Only
    the shape is judged here; whether to split is the cleaner's call.
    """
    text = strip_bullet(unit)
    offset = len(unit) - len(text)
    if not _ANY_YEAR.search(text[:80]):
        return None
    labelled = False
    pos = 0
    label = label_at_start(text)
    if label and label.kind in ("published", "updated"):
        pos = label.end
        pos += len(text[pos:]) - len(text[pos:].lstrip(" :"))
        labelled = True
    hits = [h for h in find_dates(text[: pos + 60]) if h.start == pos]
    if not hits:
        return None
    end = hits[0].end
    rest = text[end:]
    glued = _starts_a_line(rest)
    separator = _SEPARATOR.match(rest)
    if glued:
        return RunOn(offset + end, labelled, True, False)
    if separator and rest[separator.end() :][:1]:
        return RunOn(offset + end + separator.end(), labelled, False, True)
    stripped = rest.lstrip()
    if stripped != rest and _starts_a_line(stripped):
        return RunOn(offset + end + len(rest) - len(stripped), labelled, False, False)
    return None


GLUED_REACH = 120  # a header line's date glued to the story sits near its start


def glued_date_end(unit: str) -> int | None:
    """Where the text glued to a date starts: "By Jane Doe | March 27, 2012A spokesman said…".

    A year run into a capitalised word is a line break that a copy lost, wherever
    it sits in the first part of a line.
    """
    for hit in find_dates(unit[:GLUED_REACH]):
        rest = unit[hit.end :]
        if rest[:1].isalpha() and _starts_a_line(rest) and (rest[1:2].islower() or rest[1:2] == " "):
            return hit.end
    return None


def _starts_a_line(text: str) -> bool:
    """A capital letter (or an opening quote and one) starts the text that ran on."""
    match = _RUN_IN.match(text)
    return bool(match) and match.group(1).isupper()
