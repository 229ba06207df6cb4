"""Who speaks: the speaker's words for a cue verb or an "according to" phrase.

The parse gives the subject; where it fails (datelines, inverted "said X",
a line above glued onto the sentence), word order and the paragraph decide.
The words found here are linked to an actor later, by `attribution`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from detente.nlp.quotes.docview import DocView
from detente.nlp.quotes.lexicon import SpeechLexicon, cue_weight
from detente.nlp.token_table import children_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


def is_passive(tok: Token) -> bool:
    """'X was told that ...', 'Asked whether ...': the subject is not the speaker."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in children_of(tok)):
        return True
    return tok.tag_ == "VBN" and not any(c.dep_ in ("aux", "nsubj") for c in children_of(tok))


_SPEAKER_LEFT = {"compound", "det", "amod", "poss", "nmod", "nummod", "quantmod",
                 "predet", "case", "preconj", "punct"}
_SPEAKER_RIGHT = {"compound", "flat", "cc", "conj", "case", "nummod"}
# "a spokesman for the ministry", "leaders of the coalition": the organisation
# named after the head word is who the words speak for.
_SPEAKER_PREPS = {"of", "in", "at", "from", "within", "for"}


def compact_phrase(head: Token) -> tuple[int, int]:
    """Token range of a speaker's name without its appositions and clauses.

    "Moaz al-Khatib, a cleric who ..." should yield "Moaz al-Khatib": the
    apposition would overlap other actors' mentions and mislead attribution.
    """
    lo = hi = head.i
    for child in head.lefts:
        if child.dep_ in _SPEAKER_LEFT and not (child.dep_ == "punct" and child.i < head.i - 1):
            a, _ = compact_phrase(child)
            lo = min(lo, a)
    for child in head.rights:
        if child.dep_ in _SPEAKER_RIGHT:
            _, b = compact_phrase(child)
            hi = max(hi, b)
        elif child.dep_ == "prep" and child.lower_ in _SPEAKER_PREPS:
            obj = next((c for c in children_of(child) if c.dep_ == "pobj"), None)
            if obj is not None:
                _, b = compact_phrase(obj)
                hi = max(hi, b)
    return lo, hi


def speaker_span(head: Token) -> tuple[int, int]:
    """Character span of the words naming a speaker whose head word is `head`.

    The head with its modifiers and "of/in/for ..." phrases, without
    appositions or clauses: "Leaders of the exile coalition", "Mr. Kerry".
    """
    start, end, _ = phrase_chars(head.doc, head)
    return start, end


def phrase_chars(doc: Doc, head: Token) -> tuple[int, int, str]:
    lo, hi = compact_phrase(head)
    lo = next((k + 1 for k in range(head.i - 1, lo - 1, -1) if doc[k].text.endswith(":")), lo)
    while lo < hi and doc[lo].is_punct:
        lo += 1
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi]), doc[lo:hi + 1].text


def _subject(verb: Token, view: DocView, lexicon: SpeechLexicon) -> Token | None:
    """The speaker token of a cue verb: from the parse, else from word order.

    This is the top of the speaker's phrase ("envoy" in "The UN envoy for
    Syria, Staffan de Mistura"); `_named_apposition` picks the name inside it.
    """
    parsed = _parsed_subject(verb, view)
    if parsed is not None and view.paras.start_before(parsed.idx) != view.paras.start_before(verb.idx):
        parsed = None  # a line above ("Advertisement") parsed as the subject
    found = (parsed or _adjacent_subject(verb, view) or _apposed_subject(verb, view)
             or _inverted_subject(verb, view, lexicon) or _paragraph_subject(verb, view))
    if found is not None and found.i < verb.i:
        found = _after_dateline(found, verb, view)
    if (found is None and verb.dep_ in ("advcl", "xcomp", "conj") and verb.head.pos_ == "VERB"
            and verb.head.i < verb.i and not view.quoted[verb.head.i]):
        # '..., said Skelly, explaining ...': the gerund's speaker is the one its verb found
        return _subject(verb.head, view, lexicon)
    return found


def _apposed_subject(verb: Token, view: DocView) -> Token | None:
    """'At the club, Jay Roe, its president, said': a name the parser hung on the phrase before.

    Right before the cue a comma closes an apposition; the name it describes
    is the speaker, wherever the parser attached it.
    """
    doc = view.doc
    k = verb.i - 1
    if k < verb.sent.start or doc[k].text != ",":
        return None
    while k >= verb.sent.start and doc[k].is_punct:
        k -= 1
    if k < verb.sent.start or view.quoted[k]:
        return None
    tok = doc[k]
    for _ in range(10):
        if tok.dep_ == "appos" and tok.head.i < tok.i:
            if tok.pos_ == "PROPN":
                return tok
            return tok.head if tok.head.pos_ == "PROPN" else None
        if tok.dep_ == "relcl" and tok.head.pos_ in ("PROPN", "NOUN"):
            return tok.head  # "Jay Roe, who runs the club, said"
        if tok.head.i == verb.i:
            return _opening_subject(tok, verb)
        if tok.head.i == tok.i or tok.head.i > verb.i:
            return None
        tok = tok.head
    return None


def _opening_subject(clause: Token, verb: Token) -> Token | None:
    """'Jay Roe, whose firm builds roads, said': the parser made the name the subject of the inner clause.

    The name opens the sentence and a comma follows it, so it is the cue's
    subject set off by a clause about it.
    """
    subj = next((c for c in children_of(clause) if c.dep_ == "nsubj" and c.pos_ in ("PROPN", "NOUN")), None)
    if subj is None or subj.i >= clause.i:
        return None
    first = verb.sent.start
    while first < subj.left_edge.i and (verb.doc[first].is_punct or verb.doc[first].is_space):
        first += 1
    last = subj.right_edge
    closed = last.text == "," or (last.i + 1 < verb.i and verb.doc[last.i + 1].text == ",")
    if subj.left_edge.i != first or last.i >= verb.i or not closed:
        return None
    return subj


def _after_dateline(top: Token, verb: Token, view: DocView) -> Token:
    """'TRIPOLI, Nov 4 (Agency): Jane Roe, the envoy, said': the name after the dateline's colon.

    A colon never falls inside the words naming a speaker; the parser
    sometimes makes the dateline the subject and the name a part of it.
    """
    doc = view.doc
    last = min(verb.i, top.right_edge.i + 1)
    colon = next((k for k in range(last - 1, top.i, -1) if doc[k].text.endswith(":")), None)
    if colon is None:
        return top
    name = next((t for t in doc[colon + 1:last] if t.pos_ == "PROPN" and not view.quoted[t.i]), None)
    if name is None:
        return top
    while name.dep_ in ("compound", "flat") and colon < name.head.i < verb.i:
        name = name.head
    return name


def _named_apposition(subj: Token) -> Token:
    """'The UN envoy for Syria, Staffan de Mistura, said': the name is the speaker."""
    if subj.pos_ == "NOUN":
        for child in subj.rights:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                return child
    return subj


_DATELINE = re.compile(r"[A-Z][^\n—–]{0,60}?(?:—|–|--| - )")  # "GENEVA (Wire) - ", "New York, Agency—"


def _paragraph_subject(verb: Token, view: DocView) -> Token | None:
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


def _parsed_subject(verb: Token, view: DocView) -> Token | None:
    """The subject in the dependency tree, climbing out of gerunds and infinitives.

    "..., saying he hoped ..." and "issued a statement saying ..." have no
    subject of their own; the speaker is the subject of the clause they hang on.
    """
    tok = verb
    for _ in range(4):
        subjects = [c for c in children_of(tok) if c.dep_ == "nsubj" and not view.quoted[c.i]]
        if subjects:
            # "GENEVA (Wire) - Kofi Annan said": the dateline is a second, wrong subject.
            subj = min(subjects, key=lambda c: abs(c.i - tok.i))
            if subj.tag_ == "WDT" or subj.lower_ in ("who", "which", "that"):
                if tok.dep_ == "relcl" and not view.quoted[tok.head.i]:
                    return tok.head  # "the army, which said ...": the antecedent speaks
            return subj
        head = tok.head
        if head.i == tok.i or view.quoted[head.i]:
            break
        if tok.dep_ == "pcomp" and head.lower_ == "as":
            # "cites the envoy as saying": the speaker is the object being cited.
            obj = next((c for c in children_of(head.head) if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj
        if tok.dep_ not in ("advcl", "xcomp", "conj", "acl", "pcomp", "prep", "relcl"):
            break
        if head.pos_ in ("NOUN", "PROPN") and head.head.i != head.i:
            head = head.head  # "a statement saying ...": go to the verb that issued it
        tok = head
    return None


def phrase_head(tok: Token) -> Token:
    """Climb from a word inside a name ("Moaz" in "Moaz al-Khatib") to its head."""
    for _ in range(6):
        if tok.dep_ in ("compound", "flat", "conj", "nmod") and tok.head.i != tok.i and tok.head.i < tok.i + 4:
            tok = tok.head
        else:
            break
    return tok


def _adjacent_subject(verb: Token, view: DocView) -> Token | None:
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
        head = phrase_head(tok)
        if head.i > verb.i or head.dep_ in ("pobj", "dobj") and tok.dep_ == "conj":
            return tok  # "the talks between Putin and Erdogan, minister Sergey Shoygu announced"
        return head
    return None


def _opens_paragraph(tok: Token, view: DocView) -> bool:
    """Whether only the rest of a name stands between a token and its paragraph start."""
    k = tok.i
    while k > 0 and view.doc[k - 1].pos_ == "PROPN" and not view.doc[k - 1].is_space:
        k -= 1
    return view.doc[k].idx <= view.paras.start_before(tok.idx)


def _inverted_subject(verb: Token, view: DocView, lexicon: SpeechLexicon) -> Token | None:
    """`"...," said Pastor` is often parsed with the name as an object."""
    if verb.lemma_.lower() == "tell":
        return None  # whatever follows "told" is the audience, never the speaker
    for child in verb.rights:
        if child.dep_ in ("dobj", "npadvmod", "attr", "oprd", "appos", "dative", "nsubj", "advmod"):
            named = child.pos_ in ("PROPN", "NOUN", "PRON") or (child.is_title and child.is_alpha)
            if named and not view.quoted[child.i] and (child.dep_ != "advmod" or child.is_title):
                if child.lower_ not in lexicon.addressee_nouns and child.ent_type_ not in ("DATE", "TIME"):
                    return child
    return None


def _cue_text(verb: Token, lexicon: SpeechLexicon) -> str:
    """The cue verb, extended with a channel ("said in a statement") when there is one.

    A negated cue keeps its negation ("does not want"): without it the
    reported words would say the opposite of what the text does.
    """
    head = _negated(verb)
    for child in verb.rights:
        if child.dep_ == "prep":
            phrase = " ".join(t.lower_ for t in child.subtree)
            for channel in lexicon.channel_phrases:
                if phrase.startswith(channel):
                    obj = next((c for c in children_of(child) if c.dep_ == "pobj"), child)
                    return f"{head} {verb.doc[child.i:obj.i + 1].text}"
    return head


def _negated(verb: Token) -> str:
    """'does not want', "didn't believe": the verb with its negation, else the verb alone."""
    neg = next((c for c in verb.lefts if c.dep_ == "neg"), None)
    if neg is None:
        return verb.text
    first = min([neg] + [c for c in verb.lefts if c.dep_ == "aux" and c.i > neg.i - 2], key=lambda t: t.i)
    return verb.doc[first.i:verb.i + 1].text


def _date_text(verb: Token) -> str | None:
    """When the words were said ("said Wednesday", "told reporters on Tuesday")."""
    for child in children_of(verb):
        probe = child
        if child.dep_ == "prep":
            probe = next((c for c in children_of(child) if c.dep_ == "pobj"), None)
        elif child.dep_ not in ("npadvmod", "advmod", "tmod"):
            continue
        if probe is not None and probe.ent_type_ in ("DATE", "TIME"):
            ent = next((e for e in probe.doc.ents if e.start <= probe.i < e.end), None)
            if ent is not None:
                return ent.text
    return None


PHRASE_WEIGHT = 0.85  # "according to X" names a source, not always a speaker


@dataclass
class Speaker:
    """Who a cue gives the words to.

    `start`/`end` cover the name itself ("Staffan de Mistura"), which is what
    attribution links to an actor; `text` is every word the text spends on
    naming the speaker, appositions and clauses included ("Staffan de
    Mistura, the UN envoy for Syria"), as a reader would cite it, and
    `text_start`/`text_end` where those words are.
    """

    start: int | None
    end: int | None
    text: str | None
    cue: str | None
    date_text: str | None
    weight: float  # how sure we are of the cue and the speaker together
    text_start: int | None = None
    text_end: int | None = None

    def __post_init__(self) -> None:
        if self.text_start is None:
            self.text_start, self.text_end = self.start, self.end


def speaker_of(verb: Token, view: DocView, lexicon: SpeechLexicon, weight: float | None = None) -> Speaker:
    """The speaker a cue verb gives its words to, with the cue's words and date."""
    weight = weight or cue_weight(verb, lexicon) or 0.5
    top = _subject(verb, view, lexicon)
    cue, date_text = _cue_text(verb, lexicon), _date_text(verb)
    phrase = _speaker_phrase(top, verb, view) if top is not None else None
    if phrase is None:
        return Speaker(None, None, None, cue, date_text, weight * 0.6)
    return _relative(with_words(Speaker(*phrase, cue, date_text, weight), top, verb, view), verb, view)


def _relative(speaker: Speaker, verb: Token, view: DocView) -> Speaker:
    """'Kerry, who said ...': the relative pronoun is the cue's own word for the speaker, so it stays in the words."""
    rel = next((c for c in children_of(verb) if c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP")), None)
    if rel is None or speaker.text_end is None or speaker.text_end > rel.idx:
        return speaker
    if view.text[speaker.text_end:rel.idx].strip(" ,\n"):
        return speaker
    speaker.text_end = rel.idx + len(rel)
    speaker.text = view.text[speaker.text_start:speaker.text_end]
    return speaker


def phrase_speaker(top: Token, anchor: Token, view: DocView, cue: str | None, weight: float) -> Speaker:
    """A speaker named by a phrase rather than a verb's subject ("according to X")."""
    start, end, text = phrase_chars(view.doc, _named_apposition(top))
    return with_words(Speaker(start, end, text, cue, None, weight), top, anchor, view)


def with_words(speaker: Speaker, top: Token, anchor: Token, view: DocView) -> Speaker:
    """The speaker with all the words that name it, where they hold its name."""
    words = described_words(top, anchor, view)
    if words is not None and words[0] <= speaker.start and speaker.end <= words[1]:
        speaker.text_start, speaker.text_end = words
        speaker.text = view.text[words[0]:words[1]]
    return speaker


_LONGEST_DESCRIPTION = 45  # tokens; a longer "phrase" is a parse gone astray


def described_words(top: Token, anchor: Token, view: DocView) -> tuple[int, int] | None:
    """The words naming a speaker, with appositions, parentheses and clauses.

    "Rep. Jane Roe (D-Ore.), who chairs the panel," is how the text names the
    speaker; the phrase stops at the cue (`anchor`), at quoted words and at the
    cue's paragraph, so it never swallows what was said.
    """
    doc = view.doc
    lo, hi = top.left_edge.i, top.right_edge.i
    for child in children_of(top):
        if child.left_edge.i <= anchor.i <= child.right_edge.i:
            # "the Nusra Front, which renamed itself and announced ...": the clause holding the cue
            if child.i > top.i:
                hi = min(hi, child.left_edge.i - 1)
            else:
                lo = max(lo, child.right_edge.i + 1)
    if top.i < anchor.i:
        hi = min(hi, anchor.i - 1)
    elif top.i > anchor.i:
        lo = max(lo, anchor.i + 1)
    for k in range(top.i - 1, lo - 1, -1):
        if view.quoted[k] or doc[k].text.endswith(":"):
            lo = k + 1  # quoted words and a label or dateline before a colon are not the speaker's
            break
    for k in range(top.i + 1, hi + 1):
        if view.quoted[k]:
            hi = k - 1
            break
    lo_para = view.paras.start_before(anchor.idx)
    hi_para = view.paras.end_after(anchor.idx, len(view.text))
    while lo <= hi and (doc[lo].idx < lo_para or doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi >= lo and (doc[hi].idx >= hi_para or doc[hi].is_space
                        or doc[hi].is_punct and doc[hi].text not in ")]" or doc[hi].lower_ in _RELATIVE):
        hi -= 1
    if hi < lo or hi - lo >= _LONGEST_DESCRIPTION or not lo <= top.i <= hi:
        return None
    return doc[lo].idx, doc[hi].idx + len(doc[hi])


_RELATIVE = {"who", "which", "that", "whose", "whom"}


def _speaker_phrase(top: Token, verb: Token, view: DocView) -> tuple[int, int, str] | None:
    """The speaker's name span and words, kept in the cue's paragraph.

    The parser sometimes glues a line above ("Advertisement", a dateline) onto
    the subject; only the part in the cue's own paragraph can name the speaker.
    """
    subj = _named_apposition(top)
    lo_para = view.paras.start_before(verb.idx)
    hi_para = view.paras.end_after(verb.idx, len(view.text))
    start, end, text = phrase_chars(view.doc, subj)
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


def attribution_phrase_at(tokens: list[Token], k: int,
                           lexicon: SpeechLexicon) -> tuple[str, Token] | None:
    """The phrase and speaker head when `tokens[k]` starts "according to X"-like words."""
    first = tokens[k].lower_
    for phrase in lexicon.attribution_phrases:
        if phrase[0] != first or tuple(t.lower_ for t in tokens[k:k + len(phrase)]) != phrase:
            continue
        last = tokens[k + len(phrase) - 1]
        obj = next((c for c in children_of(last) if c.dep_ == "pobj"), None)
        if obj is None and k + len(phrase) < len(tokens):
            obj = tokens[k + len(phrase)]
        return (" ".join(phrase), obj) if obj is not None else None
    return None


def withheld(verb: Token, lexicon: SpeechLexicon) -> bool:
    """'declined to say which ...', 'did not say whether ...': nothing was said."""
    if any(c.dep_ == "neg" for c in children_of(verb)):
        return True
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in lexicon.refusals
