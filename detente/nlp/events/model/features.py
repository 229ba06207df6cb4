"""What the learned event-type model reads in a clause, hashed into a fixed number of buckets.

A clause is a spaCy `Span` (a sentence, or the part of one an event stands in)
and, optionally, the token that carries the event (its "head": the verb or
noun a rule matched). The features are the clause's words and word pairs (the
quad head reads both, the type head the words alone), as lower-cased lemmas, plus what the parse says about the head: its lemma, its
object, its preposition, an infinitive it governs, whether it is negated,
whether it is future or conditional, and whether it only stands under a
reporting verb ("X said Y attacked Z": CAMEO and PLOVER code the attack).

Each feature string is hashed with CRC-32 (stable across processes, machines
and Python versions, unlike the salted built-in `hash`) into 2^HASH_BITS
buckets, so the packaged model holds bucket numbers and weights only: no
vocabulary and no text from the sentences it learned from, and inference
needs nothing but numpy.

The word lists live in `feature_words.yaml`; their digest (with
`FEATURES_VERSION`, bumped whenever this code changes what it emits) is stored
in the artefact, which refuses to load against features it was not trained on.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from detente.data_files import load_yaml
from detente.nlp.token_table import children_of

FEATURES_VERSION = 1
HASH_BITS = 18
WORDS_FILE = Path(__file__).with_name("feature_words.yaml")

# Word pairs help the quad class (about a point of cross-validated accuracy) but cost the type
# head about three on the GSR sentences, with so few sentences per type: the type head leaves them out.
PAIR = "b:"

_OBJECTS = frozenset({"dobj", "obj", "attr", "oprd", "dative"})
_CLAUSES = frozenset({"ccomp", "xcomp", "advcl", "conj", "parataxis", "relcl", "acl", "pcomp"})
_SKIPPED = frozenset({"PUNCT", "SPACE", "SYM", "X"})


@dataclass(frozen=True)
class FeatureWords:
    reporting: frozenset[str]
    future: frozenset[str]
    conditional: frozenset[str]
    negation: frozenset[str]

    @property
    def digest(self) -> str:
        """Names what the features are made of: the code's version, the hash size and every word list."""
        parts = [f"v{FEATURES_VERSION}", f"bits{HASH_BITS}"]
        for name in ("reporting", "future", "conditional", "negation"):
            parts.append(name + "=" + ",".join(sorted(getattr(self, name))))
        return hashlib.blake2b("\n".join(parts).encode("utf-8"), digest_size=8).hexdigest()


@lru_cache(maxsize=1)
def feature_words() -> FeatureWords:
    data = load_yaml(WORDS_FILE.read_text(encoding="utf-8")) or {}

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data.get(key) or ())

    return FeatureWords(
        words("reporting_verbs"), words("future_markers"), words("conditional_markers"), words("negation_words")
    )


def bucket(feature: str) -> int:
    """The feature's bucket: CRC-32 of its UTF-8 bytes, cut to HASH_BITS."""
    return zlib.crc32(feature.encode("utf-8")) & ((1 << HASH_BITS) - 1)


def buckets(features: Iterable[str]) -> list[int]:
    return [bucket(f) for f in features]


def type_buckets(features: Iterable[str]) -> list[int]:
    """The buckets the type head reads: all but the word pairs."""
    return [bucket(f) for f in features if not f.startswith(PAIR)]


def _word(token: Token) -> str:
    """A token as the model sees it: its lower-cased lemma, with every number one word."""
    if token.like_num and not token.is_alpha:
        return "<num>"
    return (token.lemma_ or token.text).lower()


def event_head(span: Span) -> Token | None:
    """The token a clause's event most likely stands on when no rule named one.

    The clause's root, except that a reporting verb passes on to the clause it
    reports ("Officials said troops shelled the town" → "shelled"): the
    reporting is not the event, what it reports is.
    """
    if len(span) == 0:
        return None
    reporting = feature_words().reporting
    node = span.root
    for _ in range(3):
        if _word(node) not in reporting:
            break
        inner = next(
            (c for c in children_of(node) if c.dep_ in ("ccomp", "parataxis") and span.start <= c.i < span.end and c.pos_ in ("VERB", "AUX")),
            None,
        )
        if inner is None:
            break
        node = inner
    return node


def clause_features(span: Span, head: Token | None = None) -> list[str]:
    """The feature strings of a clause (and its event head, found if not given); repeats kept out."""
    words = [_word(t) for t in span if t.pos_ not in _SKIPPED and not t.is_space]
    features = ["w:" + w for w in words]
    features += [PAIR + a + " " + b for a, b in zip(words, words[1:])]
    head = head if head is not None else event_head(span)
    if head is not None:
        features += _head_features(head, span)
    return list(dict.fromkeys(features))


def _head_features(head: Token, span: Span) -> list[str]:
    lists = feature_words()
    h = _word(head)
    features = ["h:" + h, "hp:" + head.pos_]
    negated = False
    mood = ""
    for child in children_of(head):
        dep = child.dep_
        word = _word(child)
        if dep in _OBJECTS:
            features.append("ho:" + h + " " + word)
        elif dep == "prep":
            features.append("hr:" + h + " " + word)
            for grandchild in children_of(child):
                if grandchild.dep_ == "pobj":
                    features.append("hro:" + h + " " + word + " " + _word(grandchild))
        elif dep == "xcomp":
            features.append("hx:" + h + " " + word)
        elif dep == "nsubjpass":
            features.append("hpass:" + h)
        elif dep == "compound":
            features.append("hc:" + word + " " + h)
        if dep == "neg" or (dep in ("advmod", "det", "preconj") and word in lists.negation):
            negated = True
        if dep in ("aux", "auxpass", "mark"):
            if word in lists.future:
                mood = "future"
            elif word in lists.conditional and mood != "future":
                mood = "conditional"
            elif word == "have" and not mood:
                mood = "perfect"
    if not mood:
        mood = "past" if head.tag_ in ("VBD", "VBN") else "present" if head.tag_ in ("VBP", "VBZ") else ""
    features += _governors(head, h, lists)
    if head.i != span.root.i:
        features.append("r:" + _word(span.root))
    if mood:
        features += ["m:" + mood, "hm:" + h + " " + mood]
    if negated:
        features += ["neg", "hn:" + h]
    return features


def _governors(head: Token, h: str, lists: FeatureWords) -> list[str]:
    """What the head stands under: a reporting verb ("said … attacked"), a plan ("agreed to meet")."""
    features = []
    node = head
    for _ in range(3):
        parent = node.head
        if parent.i == node.i or node.dep_ not in _CLAUSES:
            break
        above = _word(parent)
        if above in lists.reporting:
            features += ["speech", "sv:" + above]
            break
        features += ["g:" + above, "gh:" + above + " " + h]
        if above in lists.future:
            features.append("m:planned")
        node = parent
    return features
