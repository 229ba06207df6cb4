"""Indirect and mixed quotes: what a cue reports when the words are not in quotation marks.

A speech verb's clause ("said that ..."), or a clause around it ("The talks,
she said, will resume"); a verb of thought's full clause ("believes the talks
will fail"); a complement the lexicon allows ("vowed to ...", "asked whether
..."); "according to X"; a channel ("In a statement, the ministry ..."); a
document opening a clause ("In a UN survey, ..."); a headline under a name.
Reported speech inside reported speech stays part of the outer quote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from detente.nlp.quotes.docview import DocView
from detente.nlp.quotes.complements import reported_complement
from detente.nlp.quotes.labels import labelled_statements
from detente.nlp.quotes.lexicon import SpeechLexicon, cue_weight, is_cue, looked_up, position_weight
from detente.nlp.quotes.marks import SENTENCE_END, MarkSpan
from detente.nlp.quotes.quote_candidate import INDIRECT, MIXED, QuoteCandidate
from detente.nlp.quotes.speakers import (
    PHRASE_WEIGHT, Speaker, attribution_phrase_at, compact_phrase, is_passive, phrase_speaker, speaker_of, withheld,
)
from detente.nlp.token_table import children_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


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
    speaker: Speaker
    cue: Token
    gap: tuple[int, int] | None = None  # a parenthetical cue inside the words, left out of the content


def _according_quotes(view: DocView, lexicon: SpeechLexicon) -> list[_Reported]:
    doc = view.doc
    out = []
    for sent in doc.sents:
        tokens = list(sent)
        for k, tok in enumerate(tokens):
            if view.quoted[tok.i]:
                continue
            found = attribution_phrase_at(tokens, k, lexicon)
            if found is None:
                continue
            phrase, head = found
            _, hi_tok = compact_phrase(head)
            para = view.token_at(view.paras.start_before(tok.idx))
            first = max(sent.start, para.i if para is not None else sent.start)
            lo, hi = _sentence_remainder(first, sent.end, tok.i, max(hi_tok, head.right_edge.i) + 1)
            chars = _trimmed_chars(doc, lo, hi)
            if chars is None:
                continue
            out.append(_Reported(chars[0], chars[1], phrase_speaker(head, tok, view, phrase, PHRASE_WEIGHT), tok))
    return out


def _channel_quotes(view: DocView, lexicon: SpeechLexicon) -> list[_Reported]:
    """'In a statement, the ministry called ...': the channel makes the clause speech."""
    doc = view.doc
    out = []
    for sent in doc.sents:
        lead = sent.text.lower()
        channel = next((c for c in lexicon.channel_phrases if lead.startswith(c)), None)
        if channel is None:
            continue
        root = sent.root
        if is_cue(root, lexicon) or view.quoted[root.i]:
            continue
        subj = next((c for c in children_of(root) if c.dep_ == "nsubj"), None)
        if subj is None:
            continue
        chars = _trimmed_chars(doc, subj.left_edge.i, sent.end)
        if chars is None:
            continue
        out.append(_Reported(chars[0], chars[1], phrase_speaker(subj, root, view, channel, 0.8), root))
    return out


_LEADING_CONJUNCTIONS = {"but", "and", "yet", "so"}


def _source_quotes(view: DocView, lexicon: SpeechLexicon) -> list[_Reported]:
    """'In a Reuters poll last week, most voters backed the deal': the poll is the source of the clause.

    Only when the clause has no cue of its own ("In a report, Amnesty said
    ..." is Amnesty's); the source nouns are data (`source_nouns`).
    """
    doc = view.doc
    out = []
    for sent in doc.sents:
        first = sent.start
        while first < sent.end and (doc[first].is_punct or doc[first].is_space
                                    or doc[first].lower_ in _LEADING_CONJUNCTIONS):
            first += 1
        if first >= sent.end or doc[first].lower_ != "in" or view.quoted[first]:
            continue
        prep = doc[first]
        obj = next((c for c in children_of(prep) if c.dep_ == "pobj"), None)
        if obj is None or obj.lemma_.lower() not in lexicon.source_nouns:
            continue
        root = sent.root
        if root.i <= prep.right_edge.i or view.quoted[root.i] or is_cue(root, lexicon) or position_weight(root, lexicon):
            continue
        chars = _trimmed_chars(doc, prep.right_edge.i + 1, sent.end)
        if chars is None:
            continue
        cue = doc[prep.i:obj.i + 1].text
        out.append(_Reported(chars[0], chars[1], phrase_speaker(obj, prep, view, cue, PHRASE_WEIGHT * 0.9), prep))
    return out


def _labelled_quotes(view: DocView, lexicon: SpeechLexicon) -> list[_Reported]:
    """'Kerry: Talks Will Resume': a statement under its speaker's name (see `labels`)."""
    out = []
    for start, end, speaker in labelled_statements(view, lexicon.genre_labels):
        colon = view.token_at(speaker.end)
        if colon is not None and not view.quoted[colon.i]:
            out.append(_Reported(start, end, speaker, colon))
    return out


def _reported_clause(verb: Token, lexicon: SpeechLexicon) -> Token | None:
    """The clause a cue verb reports, as the head of that clause.

    Usually a clausal complement. "X did this -- that would hurt, he claimed"
    has two; the one next to the cue is the claim. "said in a statement that
    ..." is often parsed with the clause hanging on "statement", so a "that"
    clause inside the cue's own objects counts too.
    """
    clauses = [c for c in children_of(verb) if c.dep_ == "ccomp"]
    if clauses:
        return min(clauses, key=lambda c: abs(c.i - verb.i))
    for child in verb.rights:
        if child.dep_ not in ("prep", "dobj", "dative", "npadvmod") or (
                child.dep_ == "prep" and not _names_channel(child, lexicon)):
            continue
        for tok in child.subtree:
            if tok.dep_ in ("acl", "ccomp", "relcl", "advcl") and any(
                    c.dep_ == "mark" and c.lower_ == "that" and c.i > verb.i for c in children_of(tok)):
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
    obj = next((c for c in children_of(prep) if c.dep_ == "pobj"), None)
    if obj is None:
        return False
    words = " ".join(t.lower_ for t in prep.doc[prep.i:obj.i + 1])
    return obj.lemma_.lower() in lexicon.utterance_nouns or any(words.startswith(c) for c in lexicon.channel_phrases)


def _in_headline(tok: Token, view: DocView) -> bool:
    """A paragraph without closing punctuation is a headline or a label, not reporting."""
    end = view.paras.end_after(tok.idx, len(view.text))
    tail = view.text[tok.idx:end].rstrip()
    return not tail or tail[-1] not in SENTENCE_END | set("\"'’”»)")


def _verb_quotes(view: DocView, lexicon: SpeechLexicon) -> list[_Reported]:
    out = []
    for tok in view.doc:
        if view.quoted[tok.i] or view.in_fragment[tok.i]:
            continue  # a cue in someone's quoted words is part of what they said
        speech = cue_weight(tok, lexicon)
        weight = speech if speech is not None else position_weight(tok, lexicon)
        if weight is None or is_passive(tok) or (speech is not None and withheld(tok, lexicon)):
            continue
        found = _reported_words(tok, view, lexicon, speech is not None)
        if found is None or _in_headline(tok, view):
            continue
        start, end, gap = found
        out.append(_Reported(start, end, speaker_of(tok, view, lexicon, weight), tok, gap))
    return out


def _reported_words(verb: Token, view: DocView, lexicon: SpeechLexicon,
                    speech: bool) -> tuple[int, int, tuple[int, int] | None] | None:
    """Where the words a cue reports are: its clause, its complement, or the sentence around it."""
    clause = _reported_clause(verb, lexicon)
    if clause is not None and (speech or _finite(clause)):
        return (*_clause_chars(clause, verb), None) if not view.quoted[clause.i] else None
    found = reported_complement(verb, looked_up(verb, lexicon.complements, lexicon) or frozenset())
    if found is not None:
        chars = _trimmed_chars(view.doc, found[0], _without_circumstance(view.doc, *found, lexicon))
        return (*chars, None) if chars is not None and not view.quoted[found[0]] else None
    return _parenthetical(verb, view, lexicon) if speech else None


def _finite(clause: Token) -> bool:
    """A clause that states something ("the talks will fail"), not an infinitive ("the truce to hold").

    A verb of thought or wish reports a position only through a full clause:
    "wants the truce to hold" is a wish about an act, not a statement.
    """
    if clause.tag_ in ("VBD", "VBZ", "VBP", "MD"):
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBZ", "VBP", "MD") for c in children_of(clause))


def _addressee(obj: Token, lexicon: SpeechLexicon) -> bool:
    """'told CNN', 'told reporters', 'told him': whom the words went to, not what they were."""
    return obj.pos_ in ("PROPN", "PRON") or obj.lower_ in lexicon.addressee_nouns


def _cue_clause(verb: Token) -> tuple[int, int]:
    """Token range [lo, hi) of a parenthetical cue's own words: "Halvorsen said", "he told reporters on Monday".

    Clauses the parser hung on the cue ("Unless the convoys move, she said,")
    are part of what was reported, not of the cue.
    """
    subject = next((c for c in verb.lefts if c.dep_ == "nsubj"), None)
    lo = subject.left_edge.i if subject is not None else verb.i
    hi = verb.i
    for child in children_of(verb):
        if child.i > verb.i and child.dep_ in ("npadvmod", "prep", "advmod", "dative", "dobj", "nsubj"):
            hi = max(hi, child.right_edge.i)
    return lo, hi + 1


def _without_circumstance(doc: Doc, lo: int, hi: int, lexicon: SpeechLexicon) -> int:
    """End of a complement short of a trailing time or channel ("... on Tuesday", "... in a statement").

    Those phrases say when or how the words were said, not what was said.
    """
    k = hi - 1
    while k > lo:
        tok = doc[k]
        prep = next((a for a in [tok, *tok.ancestors] if a.dep_ == "prep" and lo < a.i < hi), None)
        if prep is None or prep.right_edge.i != hi - 1:
            return hi
        obj = next((c for c in children_of(prep) if c.dep_ == "pobj"), None)
        if obj is None or not (obj.ent_type_ in ("DATE", "TIME") or _names_channel(prep, lexicon)):
            return hi
        hi = k = prep.i
        k -= 1
    return hi


def _parenthetical(verb: Token, view: DocView, lexicon: SpeechLexicon) -> tuple[int, int, tuple[int, int]] | None:
    """'The talks, she said, will resume': a cue set inside the words it reports.

    The reported words are the sentence on both sides; the cue clause between
    them (", she said,") is left out of the content.
    """
    if verb.dep_ != "parataxis" or verb.head.pos_ not in ("VERB", "AUX"):
        return None
    if any(c.dep_ in ("ccomp", "xcomp", "attr") or c.dep_ in ("dobj", "dative") and not _addressee(c, lexicon)
           for c in children_of(verb)):
        return None  # "GENEVA — Russia announced a plan": the cue has words of its own
    sent = verb.sent
    lo, hi = _cue_clause(verb)
    if lo <= sent.start or lo <= verb.head.i < hi:
        return None  # "He said, ..." opens its sentence: no words before it are reported
    if any(view.quoted[k] for k in range(sent.start, sent.end)):
        return None  # the cue of a direct quote in the sentence, not a parenthesis
    chars = _trimmed_chars(view.doc, sent.start, sent.end)
    if chars is None:
        return None
    while lo < hi and view.doc[lo].is_punct:
        lo += 1
    while hi > lo and view.doc[hi - 1].is_punct:
        hi -= 1
    gap_start = view.doc[lo].idx
    gap_end = view.doc[hi - 1].idx + len(view.doc[hi - 1])
    return chars[0], chars[1], (gap_start, gap_end)


def _continues(inner: _Reported) -> bool:
    """'said that X, saying Y': a subjectless gerund goes on with the same speaker."""
    cue = inner.cue
    return (cue.tag_ == "VBG" and cue.dep_ == "advcl"
            and not any(c.dep_ == "nsubj" for c in children_of(cue)) and inner.start > cue.idx)


def _contrasts(inner: _Reported) -> bool:
    """'X said A, while Y insisted B': the narrator sets a second speaker beside the first."""
    cue = inner.cue
    return (cue.dep_ == "advcl" and any(c.dep_ == "nsubj" for c in children_of(cue))
            and any(c.dep_ == "mark" and c.lower_ in ("while", "whereas", "but") for c in children_of(cue)))


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
        outer = next((o for o in found if o is not item and o.start <= item.cue.idx < o.end
                      and not _inverted_outer(item, o)), None)
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


def _inverted_outer(item: _Reported, other: _Reported) -> bool:
    """Each holds the other's cue: '“I believe A” to B, Guterres told reporters'.

    The earlier cue's clause ran on to the sentence end over the later cue;
    the later cue, reporting the words before it, is the outer one.
    """
    return item.start <= other.cue.idx < item.end and item.cue.i > other.cue.i


def _naming_quotes(fragments: list[MarkSpan], view: DocView, lexicon: SpeechLexicon) -> list[_Reported]:
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
            if verb is None or verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
                break
            verb = verb.head
        if verb is None or view.quoted[verb.i] or verb.idx > frag.open:
            continue
        if verb.lemma_.lower() not in lexicon.naming_verbs and (cue_weight(verb, lexicon) or 0) < 0.8:
            continue  # "announced a “cessation of hostilities”" names an act, not words
        if is_passive(verb) or withheld(verb, lexicon):
            continue
        first = verb.i + 1
        while first < len(view.doc) and view.doc[first].dep_ in ("prt", "punct"):
            first += 1
        chars = _trimmed_chars(view.doc, first, verb.sent.end)
        if chars is not None:
            out.append(_Reported(chars[0], max(chars[1], frag.end), speaker_of(verb, view, lexicon), verb))
    return out


def indirect_quotes(spans: list[MarkSpan], view: DocView,
                     lexicon: SpeechLexicon) -> list[QuoteCandidate]:
    standalone = [s for s in spans if not s.fragment]
    fragments = [s for s in spans if s.fragment]
    found = (_verb_quotes(view, lexicon) + _according_quotes(view, lexicon) + _channel_quotes(view, lexicon)
             + _labelled_quotes(view, lexicon) + _source_quotes(view, lexicon))
    out = [_indirect_candidate(r, standalone, fragments, view) for r in _outermost(found, view.text)]
    naming = _naming_quotes(fragments, view, lexicon)
    out += [_indirect_candidate(r, standalone, fragments, view) for r in naming]
    return [c for c in out if c is not None]


def _indirect_candidate(item: _Reported, standalone: list[MarkSpan], fragments: list[MarkSpan],
                        view: DocView) -> QuoteCandidate | None:
    text = view.text
    start, end = _within_paragraph(item.start, item.end, item.cue.idx, view)
    start, end = _avoid_direct(start, end, standalone, text)
    if item.gap is not None and not text[item.gap[1]:end].strip(_LOOSE):
        end = item.gap[0]  # "The talks will resume, she said."
        while end > start and text[end - 1] in _LOOSE:
            end -= 1
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
        start=start, end=end, content=_without_gap(view, start, end, item.gap), content_start=start,
        content_end=end, kind=kind, cue=speaker.cue, speaker_start=speaker.start,
        speaker_end=speaker.end, speaker_text=speaker.text, speaker_text_start=speaker.text_start,
        speaker_text_end=speaker.text_end,
        confidence=round(confidence, 3), date_text=speaker.date_text,
    )


_LOOSE = " \t\n,;:.—–-"


def _without_gap(view: DocView, start: int, end: int, gap: tuple[int, int] | None) -> str:
    """The reported words with a parenthetical cue (", she said,") taken out.

    A comma closing a clause before the cue stays ("Unless talks resume, the
    truce will end"); one after a bare subject goes ("The talks will resume").
    """
    text = view.text
    if gap is None or not (start < gap[0] and gap[1] < end):
        return text[start:end]
    before = text[start:gap[0]].rstrip(_LOOSE)
    clause = any(t.pos_ in ("VERB", "AUX") for t in view.tokens_in(start, gap[0]))
    comma = "," if clause and text[start + len(before):gap[0]].strip().startswith(",") else ""
    return f"{before}{comma} {text[gap[1]:end].lstrip(_LOOSE)}"


def _within_paragraph(start: int, end: int, anchor: int, view: DocView) -> tuple[int, int]:
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
        if len(line.split()) > 4 or (line and line[-1] in SENTENCE_END | set(",;:")):
            return start
        start = newline + 1


def _avoid_direct(start: int, end: int, standalone: list[MarkSpan], text: str) -> tuple[int, int]:
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
