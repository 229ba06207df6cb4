"""Reading figures: a number as written, with its hedge, its bounds and its currency.

Numbers are found with a regular expression over the sentence (digits,
number words, "a dozen", "half a million", vague plurals, fractions,
percentages, money), because the small spaCy model tags many of them
inconsistently; what the number counts is decided later, from the parse.

How value / low / high / qualifier are filled:
- a bare figure, or one hedged by "about", "around", "some": `value`;
- "more than X", "at least X", "over X": `low` X, no value ("a figure above X");
- "nearly X", "almost X", "up to X", "fewer than X": `high` X, no value;
- "between X and Y", "X to Y", "X-Y": `low` X and `high` Y, no value;
- "hundreds of", "thousands", "dozens": `low` at two of the scale (200, 2,000,
  24), no value, no high;
- the hedge as written ("more than", "around", "hundreds of") is the
  `qualifier`, so the words are never lost, whatever the bound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from detente.nlp.claims.patterns import ClaimPatterns, load_patterns, spaced

_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def read_number(text: str, patterns: ClaimPatterns | None = None) -> float | None:
    """'70,000' → 70000; 'two hundred thousand' → 200000; '1.5 million' → 1500000; '2bn' → 2e9."""
    patterns = patterns or load_patterns()
    words = [w for w in re.findall(r"\d+(?:\.\d+)?|[a-z]+", text.lower().replace(",", "")) if w != "and"]
    total, current, seen = 0.0, 0.0, False
    for word in words:
        if _DIGITS.fullmatch(word):
            current += float(word)
        elif word in patterns.scales:
            scale = patterns.scales[word]
            current = (current or 1.0) * scale
            if scale >= 1000:
                total, current = total + current, 0.0
        elif word in patterns.number_words:
            current += patterns.number_words[word]
        else:
            return None
        seen = True
    return total + current if seen else None


@dataclass
class Figure:
    """A number as written: its characters, its bounds, and what kind of number it is."""

    start: int
    end: int
    number_start: int  # where the number itself starts (after the hedge and the currency sign)
    value: float | None
    low: float | None
    high: float | None
    qualifier: str | None = None
    share: bool = False  # a percentage or a fraction of something
    vague: bool = False  # "hundreds of": a guess at a scale
    article: bool = False  # "a week": one of a unit, only a figure when a unit follows
    currency: str | None = None
    written: str = ""  # the number as written, without hedge or currency: "2015-2016", "40"

    @property
    def amount(self) -> float | None:
        """The figure's one number: its value, else its low, else its high."""
        for number in (self.value, self.low, self.high):
            if number is not None:
                return number
        return None

    def scaled(self, factor: float) -> None:
        """Express the figure in a larger unit ("a decade" is 10 years)."""
        self.value, self.low, self.high = (None if n is None else n * factor for n in (self.value, self.low, self.high))


def _hedged(value: float, approx: str | None, patterns: ClaimPatterns) -> tuple[float | None, float | None, float | None]:
    kind = patterns.approximators.get(spaced(approx)) if approx else None
    if kind == "low":
        return None, value, None
    if kind == "high":
        return None, None, value
    return value, None, None


def _qualifier(match: re.Match) -> str | None:
    words = match.group("approx") or match.group("vague")
    if match.group("vague") and re.match(r"\s+of\b", match.string[match.end():], re.IGNORECASE):
        words += " of"  # "hundreds of"
    if match.group("between"):
        words = f"{words} between" if words else "between"
    return spaced(words)[:32] if words else None


def _range(lo_text: str, hi_text: str, patterns: ClaimPatterns) -> tuple[float, float] | None:
    """Both ends of "2-3 million" (the scale of the high end applies to a low end written without one)."""
    lo, hi = read_number(lo_text, patterns), read_number(hi_text, patterns)
    if lo is None or hi is None:
        return None
    scale = next((patterns.scales[w] for w in re.findall(r"[a-z]+", hi_text.lower()) if w in patterns.scales), None)
    if scale and not any(w in patterns.scales for w in re.findall(r"[a-z]+", lo_text.lower())) and lo * scale < hi:
        lo *= scale
    return (lo, hi) if lo < hi else None


def _figures(match: re.Match, offset: int, patterns: ClaimPatterns) -> list[Figure]:
    """The figure(s) one match writes: usually one; "from 600 to 800" and "51 to 49" are two."""
    start, end = match.start() + offset, match.end() + offset
    written_at = next(
        match.start(g) for g in ("between", "range", "vague", "half", "fraction", "ratio", "article", "number")
        if match.group(g) is not None
    )
    number_start = (match.start("currency") if match.group("currency") else written_at) + offset
    currency = patterns.currency_signs.get(match.group("currency").upper()) if match.group("currency") else None
    common = {"qualifier": _qualifier(match), "currency": currency, "written": match.string[written_at:match.end()].strip()}
    approx = match.group("approx")
    if match.group("range") and _joined_words(match.group("range")):
        value = read_number(match.group("range"), patterns)  # "seventy-five thousand", "forty-one"
        return [] if value is None else [Figure(start, end, number_start, *_hedged(value, approx, patterns), **common)]
    if match.group("between") or match.group("range"):
        lo_text = match.group("lo") or match.group("lo2")
        hi_text = match.group("hi") or match.group("hi2")
        ends = _range(lo_text, hi_text, patterns)
        before = match.string[max(0, match.start() - 20):match.start()].lower()
        change = re.search(r"\bfrom\s*$", before) and not re.search(r"\b(?:rang|vari?)\w*\s+from\s*$", before)
        if ends is not None and not change:  # "rose from 600 to 800" is two figures; "ranging from 2 to 9" one range
            return [Figure(start, end, number_start, None, *ends, share=bool(match.group("percent2")), **common)]
        return _two_figures(match, offset, lo_text, hi_text, patterns, common)
    if match.group("vague"):
        scale = patterns.vague[spaced(match.group("vague"))]
        return [Figure(start, end, number_start, None, 2.0 * scale, None, vague=True, **common)]
    if match.group("half"):  # "half a million"; "half an hour" is no figure anyone reports
        value = read_number(re.sub(r"^half\s+", "", match.group("half"), flags=re.IGNORECASE), patterns)
        return [] if value is None else [Figure(start, end, number_start, *_hedged(value / 2, approx, patterns), **common)]
    if match.group("fraction"):
        share = patterns.fractions[spaced(match.group("fraction"))]
        return [Figure(start, end, number_start, *_hedged(share, approx, patterns), share=True, **common)]
    if match.group("ratio"):  # "three in five" voters: a share
        parts = re.split(r"[\s-]+in[\s-]+", match.group("ratio"), flags=re.IGNORECASE)
        numerator, denominator = (read_number(p, patterns) for p in parts)
        if not numerator or not denominator or numerator > denominator:
            return []
        share = round(100 * numerator / denominator, 1)
        return [Figure(start, end, number_start, *_hedged(share, approx, patterns), share=True, **common)]
    if match.group("article"):
        return [Figure(start, end, number_start, *_hedged(1.0, approx, patterns), article=True, **common)]
    text = match.group("number")
    if match.group("percent"):
        text = text[: match.start("percent") - match.start("number")]
    value = read_number(text, patterns)
    if value is None:
        return []
    return [Figure(start, end, number_start, *_hedged(value, approx, patterns), share=bool(match.group("percent")), **common)]


def _joined_words(text: str) -> bool:
    """A hyphen between number words joins them ("forty-one"); only digits make a hyphenated range ("15-20")."""
    return "-" in text and not re.search(r"\bto\b|–", text, re.IGNORECASE) and not re.fullmatch(r"[\d.,]+\s*-\s*[\d.,]+.*", text)


def _two_figures(match: re.Match, offset: int, lo_text: str, hi_text: str, patterns: ClaimPatterns, common: dict) -> list[Figure]:
    """A change or a score ("from 600 to 800", "51 to 49"): each number is a figure of its own."""
    found = []
    for group, text in (("lo2", lo_text), ("hi2", hi_text)):
        value = read_number(text or "", patterns)
        if value is None or match.start(group) < 0:
            continue
        first, last = match.start(group) + offset, match.end(group) + offset
        found.append(Figure(first, last, first, value, None, None, share=bool(match.group("percent2")),
                            currency=common["currency"], written=text))
    return found


def find_figures(text: str, offset: int = 0, patterns: ClaimPatterns | None = None) -> list[Figure]:
    """Every number of a stretch of text that could be a quantity, with its hedge (offsets shifted by `offset`)."""
    patterns = patterns or load_patterns()
    found: list[Figure] = []
    for match in patterns.figure_re.finditer(text):
        found += _figures(match, offset, patterns)
    return found
