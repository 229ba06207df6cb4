"""Per-token columns of a parsed document, read once and shared by every extractor.

Iterating a spaCy `Doc` builds a new Python `Token` object for every token,
every time; the extractors each need the same few facts about every token
(where it starts and ends, whether it is white space, whether it opens a
sentence), and reading them token by token cost more than some extractors'
real work. `Doc.to_array` reads them in one C-level pass; the table is kept in
`doc.user_data`, so the second extractor to ask pays nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.attrs import DEP, IDX, IS_SPACE, LEMMA, LENGTH, LOWER, POS, SENT_START
from spacy.tokens import Doc

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
