"""Quotes whose speaker is a label, not a cue verb.

Headlines and lists of voices name the speaker with punctuation alone:
"Lavrov: ‘No deal without guarantees’", "Kerry: “We are close.”", or a
sign-off after the words, "“We want the road open.” ― Ana Ruiz". The label
sits at the start of a line or the sign-off at its end, so no cue verb and no
parse of the sentence is needed. The label must read as a name: it ends in a
proper noun, has no finite verb and no commas, digits or brackets, which keeps
"The message was clear: “...”", "Syria conflict: ..." (a topic) and
"TRIPOLI, Nov 4 (Agency): ..." (a dateline) out. Headlines attribute
paraphrase the same way ("Kerry: Talks Will Resume"), so an unquoted line
under a name that states something (it has a finite verb) is an indirect
quote, unless the label is a genre word ("Analysis:", `genre_labels`).

Headlines often quote with single marks, which elsewhere are too ambiguous to
pair (apostrophes); a single-marked quote is taken only when it fills the rest
of a labelled line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from detente.nlp.quotes.docview import DocView
from detente.nlp.quotes.marks import MarkSpan
from detente.nlp.quotes.speakers import Speaker

if TYPE_CHECKING:
    from spacy.tokens import Token

LABEL_WEIGHT = 0.85
_LONGEST_LABEL = 10  # tokens
# "Kerry: ‘We will ...’." filling the rest of its line
_SINGLE_MARKED = re.compile(r"(?m)^[^\S\n]*([^\n:‘’]{2,90}?):[^\S\n]*‘([^\n]+)’[.!?]?[^\S\n]*$")
_SEPARATOR = re.compile(r"(?::|―|—|–|--)[^\S\n]*$")
_SIGN_OFF = re.compile(r"[^\S\n]*(?:―|—|–|--|(?<=\s)-(?=\s))[^\S\n]*([^\n]{2,60}?)[.,]?[^\S\n]*(?:\n|$)")
# Words that end the name in "CNN President On Trump: ‘...’": what follows is the topic.
_TOPIC_WORDS = {"on", "about", "to", "at", "after", "over", "vs", "vs."}


def single_marked_spans(text: str, taken: list[MarkSpan]) -> list[MarkSpan]:
    """Labelled headline quotes in single marks, where no double-marked quote is."""
    out = []
    for m in _SINGLE_MARKED.finditer(text):
        opened, closed = m.start(2) - 1, m.end(2)
        if any(s.open < closed + 1 and opened < s.end for s in taken):
            continue
        out.append(MarkSpan(opened, closed + 1, opened + 1, closed, True, labelled=True))
    return out


def label_speaker(span: MarkSpan, view: DocView) -> Speaker | None:
    """The name labelling a quote, before it ("Kerry: “...”") or signing it off after."""
    text = view.text
    head = _SEPARATOR.search(text, text.rfind("\n", 0, span.open) + 1, span.open)
    if head is not None and head.end() == span.open:
        # the label opens its line or follows the sentence before it: '... ISIS." Bush: "..."'
        label_start = max(text.rfind(c, 0, head.start()) for c in "\n.!?\"”") + 1
        found = _name_in(view.tokens_in(label_start, head.start()), text, head.group().strip())
        if found is not None:
            return found
    tail = _SIGN_OFF.match(text, span.end)
    if tail is not None:
        return _name_in(view.tokens_in(tail.start(1), tail.end(1)), text, text[tail.start():tail.start(1)].strip())
    return None


def _name_in(tokens: list[Token], text: str, cue: str) -> Speaker | None:
    """The name a label opens with, if the label is a name and not a sentence."""
    while tokens and (tokens[0].is_space or tokens[0].is_punct):
        tokens = tokens[1:]
    if not tokens or len(tokens) > _LONGEST_LABEL or any(t.text in ",()[]" or t.like_num for t in tokens):
        return None  # "TRIPOLI, Nov 04 (Xinhua):" is a dateline, not a name
    if any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in tokens):
        return None  # "The message was clear:" is a sentence, not a label
    name: list[Token] = []
    for tok in tokens:
        if name and tok.lower_ in _TOPIC_WORDS:
            break
        name.append(tok)
    while name and (name[-1].is_punct or name[-1].is_space):
        name.pop()
    if not name or not (name[-1].pos_ == "PROPN" or name[-1].ent_type_ in ("PERSON", "ORG", "NORP")):
        return None  # "Syria conflict: ..." names a topic; a speaker's label ends in a name
    start, end = name[0].idx, name[-1].idx + len(name[-1])
    return Speaker(start, end, text[start:end], cue, None, LABEL_WEIGHT)


_LABELLED_LINE = re.compile(r"(?m)^[^\S\n]*([^\n:\"“”‘’]{2,90}?):[^\S\n]+([^\s\"“”‘'«][^\n]*?)[^\S\n]*$")


def labelled_statements(view: DocView, not_speakers: frozenset[str]) -> list[tuple[int, int, Speaker]]:
    """Unquoted statements under a label: "Kerry: Talks Will Resume Next Week".

    Headlines and transcripts attribute a paraphrase the way they attribute a
    quote. The label must be a name (`_name_in`) and not a genre word
    ("Analysis:", "Update:"), and what follows must state something: it has
    a finite verb. Returns the statement's span and its speaker.
    """
    text = view.text
    out = []
    for m in _LABELLED_LINE.finditer(text):
        label = view.tokens_in(m.start(1), m.end(1))
        if not label or label[0].lower_ in not_speakers:
            continue
        said = view.tokens_in(m.start(2), m.end(2))
        if len(said) < 3 or not any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in said):
            continue
        speaker = _name_in(label, text, ":")
        if speaker is not None and speaker.end >= label[-1].idx + len(label[-1]):  # all name, no topic
            end = m.end(2) - 1 if text[m.end(2) - 1] == "." else m.end(2)
            out.append((m.start(2), end, speaker))
    return out
