"""Where sources disagree: corrections, rebuttals and contradicting figures.

Works across the whole store, after extraction, because a dispute joins two
statements that are often in different documents: a letter calling a report
false, an appended "UPDATE" quoting the sentence it rejects (and the rewrite
that copied that sentence), two outlets giving incompatible death tolls for
the same week.

- **Corrections and rebuttals** are found by their words (the cue lists of
  `detente/data/dispute_cues.yaml`: "makes a false claim", "misquotes",
  "claims incorrectly", "Correction: an earlier version ..."). What they
  dispute is found by content, not by position: the words they quote ("claims
  incorrectly that “...”") are looked up, as shingles of consecutive words, in
  every earlier sentence of the store that holds a stored statement. A
  rewrite copies sentences loosely, so in a copy or rewrite of a document
  already matched a lower share of the words is enough.
- **Contradictions** are two figures for the same subject, property and unit,
  dated within a few days of each other, whose ranges do not meet ("more than
  200,000" against "almost 100,000"). A bare value stands for value ± a
  tolerance, since reported figures are rounded. Figures further apart in
  time are a series, and a rising death toll is not a contradiction; a toll
  that falls below an earlier lower bound is. Only figures the extractor is
  sure of are compared (`min_confidence`): a guess at a scale ("hundreds of")
  contradicts nothing, and a figure whose subject no name anchors ("four
  days" of "the talks", "3,000 troops" of no named army) may be about
  something else in another report.

- **Exchanges** within one report: a response ("Balian rejected that
  reading.") answers the statement or reported view just before it; a quoted
  denial of an act ("their aircraft were not hitting civilians") answers the
  nearest earlier statement of another source sharing a content word with it.

A dispute row points at stored rows (a quote, a claim, or, where a disputed
sentence holds neither, an event), or at a bare sentence when the disputed
words hold no row; each side carries its span. `b` is always the later,
disputing one.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from sqlalchemy import Engine, delete, insert, select

from detente.analysis.timeline import date_bounds
from detente.data_files import load_yaml
from detente.nlp.records import DisputeRecord
from detente.store.batches import id_batches
from detente.store.locks import hold_records_lock
from detente.store.schema import claims, disputes, documents, events, quotes

EXTRACTOR = "disputes"
EXTRACTOR_VERSION = "1"
EXTRACTOR_TAG = f"{EXTRACTOR}/{EXTRACTOR_VERSION}"
CUES_FILE = "dispute_cues.yaml"

# How much of a link's confidence survives each weaker way of making it.
_OUTSIDE_SECTION = 0.8  # a cue in running text, not in an appended section
_HEADLINE = 0.6  # the disputed words are the headline: the lead paragraph stands for it
_NEAREST_ROW = 0.7  # the disputing sentence holds no row: the nearest row of its paragraph speaks for it
_KIND_ORDER = {"quote": 0, "claim": 1, "event": 2}
# Which row stands for a disputed sentence when none shares words with what is
# quoted: a figure is the last choice, since words without its number do not
# dispute the number.
_DISPUTED_ORDER = {"quote": 0, "event": 1, "claim": 2}
_DOUBLE_QUOTES = "\"“”„«»"
_SINGLE_QUOTED = re.compile(r"(?<!\w)['‘]([^'‘’\n]{3,}?)['’](?!\w)")
_WORD = re.compile(r"\w+")


# --------------------------------------------------------------------------- cues


@dataclass(frozen=True)
class DisputeCues:
    sections: tuple[tuple[re.Pattern, str], ...]
    rebuttal: re.Pattern
    correction: re.Pattern
    prefilter: re.Pattern  # every cue without word boundaries, for lower-cased text: a fast first pass
    responses: tuple[tuple[re.Pattern, str], ...]
    response_prefilter: re.Pattern
    contrast: re.Pattern
    exchange_confidence: float
    reported_view: re.Pattern
    denial: re.Pattern
    denial_reach: int
    denial_words: int
    correction_min_shared: int
    denial_confidence: float
    common_words: frozenset[str]
    shingle: int
    min_share: float
    copy_share: float
    short_words: int
    min_words: int
    tolerance: float
    window_days: int
    cumulative: frozenset[str]
    cumulative_confidence: float
    min_confidence: float
    abbreviations: frozenset[str]


def _any_of(patterns: Iterable[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@lru_cache(maxsize=1)
def load_cues() -> DisputeCues:
    """Read the data file once; users extend the cues there, not here."""
    source = resources.files("detente") / "data" / CUES_FILE
    raw = load_yaml(source.read_text(encoding="utf-8"))
    overlap, contra = raw["overlap"], raw["contradictions"]
    return DisputeCues(
        sections=tuple(
            (re.compile(p, re.IGNORECASE), kind) for kind, ps in raw["sections"].items() for p in ps
        ),
        rebuttal=_any_of(raw["rebuttal_cues"]),
        correction=_any_of(raw["correction_cues"]),
        prefilter=re.compile("|".join(
            f"(?:{p.replace(chr(92) + 'b', '')})" for p in [*raw["rebuttal_cues"], *raw["correction_cues"]]
        )),
        responses=tuple(
            (re.compile(p, re.IGNORECASE), kind) for kind, ps in raw["responses"].items() for p in ps
        ),
        response_prefilter=re.compile("|".join(
            f"(?:{p.replace(chr(92) + 'b', '')})" for ps in raw["responses"].values() for p in ps
        )),
        contrast=re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(w) for w in raw["contrast_joiners"]) + r")(?!\w)", re.IGNORECASE
        ),
        exchange_confidence=float(raw["exchange_confidence"]),
        reported_view=_any_of(raw["reported_views"]),
        denial=_any_of(raw["denials"]),
        denial_reach=int(raw["denial_reach"]),
        denial_words=int(raw["denial_words"]),
        correction_min_shared=int(raw["correction_min_shared"]),
        denial_confidence=float(raw["denial_confidence"]),
        common_words=frozenset(raw["common_words"]),
        shingle=int(overlap["shingle"]),
        min_share=float(overlap["min_share"]),
        copy_share=float(overlap["copy_share"]),
        short_words=int(overlap["short_words"]),
        min_words=int(overlap["min_words"]),
        tolerance=float(contra["tolerance"]),
        window_days=int(contra["window_days"]),
        cumulative=frozenset(contra.get("cumulative") or ()),
        cumulative_confidence=float(contra["cumulative_confidence"]),
        min_confidence=float(contra.get("min_confidence", 0.0)),
        abbreviations=frozenset(str(a) for a in raw.get("abbreviations") or ()),
    )


# --------------------------------------------------------------------------- text


def split_sentences(text: str, abbreviations: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Sentence spans of a document's clean text; a blank line always ends one.

    A plain splitter, because disputes read the store, not a parse: it cuts
    after . ! or ? (and any closing quote) before a capital, except after an
    abbreviation ("Mr. Hudson") or an initial.
    """
    known = set(abbreviations)
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", text):
        start = para.start() + (len(para.group()) - len(para.group().lstrip()))
        for cut in re.finditer(r"[.!?][\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])", para.group()):
            stop, dot = para.start() + cut.end(), para.start() + cut.start()
            space = max(text.rfind(" ", start, dot), text.rfind("\n", start, dot), text.rfind("\t", start, dot))
            word = text[max(space + 1, start):dot].lstrip("(\"“")
            if word in known or re.fullmatch(r"[A-Z]", word):
                continue
            if stop > start:
                spans.append((start, stop))
            start = stop + (len(text[stop:para.end()]) - len(text[stop:para.end()].lstrip()))
        end = para.start() + len(para.group().rstrip())
        if end > start:
            spans.append((start, end))
    return spans


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def shingles(tokens: list[str], size: int) -> set[tuple[str, ...]]:
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def quoted_fragments(sentence: str, cue: re.Match | None = None) -> list[str]:
    """What a disputing sentence quotes of the statement it disputes.

    Text between double quotes of any style (a stray closing mark opening a
    quote, as in `not that ”the military ...`, still pairs), quotes nested in
    single marks, and the clause after the cue ("claims incorrectly that X").
    """
    marks = [i for i, ch in enumerate(sentence) if ch in _DOUBLE_QUOTES]
    fragments = [sentence[a + 1:b] for a, b in zip(marks[::2], marks[1::2])]
    if len(marks) % 2:
        fragments.append(sentence[marks[-1] + 1:])
    for inner in list(fragments):
        fragments += [m.group(1) for m in _SINGLE_QUOTED.finditer(inner)]
    if cue is not None:
        after = re.match(r"\s*(?:\w+\s+){0,3}?that\s+(.+)", sentence[cue.end():])
        if after:
            fragments.append(after.group(1).strip(_DOUBLE_QUOTES + " ."))
    return [f.strip() for f in fragments if f.strip()]


# --------------------------------------------------------------------------- the store, read once


@dataclass
class _Row:
    kind: str  # quote / claim / event, or "sentence" for words that hold no stored row
    id: int | None
    doc: str
    start: int
    end: int
    text: str
    speaker: str | None = None  # a quote's speaker, a claim's source
    direct: bool = False  # a direct quote, which may go on with its speaker's statement before it


def _between(a: _Row, b: _Row, kind: str, confidence: float) -> DisputeRecord:
    return DisputeRecord(a.kind, a.id, b.kind, b.id, kind, confidence, (a.doc, a.start, a.end), (b.doc, b.start, b.end))


@dataclass
class _Doc:
    id: str
    text: str
    title: str | None
    published: str | None
    duplicate_of: str | None
    sentences: list[tuple[int, int]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    section: tuple[int, str] | None = None  # where an appended section starts, and its kind
    rows: list[_Row] = field(default_factory=list)

    def sentence_of(self, pos: int) -> int:
        return max(bisect.bisect_right(self.starts, pos) - 1, 0)

    def rows_in(self, start: int, end: int) -> list[_Row]:
        return [r for r in self.rows if r.start < end and start < r.end]

    def paragraph_of(self, pos: int) -> tuple[int, int]:
        left = self.text.rfind("\n\n", 0, pos)
        right = self.text.find("\n\n", pos)
        return (0 if left < 0 else left + 2), (len(self.text) if right < 0 else right)


def _load(engine: Engine, cues: DisputeCues, ids: Collection[str] | None = None) -> dict[str, _Doc]:
    """Documents with their stored rows: every document, or only those of `ids`."""
    if ids is not None:
        docs: dict[str, _Doc] = {}
        for batch in id_batches(ids):
            docs.update(_load_some(engine, cues, batch))
        return docs
    return _load_some(engine, cues, None)


def _load_some(engine: Engine, cues: DisputeCues, ids: list[str] | None) -> dict[str, _Doc]:
    with engine.connect() as conn:
        query = select(
            documents.c.id, documents.c.text, documents.c.title, documents.c.published, documents.c.duplicate_of
        )
        if ids is not None:
            query = query.where(documents.c.id.in_(ids))
        docs = {r.id: _Doc(r.id, r.text, r.title, r.published, r.duplicate_of) for r in conn.execute(query)}
        sources = (
            ("quote", quotes, quotes.c.content, quotes.c.speaker),
            ("claim", claims, None, claims.c.attributed_to),
            ("event", events, events.c.text, None),
        )
        for kind, table, text_column, who in sources:
            columns = [table.c.id, table.c.doc, table.c.start, table.c.end]
            if text_column is not None:
                columns.append(text_column.label("text"))
            if who is not None:
                columns.append(who.label("speaker"))
            if table is quotes:
                columns.append(quotes.c.kind.label("quote_kind"))
            query = select(*columns) if ids is None else select(*columns).where(table.c.doc.in_(ids))
            for r in conn.execute(query):
                doc = docs.get(r.doc)
                if doc is None:
                    continue
                text = getattr(r, "text", None) or doc.text[r.start:r.end]
                direct = getattr(r, "quote_kind", None) == "direct"
                doc.rows.append(_Row(kind, r.id, r.doc, r.start, r.end, text, getattr(r, "speaker", None), direct))
    for doc in docs.values():
        doc.rows.sort(key=lambda r: (r.start, _KIND_ORDER[r.kind], r.id))
        doc.sentences = split_sentences(doc.text, cues.abbreviations)
        doc.starts = [s for s, _ in doc.sentences]
        doc.section = _section(doc.text, cues)
    return docs


def _section(text: str, cues: DisputeCues) -> tuple[int, str] | None:
    """Where an appended "UPDATE" / "Correction:" section starts, and its kind."""
    for para in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", text):
        if para.start() == 0:
            continue  # a headline is never an appended section
        for pattern, kind in cues.sections:
            if pattern.match(para.group()):
                return para.start(), kind
    return None


# --------------------------------------------------------------------------- corrections and rebuttals


@dataclass
class _Disputing:
    """A sentence that says another statement is wrong."""

    doc: _Doc
    start: int
    end: int
    kind: str
    in_section: bool
    fragments: list[str]


def _disputing_sentences(doc: _Doc, cues: DisputeCues) -> list[_Disputing]:
    if not cues.prefilter.search(doc.text.lower()):
        return []  # most documents dispute nothing; one pass over the text says so
    found = []
    for start, end in doc.sentences:
        sentence = doc.text[start:end]
        rebut, correct = cues.rebuttal.search(sentence), cues.correction.search(sentence)
        if not (rebut or correct):
            continue
        in_section = doc.section is not None and start >= doc.section[0]
        kind = "correction" if correct or (in_section and doc.section[1] == "correction") else "rebuttal"
        fragments = quoted_fragments(sentence, rebut or correct)
        found.append(_Disputing(doc, start, end, kind, in_section, fragments))
    return found


@dataclass
class _SentenceIndex:
    """The sentences that could be disputed, looked up by their shingles and words.

    Only sentences holding a stored row (and headlines, which stand for their
    lead) can be linked, and only shingles some rebuttal quotes can match, so
    only those are indexed: the index stays small on a large store.
    """

    cues: DisputeCues
    wanted_shingles: set[tuple[str, ...]] = field(default_factory=set)
    wanted_words: set[str] = field(default_factory=set)
    keys: list[tuple[str, int]] = field(default_factory=list)  # (doc id, sentence number)
    texts: list[str] = field(default_factory=list)  # " w1 w2 ... " for word-for-word lookups
    by_shingle: dict[tuple[str, ...], set[int]] = field(default_factory=lambda: defaultdict(set))
    by_word: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def want(self, fragment: str) -> None:
        tokens = words(fragment)
        if len(tokens) < self.cues.min_words:
            return
        if len(tokens) < self.cues.short_words:
            self.wanted_words |= set(tokens)
        else:
            self.wanted_shingles |= shingles(tokens, self.cues.shingle)

    def add(self, doc_id: str, number: int, text: str) -> None:
        tokens = words(text)
        found_shingles = shingles(tokens, self.cues.shingle) & self.wanted_shingles
        found_words = set(tokens) & self.wanted_words
        if not (found_shingles or found_words):
            return
        entry = len(self.keys)
        self.keys.append((doc_id, number))
        self.texts.append(f" {' '.join(tokens)} " if found_words else "")
        for s in found_shingles:
            self.by_shingle[s].add(entry)
        for w in found_words:
            self.by_word[w].add(entry)

    def matches(self, fragment: str) -> dict[int, float]:
        """Sentence entries holding the fragment, with the share of it they hold."""
        tokens = words(fragment)
        if len(tokens) < self.cues.min_words:
            return {}
        if len(tokens) < self.cues.short_words:
            pools = [self.by_word.get(w, set()) for w in tokens]
            pool = set.intersection(*pools) if pools else set()
            needle = f" {' '.join(tokens)} "
            return {e: 1.0 for e in pool if needle in self.texts[e]}
        wanted = shingles(tokens, self.cues.shingle)
        counts: dict[int, int] = defaultdict(int)
        for s in wanted:
            for e in self.by_shingle.get(s, ()):
                counts[e] += 1
        return {e: n / len(wanted) for e, n in counts.items()}


def _rebuttals(docs: dict[str, _Doc], cues: DisputeCues) -> list[DisputeRecord]:
    disputing = [d for doc in docs.values() for d in _disputing_sentences(doc, cues)]
    return _match_rebuttals(disputing, docs, {(d.doc.id, d.start) for d in disputing}, cues)


def _match_rebuttals(
    disputing: list[_Disputing], docs: dict[str, _Doc], cue_spans: set[tuple[str, int]], cues: DisputeCues
) -> list[DisputeRecord]:
    """Links from each disputing sentence to what it disputes among the sentences of `docs`.

    `cue_spans` holds every disputing sentence known, also those of documents
    outside `docs`, since a disputing sentence is never itself the disputed one.
    """
    if not disputing:
        return []
    index = _SentenceIndex(cues)
    for item in disputing:
        for fragment in item.fragments:
            index.want(fragment)
    for doc in docs.values():
        for number in _linkable(doc):
            start, end = doc.sentences[number]
            index.add(doc.id, number, doc.text[start:end])
    copies = _copies(docs)
    found: list[DisputeRecord] = []
    for item in disputing:
        b_rows, b_factor = _disputing_rows(item)
        if not b_rows:
            continue
        disputed = _disputed_rows(item, docs, index, cue_spans, copies, cues) or _corrected_in_own_text(item, cues)
        for a_row, share in disputed:
            factor = b_factor * (1.0 if item.in_section else _OUTSIDE_SECTION)
            for b_row in b_rows:
                if (a_row.kind, a_row.id) != (b_row.kind, b_row.id):
                    confidence = round(min(share, 1.0) * factor, 3)
                    found.append(_between(a_row, b_row, item.kind, confidence))
    return found


def _linkable(doc: _Doc) -> list[int]:
    """Sentence numbers holding a stored row, and the headline (it stands for its lead)."""
    numbers = {0} if doc.rows and doc.sentences else set()
    for row in doc.rows:
        numbers.update(range(doc.sentence_of(row.start), doc.sentence_of(max(row.end - 1, row.start)) + 1))
    return sorted(n for n in numbers if n < len(doc.sentences))


def _copies(docs: dict[str, _Doc]) -> dict[str, set[str]]:
    """Documents linked as copy or rewrite, in both directions."""
    linked: dict[str, set[str]] = defaultdict(set)
    for doc in docs.values():
        if doc.duplicate_of and doc.duplicate_of in docs:
            linked[doc.id].add(doc.duplicate_of)
            linked[doc.duplicate_of].add(doc.id)
    return linked


def _disputing_rows(item: _Disputing) -> tuple[list[_Row], float]:
    """The rows that carry the disputing sentence: its own, else the nearest of its paragraph."""
    own = _preferred(item.doc.rows_in(item.start, item.end))
    if own:
        return own, 1.0
    left, right = item.doc.paragraph_of(item.start)
    nearby = _preferred(item.doc.rows_in(left, right))
    if not nearby:
        return [], 0.0
    nearest = min(nearby, key=lambda r: min(abs(r.start - item.end), abs(item.start - r.end)))
    return [nearest], _NEAREST_ROW


def _preferred(rows: list[_Row]) -> list[_Row]:
    """Quotes and claims speak for a sentence; its events only when it holds neither."""
    statements = [r for r in rows if r.kind != "event"]
    return statements or rows


def _disputed_rows(
    item: _Disputing,
    docs: dict[str, _Doc],
    index: _SentenceIndex,
    cue_spans: set[tuple[str, int]],
    copies: dict[str, set[str]],
    cues: DisputeCues,
) -> list[tuple[_Row, float]]:
    """For each quoted fragment, the best row of every earlier sentence that holds it.

    A copy or rewrite of a document that holds the fragment repeats the
    disputed statement, so it needs a lower share of the words and may have
    been published after the rebuttal.
    """
    best: dict[tuple[str, int], tuple[_Row, float]] = {}
    for fragment in item.fragments:
        hits = index.matches(fragment)
        strong = {index.keys[e][0] for e, share in hits.items() if share >= cues.min_share}
        for entry, share in hits.items():
            doc_id, number = index.keys[entry]
            copy = doc_id not in strong and bool(copies.get(doc_id, set()) & strong)
            if share < (cues.copy_share if copy else cues.min_share):
                continue
            doc = docs[doc_id]
            start, _ = doc.sentences[number]
            if not _may_be_disputed(item, doc, start, cue_spans, copy):
                continue
            for row, factor in _rows_for(doc, number, fragment):
                key = (row.kind, row.id)
                score = share * factor
                if key not in best or best[key][1] < score:
                    best[key] = (row, score)
    return list(best.values())


def _corrected_in_own_text(item: _Disputing, cues: DisputeCues) -> list[tuple[_Row, float]]:
    """What an outlet's own correction section corrects, when it quotes nothing back.

    "Correction: an earlier version misstated the deadline. It is noon on
    Friday, not Thursday." gives the right words, not the wrong ones: the
    sentence of the article above sharing most content words with the whole
    section (at least `min_shared`) is the one corrected. Its row speaks for it,
    else the sentence itself.
    """
    doc = item.doc
    if item.kind != "correction" or not item.in_section:
        return []
    section = _content_stems(doc.text[doc.section[0]:], cues)
    scored = [
        (len(section & _content_stems(doc.text[start:end], cues)), -number)
        for number, (start, end) in enumerate(doc.sentences) if end <= doc.section[0] and number
    ]
    if not scored or max(scored)[0] < cues.correction_min_shared:
        return []
    number = -max(scored)[1]
    start, end = doc.sentences[number]
    rows = _rows_for(doc, number, doc.text[doc.section[0]:])
    return rows or [(_Row("sentence", None, doc.id, start, end, doc.text[start:end]), 1.0)]


def _may_be_disputed(item: _Disputing, doc: _Doc, start: int, cue_spans: set[tuple[str, int]], copy: bool) -> bool:
    """Only an earlier statement, never a disputing sentence or an appended section, can be disputed."""
    if (doc.id, start) in cue_spans:
        return False
    if doc.section is not None and start >= doc.section[0]:
        return False
    if doc.id == item.doc.id:
        return start < item.start
    if not copy and item.doc.published and doc.published and doc.published[:10] > item.doc.published[:10]:
        return False
    return True


def _rows_for(doc: _Doc, number: int, fragment: str) -> list[tuple[_Row, float]]:
    """The one row that best stands for a disputed sentence (for the headline: the lead's).

    The row sharing most words with what the rebuttal quotes wins (an event
    "plans to send officials" over a death toll in the same sentence); with no
    words shared, a quote, then an event, then a figure speaks for the sentence.
    """
    start, end = doc.sentences[number]
    rows = doc.rows_in(start, end)
    factor = 1.0
    if not rows and number == 0 and _is_headline(doc, start, end):
        lead = next((s for s in doc.sentences[1:4] if doc.rows_in(*s)), None)
        if lead is None:
            return []
        rows, factor = doc.rows_in(*lead), _HEADLINE
    if not rows:
        return []
    wanted = set(words(fragment))
    ranked = sorted(rows, key=lambda r: (-len(wanted & set(words(r.text))), _DISPUTED_ORDER[r.kind], r.start))
    return [(ranked[0], factor)]


def _is_headline(doc: _Doc, start: int, end: int) -> bool:
    """The first line is the headline when it is the stored title or a paragraph of its own."""
    if doc.title and words(doc.text[start:end]) == words(doc.title):
        return True
    return doc.paragraph_of(start) == (start, end)


# --------------------------------------------------------------------------- exchanges within a report


def _exchanges(docs: dict[str, _Doc], cues: DisputeCues) -> list[DisputeRecord]:
    """One report setting two sources against each other, without quoting either back.

    "Balian rejected that reading." answers the statement just before it with
    the one just after; "Moscow says A, but the US says B" sets two quotes
    of different speakers against each other.
    """
    found: list[DisputeRecord] = []
    for doc in docs.values():
        statements = [r for r in doc.rows if r.kind == "quote"]
        if not statements:
            continue
        found += _denials(doc, statements, cues)
        if cues.response_prefilter.search(doc.text.lower()):
            found += _responses(doc, statements, cues)
        found += _contrasts(doc, statements, cues)
    return found


def _responses(doc: _Doc, statements: list[_Row], cues: DisputeCues) -> list[DisputeRecord]:
    found = []
    for pattern, kind in cues.responses:
        for cue in pattern.finditer(doc.text):
            answered = _answered(doc, statements, cue.start(), cues)
            if answered is None:
                continue
            answer = _answer(doc, statements, cue.start(), answered)
            if answer is not None:
                found.append(_between(answered, answer, kind, cues.exchange_confidence))
    return found


def _answered(doc: _Doc, statements: list[_Row], cue: int, cues: DisputeCues) -> _Row | None:
    """What a response cue answers.

    A statement earlier in its own sentence ("..., a line that X rejected"),
    else a statement in the sentence just before, taken back to the first of
    that speaker's run ("Lavrov said A. "B," he said. Clinton offered a
    different reading." answers A). When the sentence just before holds no
    stored statement, it is answered only if it reports a view ("members
    worry that ..."), and then the sentence itself is the disputed side.
    """
    number = doc.sentence_of(cue)
    sentence_start = doc.sentences[number][0]
    same = [r for r in statements if sentence_start <= r.start < cue]
    if same:
        return same[-1]
    if number == 0:
        return None
    before, before_end = doc.sentences[number - 1]
    if not any(before <= r.start < sentence_start for r in statements):
        words_before = doc.text[before:before_end]
        if not cues.reported_view.search(words_before):
            return None
        return _Row("sentence", None, doc.id, before, before_end, words_before)
    paragraph = doc.paragraph_of(before)[0]
    earlier = [r for r in statements if paragraph <= r.start < sentence_start]
    run = [earlier[-1]]
    for row in reversed(earlier[:-1]):
        if row.speaker is None or row.speaker != run[0].speaker or not run[0].direct:
            break  # only a direct quote goes on with what its speaker said before ('"B," he said')
        run.insert(0, row)
    return run[0]


def _answer(doc: _Doc, statements: list[_Row], cue: int, answered: _Row) -> _Row | None:
    """The first statement after the cue, in its sentence or the next, by someone else."""
    number = doc.sentence_of(cue)
    limit = doc.sentences[min(number + 1, len(doc.sentences) - 1)][1]
    for row in statements:
        if cue <= row.start < limit and row.id != answered.id and (row.speaker is None or row.speaker != answered.speaker):
            return row
    return None


def _denials(doc: _Doc, statements: list[_Row], cues: DisputeCues) -> list[DisputeRecord]:
    """A quoted denial answers what another source said or did just before.

    "Russian officials said their aircraft were not hitting civilians" answers
    "He urged Moscow to stop bombing ... civilians": of the statements (quotes
    and events) in the few sentences before, the one sharing most content
    words with the denial, the nearest on a tie; with no word shared, none.
    """
    found = []
    for denial in statements:
        if denial.speaker is None or not _opens_with_denial(denial.text, cues):
            continue
        answered = _denied(doc, denial, cues)
        if answered is not None:
            found.append(_between(answered, denial, "rebuttal", cues.denial_confidence))
    return found


def _opens_with_denial(text: str, cues: DisputeCues) -> bool:
    cue = cues.denial.search(text)
    return cue is not None and len(words(text[:cue.start()])) < cues.denial_words


def _denied(doc: _Doc, denial: _Row, cues: DisputeCues) -> _Row | None:
    number = doc.sentence_of(denial.start)
    first = doc.sentences[max(number - cues.denial_reach, 0)][0]
    sentence_start = doc.sentences[number][0]
    candidates = [
        r for r in doc.rows
        if first <= r.start < sentence_start and r.kind in ("quote", "event")
        and not (r.kind == "quote" and r.speaker in (None, denial.speaker))
        and not _opens_with_denial(r.text, cues)
    ]
    wanted = _content_stems(denial.text, cues, names=False)
    ranked = sorted(candidates, key=lambda r: (-len(wanted & _content_stems(r.text, cues, names=False)), -r.start))
    if not ranked or not wanted & _content_stems(ranked[0].text, cues, names=False):
        return None
    return ranked[0]


def _content_stems(text: str, cues: DisputeCues, names: bool = True) -> set[str]:
    """Words that tie two statements together, cut to five letters ("bombed", "bombing").

    A denial leaves names out (`names=False`): two statements naming the same
    country need not be about the same act. A correction keeps them, since
    the day or place it restates is often what was wrong.
    """
    return {
        w.lower()[:5] for w in _WORD.findall(text.replace("’", "'"))
        if len(w) >= 4 and (names or not w[0].isupper()) and w.lower() not in cues.common_words and not w.isdigit()
    }


def _contrasts(doc: _Doc, statements: list[_Row], cues: DisputeCues) -> list[DisputeRecord]:
    """Two quotes of different speakers in one sentence, joined by "but": a contradiction."""
    found = []
    for first, second in zip(statements, statements[1:]):
        if not (first.speaker and second.speaker) or first.speaker == second.speaker:
            continue
        if doc.sentence_of(first.start) != doc.sentence_of(second.start) or second.start < first.end:
            continue
        if cues.contrast.search(doc.text[first.end:second.start]):
            found.append(_between(first, second, "contradiction", cues.exchange_confidence))
    return found


# --------------------------------------------------------------------------- contradicting figures


@dataclass
class _Figure:
    row: dict
    first: date
    last: date
    lower: float
    upper: float


def _between_figures(a: _Figure, b: _Figure, confidence: float) -> DisputeRecord:
    spans = [(f.row["doc"], f.row["start"], f.row["end"]) for f in (a, b)]
    return DisputeRecord("claim", a.row["id"], "claim", b.row["id"], "contradiction", confidence, *spans)


def _bounds(row: dict, tolerance: float) -> tuple[float, float]:
    """The range a figure allows: value ± tolerance, or its stated bounds."""
    value, low, high = row["value"], row["low"], row["high"]
    if value is not None and low is None and high is None:
        return value * (1 - tolerance), value * (1 + tolerance)
    lower = low if low is not None else 0.0
    upper = high if high is not None else float("inf")
    if value is not None:
        lower, upper = min(lower, value), max(upper, value)
    return lower, upper


def _contradictions(engine: Engine, cues: DisputeCues, slots_of: Collection[str] | None = None) -> list[DisputeRecord]:
    """Contradicting figures: in the whole store, or in the slots the claims of `slots_of` documents fill.

    A slot (subject, property, unit) is compared whole, since whether a toll
    fell depends on every earlier figure of it.
    """
    query = select(
        claims.c.id, claims.c.doc, claims.c.start, claims.c.end, claims.c.subject, claims.c.property, claims.c.unit,
        claims.c.value, claims.c.low, claims.c.high, claims.c.date, claims.c.confidence,
        documents.c.published,
    ).join(documents, documents.c.id == claims.c.doc)
    with engine.connect() as conn:
        if slots_of is not None:
            touched = _slots_filled_by(conn, slots_of)
            if not touched:
                return []
            query = query.where(claims.c.property.in_(sorted({prop for _, prop, _ in touched})))
        rows = [dict(r._mapping) for r in conn.execute(query)]
    if slots_of is not None:
        rows = [r for r in rows if (r["subject"], r["property"], r["unit"]) in touched]
    return _contradicting(rows, cues)


def _slots_filled_by(conn, doc_ids: Collection[str]) -> set[tuple]:
    touched: set[tuple] = set()
    for batch in id_batches(doc_ids):
        query = select(claims.c.subject, claims.c.property, claims.c.unit).where(claims.c.doc.in_(batch))
        touched |= {tuple(r) for r in conn.execute(query)}
    return touched


def _contradicting(rows: list[dict], cues: DisputeCues) -> list[DisputeRecord]:
    slots: dict[tuple, list[_Figure]] = defaultdict(list)
    for row in rows:
        period = date_bounds(row["date"]) or date_bounds(row["published"])
        if period is None or (row["value"], row["low"], row["high"]) == (None, None, None):
            continue
        if row["confidence"] < cues.min_confidence:
            continue  # a guess, or a figure that may be about something else: never set against another
        lower, upper = _bounds(row, cues.tolerance)
        slots[(row["subject"], row["property"], row["unit"])].append(_Figure(row, period[0], period[1], lower, upper))
    found: list[DisputeRecord] = []
    window = timedelta(days=cues.window_days)
    for (_, prop, _), figures in slots.items():
        figures.sort(key=lambda f: (f.first, f.last, f.row["published"] or "", f.row["id"]))
        found += _same_moment(figures, window)
        if prop in cues.cumulative:
            found += _falling(figures, window, cues)
    return found


def _same_moment(figures: list[_Figure], window: timedelta) -> list[DisputeRecord]:
    """Figures of the same days from different documents whose ranges do not meet."""
    found = []
    for i, a in enumerate(figures):
        for b in figures[i + 1:]:
            if b.first > a.last + window:
                break
            if a.row["doc"] == b.row["doc"] or (a.lower <= b.upper and b.lower <= a.upper):
                continue
            confidence = round(min(a.row["confidence"], b.row["confidence"]), 3)
            found.append(_between_figures(a, b, confidence))
    return found


def _falling(figures: list[_Figure], window: timedelta, cues: DisputeCues) -> list[DisputeRecord]:
    """A count that can only grow, reported later below an earlier figure's lower bound.

    `figures` is in date order; an earlier figure counts once it ended more
    than the window before the current one began (closer ones are compared as
    the same moment).
    """
    found = []
    waiting: list[tuple[date, int, _Figure]] = []  # heap by end date
    highest: _Figure | None = None  # the released figure with the highest lower bound
    for n, current in enumerate(figures):
        while waiting and waiting[0][0] + window < current.first:
            _, _, earlier = heapq.heappop(waiting)
            if highest is None or earlier.lower > highest.lower:
                highest = earlier
        if highest is not None and current.upper < highest.lower and highest.row["doc"] != current.row["doc"]:
            confidence = round(min(highest.row["confidence"], current.row["confidence"]) * cues.cumulative_confidence, 3)
            found.append(_between_figures(highest, current, confidence))
        heapq.heappush(waiting, (current.last, n, current))
    return found


# --------------------------------------------------------------------------- entry points


def find_disputes(engine: Engine) -> list[DisputeRecord]:
    """Every correction, rebuttal and contradiction among the statements stored so far."""
    return find_all_disputes(engine).records


@dataclass
class DisputeUpdate:
    """Disputes found for some documents, and what they replace in the store."""

    records: list[DisputeRecord]
    documents: set[str]  # stored disputes with a side in one of these are replaced by `records`
    claims: set[int]  # and so are the contradictions of these claims (their slots were compared whole)
    disputing: set[str]  # the documents among `documents` that hold a disputing sentence


def find_all_disputes(engine: Engine) -> DisputeUpdate:
    cues = load_cues()
    docs = _load(engine, cues)
    disputing = [d for doc in docs.values() for d in _disputing_sentences(doc, cues)]
    found = _match_rebuttals(disputing, docs, {(d.doc.id, d.start) for d in disputing}, cues)
    found += _exchanges(docs, cues) + _contradictions(engine, cues)
    return DisputeUpdate(unique_disputes(found), set(docs), set(), {d.doc.id for d in disputing})


def find_disputes_touching(engine: Engine, changed: Collection[str], disputing_elsewhere: Collection[str]) -> DisputeUpdate:
    """The disputes with a side in one of the `changed` documents, without reading the whole store.

    A dispute joins two documents, so a new document's disputes are those its
    own disputing sentences make (matched against every document holding words
    they quote, found by one streaming pass over the texts), those the known
    disputing sentences of other documents (`disputing_elsewhere`) make against
    it, its exchanges, and the contradictions of every figure slot it adds to.
    """
    cues = load_cues()
    changed = set(changed)
    own = _load(engine, cues, changed)
    others = _load(engine, cues, set(disputing_elsewhere) - changed)
    own_items = [d for doc in own.values() for d in _disputing_sentences(doc, cues)]
    other_items = [d for doc in others.values() for d in _disputing_sentences(doc, cues)]
    cue_spans = {(d.doc.id, d.start) for d in own_items + other_items}
    holders = _load(engine, cues, _documents_holding(engine, own_items, cues) - own.keys())
    found = _match_rebuttals(own_items, {**holders, **own}, cue_spans, cues)
    # A copy's lower share counts only beside the document it copies, so copies come along.
    targets = {**_load(engine, cues, _linked_documents(engine, changed) - own.keys()), **own}
    found += [r for r in _match_rebuttals(other_items, targets, cue_spans, cues) if _touches(r, changed)]
    found += _exchanges(own, cues)
    contradictions = _contradictions(engine, cues, slots_of=changed)
    slot_claims = _claims_in_slots(engine, changed)
    return DisputeUpdate(
        unique_disputes(found + contradictions), changed, slot_claims, {d.doc.id for d in own_items}
    )


def _touches(record: DisputeRecord, doc_ids: set[str]) -> bool:
    return any(span is not None and span[0] in doc_ids for span in (record.a_span, record.b_span))


def _documents_holding(engine: Engine, items: list[_Disputing], cues: DisputeCues) -> set[str]:
    """Documents whose words could hold what `items` quote: a superset, found in one streaming pass."""
    probe = _SentenceIndex(cues)
    short: list[set[str]] = []
    for item in items:
        for fragment in item.fragments:
            probe.want(fragment)
            tokens = words(fragment)
            if cues.min_words <= len(tokens) < cues.short_words:
                short.append(set(tokens))
    if not (probe.wanted_shingles or short):
        return set()
    found = set()
    query = select(documents.c.id, documents.c.text).order_by(documents.c.id)
    with engine.connect() as conn:
        for row in conn.execution_options(yield_per=200).execute(query):
            tokens = words(row.text)
            vocabulary = set(tokens)
            if any(fragment <= vocabulary for fragment in short) or shingles(tokens, cues.shingle) & probe.wanted_shingles:
                found.add(row.id)
    return found


def _linked_documents(engine: Engine, doc_ids: set[str]) -> set[str]:
    """The copies and rewrites of these documents, and what they copy."""
    linked: set[str] = set()
    with engine.connect() as conn:
        for batch in id_batches(doc_ids):
            linked |= set(conn.execute(select(documents.c.id).where(documents.c.duplicate_of.in_(batch))).scalars())
            linked |= set(conn.execute(
                select(documents.c.duplicate_of).where(documents.c.id.in_(batch), documents.c.duplicate_of.is_not(None))
            ).scalars())
    return linked


def _claims_in_slots(engine: Engine, doc_ids: set[str]) -> set[int]:
    with engine.connect() as conn:
        touched = _slots_filled_by(conn, doc_ids)
        if not touched:
            return set()
        query = select(claims.c.id, claims.c.subject, claims.c.property, claims.c.unit).where(
            claims.c.property.in_(sorted({prop for _, prop, _ in touched}))
        )
        return {r.id for r in conn.execute(query) if (r.subject, r.property, r.unit) in touched}


def unique_disputes(found: list[DisputeRecord]) -> list[DisputeRecord]:
    """One record per pair of sides and kind (the surest), in a fixed order."""
    unique: dict[tuple, DisputeRecord] = {}
    for record in found:
        key = (record.a_kind, record.a_id, record.a_span, record.b_kind, record.b_id, record.b_span, record.kind)
        if key not in unique or unique[key].confidence < record.confidence:
            unique[key] = record
    return sorted(unique.values(), key=lambda r: (r.kind, r.a_kind, r.a_id or 0, r.a_span or (), r.b_kind, r.b_id or 0, r.b_span or ()))


def write_disputes(engine: Engine, records: list[DisputeRecord]) -> int:
    """Replace the rows any version of this extractor wrote; rows of other extractors stay."""
    rows = dispute_rows(records)
    with engine.begin() as conn:
        hold_records_lock(conn)  # two processes replacing the disputes at once would otherwise keep both sets
        conn.execute(delete(disputes).where(disputes.c.extractor.like(f"{EXTRACTOR}/%")))
        if rows:
            conn.execute(insert(disputes), rows)
    return len(rows)


def dispute_rows(records: list[DisputeRecord]) -> list[dict]:
    """Records as rows of the disputes table, tagged with this extractor."""
    return [
        {
            "a_kind": r.a_kind, "a_id": r.a_id, **_span_columns("a", r.a_span),
            "b_kind": r.b_kind, "b_id": r.b_id, **_span_columns("b", r.b_span),
            "kind": r.kind, "extractor": EXTRACTOR_TAG, "confidence": r.confidence,
        }
        for r in records
    ]


def _span_columns(side: str, span: tuple[str, int, int] | None) -> dict:
    doc, start, end = span or (None, None, None)
    return {f"{side}_doc": doc, f"{side}_start": start, f"{side}_end": end}
