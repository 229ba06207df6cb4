"""What a cue reports when it governs no clause: its complement.

"said that the talks failed" reports a clause; many cues report something
else. A plan or promise is a "to" complement ("vowed to fight on"), a request
an object with one ("urged the rebels to attend"), a question an "if" or "wh"
clause ("asked whether the talks would resume"), a judgement or denial its
object ("condemned the shelling", "accused Moscow of stalling"), and some
cues their prepositional object ("called for a truce", "warned of famine").
Which verb takes which kind is data (`complements` in speech_verbs.yaml):
"agreed to" is a position, "agreed with" is not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.nlp.token_table import children_of

if TYPE_CHECKING:
    from spacy.tokens import Token

TO, OBJECT_TO, QUESTION, OBJECT = "to", "object_to", "question", "object"
_QUESTION_WORDS = {"whether", "if", "why", "how", "what", "when", "where", "who", "which", "whom"}
# Prepositions after an object that still belong to what was said:
# "accused Moscow of stalling", "blamed the rebels for the attack",
# "described the plan as dead".
_OBJECT_PREPS = {"of", "for", "over", "as", "about", "against"}
_OBJECT_DEPS = ("dobj",)


def reported_complement(verb: Token, kinds: frozenset[str]) -> tuple[int, int] | None:
    """Token range [lo, hi) of what `verb` reports through a complement of one of `kinds`."""
    if not kinds:
        return None
    rights = [c for c in verb.rights if not c.is_punct]
    if TO in kinds:
        found = _to_complement(rights)
        if found is not None:
            return found
    objects = [c for c in rights if c.dep_ in _OBJECT_DEPS]
    if OBJECT_TO in kinds and objects:
        later = _to_complement([c for c in rights if c.i > objects[0].i])
        if later is not None:
            return objects[0].left_edge.i, later[1]
    if QUESTION in kinds:
        found = _question(rights)
        if found is not None:
            return found
    for prep in (c for c in rights if c.dep_ == "prep" and c.lower_ in kinds):
        obj = next((c for c in children_of(prep) if c.dep_ in ("pobj", "pcomp")), None)
        if obj is not None:
            return obj.left_edge.i, _tail(verb, prep)
    if OBJECT in kinds and objects and _says_something(objects[0]):
        return objects[0].left_edge.i, _tail(verb, objects[0])
    return None


def _to_complement(rights: list[Token]) -> tuple[int, int] | None:
    """'to fight on', 'not to attend': an infinitive complement."""
    for child in rights:
        if child.dep_ in ("xcomp", "ccomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in children_of(child)):
            return child.left_edge.i, child.right_edge.i + 1
    return None


def _question(rights: list[Token]) -> tuple[int, int] | None:
    """'whether the talks would resume', 'if he would attend', 'what went wrong'."""
    for child in rights:
        if child.dep_ in ("ccomp", "advcl", "xcomp", "dobj") and child.left_edge.lower_ in _QUESTION_WORDS:
            return child.left_edge.i, child.right_edge.i + 1
    return None


def _says_something(obj: Token) -> bool:
    """An object worth reporting: "the attack", not a bare "it" or "this"."""
    return obj.pos_ in ("NOUN", "PROPN", "NUM") or obj.right_edge.i > obj.i


def _tail(verb: Token, first: Token) -> int:
    """End of the reported words: the object and the phrases that complete it.

    "accused Moscow of stalling the talks" runs to the end of "of ..."; a time
    or a place on the verb ("on Tuesday", "in Geneva") and a second verb
    ("and added ...") do not belong to what was said.
    """
    end = first.right_edge.i + 1
    for child in verb.rights:
        if child.i <= first.i:
            continue
        if child.dep_ == "prep" and child.lower_ in _OBJECT_PREPS or child.dep_ in ("xcomp", "oprd"):
            end = max(end, child.right_edge.i + 1)
        elif child.dep_ in ("conj", "cc", "advcl", "punct"):
            break
    return end
