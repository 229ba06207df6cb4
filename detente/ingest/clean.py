"""Plain text copied from a web page → the article's paragraphs.

A line-level cleaner in the spirit of jusText: the text is cut into units
(paragraphs, or lines where the page had no paragraphs), each unit is judged on
its own (known web-mess patterns, length, stop-word density, sentence
punctuation), and short units whose verdict is unsure take it from their
neighbours. Long prose is never dropped by a heuristic, only by an explicit
pattern: losing a paragraph of the article costs more than keeping a stray line.

Everything removed is returned verbatim so a user can audit it.

Why not jusText itself: it classifies the paragraphs of an HTML page, and its
strongest signals are link density and the DOM path, which a text copy does
not have. Run on the units of the example corpus it keeps 42 units this
cleaner drops (cookie notices, share menus, "Advertisement", tag lines) and
drops 12 it keeps (headlines). So the known-mess patterns, the lines an
outlet repeats, the header reading and the stricter subheading rule stay;
the stop-word list is jusText's; the context pass follows its revision step
with a stricter rule for short units (a subheading, not a stray menu word).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from importlib import resources
from collections.abc import Container
from typing import TYPE_CHECKING

import justext

from detente.data_files import load_yaml
from detente.ingest.dates import glued_date_end, leading_date

if TYPE_CHECKING:
    from detente.ingest.metadata import HeaderReading, TextMetadata

# A hard-wrapped line is at least this long and this close to the block's
# widest line; a block is hard-wrapped when this share of its non-last lines is.
WRAP_MIN_CHARS = 50
WRAP_MAX_CHARS = 140  # wider lines are whole paragraphs, not wrapped text
WRAP_NEAR_WIDTH = 0.75
WRAP_SHARE = 0.6

HEADER_UNITS = 12  # the masthead, menu, headline, byline and dateline live in the first units
PROSE_MIN_WORDS = 15
PROSE_MIN_STOP_RATIO = 0.2
NEAR_MIN_STOP_RATIO = 0.15
SUBHEAD_MIN_STOP_RATIO = 0.3
SUBHEAD_MIN_WORDS = 10  # a longer low-density unit between paragraphs (a list of names) stays
REPEATABLE_MAX_WORDS = 80
COPY_SHARE = 0.5

_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# runs of spaces, and any space other than a plain one (a lone plain space is left alone: faster)
_SPACES = re.compile(r"[ \t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f\u00ad\u200b\u2060\ufeff\ufffe\uffff]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_WORD_STEM = re.compile(r"([^\W\d_]+)(?:'[^\W\d_]+)*")  # a word, reported without its contraction
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_SENTENCE_INSIDE = re.compile(r"[.!?…][\"'”’»)\]]*\s+[\"'“‘«(]?[^\W\d_]")
_BYLINE_START = re.compile(r"^(?:By|BY|Posted|POSTED|Published|PUBLISHED|Updated|UPDATED|Author:|AUTHOR:)\b")
_MENU_SEPARATOR = re.compile(r"\s[|›»]\s.*\s[|›»]\s")
_NORMALISE_DROP = re.compile(r"[^\w]+")
_DIGITS = re.compile(r"\d+")


@dataclass
class CleanText:
    text: str  # kept units joined with "\n\n" (title first if present); no trailing whitespace
    removed: list[str]  # removed units verbatim (stripped), in document order, for audit
    metadata: TextMetadata


# ---------------------------------------------------------------- units


def split_units(raw: str) -> list[str]:
    """Blank lines separate blocks; a hard-wrapped block becomes one paragraph, any other block one unit per line.

    In the header a date that ran into the next line is a unit of its own.
    """
    units: list[str] = []
    for block in _blocks(raw or ""):
        for unit in _unwrap(block):
            unit = unit.strip()
            if unit:
                units.extend(_split_run_on_date(unit) if len(units) < HEADER_UNITS else [unit])
    return units


def _split_run_on_date(unit: str) -> list[str]:
    """ " date 2013-10-30 Envoys meet…" and "March 27, 2012A spokesman said…" are a date line and a line,
    and "By Jane Doe | March 27, 2012A spokesman said…" a byline and a line.

    Web copies lose the break between a page's date and its first line. A bare
    date split off only when it is glued to the text, or when what follows is a
    paragraph of the story: "Thursday, July 11, 2013 John Hudson" stays a byline.
    """
    found = leading_date(unit)
    if found is None:
        glued = glued_date_end(unit)
        return [unit[:glued].strip(), unit[glued:]] if glued else [unit]
    rest = unit[found.end :].strip()
    if found.labelled or found.glued or unit_features(rest).prose:
        return [unit[: found.end].strip(" -–—:|"), rest]
    return [unit]


def _blocks(raw: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    text = _SPACES.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFC", raw)))
    for line in _LINE_BREAK.split(text):
        line = line.strip()
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _unwrap(lines: list[str]) -> list[str]:
    """Web copies keep one paragraph per line; text wrapped at a fixed width must be re-joined."""
    if len(lines) < 2:
        return lines
    width = max(len(line) for line in lines)
    full = [_is_full(line, width) for line in lines]
    if sum(full[:-1]) < WRAP_SHARE * (len(lines) - 1):
        return lines
    paragraphs: list[str] = []
    current = lines[0]
    for prev_full, line in zip(full, lines[1:]):
        if prev_full and not _starts_new_unit(line):
            current = _join_wrapped(current, line)
        else:
            paragraphs.append(current)
            current = line
    paragraphs.append(current)
    return paragraphs


def _starts_new_unit(line: str) -> bool:
    """A long headline or menu above a byline or a short label ("By Jane Doe", "Skip to navigation")
    only looks wrapped: the short line is a unit of its own."""
    if len(line) >= WRAP_MIN_CHARS:
        return False
    return bool(_BYLINE_START.match(line)) or boilerplate().matches_start(line)


def _is_full(line: str, width: int) -> bool:
    if _MENU_SEPARATOR.search(line):
        return False  # a menu is never wrapped prose
    return WRAP_MIN_CHARS <= len(line) <= WRAP_MAX_CHARS and len(line) >= WRAP_NEAR_WIDTH * width


def _join_wrapped(head: str, tail: str) -> str:
    """"last-" + "ditch" is the compound "last-ditch": keep the hyphen, add no space."""
    if len(head) >= 2 and head[-1] == "-" and head[-2].isalpha() and tail[:1].islower():
        return head + tail
    return head + " " + tail


def normalise_line(unit: str) -> str:
    """A key under which the same menu or footer line matches across pages (case, spacing, counters ignored)."""
    text = (unit if unit.isascii() else unicodedata.normalize("NFKC", unit)).casefold()
    text = _DIGITS.sub("0", text)
    return " ".join(_NORMALISE_DROP.sub(" ", text).split())


# ---------------------------------------------------------------- features


@dataclass(frozen=True)
class UnitFeatures:
    words: int
    stop_words: int
    sentence_punct: bool

    @property
    def stop_ratio(self) -> float:
        return self.stop_words / self.words if self.words else 0.0

    @property
    def prose(self) -> bool:
        """Article prose: long enough, ordinary function-word density, real sentences."""
        return (
            self.words >= PROSE_MIN_WORDS
            and self.stop_ratio >= PROSE_MIN_STOP_RATIO
            and self.sentence_punct
        )

    @property
    def sentence_like(self) -> bool:
        """A short sentence ("No," he said.) that could be article text if its neighbours are."""
        return self.sentence_punct and self.stop_words > 0 and self.stop_ratio >= NEAR_MIN_STOP_RATIO


# jusText's English stop-word list: the words whose density tells prose from web mess in jusText's own
# paragraph classifier, which these features follow (and it has lists for a hundred languages).
STOP_WORDS = frozenset(justext.get_stoplist("English"))


@lru_cache(maxsize=8192)
def unit_features(unit: str) -> UnitFeatures:
    # "it's" counts as "it": the list has the pieces of a contraction, not the contraction.
    words = _WORD_STEM.findall(unit.casefold().replace("’", "'"))
    stops = sum(map(STOP_WORDS.__contains__, words))
    punct = bool(_SENTENCE_END.search(unit) or _SENTENCE_INSIDE.search(unit))
    return UnitFeatures(len(words), stops, punct)


# ---------------------------------------------------------------- patterns


@dataclass(frozen=True)
class Region:
    name: str
    start: re.Pattern
    follow: re.Pattern | None
    short: bool
    max_units: int


@dataclass(frozen=True)
class Boilerplate:
    # Most patterns are lower case and run on the lower-cased unit without re.IGNORECASE, which is
    # several times faster on 10,000 pages; a pattern that cares about case runs on the unit as written.
    anchored: re.Pattern | None  # lower-case patterns that start with ^: tried at the start only
    anywhere: re.Pattern | None  # other lower-case patterns
    cased: re.Pattern | None  # patterns with capitals or (?-i:...), IGNORECASE on the original text
    regions: tuple[Region, ...]

    def matches(self, unit: str) -> bool:
        lower = unit.lower()
        return bool(
            (self.anchored is not None and self.anchored.match(lower))
            or (self.anywhere is not None and self.anywhere.search(lower))
            or (self.cased is not None and self.cased.search(unit))
        )

    def matches_start(self, unit: str) -> bool:
        """Only the anchored patterns: labels and menus that are a whole line."""
        return self.anchored is not None and bool(self.anchored.match(unit.lower()))

    def region_starting(self, unit: str) -> Region | None:
        return next((r for r in self.regions if r.start.search(unit)), None)


def _data_text(name: str) -> str:
    return (resources.files("detente") / "data" / name).read_text(encoding="utf-8")


def _combine(patterns: list[str], flags: int = 0) -> re.Pattern | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


_CASE_AWARE = re.compile(r"\(\?-i:|(?<!\\)[A-Z]")


@lru_cache(maxsize=1)
def boilerplate() -> Boilerplate:
    """The patterns in data/boilerplate.yaml, compiled once into a few alternations."""
    data = load_yaml(_data_text("boilerplate.yaml")) or {}
    anchored: list[str] = []
    anywhere: list[str] = []
    cased: list[str] = []
    for group in (data.get("patterns") or {}).values():
        for pattern in group or []:
            re.compile(pattern)  # fail on the bad pattern itself, not on the combined one
            if _CASE_AWARE.search(pattern):
                cased.append(pattern)
            else:
                (anchored if pattern.startswith("^") else anywhere).append(pattern)
    regions = tuple(
        Region(
            name=r.get("name", ""),
            start=re.compile(r["start"], re.IGNORECASE),
            follow=re.compile(r["follow"], re.IGNORECASE) if r.get("follow") else None,
            short=bool(r.get("short")),
            max_units=int(r.get("max_units", 5)),
        )
        for r in data.get("regions") or []
    )
    return Boilerplate(_combine(anchored), _combine(anywhere), _combine(cased, re.IGNORECASE), regions)


def is_boilerplate(unit: str) -> bool:
    """Does a pattern from data/boilerplate.yaml, or the absence of any word, mark this unit as web mess?"""
    return not _WORD.search(unit) or boilerplate().matches(unit)


# ---------------------------------------------------------------- repeated lines


def repeatable_lines(raw: str) -> set[str]:
    """Normalised units that are boilerplate if an outlet prints them under several articles.

    Paragraphs are included too (up to REPEATABLE_MAX_WORDS words): when most of a
    page repeats another page of the outlet, it is a copy of that article, and
    `clean_text` needs to see that to keep its prose.
    """
    return repeatable_units(split_units(raw))


def repeatable_units(units: list[str]) -> set[str]:
    """`repeatable_lines` for a text already cut into units (ingest cuts each text once per pass)."""
    lines = set()
    for unit in units:
        if len(_WORD.findall(unit)) <= REPEATABLE_MAX_WORDS:
            key = normalise_line(unit)
            if key:
                lines.add(key)
    return lines


# ---------------------------------------------------------------- classification


class Verdict(Enum):
    BAD = "bad"  # web mess, whatever its neighbours
    GOOD = "good"  # article prose (or the title)
    NEAR = "near"  # a short sentence: kept next to article prose
    SHORT = "short"  # a short fragment: kept only inside the article (a subheading)


def clean_text(raw: str, repeated: Container[str] = frozenset()) -> CleanText:
    """`repeated`: normalised lines seen in at least two documents of this document's outlet."""
    from detente.ingest.metadata import read_header

    units = split_units(raw)
    return clean_units(units, read_header(units), repeated)


def clean_units(units: list[str], header: HeaderReading, repeated: Container[str] = frozenset()) -> CleanText:
    """`clean_text` for a text already cut into units and read for its header.

    Ingest reads the header first: its outlet says which outlet's repeated lines apply.
    """
    features = [unit_features(u) for u in units]
    verdicts = _first_verdicts(units, features, header.title_index, header.used, repeated)
    keep = _decide_in_context(verdicts, features)
    kept: list[str] = []
    removed: list[str] = []
    for index, (unit, keep_it) in enumerate(zip(units, keep)):
        if index == header.title_index:
            continue
        (kept if keep_it else removed).append(unit)
    if header.title_index is not None:
        kept.insert(0, units[header.title_index])
    return CleanText(text="\n\n".join(kept), removed=removed, metadata=header.metadata)


def _first_verdicts(
    units: list[str],
    features: list[UnitFeatures],
    title_index: int | None,
    used: set[int],
    repeated: Container[str],
) -> list[Verdict]:
    rules = boilerplate()
    keys = [normalise_line(u) for u in units]
    copy_like = bool(repeated) and sum(k in repeated for k in keys) >= COPY_SHARE * len(units)
    seen: set[str] = set()
    region: Region | None = None
    region_left = 0
    verdicts: list[Verdict] = []
    for index, (unit, feats, key) in enumerate(zip(units, features, keys)):
        in_region = region is not None and region_left > 0 and _region_takes(region, unit, feats)
        if in_region:
            region_left -= 1
        else:
            region = None
        if index == title_index:
            verdict = Verdict.GOOD
        elif in_region or index in used:
            verdict = Verdict.BAD
        elif (started := rules.region_starting(unit)) is not None:
            region, region_left = started, started.max_units
            verdict = Verdict.BAD
        elif feats.words == 0 or rules.matches(unit) or key in seen:
            verdict = Verdict.BAD
        elif title_index is not None and index < title_index and not feats.prose:
            verdict = Verdict.BAD  # kickers, section names and menus above the headline
        elif key in repeated and not feats.prose and not (copy_like and feats.sentence_like):
            verdict = Verdict.BAD
        elif feats.prose:
            verdict = Verdict.GOOD
        elif feats.sentence_like:
            verdict = Verdict.NEAR
        else:
            verdict = Verdict.SHORT
        if key:
            seen.add(key)
        verdicts.append(verdict)
    return verdicts


def _region_takes(region: Region, unit: str, feats: UnitFeatures) -> bool:
    if region.follow is not None and region.follow.search(unit):
        return True
    return region.short and not feats.prose


def _decide_in_context(verdicts: list[Verdict], features: list[UnitFeatures]) -> list[bool]:
    """jusText's second pass: an unsure unit goes with the article if article prose is next to it."""
    any_good = Verdict.GOOD in verdicts
    before = _nearest_decided(verdicts)
    after = _nearest_decided(verdicts[::-1])[::-1]
    keep: list[bool] = []
    for verdict, feats, prev, nxt in zip(verdicts, features, before, after):
        if verdict is Verdict.NEAR:
            keep.append(not any_good or Verdict.GOOD in (prev, nxt))
        elif verdict is Verdict.SHORT:
            keep.append(
                (not any_good and feats.sentence_punct)  # a brief of terse sentences: nothing better to keep
                or prev is Verdict.GOOD
                and nxt is Verdict.GOOD
                and (feats.stop_ratio >= SUBHEAD_MIN_STOP_RATIO or feats.words >= SUBHEAD_MIN_WORDS)
            )
        else:
            keep.append(verdict is Verdict.GOOD)
    return keep


def _nearest_decided(verdicts: list[Verdict]) -> list[Verdict | None]:
    """For each unit, the closest GOOD or BAD verdict before it (None at the start)."""
    result: list[Verdict | None] = []
    last: Verdict | None = None
    for verdict in verdicts:
        result.append(last)
        if verdict in (Verdict.GOOD, Verdict.BAD):
            last = verdict
    return result
