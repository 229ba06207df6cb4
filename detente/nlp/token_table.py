"""Per-token columns of a parsed document, read once and shared by every extractor.

Iterating a spaCy `Doc` builds a new Python `Token` object for every token,
every time; the extractors each need the same few facts about every token
(where it starts and ends, whether it is white space, whether it opens a
sentence), and reading them token by token cost more than some extractors'
real work. `Doc.to_array` reads them in one C-level pass; the table is kept in
`doc.user_data`, so the second extractor to ask pays nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from spacy.attrs import DEP, HEAD, IDX, IS_SPACE, LEMMA, LENGTH, LOWER, POS, SENT_START
from spacy.tokens import Doc, Token

_KEY = "detente_token_table"


@dataclass(frozen=True)
class TokenTable:
    text: str  # doc.text, which spaCy rebuilds from its tokens each time it is read
    starts: list[int]  # character offset of each token
    ends: list[int]  # character offset just after each token
    space: list[bool]  # the token is white space
    sent_start: list[bool]  # the token opens a sentence
    lower: list[str]  # token.lower_
    lemma: list[str]  # token.lemma_, lower-cased
    pos: list[str]  # token.pos_
    dep: list[str]  # token.dep_


def token_table(doc: Doc) -> TokenTable:
    table = doc.user_data.get(_KEY)
    if table is None:
        columns = doc.to_array([IDX, LENGTH, IS_SPACE, SENT_START]).astype(np.int64) if len(doc) else np.zeros((0, 4), np.int64)
        words = doc.to_array([LOWER, LEMMA, POS, DEP]) if len(doc) else np.zeros((0, 4), np.uint64)
        strings = doc.vocab.strings
        starts = columns[:, 0]
        table = TokenTable(
            doc.text,
            starts.tolist(),
            (starts + columns[:, 1]).tolist(),
            (columns[:, 2] == 1).tolist(),
            (columns[:, 3] == 1).tolist(),
            [strings[h] for h in words[:, 0].tolist()],
            [strings[h].lower() for h in words[:, 1].tolist()],
            [strings[h] for h in words[:, 2].tolist()],
            [strings[h] for h in words[:, 3].tolist()],
        )
        doc.user_data[_KEY] = table
    return table


_CHILDREN_KEY = "detente_children_by_dep"


def children_by_dep(doc: Doc) -> list[dict[str, list[int]]]:
    """For each token, its children's indices grouped by dependency label, built in one pass.

    `token.children` walks every child; in a run-on sentence one verb can have
    hundreds ("rejected rejected rejected …"), and asking each of them "has
    your head a subject?" that way costs the square of the sentence. Here the
    question is one dictionary lookup.
    """
    index = doc.user_data.get(_CHILDREN_KEY)
    if index is None:
        heads = doc.to_array([HEAD]).astype(np.int64).ravel().tolist() if len(doc) else []
        deps = token_table(doc).dep
        index = [{} for _ in range(len(doc))]
        for i, offset in enumerate(heads):
            if offset:
                index[i + offset].setdefault(deps[i], []).append(i)
        doc.user_data[_CHILDREN_KEY] = index
    return index


_KIDS_KEY = "detente_children"


def children_of(token: Token) -> list[Token]:
    """`token.children`, in the same order, at the cost of the children alone.

    spaCy finds a token's children by scanning its whole subtree; in a run-on
    sentence a verb's subtree reaches the sentence's end, so asking every verb
    for its children cost the square of the sentence.
    """
    kids = token.doc.user_data.get(_KIDS_KEY)
    if kids is None:
        index = children_by_dep(token.doc)
        kids = [sorted(i for group in mine.values() for i in group) if mine else [] for mine in index]
        token.doc.user_data[_KIDS_KEY] = kids
    doc = token.doc
    return [doc[i] for i in kids[token.i]]


def children_with(token: Token, deps: Iterable[str]) -> list[Token]:
    """The token's children whose label is one of `deps`, in text order."""
    mine = children_by_dep(token.doc)[token.i]
    found = sorted(i for dep in deps for i in mine.get(dep, ()))
    return [token.doc[i] for i in found]


def has_child_with(token: Token, deps: Iterable[str]) -> bool:
    mine = children_by_dep(token.doc)[token.i]
    return any(dep in mine for dep in deps)
