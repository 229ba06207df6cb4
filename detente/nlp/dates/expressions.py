"""Temporal expressions, resolved against the document's publication date.

News reports date events relative to the day they appear ("on Wednesday",
"next week", "Jan. 26"). A fact only lands on a timeline once those words
become a calendar value, so each expression is turned into an ISO prefix whose
length is its precision (``2013``, ``2013-05``, ``2013-05-07``) or a range
``A/B``, and the original words stay beside it.

Finding is a regex pass built from ``detente/nlp/dates/temporal.yaml``, because the
small spaCy model misses and mis-bounds many dates; its DATE entities only add
what the patterns did not see. Precision always comes from the words, never
from a parser that fills in missing parts from today's date. Tense, which
decides whether a year-less "Jan. 26" or a bare "Tuesday" lies before or after
publication, is read from the verb that governs the expression in the parse.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any


from detente.data_files import load_yaml
from detente.nlp.dates.calendar import month_value, shift_days, week_of, year_value
from detente.nlp.token_table import children_of, token_table

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

PAST, FUTURE = "past", "future"
YEAR, MONTH, DAY = 1, 2, 3  # how much of the publication date is known

# Confidence of dates found only by spaCy, relative to the same words found by the patterns.
ENTITY_DISCOUNT = 0.85
DATEPARSER_CONFIDENCE = 0.6


@dataclass(frozen=True)
class TimeExpression:
    start: int
    end: int
    text: str
    value: str
    precision: str  # "year" | "month" | "week" | "day" | "range"
    confidence: float


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class _Lexicon:
    raw: dict[str, Any]
    month_of: dict[str, int]  # casefolded spelling without dot -> month number
    weekday_of: dict[str, int]
    relative_days: dict[str, int]
    relations: dict[str, int]
    numbers: dict[str, int]
    seasons: dict[str, tuple[int, int]]
    lists: dict[str, frozenset[str]]  # every list in the file, as a set, for membership tests

    def words(self, key: str) -> frozenset[str]:
        return self.lists.get(key, frozenset())

    def month(self, spelled: str) -> int:
        return self.month_of[spelled.rstrip(".").casefold()]

    def weekday(self, spelled: str) -> int:
        return self.weekday_of[spelled.casefold()]


def _squash(phrase: str) -> str:
    return " ".join(phrase.casefold().split())


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """Read the data file once; users extend the words there, not here."""
    source = resources.files("detente.nlp.dates") / "temporal.yaml"
    raw = load_yaml(source.read_text(encoding="utf-8"))
    month_of = {s.casefold(): int(n) for n, spellings in raw["months"].items() for s in spellings}
    return _Lexicon(
        raw=raw,
        month_of=month_of,
        weekday_of={w.casefold(): i for i, w in enumerate(raw["weekdays"])},
        relative_days={_squash(k): int(v) for k, v in raw["relative_days"].items()},
        relations={k.casefold(): int(v) for k, v in raw["relations"].items()},
        numbers={k.casefold(): int(v) for k, v in raw["numbers"].items()},
        seasons={k.casefold(): (int(v[0]), int(v[1])) for k, v in raw["seasons"].items()},
        lists={k: frozenset(str(w) for w in v) for k, v in raw.items() if isinstance(v, list)},
    )


def lexicon_section(name: str) -> dict[str, Any]:
    """One section of the temporal data file, for the other readers in this folder."""
    return dict(_lexicon().raw.get(name) or {})


# --------------------------------------------------------------------------- regex pieces


def _phrase_re(phrase: str) -> str:
    return r"\s+".join(re.escape(part) for part in phrase.split())


def _alternation(phrases: list[str] | frozenset[str]) -> str:
    return "|".join(_phrase_re(p) for p in sorted(phrases, key=len, reverse=True))


@dataclass(frozen=True)
class _Pieces:
    """Regex fragments shared by the rules, each taking the name of its group."""

    lex: _Lexicon

    def month(self, group: str, standalone: bool = False) -> str:
        """Abbreviations need their full stop to stand alone: "Jan" is also a name."""
        forms = []
        for spellings in self.lex.raw["months"].values():
            for i, spelled in enumerate(spellings):
                for variant in {spelled, spelled.upper()}:
                    if i == 0:
                        forms.append(re.escape(variant) + r"\b")
                    elif standalone:
                        forms.append(re.escape(variant) + r"\.")
                    else:
                        forms.append(re.escape(variant) + r"\b\.?")
        forms.sort(key=len, reverse=True)
        return rf"\b(?P<{group}>{'|'.join(forms)})"

    def weekday(self, group: str) -> str:
        names = [w for name in self.lex.raw["weekdays"] for w in (name, name.upper())]
        return rf"\b(?P<{group}>{'|'.join(names)})\b"

    @staticmethod
    def day(group: str) -> str:
        return rf"(?P<{group}>[0-3]?[0-9])(?:st|nd|rd|th)?\b(?![:.,][0-9])"

    @staticmethod
    def year(group: str) -> str:
        return rf"(?P<{group}>(?:1[89]|20)[0-9]{{2}})\b"

    def modifier(self) -> str:
        parts = []
        for phrase in sorted(self.lex.raw["modifiers"], key=len, reverse=True):
            tail = r"\s*" if phrase.endswith("-") else r"\s+"
            parts.append(_phrase_re(phrase) + tail)
        return rf"(?P<mod>\b(?i:{'|'.join(parts)}))"

    def relation(self) -> str:
        return rf"(?P<rel>\b(?i:{_alternation(list(self.lex.relations))}))\s+"

    def license(self, key: str, extra: str = "") -> str:
        words = list(self.lex.words(key)) + (list(self.lex.words(extra)) if extra else [])
        return rf"(?:\b(?P<lic>(?i:{_alternation(words)}))\s+)?"

    def weekday_prefix(self, group: str) -> str:
        return rf"(?:{self.weekday(group)},?\s+)?"


RANGE_SEP = r"\s*(?P<sep>-|–|—|\bto\b|\bthrough\b|\bthru\b|\buntil\b|\btill\b|\band\b)\s*"
RANGE_PRE = r"(?:\b(?P<pre>(?i:from|between))\s+)?"


# --------------------------------------------------------------------------- publication date


@dataclass(frozen=True)
class _Anchor:
    """The publication date; `known` says how much of it the metadata gave."""

    day: date
    known: int

    def at_least(self, needed: int) -> bool:
        return self.known >= needed


_PUBLISHED_RE = re.compile(r"\s*([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")


def _anchor(published: str | date | None) -> _Anchor | None:
    """Keep what parses: "2013-07-11", "2013-07", "2013", or an ISO timestamp."""
    if isinstance(published, date):
        published = published.isoformat()
    if not isinstance(published, str):
        return None
    m = _PUBLISHED_RE.match(published)
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    for known, guess in ((DAY, (year, month, day)), (MONTH, (year, month, 15)), (YEAR, (year, 7, 1))):
        found = _date(*guess)
        if found and found.year >= 1:
            return _Anchor(found, known)
    return None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def _span_value(first: date, last: date) -> str:
    return f"{first.isoformat()}/{last.isoformat()}"


# --------------------------------------------------------------------------- year inference


def _nearest(candidates: list[Any], pub: Any, distance: Callable[[Any, Any], int], tense: str | None) -> Any:
    """Nearest occurrence consistent with the tense; a tie goes to the future."""
    if tense == FUTURE:
        candidates = [c for c in candidates if c >= pub]
    elif tense == PAST:
        candidates = [c for c in candidates if c <= pub]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (abs(distance(c, pub)), c < pub))


def _infer_day(month: int, day: int, anchor: _Anchor, tense: str | None, weekday: int | None = None) -> tuple[date, float] | None:
    pub = anchor.day
    candidates = [d for y in (pub.year - 1, pub.year, pub.year + 1) if (d := _date(y, month, day))]
    if weekday is not None:
        fitting = [d for d in candidates if d.weekday() == weekday]
        if fitting:
            return min(fitting, key=lambda d: abs((d - pub).days)), 0.9
    chosen = _nearest(candidates, pub, lambda a, b: (a - b).days, tense)
    if chosen is None:
        return None
    confidence = 0.85 if tense else 0.75
    return chosen, confidence - (0.1 if anchor.known < DAY else 0.0)


def _infer_month(month: int, anchor: _Anchor, tense: str | None) -> tuple[int, int] | None:
    pub = (anchor.day.year, anchor.day.month)
    candidates = [(y, month) for y in (pub[0] - 1, pub[0], pub[0] + 1)]
    return _nearest(candidates, pub, lambda a, b: (a[0] - b[0]) * 12 + a[1] - b[1], tense)


# --------------------------------------------------------------------------- rules


@dataclass
class _Context:
    """What a rule may consult besides its match: the anchor, the tense, the neighbours."""

    anchor: _Anchor | None
    text: str  # the text the match offsets refer to (after `offset`)
    offset: int
    licensed: bool  # something outside the pattern (caller, spaCy) already vouches these are a date
    tense_of: Callable[[], str | None] = lambda: None
    _tense: list[str | None] = field(default_factory=list)

    def tense(self) -> str | None:
        if not self._tense:
            self._tense.append(self.tense_of())
        return self._tense[0]

    def needs(self, known: int) -> _Anchor | None:
        return self.anchor if self.anchor and self.anchor.at_least(known) else None

    def before(self, m: re.Match, group: str | int = 0, width: int = 40) -> str:
        start = self.offset + m.start(group)
        return self.text[max(0, start - width):start]

    def after(self, m: re.Match, group: str | int = 0, width: int = 40) -> str:
        end = self.offset + m.end(group)
        return self.text[end:end + width]


Resolved = tuple[str, str, float]  # value, precision, confidence
Resolver = Callable[[re.Match, _Context, _Lexicon], "Resolved | None"]


@dataclass(frozen=True)
class _Rule:
    name: str
    regex: re.Pattern
    resolve: Resolver


def _group(m: re.Match, name: str) -> str | None:
    return m.group(name) if name in m.re.groupindex else None


def _weekday_number(m: re.Match, lex: _Lexicon, name: str = "wd") -> int | None:
    spelled = _group(m, name)
    return lex.weekday(spelled) if spelled else None


def _full_date(m: re.Match, ctx: _Context, lex: _Lexicon) -> Resolved | None:
    found = _date(int(m["y"]), lex.month(m["m"]), int(m["d"]))
    if found is None:
        return None
    weekday = _weekday_number(m, lex)
    confidence = 0.7 if weekday is not None and weekday != found.weekday() else 0.95
    return found.isoformat(), "day", confidence


def _month_day(m: re.Match, ctx: _Context, lex: _Lexicon) -> Resolved | None:
    anchor = ctx.needs(MONTH)
    if anchor is None:
        return None
    guess = _infer_day(lex.month(m["m"]), int(m["d"]), anchor, ctx.tense(), _weekday_number(m, lex))
    if guess is None:
        return None
    return guess[0].isoformat(), "day", guess[1]


def _month_year(m: re.Match, ctx: _Context, lex: _Lexicon) -> Resolved | None:
    return f"{int(m['y']):04d}-{lex.month(m['m']):02d}", "month", 0.95


def _month_alone(m: re.Match, ctx: _Context, lex: _Lexicon) -> Resolved | None:
    licence, modifier, relation = _group(m, "lic"), m["mod"], m["rel"]
    if not (ctx.licensed or licence or modifier or relation):
        return None
    if licence and licence.casefold() in lex.words("weak_license") and not (modifier or relation):
        if m["m"].rstrip(".").title() in lex.words("ambiguous_months"):
            return None
    anchor = ctx.needs(MONTH)
    if anchor is None:
        return None
    month = lex.month(m["m"])
    if relation:
        year = _related_year(month, anchor.day, lex.relations[relation.casefold()])
        value = month_value(year, month)
        return (value, "month", 0.9) if value else None
    guess = _infer_month(month, anchor, ctx.tense())
    value = month_value(*guess) if guess else None
    return (value, "month", 0.8 if ctx.tense() else 0.7) if value else None


def _related_year(month: int, pub: date, relation: int) -> int:
    """"last September": the latest September before this month; "next": the first after."""
    if relation < 0:
        return pub.year if month < pub.month else pub.year - 1
    if relation > 0:
        return pub.year if month > pub.month else pub.year + 1
    return pub.year


def _is_copyright(ctx: _Context, m: re.Match, lex: _Lexicon) -> bool:
    before = ctx.before(m, 0, 16)
    return any(marker in before for marker in lex.words("copyright_markers"))


def _year_alone(m: re.Match, ctx: _Context, lex: _Lexicon) -> Resolved | None:
    if not (ctx.licensed or _group(m, "lic") or m["mod"]):
        return None
    if _is_copyright(ctx, m, lex):
        return None
    return m["y"], "year", 0.9


def _year_range(m: re.Match, ctx: _Context, lex: _Lexicon) -> Resolved | None:
    """"1991-95" and "2008-12" are spans of years; "2013-05" is a month."""
    sep, first, second = m["sep"].casefold(), m["y1"], m["y2"]
    if sep == "and" and (m["pre"] or "").casefold() != "between":
        return None
    if len(second) == 2:
        if int(second) > int(first[2:]):
            second = first[:2] + second
        elif sep == "-" and 1 <= int(second) <= 12 and not m["pre"]:
            return f"{first}-{second}", "month", 0.8
        else:
            return None
    if not int(first) < int(second) <= int(first) + 100:
        return None
    return f"{first}/{second}", "range", 0.9


def _iso_date(m: re.Match, ctx: _Context, lex: _Lexicon) -> Resolved | None:
    found = _date(int(m["y"]), int(m["mo"]), int(m["d"]))
    return (found.isoformat(), "day", 0.95) if found else None


def _two_digit_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text) if int(text) < 70 else 1900 + int(text)


def _slash_date(m: re.Match, ctx: _Context, lex: _Lexicon) -> Resolved | None:
    """US order ("7/12/13" is 12 July) unless the first number cannot be a month."""
    if m["ymd_y"]:
        found = _date(int(m["ymd_y"]), int(m["ymd_m"]), int(m["ymd_d"]))
        return (found.isoformat(), "day", 0.9) if found else None
    first, second, year = int(m["a"]), int(m["b"]), _two_digit_year(m["c"])
    month, day, confidence = first, second, 0.8
    if first > 12 >= second:
        month, day = second, first
    elif first == second or second > 12:
        confidence = 0.9
    found = _date(year, month, day)
    return (found.isoformat(), "day", confidence) if found else None


def _range_ends(m: re.Match, ctx: _Context, lex: _Lexicon) -> tuple[date, date, float] | None:
    """Years come from whichever end states one; otherwise from the start's inferred year."""
    m1 = lex.month(m["m1"]) if m["m1"] else None
    m2 = lex.month(m["m2"]) if m["m2"] else m1
    m1 = m1 or m2
    d1, d2 = int(m["d1"]), int(m["d2"])
    y1 = int(m["y1"]) if _group(m, "y1") else None
    y2 = int(m["y2"]) if _group(m, "y2") else None
    backwards = (m2, d2) < (m1, d1)
    confidence = 0.9
    if y1 is None and y2 is not None:
        y1 = y2 - 1 if backwards else y2
    elif y1 is not None and y2 is None:
        y2 = y1 + 1 if backwards else y1
    elif y1 is None:
        anchor = ctx.needs(MONTH)
        guess = _infer_day(m1, d1, anchor, ctx.tense()) if anchor else None
        if guess is None:
            return None
        y1, confidence = guess[0].year, guess[1]
        y2 = y1 + 1 if backwards else y1
    first, last = _date(y1, m1, d1), _date(y2, m2, d2)
    if first is None or last is None or last <= first:
        return None
    return first, last, confidence


def _day_range(m: re.Match, ctx: _Context, lex: _Lexicon) -> Resolved | None:
    if m["sep"].casefold() == "and" and (m["pre"] or "").casefold() != "between":
        return None
    ends = _range_ends(m, ctx, lex)
    if ends is None:
        return None
    return _span_value(ends[0], ends[1]), "range", ends[2]


def _capitalised_name_before(ctx: _Context, m: re.Match) -> bool:
    """"Russia Today", "USA Today": a capitalised word right before makes it a title."""
    return bool(re.search(r"\b[A-Z][\w.&'-]*[ \t]$", ctx.before(m, "span", 30)))


def _relative_day(m: re.Match, ctx: _Context, lex: _Lexicon) -> Resolved | None:
    words = m["span"]
    key = _squash(words)
    if words[:1].isupper() and words[1:2].islower() and _capitalised_name_before(ctx, m):
        return None
    anchor = ctx.needs(DAY)
    if anchor is None or key not in lex.relative_days:
        return None
    confidence = float((lex.raw.get("relative_day_confidence") or {}).get(key, 0.9))
    found = shift_days(anchor.day, lex.relative_days[key])
    return (found.isoformat(), "day", confidence) if found else None


_DURATION_BEFORE = re.compile(r"\b(?i:the|a|an|every|each|per|that)\s+$")


def _relative_unit(m: re.Match, ctx: _Context, lex: _Lexicon) -> Resolved | None:
    """"next week", "earlier this year"; "over the last year" is a duration, not a date."""
    if not m["mod"] and _DURATION_BEFORE.search(ctx.before(m, "span", 12)):
        return None
    relation, unit = m["rel"].casefold(), m["unit"].casefold()
    by = lex.relations.get(relation, 0)  # "the end of the year": the current one
    confidence = 0.7 if relation not in lex.relations else 0.9
    needed = {"week": DAY, "weekend": DAY, "month": MONTH, "year": YEAR}[unit]
    anchor = ctx.needs(needed)
    if anchor is None:
        return None
    pub = anchor.day
    if unit == "year":
        value = year_value(pub.year + by)
        return (value, "year", confidence) if value else None
    if unit == "month":
        value = month_value(*_shift_month(pub.year, pub.month, by))
        return (value, "month", confidence) if value else None
    week = week_of(pub, by)
    if week is None:
        return None
    monday, sunday = week
    if unit == "weekend":
        saturday = shift_days(sunday, -1)
        return (_span_value(saturday, sunday), "range", 0.75) if saturday else None
    return _span_value(monday, sunday), "week", confidence


def _last_word(text: str) -> str:
    words = re.findall(r"[\w’'-]+", text)
    return words[-1] if words else ""


def _weekday_alone(m: re.Match, ctx: _Context, lex: _Lexicon) -> Resolved | None:
    """The same day counts ("said on Wednesday" in Wednesday's paper) unless the verb is future."""
    if not m["rel"]:
        before = ctx.before(m, "wd", 20)
        if re.search(r"[\w’'-]$", before.rstrip(" \t")) and _last_word(before) in lex.words("weekday_not_after"):
            return None
        following = re.match(r"[ \t]+([\w’'-]+)", ctx.after(m, "wd", 30))
        if following and following[1] in lex.words("weekday_not_before"):
            return None
    anchor = ctx.needs(DAY)
    if anchor is None:
        return None
    pub, weekday = anchor.day, lex.weekday(m["wd"])
    relation = lex.relations[m["rel"].casefold()] if m["rel"] else None
    tense = ctx.tense()
    back = (pub.weekday() - weekday) % 7
    ahead = (weekday - pub.weekday()) % 7
    if relation == -1:
        found, confidence = shift_days(pub, -(back or 7)), 0.85
    elif relation == 1:
        found, confidence = shift_days(pub, ahead or 7), 0.85
    elif relation == 0:
        found = shift_days(pub, -back) if tense == PAST else shift_days(pub, ahead)
        confidence = 0.8
    elif tense == FUTURE:
        found, confidence = shift_days(pub, ahead or 7), 0.85
    else:
        found, confidence = shift_days(pub, -back), 0.85 if tense == PAST else 0.75
    return (found.isoformat(), "day", confidence) if found else None


def _ago(m: re.Match, ctx: _Context, lex: _Lexicon) -> Resolved | None:
    count_text = m["n"].casefold()
    count = lex.numbers.get(count_text) if not count_text.isdigit() else int(count_text)
    unit = m["unit"].casefold().rstrip("s")
    anchor = ctx.needs(DAY)
    if anchor is None or count is None or count > 200:
        return None
    pub = anchor.day
    if unit == "day":
        found = shift_days(pub, -count)
        return (found.isoformat(), "day", 0.8) if found else None
    if unit == "week":
        week = week_of(pub, -count)
        return (_span_value(*week), "week", 0.6) if week else None
    if unit == "month":
        value = month_value(*_shift_month(pub.year, pub.month, -count))
        return (value, "month", 0.7) if value else None
    value = year_value(pub.year - count)
    return (value, "year", 0.7) if value else None


def _season(m: re.Match, ctx: _Context, lex: _Lexicon) -> Resolved | None:
    """Seasons give only a year, and with little confidence (hemisphere, vague edges)."""
    if m["y"]:
        return m["y"], "year", 0.6
    if not m["rel"]:
        return None
    first, last = lex.seasons[m["season"].casefold()]
    anchor = ctx.needs(MONTH)
    if anchor is None or first > last:
        return None
    pub, relation = anchor.day, lex.relations[m["rel"].casefold()]
    if relation < 0:
        year = pub.year if pub.month > last else pub.year - 1
    elif relation > 0:
        year = pub.year if pub.month < first else pub.year + 1
    else:
        year = pub.year
    value = year_value(year)
    return (value, "year", 0.5) if value else None


# --------------------------------------------------------------------------- grammar


@dataclass(frozen=True)
class _Grammar:
    lex: _Lexicon
    rules: tuple[_Rule, ...]
    anchor_words: re.Pattern  # does a string name a month, weekday or year at all?
    month_words: re.Pattern
    weekday_words: re.Pattern
    leading_preposition: re.Pattern
    leading_determiner: re.Pattern


def _rule_sources(p: _Pieces) -> list[tuple[str, str, Resolver]]:
    """Order breaks ties between equally long matches: earlier wins."""
    lex = p.lex
    wd = p.weekday_prefix("wd")
    no_digit_before = r"(?<![0-9.,/])(?<![0-9][-–])"
    relative_days = _alternation(list(lex.raw["relative_days"]))
    numbers = _alternation(list(lex.numbers))
    seasons = _alternation(list(lex.seasons))
    return [
        ("iso", rf"{no_digit_before}{p.year('y')}-(?P<mo>[01][0-9])-(?P<d>[0-3][0-9])(?![0-9])", _iso_date),
        ("full_mdy", rf"{wd}{p.month('m')}\s*{p.day('d')},?\s+{p.year('y')}", _full_date),
        ("full_dmy", rf"{wd}{no_digit_before}{p.day('d')}\s+(?:of\s+)?{p.month('m')},?\s+{p.year('y')}", _full_date),
        ("range_md", rf"{RANGE_PRE}(?P<span>{p.weekday_prefix('wd1')}{p.month('m1')}\s*{p.day('d1')}(?:,?\s+{p.year('y1')})?"
                     rf"{RANGE_SEP}{p.weekday_prefix('wd2')}(?:{p.month('m2')}\s*)?{p.day('d2')}(?:,?\s+{p.year('y2')})?)", _day_range),
        ("range_dm", rf"{RANGE_PRE}(?P<span>{no_digit_before}{p.day('d1')}(?:\s+(?:of\s+)?{p.month('m1')})?"
                     rf"{RANGE_SEP}{p.day('d2')}\s+(?:of\s+)?{p.month('m2')}(?:,?\s+{p.year('y2')})?)", _day_range),
        ("year_range", rf"{RANGE_PRE}(?P<span>{no_digit_before}{p.year('y1')}{RANGE_SEP.replace('-|', '-|/|', 1)}"
                       rf"(?P<y2>(?:1[89]|20)[0-9]{{2}}|[0-9]{{2}})\b)(?![-–/.,]?[0-9])", _year_range),
        ("slash", r"(?<![0-9/.])(?:(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,2})/(?P<c>[0-9]{4}|[0-9]{2})"
                  r"|(?P<ymd_y>(?:19|20)[0-9]{2})/(?P<ymd_m>[0-9]{1,2})/(?P<ymd_d>[0-9]{1,2}))(?![0-9/])", _slash_date),
        ("month_year", rf"(?P<span>(?:{p.modifier()})?{p.month('m')},?\s+(?:of\s+)?{p.year('y')})(?![-–/][0-9])", _month_year),
        ("month_day", rf"{wd}{p.month('m')}\s*{p.day('d')}", _month_day),
        ("day_month", rf"{wd}{no_digit_before}{p.day('d')}\s+(?:of\s+)?{p.month('m')}", _month_day),
        ("relative_unit", rf"(?P<span>(?:{p.modifier()})?{p.relation()}(?P<unit>(?i:weekend|week|month|year)))\b", _relative_unit),
        ("period_of_now", rf"(?P<span>{p.modifier()}(?P<rel>(?i:the))\s+(?P<unit>(?i:week|month|year)))\b", _relative_unit),
        ("relative_day", rf"\b(?P<span>(?i:{relative_days}))\b", _relative_day),
        ("ago", rf"\b(?P<span>(?P<n>(?i:{numbers})|[0-9]{{1,3}})\s+(?P<unit>(?i:days?|weeks?|months?|years?))\s+(?i:ago))\b", _ago),
        ("season", rf"(?:\b(?i:the)\s+)?(?P<span>(?:{p.relation()})?(?P<season>\b(?i:{seasons}))\b(?:\s+(?:of\s+)?{p.year('y')})?)", _season),
        ("month", rf"{p.license('month_license', 'weak_license')}(?P<span>(?:{p.modifier()})?(?:{p.relation()})?{p.month('m', standalone=True)})"
                  r"(?!\s*[0-9])", _month_alone),
        ("weekday", rf"(?:{p.relation()})?{p.weekday('wd')}", _weekday_alone),
        ("year", rf"{p.license('year_license')}(?P<span>(?:{p.modifier()})?{no_digit_before}{p.year('y')})(?!['’]?[0-9]|[-–/][0-9]|,[0-9])", _year_alone),
    ]


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    lex = _lexicon()
    pieces = _Pieces(lex)
    rules = tuple(_Rule(name, re.compile(source), resolve) for name, source, resolve in _rule_sources(pieces))
    anchor = rf"{pieces.month('m')}|{pieces.weekday('wd')}|\b(?:1[89]|20)[0-9]{{2}}\b"
    return _Grammar(
        lex=lex,
        rules=rules,
        anchor_words=re.compile(anchor),
        month_words=re.compile(pieces.month("m")),
        weekday_words=re.compile(pieces.weekday("wd")),
        leading_preposition=re.compile(r"^(?i:on|at|in|since|by|until|till|during|before|after|as\s+of|for)\s+"),
        leading_determiner=re.compile(r"^(?i:the|its|his|her|their|our|this|that|a|an)\s+(?=[0-9A-Z])"),
    )


# --------------------------------------------------------------------------- tense


def _future_cue(node: Token, came_from: Token | None, lex: _Lexicon) -> bool:
    """"plans to convene ... on Jan. 26", "scheduled for Friday": the cue governs the date's verb."""
    if came_from is None:
        return False
    lemma = node.lemma_.casefold()
    if came_from.dep_ == "xcomp" and lemma in lex.words("future_cue_lemmas"):
        return lemma != "go" or node.tag_ == "VBG"
    return came_from.dep_ == "prep" and came_from.lower_ == "for" and lemma in lex.words("future_for_lemmas")


def _finite_tense(verb: Token, lex: _Lexicon) -> str | None:
    """"past", "future", "other" for a finite verb; None for one that leaves the tense to its head."""
    auxiliaries = [c for c in children_of(verb) if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in lex.words("future_auxiliaries") for a in auxiliaries):
        return FUTURE
    if any(a.tag_ == "MD" for a in auxiliaries):
        return "other"
    if any(a.tag_ == "VBD" or a.lower_ in ("has", "have", "'ve", "’ve") for a in auxiliaries):
        return PAST
    if verb.tag_ == "VBD":
        return PAST
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxiliaries):
        return "other"
    return None


def _governing_tense(token: Token, lex: _Lexicon, max_steps: int = 12) -> str | None:
    """Climb from the date through non-finite verbs ("a trip ending on Aug. 9") to the first finite one."""
    came_from, node = token, token.head
    for _ in range(max_steps):
        if node is came_from:
            return None
        if _future_cue(node, came_from, lex):
            return FUTURE
        if node.pos_ in ("VERB", "AUX"):
            tense = _finite_tense(node, lex)
            if tense is not None:
                return tense
        came_from, node = node, node.head
    return None


def sentence_is_future(sent: Span) -> bool:
    """Whether a sentence speaks of the future: "will", "plans to", "is due to", "next week"..."""
    lex = _lexicon()
    auxiliaries = lex.words("future_auxiliaries")
    cues = lex.words("future_cue_lemmas")
    next_nouns = {w.casefold() for w in lex.words("future_next_nouns")}
    for token in sent:
        if token.lower_ in auxiliaries and (token.tag_ == "MD" or token.dep_ == "aux"):
            return True
        lemma = token.lemma_.casefold()
        if lemma in cues and any(c.dep_ == "xcomp" for c in children_of(token)):
            if lemma != "go" or token.tag_ == "VBG":
                return True
        if token.lower_ == "next" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ in next_nouns:
            return True
    return False


def _tense_at(doc: Doc, start: int, end: int, lex: _Lexicon) -> str | None:
    """Tense for an expression: its clause first; the whole sentence only when no verb was found."""
    if not doc.has_annotation("DEP"):
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tense = _governing_tense(span.root, lex)
    if tense is None:
        return FUTURE if sentence_is_future(span.root.sent) else None
    return tense if tense in (PAST, FUTURE) else None


# --------------------------------------------------------------------------- search


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    order: int
    rule: _Rule
    match: re.Match


def _match_span(m: re.Match) -> tuple[int, int]:
    if "span" in m.re.groupindex and m.group("span") is not None:
        return m.span("span")
    return m.span()


def _candidates(text: str, grammar: _Grammar) -> list[_Candidate]:
    """All pattern hits, longest first, so a range beats the two dates inside it."""
    found = []
    for order, rule in enumerate(grammar.rules):
        for m in rule.regex.finditer(text):
            start, end = _match_span(m)
            if end > start:
                found.append(_Candidate(start, end, order, rule, m))
    found.sort(key=lambda c: (c.start - c.end, c.start, c.order))
    return found


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_dates(doc: Doc, published: str | None) -> list[TimeExpression]:
    """Every resolvable temporal expression in a parsed document, in text order.

    Relative expressions need `published` (an ISO prefix); without it only
    absolute dates are returned, and a day or month written without its year
    ("14 July", "in August") takes the year around the latest full date the
    text writes out ("expires on 17 July 2023"), a little less surely.
    """
    grammar, text = _grammar(), token_table(doc).text
    anchor = _anchor(published)
    candidates = _candidates(text, grammar)
    written = None if anchor is not None else _latest_written_date(candidates, text, grammar.lex)
    taken = bytearray(len(text))
    found: list[TimeExpression] = []
    for candidate in candidates:
        if any(taken[candidate.start:candidate.end]):
            continue
        start, end = candidate.start, candidate.end
        by_text = written is not None and candidate.rule.name in _YEAR_FROM_TEXT
        ctx = _Context(written if by_text else anchor, text, 0, False, lambda s=start, e=end: _tense_at(doc, s, e, grammar.lex))
        resolved = _safe_resolve(candidate.rule, candidate.match, ctx, grammar.lex)
        if resolved:
            found.append(_expression(text, start, end, resolved, YEAR_FROM_TEXT_DISCOUNT if by_text else 1.0))
            taken[start:end] = b"\x01" * (end - start)
    found.extend(_from_entities(doc, grammar, anchor, taken))
    from detente.nlp.dates.anchored import find_anchored  # it reads this module's expressions

    found.extend(find_anchored(text, found))
    return sorted(found, key=lambda t: (t.start, t.end))


# Rules for a day or month written without a year, which a year the text writes elsewhere can complete.
_YEAR_FROM_TEXT = frozenset({"month_day", "day_month", "range_md", "range_dm", "month"})
_WRITTEN_OUT = frozenset({"iso", "full_mdy", "full_dmy"})
YEAR_FROM_TEXT_DISCOUNT = 0.8


def _latest_written_date(candidates: list[_Candidate], text: str, lex: _Lexicon) -> _Anchor | None:
    """The latest full date the text writes out, standing in for an unknown publication date's year
    (the month too, so "14 July" and "in August" land in the year around it)."""
    latest = None
    for candidate in candidates:
        if candidate.rule.name not in _WRITTEN_OUT:
            continue
        resolved = _safe_resolve(candidate.rule, candidate.match, _Context(None, text, 0, False), lex)
        if resolved and (latest is None or resolved[0] > latest):
            latest = resolved[0]
    return _Anchor(date.fromisoformat(latest), MONTH) if latest else None


def _expression(text: str, start: int, end: int, resolved: Resolved, discount: float = 1.0) -> TimeExpression:
    start, end = _trim(text, start, end)
    value, precision, confidence = resolved
    return TimeExpression(start, end, text[start:end], value, precision, round(confidence * discount, 3))


def _safe_resolve(rule: _Rule, m: re.Match, ctx: _Context, lex: _Lexicon) -> Resolved | None:
    """A lexicon a user extended badly must cost one date, not the document."""
    try:
        return rule.resolve(m, ctx, lex)
    except (KeyError, ValueError, OverflowError, TypeError):
        return None


def _from_entities(doc: Doc, grammar: _Grammar, anchor: _Anchor | None, taken: bytearray) -> list[TimeExpression]:
    """spaCy's DATE entities catch a few forms the patterns leave out, e.g. "the 2011 trip"."""
    text, found = token_table(doc).text, []
    for ent in doc.ents:
        if ent.label_ != "DATE" or any(taken[ent.start_char:ent.end_char]):
            continue
        words = ent.text
        skipped = grammar.leading_determiner.match(words)
        offset = ent.start_char + (skipped.end() if skipped else 0)
        words = text[offset:ent.end_char]
        start, end = offset, ent.end_char
        ctx = _Context(anchor, text, offset, True, lambda s=start, e=end: _tense_at(doc, s, e, grammar.lex))
        matched, resolved = _resolve_whole(words, ctx, grammar)
        if not matched and grammar.anchor_words.search(words) and not _is_copyright_text(text, offset, grammar.lex):
            resolved = _dateparser_value(words, anchor, ctx.tense() == FUTURE, grammar)
        if resolved:
            discount = ENTITY_DISCOUNT * (0.6 if _counts_things(ent, words) else 1.0)
            found.append(_expression(text, start, end, resolved, discount))
            taken[start:end] = b"\x01" * (end - start)
    return found


def _counts_things(ent: Span, words: str) -> bool:
    """"the 2000 troops": a bare four-digit number before a plural noun may be a count, not a year."""
    doc = ent.doc
    return words.isdigit() and ent.end < len(doc) and doc[ent.end].tag_ == "NNS"


def _is_copyright_text(text: str, offset: int, lex: _Lexicon) -> bool:
    before = text[max(0, offset - 16):offset]
    return any(marker in before for marker in lex.words("copyright_markers"))


def _resolve_whole(words: str, ctx: _Context, grammar: _Grammar) -> tuple[bool, Resolved | None]:
    """The first rule whose pattern covers all of `words` and resolves; and whether any covered them.

    A form the patterns know but refuse ("Sunday Times") must not be handed to dateparser.
    """
    matched = False
    for rule in grammar.rules:
        m = rule.regex.fullmatch(words)
        if m:
            matched = True
            resolved = _safe_resolve(rule, m, ctx, grammar.lex)
            if resolved:
                return True, resolved
    return matched, None


def resolve_date_text(words: str, published: str | None, future: bool = False) -> tuple[str, str] | None:
    """(value, precision) for one expression such as "last September" or "on Jan. 26".

    `future` says the words come from a sentence about what will happen; it
    moves year-less dates and weekdays after the publication date.
    """
    if not isinstance(words, str):
        return None
    grammar, anchor = _grammar(), _anchor(published)
    cleaned = " ".join(words.split())
    tense = FUTURE if future else None
    matched_any = False
    for candidate in _without_preposition(cleaned, grammar):
        ctx = _Context(anchor, candidate, 0, True, lambda: tense)
        matched, resolved = _resolve_whole(candidate, ctx, grammar)
        if resolved:
            return resolved[0], resolved[1]
        matched_any = matched_any or matched
    if not matched_any and cleaned and grammar.anchor_words.search(cleaned):
        resolved = _dateparser_value(cleaned, anchor, future, grammar)
        if resolved:
            return resolved[0], resolved[1]
    return None


def _without_preposition(words: str, grammar: _Grammar) -> list[str]:
    stripped = grammar.leading_preposition.sub("", words, count=1)
    return [words] if stripped == words else [words, stripped]


# --------------------------------------------------------------------------- dateparser fallback


_DAY_NUMBER = re.compile(r"(?<![0-9])(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![0-9])")


def _dateparser_value(words: str, anchor: _Anchor | None, future: bool, grammar: _Grammar) -> Resolved | None:
    """Last resort for forms the patterns miss; precision is read off the words, not the parse."""
    if len(words) > 60:
        return None
    has_year = bool(re.search(r"\b(?:1[89]|20)[0-9]{2}\b", words))
    if not has_year and anchor is None:
        return None
    has_month = bool(grammar.month_words.search(words))
    has_weekday = bool(grammar.weekday_words.search(words))
    without_year = re.sub(r"\b(?:1[89]|20)[0-9]{2}\b", " ", words)
    has_day = has_weekday or (has_month and bool(_DAY_NUMBER.search(without_year)))
    size = 10 if has_day else 7 if has_month else 4 if has_year else 0
    if not size:
        return None
    parsed = _parse_with_dateparser(words, anchor, future)
    if parsed is None:
        return None
    return parsed.date().isoformat()[:size], {10: "day", 7: "month", 4: "year"}[size], DATEPARSER_CONFIDENCE


def _parse_with_dateparser(words: str, anchor: _Anchor | None, future: bool) -> datetime | None:
    import dateparser  # imported late: most documents never need it

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "future" if future else "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if anchor is not None:
        settings["RELATIVE_BASE"] = datetime(anchor.day.year, anchor.day.month, anchor.day.day)
    try:
        return dateparser.parse(words, languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; a miss is enough
        return None
