"""Finding quotations in a parsed document: direct, indirect and mixed.

A quotation is the backbone of "who said what": the orchestrator turns every
candidate found here into a quote record once `attribution` has linked its
speaker to an actor.

Span convention (the same for every kind): `start`/`end` cover the quoted
words only, never the cue clause. For a direct quote that is the text from the
opening mark to the closing mark, both included (to the paragraph end when the
closing mark is missing); `content` is the text between the marks. For an
indirect or mixed quote it is the reported clause ("said that <clause>"), and
`content` is that same text, so any quotation marks of a mixed quote's quoted
fragment are part of it. In every case `content == text[content_start:content_end]`.

The work reuses the parse already in the Doc (dependency tree and sentences);
quotation marks are found with one precompiled regular expression. Nothing here
runs the model again.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

DIRECT, INDIRECT, MIXED = "direct", "indirect", "mixed"
LEXICON_FILE = "speech_verbs.yaml"


@dataclass
class QuoteCandidate:
    start: int
    end: int
    content: str
    content_start: int
    content_end: int
    kind: str
    cue: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_text: str | None
    confidence: float
    date_text: str | None = None


# --------------------------------------------------------------------------
# the lexicon


@dataclass(frozen=True)
class SpeechLexicon:
    """Cue words as data, so a user can teach new reporting styles without code."""

    verbs: dict[str, float]
    phrasal_verbs: dict[tuple[str, str], float]
    naming_verbs: frozenset[str]
    attribution_phrases: tuple[tuple[str, ...], ...]
    channel_phrases: tuple[str, ...]
    utterance_nouns: frozenset[str]
    speaker_pronouns: dict[str, str]
    description_kinds: dict[str, str]
    person_roles: frozenset[str]
    partitives: frozenset[str]
    addressee_nouns: frozenset[str]
    refusals: frozenset[str]


@lru_cache(maxsize=1)
def load_lexicon() -> SpeechLexicon:
    """Read the packaged cue lexicon once per process."""
    source = resources.files("detente.nlp.quotes") / LEXICON_FILE
    raw = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    return SpeechLexicon(
        verbs={str(k).lower(): float(v) for k, v in (raw.get("verbs") or {}).items()},
        phrasal_verbs={
            tuple(str(k).lower().split()[:2]): float(v)
            for k, v in (raw.get("phrasal_verbs") or {}).items() if len(str(k).split()) >= 2
        },
        naming_verbs=frozenset(n.lower() for n in raw.get("naming_verbs") or ()),
        attribution_phrases=tuple(
            tuple(p.lower().split()) for p in raw.get("attribution_phrases") or ()
        ),
        channel_phrases=tuple(p.lower() for p in raw.get("channel_phrases") or ()),
        utterance_nouns=frozenset(n.lower() for n in raw.get("utterance_nouns") or ()),
        speaker_pronouns={
            str(k).lower(): str(v) for k, v in (raw.get("speaker_pronouns") or {}).items()
        },
        description_kinds={
            str(k).lower(): str(v) for k, v in (raw.get("description_kinds") or {}).items()
        },
        person_roles=frozenset(n.lower() for n in raw.get("person_roles") or ()),
        partitives=frozenset(n.lower() for n in raw.get("partitives") or ()),
        addressee_nouns=frozenset(n.lower() for n in raw.get("addressee_nouns") or ()),
        refusals=frozenset(n.lower() for n in raw.get("refusals") or ()),
    )


# --------------------------------------------------------------------------
# quotation marks

_DOUBLE_MARK = re.compile(r"[\"“”„‟«»]")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_NEWLINE = re.compile(r"\n\s*")
_OPEN_SHAPES = "“„‟«"
_CLOSE_SHAPES = "”»"
# Characters that may sit right before an opening mark / right after a closing one.
_BEFORE_OPEN = set("([{<—–-/") | set(_OPEN_SHAPES) | {"‘", "'"}
_AFTER_CLOSE = set(".,;:!?)]}>—–-…") | set(_CLOSE_SHAPES) | {"’", "'"}
_OPEN, _CLOSE, _EITHER = "open", "close", "either"
_SENTENCE_END = set(".!?…")
_TRAILING_MARKS = "\"'’”»‘“ \t\n"


def _mark_role(text: str, i: int) -> str:
    """Decide from the neighbours whether a mark opens or closes.

    Flanking beats shape, because news text often has a straight or wrongly
    curled mark (a right curly mark used to open, say); shape only breaks ties.
    """
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    loose_before = prev.isspace() or prev in _BEFORE_OPEN
    loose_after = nxt.isspace() or nxt in _AFTER_CLOSE
    if loose_before and not loose_after:
        return _OPEN
    if loose_after and not loose_before:
        return _CLOSE
    if text[i] in _OPEN_SHAPES:
        return _OPEN
    if text[i] in _CLOSE_SHAPES:
        return _CLOSE
    return _EITHER


@dataclass
class _Paragraphs:
    """Paragraph boundaries: blank lines, or single newlines in a text without any."""

    ends: list[int]  # where each paragraph's text ends (exclusive)
    starts: list[int]  # where the next paragraph's text starts

    @classmethod
    def of(cls, text: str) -> _Paragraphs:
        pattern = _BLANK_LINE if _BLANK_LINE.search(text) else _NEWLINE
        ends, starts = [], []
        for m in pattern.finditer(text):
            ends.append(m.start())
            starts.append(m.end())
        return cls(ends, starts)

    def end_after(self, pos: int, text_len: int) -> int:
        """The end of the paragraph holding `pos`."""
        k = bisect.bisect_left(self.ends, pos)
        return self.ends[k] if k < len(self.ends) else text_len

    def start_before(self, pos: int) -> int:
        """The start of the paragraph holding `pos`."""
        k = bisect.bisect_right(self.starts, pos) - 1
        return self.starts[k] if k >= 0 else 0

    def break_between(self, a: int, b: int) -> int | None:
        """Index of the first paragraph break in [a, b), if any."""
        k = bisect.bisect_left(self.ends, a)
        return k if k < len(self.ends) and self.ends[k] < b else None


@dataclass
class _MarkSpan:
    open: int
    end: int  # exclusive; after the closing mark, or the paragraph end if unclosed
    content_start: int
    content_end: int
    closed: bool
    odd: bool = False  # mismatched mark shapes
    fragment: bool = False  # a phrase inside a sentence, not a quote of its own
    used: bool = field(default=False, compare=False)  # taken into a mixed quote


def _closed_span(text: str, opened: int, close: int) -> _MarkSpan:
    odd = (text[opened] == '"') != (text[close] == '"') or text[opened] in _CLOSE_SHAPES
    return _MarkSpan(opened, close + 1, opened + 1, close, True, odd)


def _unclosed_span(text: str, opened: int, stop: int) -> _MarkSpan | None:
    start, end = opened + 1, stop
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return _MarkSpan(opened, end, start, end, False, True) if end > start else None


def _pair_marks(text: str, paras: _Paragraphs) -> list[_MarkSpan]:
    """Pair double quotation marks into spans, following newsroom conventions.

    A paragraph that ends inside a quotation continues it when the next
    paragraph opens with a mark. An opening mark left alone at a paragraph end
    becomes a quote up to that end (flagged unclosed); a second opening mark in
    the same paragraph makes the first one a stray, which is dropped.
    """
    spans: list[_MarkSpan] = []
    opened: int | None = None
    last_open = 0
    for m in _DOUBLE_MARK.finditer(text):
        i = m.start()
        role = _mark_role(text, i)
        if opened is not None:
            k = paras.break_between(last_open, i)
            if k is not None:
                if role != _CLOSE and paras.starts[k] == i:
                    last_open = i  # the quotation goes on in this paragraph
                    continue
                span = _unclosed_span(text, opened, paras.ends[k])
                if span:
                    spans.append(span)
                opened = None
            elif role != _OPEN:
                spans.append(_closed_span(text, opened, i))
                opened = None
                continue
            else:
                opened = None
        if role != _CLOSE:
            opened = last_open = i
    if opened is not None:
        span = _unclosed_span(text, opened, paras.end_after(last_open + 1, len(text)))
        if span:
            spans.append(span)
    return spans


# --------------------------------------------------------------------------
# the parse


class _DocView:
    """Token lookups by character offset plus which tokens are quoted words."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.doc = doc
        self.text = text  # Doc.text is rebuilt on every access; read it once
        self.starts = [t.idx for t in doc]
        self.paras = _Paragraphs.of(text)
        self.quoted = [False] * len(doc)

    def mark_quoted(self, spans: list[_MarkSpan]) -> None:
        """Remember which tokens are quoted words, so they never count as narrative."""
        for span in spans:
            if not span.fragment:
                for t in self.tokens_in(span.open, span.end):
                    self.quoted[t.i] = True

    def token_at(self, char: int) -> Token | None:
        k = bisect.bisect_right(self.starts, char) - 1
        return self.doc[k] if 0 <= k < len(self.doc) else None

    def tokens_in(self, start: int, end: int) -> list[Token]:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [t for t in self.doc[lo:hi] if t.idx + len(t) <= end]

    def sentence_of(self, char: int) -> Span | None:
        tok = self.token_at(char)
        return tok.sent if tok is not None else None


def cue_weight(tok: Token, lexicon: SpeechLexicon) -> float | None:
    """How surely a token reports speech: None for no cue at all.

    A single verb ("said") or a verb with its particle ("made clear",
    "pointed out"); the weight comes from the lexicon.
    """
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    lemma = tok.lemma_.lower()
    weight = lexicon.verbs.get(lemma)
    if weight is None and lexicon.phrasal_verbs:
        for child in tok.rights:
            weight = lexicon.phrasal_verbs.get((lemma, child.lower_))
            if weight is not None:
                break
    return weight


def _is_cue(tok: Token, lexicon: SpeechLexicon) -> bool:
    return cue_weight(tok, lexicon) is not None


def _is_passive(tok: Token) -> bool:
    """'X was told that ...', 'Asked whether ...': the subject is not the speaker."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children):
        return True
    return tok.tag_ == "VBN" and not any(c.dep_ in ("aux", "nsubj") for c in tok.children)


_SPEAKER_LEFT = {"compound", "det", "amod", "poss", "nmod", "nummod", "quantmod",
                 "predet", "case", "preconj", "punct"}
_SPEAKER_RIGHT = {"compound", "flat", "cc", "conj", "case", "nummod"}
# "a spokesman for the ministry", "leaders of the coalition": the organisation
# named after the head word is who the words speak for.
_SPEAKER_PREPS = {"of", "in", "at", "from", "within", "for"}


def _compact_phrase(head: Token) -> tuple[int, int]:
    """Token range of a speaker's name without its appositions and clauses.

    "Moaz al-Khatib, a cleric who ..." should yield "Moaz al-Khatib": the
    apposition would overlap other actors' mentions and mislead attribution.
    """
    lo = hi = head.i
    for child in head.lefts:
        if child.dep_ in _SPEAKER_LEFT and not (child.dep_ == "punct" and child.i < head.i - 1):
            a, _ = _compact_phrase(child)
            lo = min(lo, a)
    for child in head.rights:
        if child.dep_ in _SPEAKER_RIGHT:
            _, b = _compact_phrase(child)
            hi = max(hi, b)
        elif child.dep_ == "prep" and child.lower_ in _SPEAKER_PREPS:
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None:
                _, b = _compact_phrase(obj)
                hi = max(hi, b)
    return lo, hi


def speaker_span(head: Token) -> tuple[int, int]:
    """Character span of the words naming a speaker whose head word is `head`.

    The head with its modifiers and "of/in/for ..." phrases, without
    appositions or clauses: "Leaders of the exile coalition", "Mr. Kerry".
    """
    start, end, _ = _phrase_chars(head.doc, head)
    return start, end


def _phrase_chars(doc: Doc, head: Token) -> tuple[int, int, str]:
    lo, hi = _compact_phrase(head)
    while lo < hi and doc[lo].is_punct:
        lo += 1
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi]), doc[lo:hi + 1].text


def _subject(verb: Token, view: _DocView, lexicon: SpeechLexicon) -> Token | None:
    """The speaker token of a cue verb: from the parse, else from word order."""
    parsed = _parsed_subject(verb, view)
    if parsed is not None and view.paras.start_before(parsed.idx) != view.paras.start_before(verb.idx):
        parsed = None  # a line above ("Advertisement") parsed as the subject
    found = (parsed or _adjacent_subject(verb, view) or _inverted_subject(verb, view, lexicon)
             or _paragraph_subject(verb, view))
    return _named_apposition(found) if found is not None else None


def _named_apposition(subj: Token) -> Token:
    """'The UN envoy for Syria, Staffan de Mistura, said': the name is the speaker."""
    if subj.pos_ == "NOUN":
        for child in subj.rights:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                return child
    return subj


_DATELINE = re.compile(r"[A-Z][^\n—–]{0,60}?(?:—|–|--| - )")  # "GENEVA (Wire) - ", "New York, Agency—"


def _paragraph_subject(verb: Token, view: _DocView) -> Token | None:
    """The phrase opening the cue's paragraph, when no other verb stands between.

    A last resort for lines the parser tangles with the page furniture above
    them (bylines, datelines): "The UN envoy ..., told the council that ...".
    """
    start = view.paras.start_before(verb.idx)
    dateline = _DATELINE.match(view.text, start, verb.idx)
    if dateline is not None:
        start = dateline.end()
    before = view.tokens_in(start, verb.idx)
    while before and (before[0].is_space or before[0].is_punct):
        before.pop(0)
    if not before or before[0].pos_ not in ("DET", "PROPN", "NOUN", "ADJ", "PRON"):
        return None
    ancestors = set(t.i for t in verb.ancestors)
    if any(t.pos_ in ("VERB", "AUX") and t.i not in ancestors for t in before):
        return None
    head = before[0]
    while head.dep_ in ("det", "compound", "amod", "nmod", "poss") and head.head.i > head.i and head.head.i < verb.i:
        head = head.head
    return head


def _parsed_subject(verb: Token, view: _DocView) -> Token | None:
    """The subject in the dependency tree, climbing out of gerunds and infinitives.

    "..., saying he hoped ..." and "issued a statement saying ..." have no
    subject of their own; the speaker is the subject of the clause they hang on.
    """
    tok = verb
    for _ in range(4):
        subjects = [c for c in tok.children if c.dep_ == "nsubj" and not view.quoted[c.i]]
        if subjects:
            # "GENEVA (Wire) - Kofi Annan said": the dateline is a second, wrong subject.
            subj = min(subjects, key=lambda c: abs(c.i - tok.i))
            if subj.tag_ == "WDT" or subj.lower_ in ("who", "which", "that"):
                if tok.dep_ == "relcl" and not view.quoted[tok.head.i]:
                    return tok.head  # "the army, which said ...": the antecedent speaks
            return subj
        head = tok.head
        if head is tok or view.quoted[head.i]:
            break
        if tok.dep_ == "pcomp" and head.lower_ == "as":
            # "cites the envoy as saying": the speaker is the object being cited.
            obj = next((c for c in head.head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj
        if tok.dep_ not in ("advcl", "xcomp", "conj", "acl", "pcomp", "prep", "relcl"):
            break
        if head.pos_ in ("NOUN", "PROPN") and head.head is not head:
            head = head.head  # "a statement saying ...": go to the verb that issued it
        tok = head
    return None


def _phrase_head(tok: Token) -> Token:
    """Climb from a word inside a name ("Moaz" in "Moaz al-Khatib") to its head."""
    for _ in range(6):
        if tok.dep_ in ("compound", "flat", "conj", "nmod") and tok.head is not tok and tok.head.i < tok.i + 4:
            tok = tok.head
        else:
            break
    return tok


def _adjacent_subject(verb: Token, view: _DocView) -> Token | None:
    """A name right before the verb when the parse missed the subject."""
    k = verb.i - 1
    while k >= verb.sent.start and (view.doc[k].pos_ in ("ADV", "AUX", "PART")):
        k -= 1
    if k < verb.sent.start or view.quoted[k]:
        return None
    tok = view.doc[k]
    if tok.pos_ not in ("PROPN", "NOUN", "PRON"):
        return None
    if tok.dep_ not in ("pobj", "dobj", "poss") or _opens_paragraph(tok, view):
        return _phrase_head(tok) if _phrase_head(tok).i <= verb.i else tok
    return None


def _opens_paragraph(tok: Token, view: _DocView) -> bool:
    """Whether only the rest of a name stands between a token and its paragraph start."""
    k = tok.i
    while k > 0 and view.doc[k - 1].pos_ == "PROPN" and not view.doc[k - 1].is_space:
        k -= 1
    return view.doc[k].idx <= view.paras.start_before(tok.idx)


def _inverted_subject(verb: Token, view: _DocView, lexicon: SpeechLexicon) -> Token | None:
    """`"...," said Pastor` is often parsed with the name as an object."""
    if verb.lemma_.lower() == "tell":
        return None  # whatever follows "told" is the audience, never the speaker
    for child in verb.rights:
        if child.dep_ in ("dobj", "npadvmod", "attr", "oprd", "appos", "dative", "nsubj"):
            if child.pos_ in ("PROPN", "NOUN", "PRON") and not view.quoted[child.i]:
                if child.lower_ not in lexicon.addressee_nouns and child.ent_type_ not in ("DATE", "TIME"):
                    return child
    return None


def _cue_text(verb: Token, lexicon: SpeechLexicon) -> str:
    """The cue verb, extended with a channel ("said in a statement") when there is one."""
    for child in verb.rights:
        if child.dep_ == "prep":
            phrase = " ".join(t.lower_ for t in child.subtree)
            for channel in lexicon.channel_phrases:
                if phrase.startswith(channel):
                    obj = next((c for c in child.children if c.dep_ == "pobj"), child)
                    return f"{verb.text} {verb.doc[child.i:obj.i + 1].text}"
    return verb.text


def _date_text(verb: Token) -> str | None:
    """When the words were said ("said Wednesday", "told reporters on Tuesday")."""
    for child in verb.children:
        probe = child
        if child.dep_ == "prep":
            probe = next((c for c in child.children if c.dep_ == "pobj"), None)
        elif child.dep_ not in ("npadvmod", "advmod", "tmod"):
            continue
        if probe is not None and probe.ent_type_ in ("DATE", "TIME"):
            ent = next((e for e in probe.doc.ents if e.start <= probe.i < e.end), None)
            if ent is not None:
                return ent.text
    return None


_PHRASE_WEIGHT = 0.85  # "according to X" names a source, not always a speaker


@dataclass
class _Speaker:
    start: int | None
    end: int | None
    text: str | None
    cue: str | None
    date_text: str | None
    weight: float  # how sure we are of the cue and the speaker together


def _speaker_of(verb: Token, view: _DocView, lexicon: SpeechLexicon) -> _Speaker:
    weight = cue_weight(verb, lexicon) or 0.5
    subj = _subject(verb, view, lexicon)
    cue, date_text = _cue_text(verb, lexicon), _date_text(verb)
    phrase = _speaker_phrase(subj, verb, view) if subj is not None else None
    if phrase is None:
        return _Speaker(None, None, None, cue, date_text, weight * 0.6)
    start, end, text = phrase
    return _Speaker(start, end, text, cue, date_text, weight)


def _speaker_phrase(subj: Token, verb: Token, view: _DocView) -> tuple[int, int, str] | None:
    """The speaker's words, kept in the cue's paragraph.

    The parser sometimes glues a line above ("Advertisement", a dateline) onto
    the subject; only the part in the cue's own paragraph can name the speaker.
    """
    lo_para = view.paras.start_before(verb.idx)
    hi_para = view.paras.end_after(verb.idx, len(view.text))
    start, end, text = _phrase_chars(view.doc, subj)
    if lo_para <= start and end <= hi_para:
        return start, end, text
    inside = view.tokens_in(max(start, lo_para), min(end, hi_para))
    while inside and not inside[0].pos_ in ("PROPN", "NOUN", "PRON", "DET", "ADJ"):
        inside.pop(0)
    while inside and inside[-1].is_punct:
        inside.pop()
    if not inside:
        return None
    start, end = inside[0].idx, inside[-1].idx + len(inside[-1])
    return start, end, view.text[start:end]


# --------------------------------------------------------------------------
# direct quotes


def _last_char(text: str, start: int, end: int) -> str:
    """The last meaningful character of quoted words, ignoring inner closing marks."""
    end_ = end
    while end_ > start and text[end_ - 1] in _TRAILING_MARKS:
        end_ -= 1
    return text[end_ - 1] if end_ > start else ""


def _prev_char(text: str, pos: int, floor: int) -> tuple[int, str]:
    j = pos - 1
    while j >= floor and text[j].isspace():
        j -= 1
    return (j, text[j]) if j >= floor else (-1, "")


def _next_char(text: str, pos: int, ceiling: int) -> tuple[int, str]:
    k = pos
    while k < ceiling and text[k].isspace():
        k += 1
    return (k, text[k]) if k < ceiling else (-1, "")


def _classify_fragments(spans: list[_MarkSpan], view: _DocView, lexicon: SpeechLexicon) -> None:
    """Mark quoted phrases that sit inside a sentence ("called it a “farce” and").

    Such phrases are scare quotes, titles or the quoted part of a mixed quote,
    never a direct quote of their own.
    """
    text = view.text
    for span in spans:
        floor = view.paras.start_before(span.open)
        j, before = _prev_char(text, span.open, floor)
        ceiling = view.paras.end_after(span.end, len(text))
        _, after = _next_char(text, span.end, ceiling)
        first = text[span.content_start:span.content_end].lstrip("'‘ \t\n")[:1]
        open_left = not before or not (before.isalnum() or before in "%$")
        if not open_left and not first.islower():
            # 'said "We will ..."' quotes a sentence; 'stressed "the need ..."' a phrase.
            word = view.token_at(j)
            open_left = word is not None and _is_cue(word, lexicon)
        last = _last_char(text, span.content_start, span.content_end)
        open_right = (not after or not after.isalnum() or last in ",?!"
                      or _cue_within(view, span.end, 5, lexicon))
        span.fragment = not (open_left and open_right) or _looks_like_title(text, span)


def _cue_within(view: _DocView, pos: int, n: int, lexicon: SpeechLexicon) -> bool:
    tok = view.token_at(pos)
    if tok is None:
        return False
    k = tok.i if tok.idx >= pos else tok.i + 1
    return any(_is_cue(t, lexicon) for t in view.doc[k:k + n])


def _looks_like_title(text: str, span: _MarkSpan) -> bool:
    """A quoted headline or name ("The Long Road Home") rather than speech."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text[span.content_start:span.content_end])
    if len(words) < 3 or _last_char(text, span.content_start, span.content_end) in _SENTENCE_END:
        return False
    small = {"a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "with", "at", "by", "is"}
    capital = sum(1 for w in words if w[0].isupper() or w.lower() in small)
    return capital / len(words) >= 0.85 and sum(1 for w in words if w[0].isupper()) >= 2


def _frames(span: _MarkSpan, prev_end: int, next_start: int, view: _DocView) -> tuple[list[Token], list[Token]]:
    """The narrative words before and after a quote that may hold its cue."""
    text = view.text
    floor = max(view.paras.start_before(span.open), prev_end)
    left: list[Token] = []
    j, before = _prev_char(text, span.open, floor)
    if before and before not in _SENTENCE_END:
        sent = view.sentence_of(j)
        lo = max(floor, sent.start_char if sent is not None else floor)
        left = [t for t in view.tokens_in(lo, span.open) if not view.quoted[t.i]]
    ceiling = min(view.paras.end_after(span.end, len(text)), next_start)
    right: list[Token] = []
    k, after = _next_char(text, span.end, ceiling)
    last = _last_char(text, span.content_start, span.content_end)
    if after and not (last in _SENTENCE_END and not after.islower()):
        sent = view.sentence_of(k)
        hi = min(ceiling, sent.end_char if sent is not None else ceiling)
        right = [t for t in view.tokens_in(span.end, hi) if not view.quoted[t.i]]
    return left, right


def _attribution_phrase_at(tokens: list[Token], k: int,
                           lexicon: SpeechLexicon) -> tuple[str, Token] | None:
    """The phrase and speaker head when `tokens[k]` starts "according to X"-like words."""
    first = tokens[k].lower_
    for phrase in lexicon.attribution_phrases:
        if phrase[0] != first or tuple(t.lower_ for t in tokens[k:k + len(phrase)]) != phrase:
            continue
        last = tokens[k + len(phrase) - 1]
        obj = next((c for c in last.children if c.dep_ == "pobj"), None)
        if obj is None and k + len(phrase) < len(tokens):
            obj = tokens[k + len(phrase)]
        return (" ".join(phrase), obj) if obj is not None else None
    return None


def _frame_cue(tokens: list[Token], from_right: bool, view: _DocView,
               lexicon: SpeechLexicon) -> tuple[int, _Speaker] | None:
    """The cue nearest the quote in one frame, with its distance in tokens."""
    order = range(len(tokens) - 1, -1, -1) if from_right else range(len(tokens))
    for distance, k in enumerate(order):
        tok = tokens[k]
        if _is_cue(tok, lexicon):
            return distance, _speaker_of(tok, view, lexicon)
        found = _attribution_phrase_at(tokens, k, lexicon)
        if found is not None:
            start, end, text = _phrase_chars(view.doc, found[1])
            return distance, _Speaker(start, end, text, found[0], None, _PHRASE_WEIGHT)
    return None


def _direct_cue(span: _MarkSpan, left: list[Token], right: list[Token], view: _DocView,
                lexicon: SpeechLexicon) -> _Speaker | None:
    """Pick the cue that belongs to this quote: the one the punctuation points to."""
    after = _frame_cue(right, False, view, lexicon)
    before = _frame_cue(left, True, view, lexicon)
    last = _last_char(view.text, span.content_start, span.content_end)
    if after and (last in ",?!—–-:;" or after[0] <= 3):
        if after[1].start is None:
            return _leading_name(right, after[1], view) or after[1]
        return after[1]
    if before:
        return before[1]
    return after[1] if after else None


def _leading_name(frame: list[Token], cue: _Speaker, view: _DocView) -> _Speaker | None:
    """`"...," Moaz al-Khatib, a cleric who ..., said`: the name opening the frame."""
    for tok in frame[:3]:
        if tok.pos_ in ("PROPN", "PRON"):
            start, end, text = _phrase_chars(view.doc, _phrase_head(tok))
            return _Speaker(start, end, text, cue.cue, cue.date_text, 0.8)
    return None


def _sentence_cue(sent: Span, view: _DocView, lexicon: SpeechLexicon) -> _Speaker | None:
    """A short narrative sentence next to a lone quote ("He added.")."""
    if len(sent) > 15 or any(view.quoted[t.i] for t in sent) or _DOUBLE_MARK.search(sent.text):
        return None
    for tok in sent:
        if _is_cue(tok, lexicon):
            found = _speaker_of(tok, view, lexicon)
            return found if found.start is not None else None
    return None


def _inherit(span: _MarkSpan, found: list[QuoteCandidate], view: _DocView,
             lexicon: SpeechLexicon) -> tuple[_Speaker, float] | None:
    """A quote standing alone belongs to the speaker the narrative last named.

    Newsroom style attributes a run of quotes once; the next sentence ("he
    added") or the quote before it in the paragraph carries the attribution.
    """
    text = view.text
    para_start = view.paras.start_before(span.open)
    para_end = view.paras.end_after(span.end, len(text))
    k, _ = _next_char(text, span.end, para_end)
    if k >= 0:
        sent = view.sentence_of(k)
        if sent is not None and sent.start_char >= span.end - 1:
            nxt = _sentence_cue(sent, view, lexicon)
            if nxt is not None:
                return nxt, 0.8
    previous = [c for c in found if c.end <= span.open and c.speaker_start is not None]
    if previous:
        last = max(previous, key=lambda c: c.end)
        same_para = last.start >= para_start
        if same_para or (span.open - para_start < 3 and last.start >= view.paras.start_before(para_start - 1)):
            inherited = _Speaker(last.speaker_start, last.speaker_end, last.speaker_text,
                                 last.cue, last.date_text, 1.0)
            return inherited, 0.8 if same_para else 0.65
    return None


def _direct_candidate(span: _MarkSpan, speaker: _Speaker | None, confidence: float,
                      text: str) -> QuoteCandidate:
    if not span.closed:
        confidence *= 0.6
    if span.odd and span.closed:
        confidence *= 0.9
    s = speaker or _Speaker(None, None, None, None, None, 1.0)
    return QuoteCandidate(
        start=span.open, end=span.end,
        content=text[span.content_start:span.content_end],
        content_start=span.content_start, content_end=span.content_end,
        kind=DIRECT, cue=s.cue, speaker_start=s.start, speaker_end=s.end,
        speaker_text=s.text, confidence=round(min(confidence, 1.0), 3), date_text=s.date_text,
    )


def _utterance_like(text: str, span: _MarkSpan) -> bool:
    """Whether quoted words with no cue still read as something someone said."""
    words = text[span.content_start:span.content_end].split()
    return len(words) >= 5 and _last_char(text, span.content_start, span.content_end) in _SENTENCE_END | {","}


def _direct_quotes(spans: list[_MarkSpan], found: list[QuoteCandidate], view: _DocView,
                   lexicon: SpeechLexicon) -> list[QuoteCandidate]:
    standalone = [s for s in spans if not s.fragment]
    out: list[QuoteCandidate] = []
    for n, span in enumerate(standalone):
        prev_end = standalone[n - 1].end if n else 0
        next_start = standalone[n + 1].open if n + 1 < len(standalone) else len(view.text)
        left, right = _frames(span, prev_end, next_start, view)
        speaker = _direct_cue(span, left, right, view, lexicon)
        if speaker is not None:
            out.append(_direct_candidate(span, speaker, 0.92 * speaker.weight, view.text))
            continue
        inherited = _inherit(span, sorted(found + out, key=lambda c: c.start), view, lexicon)
        if inherited is not None:
            speaker, confidence = inherited
            out.append(_direct_candidate(span, speaker, confidence * speaker.weight, view.text))
        elif _utterance_like(view.text, span):
            out.append(_direct_candidate(span, None, 0.45, view.text))
    return out


# --------------------------------------------------------------------------
# indirect and mixed quotes


def _clause_chars(clause: Token, verb: Token) -> tuple[int, int]:
    """Character span of a reported clause, without its "that".

    A clause after its cue runs to the end of the sentence ("said that X,
    provided Y"), short of the cue's own trailing participle or second verb
    ("..., accusing them of ...", "... and added that ..."), which is not part
    of what was reported.
    """
    tokens = list(clause.subtree)
    if clause.i > verb.i:
        stop = verb.sent.end
        for child in verb.rights:
            if child.i > clause.i and (child.dep_ in ("conj", "cc") or (child.dep_ == "advcl" and child.tag_ == "VBG")):
                stop = min(stop, child.left_edge.i)
        last = max(tokens[-1].i + 1, stop)
        tokens = list(verb.doc[tokens[0].i:last])
    while tokens and (tokens[0].lower_ == "that" and (tokens[0].dep_ == "mark" or tokens[0].pos_ == "SCONJ")
                      or tokens[0].is_punct):
        tokens.pop(0)
    while tokens and (tokens[-1].is_space or tokens[-1].is_punct and tokens[-1].text not in "\"”’»'"):
        tokens.pop()
    if not tokens:
        return clause.idx, clause.idx + len(clause)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _sentence_remainder(first: int, last: int, phrase_lo: int, phrase_hi: int) -> tuple[int, int]:
    """The reported words around an "according to X" phrase (token indexes, exclusive end)."""
    if phrase_lo - first <= 2:  # "According to X, ..." (maybe after "But")
        return phrase_hi, last
    if last - phrase_hi <= 2:  # "..., according to X."
        return first, phrase_lo
    return first, last


def _trimmed_chars(doc: Doc, lo: int, hi: int) -> tuple[int, int] | None:
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi > lo and (doc[hi - 1].is_space or doc[hi - 1].is_punct and doc[hi - 1].text not in "\"”’»'"):
        hi -= 1
    if hi <= lo:
        return None
    return doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])


@dataclass
class _Reported:
    """Reported words found from a cue, before marks and paragraphs are settled."""

    start: int
    end: int
    speaker: _Speaker
    cue: Token


def _according_quotes(view: _DocView, lexicon: SpeechLexicon) -> list[_Reported]:
    doc = view.doc
    out = []
    for sent in doc.sents:
        tokens = list(sent)
        for k, tok in enumerate(tokens):
            if view.quoted[tok.i]:
                continue
            found = _attribution_phrase_at(tokens, k, lexicon)
            if found is None:
                continue
            phrase, head = found
            _, hi_tok = _compact_phrase(head)
            para = view.token_at(view.paras.start_before(tok.idx))
            first = max(sent.start, para.i if para is not None else sent.start)
            lo, hi = _sentence_remainder(first, sent.end, tok.i, max(hi_tok, head.right_edge.i) + 1)
            chars = _trimmed_chars(doc, lo, hi)
            if chars is None:
                continue
            start, end, text = _phrase_chars(doc, head)
            speaker = _Speaker(start, end, text, phrase, None, _PHRASE_WEIGHT)
            out.append(_Reported(chars[0], chars[1], speaker, tok))
    return out


def _channel_quotes(view: _DocView, lexicon: SpeechLexicon) -> list[_Reported]:
    """'In a statement, the ministry called ...': the channel makes the clause speech."""
    doc = view.doc
    out = []
    for sent in doc.sents:
        lead = sent.text.lower()
        channel = next((c for c in lexicon.channel_phrases if lead.startswith(c)), None)
        if channel is None:
            continue
        root = sent.root
        if _is_cue(root, lexicon) or view.quoted[root.i]:
            continue
        subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
        if subj is None:
            continue
        chars = _trimmed_chars(doc, subj.left_edge.i, sent.end)
        if chars is None:
            continue
        start, end, text = _phrase_chars(doc, subj)
        out.append(_Reported(chars[0], chars[1], _Speaker(start, end, text, channel, None, 0.8), root))
    return out


def _reported_clause(verb: Token, lexicon: SpeechLexicon) -> Token | None:
    """The clause a cue verb reports, as the head of that clause.

    Usually a clausal complement. "X did this -- that would hurt, he claimed"
    has two; the one next to the cue is the claim. "said in a statement that
    ..." is often parsed with the clause hanging on "statement", so a "that"
    clause inside the cue's own objects counts too.
    """
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    if clauses:
        return min(clauses, key=lambda c: abs(c.i - verb.i))
    for child in verb.rights:
        if child.dep_ not in ("prep", "dobj", "dative", "npadvmod") or (
                child.dep_ == "prep" and not _names_channel(child, lexicon)):
            continue
        for tok in child.subtree:
            if tok.dep_ in ("acl", "ccomp", "relcl", "advcl") and any(
                    c.dep_ == "mark" and c.lower_ == "that" and c.i > verb.i for c in tok.children):
                return tok
    for child in verb.rights:
        # "said Russia and China bore ...", with "bore" taken for a noun: an
        # object that holds a subject is a clause the parser did not see.
        if child.dep_ == "dobj" and any(
                t.dep_ == "nsubj" and t.head.dep_ not in ("relcl", "acl") and t.tag_ not in ("WDT", "WP")
                for t in child.subtree):
            return child
    return None


def _names_channel(prep: Token, lexicon: SpeechLexicon) -> bool:
    """'in a statement', 'in an interview': a phrase naming where words were said."""
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is None:
        return False
    words = " ".join(t.lower_ for t in prep.doc[prep.i:obj.i + 1])
    return obj.lemma_.lower() in lexicon.utterance_nouns or any(words.startswith(c) for c in lexicon.channel_phrases)


def _in_headline(tok: Token, view: _DocView) -> bool:
    """A paragraph without closing punctuation is a headline or a label, not reporting."""
    end = view.paras.end_after(tok.idx, len(view.text))
    tail = view.text[tok.idx:end].rstrip()
    return not tail or tail[-1] not in _SENTENCE_END | set("\"'’”»)")


def _verb_quotes(view: _DocView, lexicon: SpeechLexicon) -> list[_Reported]:
    out = []
    for tok in view.doc:
        if view.quoted[tok.i] or not _is_cue(tok, lexicon) or _is_passive(tok) or _withheld(tok, lexicon):
            continue
        clause = _reported_clause(tok, lexicon)
        if clause is None or view.quoted[clause.i] or _in_headline(tok, view):
            continue
        start, end = _clause_chars(clause, tok)
        out.append(_Reported(start, end, _speaker_of(tok, view, lexicon), tok))
    return out


def _withheld(verb: Token, lexicon: SpeechLexicon) -> bool:
    """'declined to say which ...', 'did not say whether ...': nothing was said."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in lexicon.refusals


def _continues(inner: _Reported) -> bool:
    """'said that X, saying Y': a subjectless gerund goes on with the same speaker."""
    cue = inner.cue
    return (cue.tag_ == "VBG" and cue.dep_ == "advcl"
            and not any(c.dep_ == "nsubj" for c in cue.children) and inner.start > cue.idx)


def _contrasts(inner: _Reported) -> bool:
    """'X said A, while Y insisted B': the narrator sets a second speaker beside the first."""
    cue = inner.cue
    return (cue.dep_ == "advcl" and any(c.dep_ == "nsubj" for c in cue.children)
            and any(c.dep_ == "mark" and c.lower_ in ("while", "whereas", "but") for c in cue.children))


def _outermost(found: list[_Reported], text: str) -> list[_Reported]:
    """Drop reported speech nested inside other reported speech.

    In "the official said the envoy had told them that ..." only the official
    speaks to the reader; the envoy's words are part of what the official said.
    Two exceptions become quotes of their own, and the outer quote stops
    before them: a trailing "..., saying ..." (the same speaker goes on) and a
    "..., while Y insisted ..." (another speaker, set beside the first).
    """
    keep = []
    for item in found:
        outer = next((o for o in found if o is not item and o.start <= item.cue.idx < o.end), None)
        if outer is None:
            keep.append(item)
        elif _continues(item) or _contrasts(item):
            outer.end = min(outer.end, item.cue.left_edge.idx)
            while outer.end > outer.start and (text[outer.end - 1].isspace() or text[outer.end - 1] in ",;—–-"):
                outer.end -= 1
            if _continues(item):
                item.speaker = outer.speaker
            keep.append(item)
    return keep


def _naming_quotes(fragments: list[_MarkSpan], view: _DocView, lexicon: SpeechLexicon) -> list[_Reported]:
    """'Kerry called the meeting “a real opening”': a quoted phrase a cue governs.

    The verb is a naming verb (call, describe as) or a cue whose object is the
    quoted phrase itself ('stressed “the need to ...”'). The reported words run
    from the verb to the end of the sentence.
    """
    out = []
    for frag in fragments:
        if frag.used:
            continue
        tok = view.token_at(frag.content_start)
        verb = tok
        for _ in range(5):
            if verb is None or verb.pos_ in ("VERB", "AUX") or verb.head is verb:
                break
            verb = verb.head
        if verb is None or view.quoted[verb.i] or verb.idx > frag.open:
            continue
        if verb.lemma_.lower() not in lexicon.naming_verbs and (cue_weight(verb, lexicon) or 0) < 0.8:
            continue  # "announced a “cessation of hostilities”" names an act, not words
        if _is_passive(verb) or _withheld(verb, lexicon):
            continue
        first = verb.i + 1
        while first < len(view.doc) and view.doc[first].dep_ in ("prt", "punct"):
            first += 1
        chars = _trimmed_chars(view.doc, first, verb.sent.end)
        if chars is not None:
            out.append(_Reported(chars[0], max(chars[1], frag.end), _speaker_of(verb, view, lexicon), verb))
    return out


def _indirect_quotes(spans: list[_MarkSpan], view: _DocView,
                     lexicon: SpeechLexicon) -> list[QuoteCandidate]:
    standalone = [s for s in spans if not s.fragment]
    fragments = [s for s in spans if s.fragment]
    found = _verb_quotes(view, lexicon) + _according_quotes(view, lexicon) + _channel_quotes(view, lexicon)
    out = [_indirect_candidate(r, standalone, fragments, view) for r in _outermost(found, view.text)]
    naming = _naming_quotes(fragments, view, lexicon)
    out += [_indirect_candidate(r, standalone, fragments, view) for r in naming]
    return [c for c in out if c is not None]


def _indirect_candidate(item: _Reported, standalone: list[_MarkSpan], fragments: list[_MarkSpan],
                        view: _DocView) -> QuoteCandidate | None:
    text = view.text
    start, end = _within_paragraph(item.start, item.end, item.cue.idx, view)
    start, end = _avoid_direct(start, end, standalone, text)
    if end <= start:
        return None
    inside = [f for f in fragments if f.open < end and f.end > start]
    for frag in inside:
        start, end = min(start, frag.open), max(end, frag.end)
        frag.used = True
    kind = MIXED if inside else INDIRECT
    speaker = item.speaker
    confidence = (0.8 if kind == MIXED else 0.75) * speaker.weight
    if speaker.start is None:
        confidence *= 0.8
    return QuoteCandidate(
        start=start, end=end, content=text[start:end], content_start=start,
        content_end=end, kind=kind, cue=speaker.cue, speaker_start=speaker.start,
        speaker_end=speaker.end, speaker_text=speaker.text,
        confidence=round(confidence, 3), date_text=speaker.date_text,
    )


def _within_paragraph(start: int, end: int, anchor: int, view: _DocView) -> tuple[int, int]:
    """Keep reported words in the cue's paragraph: the parser sometimes runs a
    sentence across a paragraph break (a headline, an advertisement line)."""
    start = max(start, view.paras.start_before(anchor))
    end = min(end, view.paras.end_after(anchor, len(view.text)))
    text = view.text
    if start == view.paras.start_before(anchor) and anchor > start:
        start = _skip_label_lines(text, start, anchor)
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return start, end


def _skip_label_lines(text: str, start: int, limit: int) -> int:
    """Step over short unpunctuated lines ("Article Summary") opening a paragraph."""
    while True:
        newline = text.find("\n", start, limit)
        if newline < 0:
            return start
        line = text[start:newline].strip()
        if len(line.split()) > 4 or (line and line[-1] in _SENTENCE_END | set(",;:")):
            return start
        start = newline + 1


def _avoid_direct(start: int, end: int, standalone: list[_MarkSpan], text: str) -> tuple[int, int]:
    """Cut a reported clause short of a direct quote it runs into.

    The quote is its own record; a clause that is all quote is no indirect quote.
    """
    for span in standalone:
        if span.open < end and span.end > start:
            if span.open - start < 12:
                return start, start
            end = span.open
            while end > start and (text[end - 1].isspace() or text[end - 1] in ",:;—–-"):
                end -= 1
    return start, end


# --------------------------------------------------------------------------
# the public entry point


def find_quotes(doc: Doc) -> list[QuoteCandidate]:
    """All quotations in a parsed document, each with its speaker's words if found.

    The speaker is left as text here; `attribution.attribute_quotes` links it
    to an actor once the document's actor mentions are known.
    """
    lexicon = load_lexicon()
    text = doc.text
    if not text.strip():
        return []
    view = _DocView(doc, text)
    spans = _pair_marks(text, view.paras)
    _classify_fragments(spans, view, lexicon)
    view.mark_quoted(spans)
    indirect = _indirect_quotes(spans, view, lexicon)
    direct = _direct_quotes(spans, indirect, view, lexicon)
    return sorted(indirect + direct, key=lambda c: (c.start, c.end))
