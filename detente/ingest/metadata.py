"""Title, author, publication date, outlet and credited source, read from plain text.

Used when no HTML or JSONL field gives them. Web copies put these in a header
(masthead, menu, headline, byline, dateline) and a footer (copyright, credit
line); the article body also names its own outlet ("The Cable has learned") or
the one it retells ("according to Foreign Policy"). Nothing is guessed: a value
that the text does not state is None. Which of a page's dates is its
publication date is published.py's question; this module tells it which header
lines are bylines and datelines.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


from detente.data_files import load_yaml
from detente.ingest.clean import HEADER_UNITS, UnitFeatures, is_boilerplate, split_units, unit_features
from detente.ingest.dates import (
    DateHit,
    any_year,
    find_dates,
    label_at_start,
    parse_with_dateparser,
    strip_bullet,
    strip_labels,
)
from detente.ingest.published import HeaderUnit, PublishedDate, find_published

TRAILING_UNITS = 5  # a credit line ("THE NEW YORK TIMES") sits among the last units
SHORT_UNIT_WORDS = 20  # bylines and datelines are short; longer units are text
HEADLINE_MIN_WORDS = 3
HEADLINE_MAX_WORDS = 30
HEADLINE_MAX_CHARS = 250
MASTHEAD_MAX_WORDS = 6
CONTEXT_CHARS = 80  # how far before "reported" an outlet's name may start


@dataclass
class TextMetadata:
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO prefix: YYYY-MM-DD, or YYYY-MM when the text gives no day
    published_text: str | None = None  # the words the date was read from
    outlet: str | None = None
    attributed_to: str | None = None  # the outlet this text credits as its source


@dataclass
class HeaderReading:
    """What the cleaner needs beyond the metadata: where the title is, which units were only metadata."""

    metadata: TextMetadata
    title_index: int | None = None
    used: set[int] = field(default_factory=set)  # byline, dateline, masthead and credit units


def text_metadata(units: list[str]) -> TextMetadata:
    """Header-zone title, author and date, the outlet, and the outlet the text credits."""
    return read_header([u.strip() for u in units if u and u.strip()]).metadata


def guess_outlet(raw: str) -> str | None:
    """The outlet alone, without the dates and titles: cheap enough for a first pass over a corpus."""
    return outlet_of_units(split_units(raw))


def outlet_of_units(units: list[str]) -> str | None:
    """`guess_outlet` for a text already cut into units; the same answer `read_header` gives."""
    tags = _tag_header(units)
    masthead, _ = _masthead_and_title(units, tags)
    return _outlet(units, masthead)[0]


def canonical_outlet(name: str) -> str:
    """The name outlets.yaml gives this outlet; an unknown outlet keeps its own spelling, tidied."""
    known = outlets().by_key.get(outlet_key(name))
    return known if known else _tidy_unknown_outlet(name)


# ---------------------------------------------------------------- outlets


_LEGAL_SUFFIXES = {"inc", "ltd", "llc", "plc", "corp", "corporation", "co", "company", "limited", "gmbh", "sa", "ag"}
_DOMAIN_ENDINGS = {"com", "net", "org", "co", "uk", "int", "info", "lb", "tr", "ru", "ir", "sy", "fr", "de", "go"}
_KEY_WORD = re.compile(r"\w+")
_LEGAL_TAIL = re.compile(
    r"(?:\s+or its affiliated companies|[,\s]+(?:inc|ltd|llc|plc|corp|co|company|limited|gmbh)\.?)+\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class OutletRegistry:
    by_key: dict[str, str]  # outlet_key(alias) -> canonical name
    name_at: re.Pattern  # an outlet's name (known, or shaped like one) starting here
    name_at_end: re.Pattern  # ... ending at the end of the searched window
    masthead_words: frozenset[str]


@lru_cache(maxsize=16384)  # menus and footers repeat across a corpus
def outlet_key(name: str) -> str:
    """ "THE NEW YORK TIMES", "nytimes.com" and "The New York Times Company" should find the same entry."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("&", " and ")
    text = re.sub(r"^\s*(?:https?://)?(?:www\.)?", "", text)
    words = _KEY_WORD.findall(text.replace("_", " "))
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and (words[-1] in _LEGAL_SUFFIXES or words[-1] in _DOMAIN_ENDINGS):
        words.pop()
    return " ".join(words)


@lru_cache(maxsize=1)
def outlets() -> OutletRegistry:
    source = resources.files("detente") / "data" / "outlets.yaml"
    data = load_yaml(source.read_text(encoding="utf-8")) or {}
    by_key: dict[str, str] = {}
    spellings: set[str] = set()
    for entry in data.get("outlets") or []:
        canonical = entry["name"]
        for name in [canonical, *(entry.get("aliases") or [])]:
            by_key.setdefault(outlet_key(str(name)), canonical)
            spellings.add(str(name))
            if str(name).startswith("The "):
                spellings.add(str(name)[4:])  # "according to the Guardian"
    words = [str(w) for w in data.get("masthead_words") or []]
    known = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True) if len(s) >= 2)
    endings = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"
    shaped = rf"(?:The\s+)?(?:[A-Z][\w'’.&-]*\s+){{1,3}}(?:{endings})"
    name = rf"(?<![\w-])(?P<name>{known + '|' if known else ''}{shaped})(?![\w-])"
    return OutletRegistry(
        by_key=by_key,
        name_at=re.compile(name),
        name_at_end=re.compile(name + r"$"),
        masthead_words=frozenset(w.casefold() for w in words),
    )


def _tidy_unknown_outlet(name: str) -> str:
    """ "THE LEVANT LEDGER" and "the Levant Ledger, Ltd." are both "Levant Ledger"."""
    text = " ".join(name.split()).strip(" .,;:|-–—()")
    text = _LEGAL_TAIL.sub("", text).strip(" .,;:")
    if text.isupper() and len(text) > 5:
        text = text.title()
    if text[:4].casefold() == "the " and len(text) > 4:
        text = text[4:]
    return text


def _is_known_outlet(unit: str) -> bool:
    return outlet_key(unit) in outlets().by_key


def _outlet_name(found: str) -> str | None:
    """A name matched in running text: known outlets by their canonical name, others only if two words or more."""
    known = outlets().by_key.get(outlet_key(found))
    if known:
        return known
    tidy = _tidy_unknown_outlet(found)
    return tidy if len(tidy.split()) >= 2 else None


# ---------------------------------------------------------------- outlet of the text

_COPYRIGHT_MARK = re.compile(r"(?:copyright\s*(?:©|\(c\))?|©|\(c\)|copr\.)", re.IGNORECASE)
_RIGHTS = re.compile(r"all rights reserved\.?", re.IGNORECASE)
_YEARS = re.compile(r"^[\s,.\-–—]*(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?[\s,.\-–—]*)+")
_TRAILING_YEAR = re.compile(r"[\s,]+(?:19|20)\d\d\s*$")
_CREDIT_PREFIX = re.compile(r"^(?:source|via|from|courtesy(?: of)?)\s*:?\s*|^[-–—(]\s*|\s*\)$", re.IGNORECASE)


def _outlet(units: list[str], masthead: str | None) -> tuple[str | None, int | None]:
    """Copyright holder, else a credit line at the end, else the masthead, else the text naming itself.

    Returns the outlet and the index of a credit-line unit (metadata only, so removed from the text).
    """
    holder = _copyright_holder(units)
    if holder:
        return holder, None
    credit, index = _trailing_credit(units)
    if credit:
        return credit, index
    if masthead:
        return masthead, None
    return _self_reference(units), None


def _copyright_holder(units: list[str]) -> str | None:
    for unit in units:
        mark = _COPYRIGHT_MARK.search(unit)
        if not mark or len(unit.split()) > SHORT_UNIT_WORDS * 2:
            continue
        if mark.start() > 0 and not _RIGHTS.search(unit) and not _YEARS.match(unit[mark.end():]):
            continue  # "Photo: © Reuters" credits a picture, not the page
        after = _YEARS.sub("", unit[mark.end():])
        after = re.split(r"\.\s|\||;|\s[-–—]\s|all rights reserved", after, maxsplit=1, flags=re.IGNORECASE)[0]
        name = _TRAILING_YEAR.sub("", after).strip(" .,-–—")
        if not re.search(r"[^\W\d_]", name):
            before = _RIGHTS.sub("", unit[: mark.start()])
            name = before.strip(" .,-–—|")
        name = _LEGAL_TAIL.sub("", name).strip(" .,")
        if name and re.search(r"[^\W\d_]", name) and len(name.split()) <= 8:
            return canonical_outlet(name)
    return None


def _trailing_credit(units: list[str]) -> tuple[str | None, int | None]:
    start = max(0, len(units) - TRAILING_UNITS)
    for index in range(len(units) - 1, start - 1, -1):
        name = _CREDIT_PREFIX.sub("", units[index]).strip()
        if name and len(name) <= 60 and _is_known_outlet(name):
            return canonical_outlet(name), index
    return None, None


_SELF_BEFORE = re.compile(r"\s+(?:has|had)\s+(?:learned|learnt|obtained|confirmed|established)\b")
_SELF_AFTER = re.compile(
    r"\b(?:in an? e-?mail to|posted by [^.\n]{1,60}? (?:in|on|at))\s+(?:the\s+)?", re.IGNORECASE
)
_DATELINE_PLACE = re.compile(r"^(?-i:[A-Z][\w.'’/ ]{1,40}?)\s*(?:\(|,\s+)")
_DATELINE_DASH = re.compile(r"\)?\s*[-–—]")


def _self_reference(units: list[str]) -> str | None:
    """ "MOSCOW (Reuters) -", "The Cable has learned", "in an e-mail to Foreign Policy"."""
    registry = outlets()
    found: list[str] = []
    for unit in units:
        place = _DATELINE_PLACE.match(unit)
        if place:
            name = registry.name_at.match(unit, place.end())
            if name and _DATELINE_DASH.match(unit, name.end()):
                found.append(name["name"])
        found.extend(_names_before(unit, _SELF_BEFORE))
        found.extend(_names_after(unit, _SELF_AFTER))
    return _most_common(found)


_ENDS_IN_NAME = re.compile(r"(?:[A-Z][\w'’.&/-]*|[\w-]+\.(?:com|net|org|co\.uk))$")


def _names_after(text: str, trigger: re.Pattern) -> list[str]:
    registry = outlets()
    names = []
    for cue in trigger.finditer(text):
        name = registry.name_at.match(text, cue.end())
        if name:
            names.append(name["name"])
    return names


def _names_before(text: str, trigger: re.Pattern) -> list[str]:
    registry = outlets()
    names = []
    for cue in trigger.finditer(text):
        window = text[max(0, cue.start() - CONTEXT_CHARS) : cue.start()]
        if not _ENDS_IN_NAME.search(window):
            continue  # "officials reported": no name right before the cue
        name = registry.name_at_end.search(window)
        if name:
            names.append(name["name"])
    return names


def _most_common(found: list[str]) -> str | None:
    """Most frequent outlet name; ties go to the first one the text gives."""
    names = [n for n in (_outlet_name(f) for f in found) if n]
    if not names:
        return None
    counts = Counter(names)
    return max(names, key=lambda n: (counts[n], -names.index(n)))


# ---------------------------------------------------------------- attribution

_CREDIT_AFTER = re.compile(
    r"\b(?:according to|(?:reported|first reported|revealed|published|quoted|cited) (?:by|in))\s+"
    r"(?:(?:a|an)\s+(?:report|article|story|interview|investigation)\s+(?:in|by|from|with|on)\s+)?(?:the\s+)?",
    re.IGNORECASE,
)
_CREDIT_BEFORE = re.compile(
    r"\s+(?:(?:magazine|newspaper|news agency|agency|daily|website)\s+)?"
    r"(?:reported|reports|has reported|had reported|first reported|revealed|has revealed|quoted|cited"
    r"|report|article|investigation)\b",
    re.IGNORECASE,
)


def _attribution(units: list[str], own: str | None) -> str | None:
    """The other outlet a rewrite credits: "according to X", "X reported", "a X report".

    "told X" is left out: the outlet a source spoke to is as often the page's own
    (under a name detente cannot tie to it) as another one.
    """
    found: list[str] = []
    for unit in units:
        found.extend(_names_after(unit, _CREDIT_AFTER))
        found.extend(_names_before(unit, _CREDIT_BEFORE))
    names = [n for n in (_outlet_name(f) for f in found) if n and n != own]
    return _most_common(names)


# ---------------------------------------------------------------- dates

_RESIDUE_SKIP = re.compile(
    r"\b(?:published|posted|updated?|last|first|originally|on|at|date|dated|time|gmt|utc|am|pm)\b",
    re.IGNORECASE,
)
_CALENDAR_WORDS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
    "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "noon", "midnight", "a.m", "p.m",
}


def _fallback_date(unit: str) -> DateHit | None:
    """A header line that is only a date no pattern read ("Posted: 2013.07.11, noon")."""
    year = any_year(unit)
    if not year or len(_residue(unit, []).split()) > 1:
        return None
    label = label_at_start(unit)
    start = label.end if label is not None else 0
    text = unit[start:].strip(" :")
    iso = parse_with_dateparser(text, int(year.group(0)))
    return DateHit(iso, text, start, len(unit)) if iso else None


# ---------------------------------------------------------------- authors

_BYLINE = re.compile(r"^(?:by|written by|words by|authors?|reporting by)\b\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_BYLINE_CUT = re.compile(r"\s*(?:\||•|·|/|\s[-–—]\s|\bupdated\b|\bpublished\b|\bposted\b)", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*")
_WRITES = re.compile(r"\bwrites\s+(?P<name>[^,.;:!?\"“”]{3,60}?)\s*[.!]?[\"”’]?\s*$")
_NAME_PLACE = re.compile(r"\s+in\s+[A-Z][\w.'’ -]*$")
_NAME_TOKEN = re.compile(r"^[^\W\d_][\w'’.-]*$")
_PARTICLES = {
    "al", "el", "de", "da", "di", "du", "van", "von", "der", "den", "bin", "ibn", "abu", "la", "le",
    "del", "della", "dos", "das", "ben", "bint", "ter", "ul",
}
_NOT_NAME_WORDS = {
    "the", "a", "an", "staff", "reporter", "reporters", "correspondent", "editor", "editors", "news",
    "agency", "press", "service", "wire", "desk", "team", "bureau", "board", "editorial", "contributor",
    "updated", "published", "posted", "am", "pm", "gmt", "utc", "edt", "est", "today", "yesterday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
    "wed", "thu", "fri", "sat", "sun", "skip", "home", "menu", "search", "share", "comments", "advertisement",
}


def person_name(text: str) -> str | None:
    """ "Jane Doe", "MOAZ AL-KHATIB", "Hrair Balian": two to five capitalised words, none a month or a desk."""
    text = " ".join(text.strip(" ,;:|·-–—()").split())
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or _is_known_outlet(text):
        return None
    capitalised = 0
    for token in tokens:
        core = token.strip(".,")
        low = core.casefold()
        if not _NAME_TOKEN.match(core) or low in _NOT_NAME_WORDS:
            return None
        if low in _PARTICLES or low.startswith(("al-", "el-")):
            continue
        if not core[0].isupper():
            return None
        capitalised += 1
    if capitalised < 2 and not any(t.casefold().startswith(("al-", "el-")) for t in tokens):
        return None
    return text.title() if text.isupper() else text


def _names(text: str) -> list[str]:
    """ "Jane Doe, John Roe and Ann Poe" -> three names; stops at the first part that is not a name ("Reuters")."""
    names = []
    for part in _NAME_SPLIT.split(text):
        if not part.strip():
            continue
        name = person_name(part)
        if name is None:
            break
        names.append(name)
    return names


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _byline(unit: str) -> tuple[bool, str | None]:
    """(is this a byline, the author). "By | July 11, 2013" is a byline without a name, and so is
    "By JANE DOE Associated Press September 12, 2018": a "By" line with a date is one."""
    match = _BYLINE.match(unit)
    if not match:
        return False, None
    rest = match["rest"]
    dates = find_dates(rest)
    if dates:
        rest = rest[: dates[0].start]
    rest = _BYLINE_CUT.split(rest, maxsplit=1)[0]
    rest = _NAME_PLACE.sub("", rest.strip())
    names = _names(rest)
    if names:
        return True, _join_names(names)
    has_words = bool(re.search(r"[^\W\d_]", rest))
    return (not has_words or bool(dates)), None


# ---------------------------------------------------------------- the header


@dataclass
class _Tag:
    kind: str  # byline, dateline, noise, outlet, prose, headline, other
    features: UnitFeatures
    author: str | None = None
    dates: list[DateHit] = field(default_factory=list)


def _tag_header(units: list[str]) -> list[_Tag]:
    return [_tag(unit) for unit in units[:HEADER_UNITS]]


def _tag(unit: str) -> _Tag:
    feats = unit_features(unit)
    short = feats.words <= SHORT_UNIT_WORDS and not feats.prose
    if short:
        is_byline, author = _byline(unit)
        if is_byline:
            return _Tag("byline", feats, author=author, dates=find_dates(unit))
        dates = find_dates(unit) or [d for d in [_fallback_date(unit)] if d]
        if dates:
            residue = _residue(unit, dates)
            if len(residue.split()) <= 3 and all(w[0].isupper() for w in residue.split()):
                return _Tag("dateline", feats, author=person_name(residue), dates=dates)
    if is_boilerplate(unit):
        return _Tag("noise", feats)
    if _is_known_outlet(unit):
        return _Tag("outlet", feats)
    if feats.prose:
        return _Tag("prose", feats)
    if _headline_like(unit, feats):
        return _Tag("headline", feats)
    return _Tag("other", feats)


def _residue(unit: str, dates: list[DateHit]) -> str:
    """What a dateline says besides its date: nothing, a label, a place ("GENEVA |"), or a name."""
    text = unit
    for hit in sorted(dates, key=lambda h: h.start, reverse=True):
        if hit.end <= len(text):
            text = text[: hit.start] + " " + text[hit.end :]
    text = strip_labels(text, ("published", "print", "updated"))
    text = _RESIDUE_SKIP.sub(" ", text)
    words = re.findall(r"[^\W\d_][\w'’.-]*", text)
    return " ".join(w for w in words if w.casefold().strip(".") not in _CALENDAR_WORDS)


_HEADLINE_END_OK = re.compile(r"(?:[^.,;:]|(?:[A-Z]\.){2,}|\.\.\.)$")


def _headline_like(unit: str, feats: UnitFeatures) -> bool:
    return (
        HEADLINE_MIN_WORDS <= feats.words <= HEADLINE_MAX_WORDS
        and len(unit) <= HEADLINE_MAX_CHARS
        and (unit[:1].isupper() or unit[:1].isdigit() or unit[:1] in ("\"", "'", "“", "‘"))
        and bool(_HEADLINE_END_OK.search(unit))
    )


def _looks_like_masthead(unit: str) -> bool:
    """A publication's name rather than a headline: "THE LEVANT LEDGER", "Geneva Dispatch", "The Syrian Observatory For Human Rights"."""
    words = unit.split()
    if not 1 <= len(words) <= MASTHEAD_MAX_WORDS or unit[-1:] in ".?!:,;":
        return False
    if words[-1].casefold().strip(".,") in outlets().masthead_words:
        return True
    if unit.isupper():
        return True
    return words[0] == "The" and all(w[0].isupper() for w in words if len(w) >= 3)


def _masthead_and_title(units: list[str], tags: list[_Tag]) -> tuple[str | None, int | None]:
    """The first headline-like unit above the article's first paragraph is the title; a publication's
    name above another headline-like unit is the masthead."""
    masthead: str | None = None
    seen_content = False
    for index, tag in enumerate(tags):
        unit = units[index]
        if tag.kind in ("byline", "dateline", "noise"):
            continue
        if tag.kind == "outlet":
            masthead = masthead or canonical_outlet(unit)
            continue
        if tag.kind == "prose":
            break
        if not seen_content and _looks_like_masthead(unit) and _headline_follows(tags, index + 1):
            masthead = masthead or canonical_outlet(unit)
            seen_content = True
            continue
        seen_content = True
        if tag.kind == "headline":
            return masthead, index
    return masthead, None


def _headline_follows(tags: list[_Tag], start: int) -> bool:
    for tag in tags[start:]:
        if tag.kind in ("byline", "dateline", "noise", "outlet"):
            continue
        return tag.kind == "headline"
    return False


def _masthead_index(units: list[str], tags: list[_Tag], title_index: int | None) -> set[int]:
    """Units before the title that only name the publication."""
    end = title_index if title_index is not None else len(tags)
    return {
        i
        for i in range(end)
        if tags[i].kind == "outlet" or (tags[i].kind in ("headline", "other") and _looks_like_masthead(units[i]))
    }


def _author(units: list[str], tags: list[_Tag], title_index: int | None) -> str | None:
    """A "By" line first, then a name run into the date, then "writes X", then a lone name beside a dateline."""
    for tag in tags:
        if tag.kind == "byline" and tag.author:
            return tag.author
    for tag in tags:
        if tag.kind == "dateline" and tag.author:
            return tag.author
    for unit in units[: len(tags)]:
        match = _WRITES.search(unit)
        if match:
            name = person_name(match["name"])
            if name:
                return name
    for index in _lone_name_units(units, tags, title_index):
        return person_name(_NAME_PLACE.sub("", units[index]))
    return None


def _lone_name_units(units: list[str], tags: list[_Tag], title_index: int | None) -> list[int]:
    """A line that is only a name ("Rania Kamal", "Helen Marlow in Geneva") beside a dateline is a byline."""
    found = []
    for index, tag in enumerate(tags):
        if index == title_index or tag.kind not in ("headline", "other"):
            continue
        near = [tags[j].kind for j in (index - 1, index + 1) if 0 <= j < len(tags)]
        if "dateline" in near and person_name(_NAME_PLACE.sub("", units[index])):
            found.append(index)
    return found


def _published(units: list[str], tags: list[_Tag], title_index: int | None) -> PublishedDate | None:
    """The publication date: published.py ranks the forms; the header's tags say which lines are datelines."""
    return find_published(units, [HeaderUnit(t.kind, tuple(t.dates)) for t in tags], title_index)


def _labelled_date_lines(units: list[str], start: int) -> set[int]:
    """Lines after the header that only state the page's date ("Published in Dawn May 16, 2015"): metadata."""
    used = set()
    for index, unit in enumerate(units[start:], start=start):
        label = label_at_start(strip_bullet(unit))
        if label and label.kind in ("published", "print", "updated"):
            if _tag(unit).kind == "dateline":
                used.add(index)
    return used


def read_header(units: list[str]) -> HeaderReading:
    tags = _tag_header(units)
    masthead, title_index = _masthead_and_title(units, tags)
    outlet, credit_index = _outlet(units, masthead)
    hit = _published(units, tags, title_index)
    used = {i for i, t in enumerate(tags) if t.kind in ("byline", "dateline")}
    used |= _masthead_index(units, tags, title_index)
    used |= set(_lone_name_units(units, tags, title_index))
    if credit_index is not None:
        used.add(credit_index)
    used |= _labelled_date_lines(units, len(tags))
    used.discard(title_index)
    metadata = TextMetadata(
        title=units[title_index] if title_index is not None else None,
        author=_author(units, tags, title_index),
        published=hit.iso if hit else None,
        published_text=hit.text if hit else None,
        outlet=outlet,
        attributed_to=_attribution(units, outlet),
    )
    return HeaderReading(metadata=metadata, title_index=title_index, used=used)
