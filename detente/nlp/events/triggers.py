"""Finding the words that report events: pattern heads in the parse, and what each one means there.

Each token is looked up once, by its lemma, lower-case form or hyphenated
compound, in the tables compiled from `detente/nlp/events/event_patterns.yaml`;
only a head word found there costs a look at the parse, to check the rest of
the pattern below it. Then three rules decide which triggers stand:

- a pattern's own words are not triggers again ("held talks" is one event);
- a noun is an event only when something happens to it or it names who takes
  part ("the talks were postponed", "Kerry's visit"), not in passing ("the
  talks in Moscow" as a topic);
- a trigger that is the content of another is absorbed by it ("refused to
  attend": one REJECT/meet), and lends it a mode.

"X said that Y must …" is also a trigger: a demand the speaker makes of Y.
So is a statement that blames or praises (`blame_words`, `praise_words`,
`judging_verbs` in the data file: "said the attack was a war crime", "called
the meeting promising"), or that tells of another side's attack ("said the
army had shelled the town"): an accusation or support by its speaker.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from detente.nlp.dates.expressions import TimeExpression
from detente.nlp.events.arguments import ArgumentReader
from detente.nlp.events.patterns import Meaning, Pattern, PatternBook
from detente.nlp.token_table import TokenTable, children_of, token_table

_VERB_POS = frozenset({"VERB"})
_NOUN_POS = frozenset({"NOUN", "PROPN"})
# Dependencies that open a clause of its own: its words are not the pattern's, its date is not the event's.
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "parataxis", "csubj", "conj", "acl", "appos"})
_NEAR_DEPTH = 3
_FUNCTION_POS = frozenset({"ADP", "PART"})
# Prepositions that bring in what an event is about: "take part in talks", "called for talks".
_ABOUT_PREPS = frozenset({"for", "to", "on", "of", "in", "into", "about", "with"})
# Dependencies through which an event may be the content of another.
_CONTENT_DEPS = frozenset({"xcomp", "dobj", "pobj", "prep", "pcomp", "ccomp", "attr", "oprd", "acomp"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
PLACE_PREPS = frozenset({"in", "at", "inside"})


@dataclass
class Trigger:
    token: Token
    pattern: Pattern
    used: frozenset[int]
    inner: Trigger | None = None
    absorbed: bool = False
    addressee: Token | None = None  # "said Libya must hand over": the one a demand is made of


_DEMAND = Pattern("say … must", "say", (), False, Meaning("REQUEST"))
JUDGEMENT_PHRASES = ("say … war crime", "say … a step forward")
_BLAME = Pattern("say … war crime", "say", (), False, Meaning("ACCUSE"))
_PRAISE = Pattern("say … a step forward", "say", (), False, Meaning("SUPPORT"))
# Subjects with which a speaker reports their own side's act: "we struck", not an accusation.
_OWN_SIDE = frozenset({"we", "i", "our", "us"})
# Auxiliaries of an act not (yet) done.
_NOT_DONE = frozenset({"will", "would", "could", "might", "may", "can", "should", "must", "'ll", "to", "wo", "ca"})
# Where a statement's content hangs from its speech verb: "said (that) …", "'…,' he said".
_CONTENT_OF_SPEECH = frozenset({"ccomp", "parataxis"})
# Where the judgement a judging verb passes hangs: "called the meeting [the most promising …]",
# "consider them [to be terrorists]", "described it [as a sham]".
_CONTENT_OF_JUDGEMENT = frozenset({"oprd", "xcomp", "ccomp", "prep", "attr", "dobj"})


class TriggerFinder:
    """The event words of one document, checked against the parse, with absorption decided."""

    def __init__(self, doc: Doc, book: PatternBook, args: ArgumentReader, date_at: list[TimeExpression | None]) -> None:
        self.doc = doc
        self.book = book
        self.args = args
        self.date_at = date_at
        self._demand_candidates: list[Token] = []

    def find(self) -> list[Trigger]:
        return self._triggers()

    def _triggers(self) -> list[Trigger]:
        found: list[Trigger] = []
        heads = self.book.heads
        demand_words = self.book.demand_modals | self.book.status.periphrastic.get("hypothetical", frozenset())
        table = token_table(self.doc)
        for i, (lower, lemma, pos) in enumerate(zip(table.lower, table.lemma, table.pos)):
            if lower in demand_words or lemma in demand_words:
                self._demand_candidates.append(self.doc[i])
            if pos not in _VERB_POS and pos not in _NOUN_POS:
                continue
            if lemma not in heads and lower not in heads and not _after_hyphen(table, i):
                continue  # the common case, read without building the token
            token = self.doc[i]
            forms = _forms(token)
            if not any(f in heads for f in forms):
                continue
            if pos not in _VERB_POS and self.args.mention_at[i] is not None:
                continue  # "High Negotiations Committee" names an actor, not negotiations
            trigger = self._match(token, forms)
            if trigger is not None:
                found.append(trigger)
        found.extend(self._demands(found))
        found.extend(self._accusations(found))
        taken = {i: t for t in found for i in t.used if i != t.token.i}
        found = [t for t in found if t.token.i not in taken]
        by_head = {t.token.i: t for t in found}
        found = [t for t in found if not t.pattern.noun or self._licensed(t, by_head)]
        by_head = {t.token.i: t for t in found}
        for trigger in found:
            self._absorb(trigger, by_head)
        return found

    def _match(self, token: Token, forms: tuple[str, ...]) -> Trigger | None:
        table = self.book.verbs if token.pos_ in _VERB_POS else self.book.nouns
        if token.pos_ in _VERB_POS and self._periphrastic(token):
            return None
        if token.pos_ in _VERB_POS and self._describes(token):
            return None
        if token.pos_ in _VERB_POS and self._tries(token):
            return None
        near: list[Token] = []  # the words below the head, read once for all its patterns
        for form in forms:
            for pattern in table.get(form, ()):
                if pattern.words and not near:
                    near = _near(token)
                used = self._fit(token, pattern, near)
                if used is not None:
                    return None if pattern.blocks else Trigger(token, pattern, used)
        return None

    def _tries(self, verb: Token) -> bool:
        """'sought to mediate', 'is seeking to convene talks': the act tried is the event, not a request."""
        if verb.lemma_.lower() not in self.book.status.attempts:
            return False
        return any(c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in children_of(c)) for c in children_of(verb))

    def _describes(self, verb: Token) -> bool:
        """'the truce brokered by Russia', 'rebels opposed to Assad': a participle that describes a noun
        by something done earlier, not a report of it."""
        if verb.tag_ not in ("VBN", "VBD") or verb.dep_ not in ("acl", "amod"):  # the tagger often says VBD
            return False
        return any(c.dep_ in ("agent", "prep") for c in children_of(verb))

    def _demands(self, found: list[Trigger]) -> list[Trigger]:
        """'Kerry said Assad must go': a REQUEST by the speaker of whoever must act."""
        if not self.book.demand_modals:
            return []
        heads = {t.token.i for t in found}
        demands = []
        obligations = self.book.status.periphrastic.get("hypothetical", frozenset())
        for token in self._demand_candidates:
            if token.lower_ in self.book.demand_modals and token.dep_ == "aux":
                verb = token.head
            elif token.lemma_.lower() in obligations and any(
                c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in children_of(c)) for c in children_of(token)
            ):
                verb = token  # "said the rebels would have to separate themselves"
            else:
                continue
            speech = self._speech_of(verb)
            if speech is None or speech.i in heads:
                continue
            if any(c.dep_ == "mark" and c.lower_ in self.book.status.marks for c in children_of(verb)):
                continue  # "refused to say whether Assad must go" demands nothing
            subjects = [c for c in children_of(verb) if c.dep_ in ("nsubj", "nsubjpass")]
            heads.add(speech.i)
            demands.append(Trigger(speech, _DEMAND, frozenset({speech.i, token.i}), addressee=subjects[0] if subjects else None))
        return demands

    def _speech_of(self, verb: Token) -> Token | None:
        """The speech verb a clause is the content of: "said that …", or "said in a statement that …",
        which the parser often hangs from the statement."""
        head = verb.head
        if verb.dep_ == "ccomp" and head.lemma_.lower() in self.book.speech_verbs:
            return head
        if verb.dep_ == "acl" and head.lemma_.lower() in self.book.speech_nouns and head.dep_ == "pobj":
            speech = head.head.head
            if head.head.dep_ == "prep" and speech.lemma_.lower() in self.book.speech_verbs:
                return speech
        return None

    def _accusations(self, found: list[Trigger]) -> list[Trigger]:
        """A statement that blames accuses; one that praises supports: both by the one who makes it.

        'Kirby said the attack was an outrageous breach', 'activists said the army had shelled the
        town', 'Brahimi called the announcement the first hopeful news'. A statement that already
        reports an accusation or support ("said Russia accused …") is left to it, and a denial
        ("said its jets were not hitting civilians") blames no one.
        """
        book = self.book
        if not (book.blame_words or book.blame_types or book.praise_words):
            return []
        heads = {t.token.i for t in found}
        accusing = {i for t in found if t.pattern.content and t.pattern.content.type == "ACCUSE" for i in t.used}
        supporting = {i for t in found if t.pattern.content and t.pattern.content.type == "SUPPORT" for i in t.used}
        hostile = {t.token.i: t for t in found if t.pattern.content and t.pattern.content.type in book.blame_types}
        out = []
        table = token_table(self.doc)
        for i, (pos, lemma) in enumerate(zip(table.pos, table.lemma)):
            if pos != "VERB":
                continue
            judging = lemma in book.judging_verbs
            if lemma not in book.speech_verbs and not judging:
                continue
            if i in heads:
                continue
            speech = self.doc[i]
            contents = _CONTENT_OF_SPEECH | (_CONTENT_OF_JUDGEMENT if judging else frozenset())
            for content in (c for c in children_of(speech) if c.dep_ in contents):
                words = list(content.subtree)
                pattern = self._judgement(speech, words, hostile)
                taken = accusing if pattern is _BLAME else supporting
                if pattern is None or any(w.i in taken for w in words):
                    continue
                subjects = [c for c in children_of(content) if c.dep_ in ("nsubj", "nsubjpass")]
                out.append(Trigger(speech, pattern, frozenset({speech.i}), addressee=subjects[0] if subjects else None))
                heads.add(speech.i)
                break
        return out

    def _judgement(self, speaker_verb: Token, words: list[Token], hostile: dict[int, Trigger]) -> Pattern | None:
        if _has_phrase(words, self.book.blame_words):
            return _BLAME
        denied = any(w.dep_ == "neg" or w.lower_ in ("neither", "nor", "never") for w in words)
        if not denied and words[0].i > speaker_verb.i and any(w.i in hostile and _done_by_another(w) for w in words):
            return _BLAME  # "X said Y shelled Z"; in "Y shelled Z, police said" the police only report it
        if not denied and _has_phrase(words, self.book.praise_words):
            return _PRAISE  # "was not expecting a breakthrough" praises nothing
        return None

    def _periphrastic(self, verb: Token) -> bool:
        """'going to meet', 'has to go': the verb only marks the tense or mood of the one after it."""
        lemma = verb.lemma_.lower()
        if not any(lemma in words for words in self.book.status.periphrastic.values()):
            return False
        return any(c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in children_of(c)) for c in children_of(verb))

    def _fit(self, token: Token, pattern: Pattern, near: list[Token]) -> frozenset[int] | None:
        """The tokens a pattern's words land on below its head, or None when a word is missing."""
        if pattern.subject:
            subjects = _subjects_of(token)
            if not any(f in pattern.subject for s in subjects for f in _forms(s)):
                return None
        used = {token.i}
        if pattern.words:
            if not self._place_words(token, pattern.words, used, near):
                return None
            # An infinitive's "to" belongs to the verb after it: "refuse to attend", "offer to host",
            # never to the pattern's own head ("had to go" is not "go to").
            for i in used:
                word = self.doc[i]
                if i != token.i and word.dep_ == "aux":
                    marked = word.head
                    if marked.i == token.i or not (marked.i in used or (marked.dep_ == "xcomp" and marked.head.i == token.i)):
                        return None
        return frozenset(used)

    def _place_words(self, token: Token, words: tuple[str, ...], used: set[int], near: list[Token]) -> bool:
        """Find a pattern's other words below its head, whatever order they come in.

        A content word may sit a few links down ("held two days of talks"); a
        preposition or particle must hang from the head or from a word already
        found ("voice support for": "for" on "support" or "voice"), so "called
        the meeting an opportunity for …" is not "call for".
        """
        waiting = list(words)
        found = [token]
        for _ in range(len(words) + 1):
            progress = False
            for word in list(waiting):
                found_ids = {t.i for t in found}
                hit = next(
                    (t for t in near if t.i not in used and word in _forms(t)
                     and (t.pos_ not in _FUNCTION_POS or t.head.i in found_ids or _object_of_head(t.head, token))
                     and not (t.dep_ == "aux" and t.head.i == token.i)),  # the head's own "to" ("try to bring")
                    None,
                )
                if hit is not None:
                    used.add(hit.i)
                    found.append(hit)
                    waiting.remove(word)
                    progress = True
            if not waiting or not progress:
                break
        return not waiting

    def _licensed(self, trigger: Trigger, by_head: dict[int, Trigger]) -> bool:
        """A noun is an event when something happens to it, or when it names who takes part."""
        noun = trigger.token
        for child in children_of(noun):
            if child.dep_ == "poss" and self.args.resolve(child):
                return True
            if child.dep_ == "prep" and child.lower_ in ("between", "among", "with", "by") and any(
                self.args.resolve(o) for o in children_of(child) if o.dep_ == "pobj"
            ):
                return True
            if child.dep_ in ("compound", "amod") and self.args.mention_at[child.i] is not None and child.ent_type_ != "GPE":
                return True  # "the Kerry-Lavrov meeting", not "the Moscow meeting" (a place)
            if child.dep_ == "acl" and (child.lemma_.lower() in self.book.nominal_verbs or self._status_governor(child)):
                return True  # "a conference proposed in May", "talks scheduled for Monday"
            if child.dep_ == "prep" and child.lower_ in PLACE_PREPS | {"to"} and any(
                o.ent_type_ in PLACE_LABELS or self.date_at[o.i] is not None for o in children_of(child) if o.dep_ == "pobj"
            ):
                return True  # "meetings at the Kremlin", "talks in Geneva": a particular happening
        if noun.dep_ in ("nsubj", "nsubjpass") and self._happens_to_subject(noun.head):
            return True
        node = noun
        for _ in range(3):
            head = node.head
            if head.i == node.i:
                return False
            if head.i in by_head and head.i != noun.i:
                return self._object_of(noun, by_head[head.i])
            if head.pos_ in ("VERB", "AUX", "ADJ"):
                return head.lemma_.lower() in self.book.nominal_verbs or self._status_governor(head)
            if node.dep_ not in ("pobj", "prep", "dobj", "compound"):
                return False
            node = head
        return False

    def _happens_to_subject(self, verb: Token) -> bool:
        """'The meeting is due to open', 'the talks were postponed': the verb (or its complement) says what befalls it."""
        for node in [verb, *(c for c in children_of(verb) if c.dep_ in ("xcomp", "acomp", "attr"))]:
            for word in [node, *(c for c in children_of(node) if c.dep_ == "xcomp")]:
                if word.lemma_.lower() in self.book.nominal_verbs or self._status_governor(word):
                    return True
        return False

    def _status_governor(self, verb: Token) -> bool:
        lemma = verb.lemma_.lower()
        return any(lemma in words or any(w.split()[0] == lemma for w in words if " " in w) for words in self.book.status.verbs.values())

    def _absorb(self, trigger: Trigger, by_head: dict[int, Trigger]) -> None:
        """Let the event this one is the content of take it in ("refused to attend", "called for talks").

        A noun is taken in by any event it is the object of ("praised the
        talks", "negotiated over phone calls"); a verb only by an event that is
        about something (a request, a refusal, a promise), or by its own kind
        when it says what for ("met Assad to discuss the idea").
        """
        node = trigger.token
        for _ in range(3):
            if node.head.i == node.i or self.args.block[node.head.i] != self.args.block[node.i]:
                return
            purpose = node.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in children_of(node))
            if node.dep_ not in _CONTENT_DEPS and not purpose:
                return
            node = node.head
            outer = by_head.get(node.i)
            if outer is None:
                outer = next((t for t in by_head.values() if node.i in t.used), None)
            if outer is None:
                continue
            if outer is trigger or outer.pattern in (_BLAME, _PRAISE):
                return  # what a blaming statement reports stands as its own event
            inner, meaning = trigger.pattern.content, outer.pattern.content
            absorbs = meaning is not None and (
                (trigger.pattern.noun and self._object_of(trigger.token, outer))
                or meaning.type in self.book.absorb
                or (outer.pattern.negated is not None and outer.pattern.negated.type in self.book.absorb)
                or (purpose and inner is not None and inner.type == meaning.type)
            )
            if absorbs:
                trigger.absorbed = True
                if outer.inner is None:
                    outer.inner = trigger
            return

    def _object_of(self, noun: Token, outer: Trigger) -> bool:
        """'praised the talks', 'travel to Moscow for a meeting': the noun is what the event is about,
        not a time or circumstance of it ("announced the plan after talks")."""
        if noun.dep_ in ("dobj", "attr", "oprd", "nsubjpass", "xcomp"):
            return noun.head.i == outer.token.i or noun.head.i in outer.used
        if noun.dep_ == "pobj":
            prep = noun.head
            return prep.lower_ in _ABOUT_PREPS and (prep.head.i == outer.token.i or prep.head.i in outer.used or prep.i in outer.used)
        return False


def _object_of_head(word: Token, head: Token) -> bool:
    """'get the opposition to the table': the parser hangs "to" from the object, not from the verb."""
    return word.dep_ == "dobj" and word.head.i == head.i


def _subjects_of(verb: Token) -> list[Token]:
    """A verb's subjects, or those of the verb it completes: "the meeting is due to open", "talks are set to resume"."""
    node = verb
    for _ in range(3):
        subjects = [c for c in children_of(node) if c.dep_ in ("nsubj", "nsubjpass")]
        if node.dep_ == "relcl" and any(s.tag_ in ("WDT", "WP") or s.lower_ == "that" for s in subjects):
            subjects = [node.head]  # "the truce, which began last week": the truce began
            if node.head.dep_ == "pobj" and node.head.head.lower_ == "of":
                subjects.append(node.head.head.head)  # "the cessation of hostilities that began"
        if subjects or node.dep_ not in ("xcomp", "acomp", "conj") or node.head.i == node.i:
            return subjects
        node = node.head
    return []


def _done_by_another(verb: Token) -> bool:
    """'the army had shelled the town': an act told as done, in the active voice, by someone not the speaker's side.

    Not a plan or a threat ("troops would respond"), not a toll ("people have been killed"), not "we struck".
    """
    if verb.pos_ != "VERB" or verb.tag_ == "VB":
        return False
    children = list(children_of(verb))
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in children):
        return False
    if any(c.dep_ == "aux" and c.lower_ in _NOT_DONE for c in children):
        return False
    subjects = [c for c in children if c.dep_ == "nsubj"]
    return bool(subjects) and not any(s.lower_ in _OWN_SIDE or any(p.lower_ in _OWN_SIDE for p in children_of(s) if p.dep_ == "poss") for s in subjects)


def _has_phrase(words: list[Token], phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Whether one of the phrases occurs, word by word (lemma or lower-case form), among the words."""
    by_first = _by_first_word(phrases)
    lemmas = [w.lemma_.lower() for w in words]
    lowers = [w.lower_ for w in words]
    for k in range(len(words)):
        for phrase in by_first.get(lemmas[k], ()) + by_first.get(lowers[k], ()):
            if k + len(phrase) <= len(words) and all(p in (lemmas[k + j], lowers[k + j]) for j, p in enumerate(phrase)):
                return True
    return False


@lru_cache(maxsize=8)
def _by_first_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        index.setdefault(phrase[0], []).append(phrase)
    return {word: tuple(found) for word, found in index.items()}


def _after_hyphen(table: TokenTable, i: int) -> bool:
    """A word joined by a hyphen to the one before it ("cease-fire"), which may be a pattern word whole."""
    return i >= 2 and table.lower[i - 1] == "-" and table.ends[i - 2] == table.starts[i - 1] and table.ends[i - 1] == table.starts[i]


def _forms(token: Token) -> tuple[str, ...]:
    """The ways a pattern word may match a token: lemma, lower case, hyphenated compound ("cease-fire")."""
    lemma, lower = token.lemma_.lower(), token.lower_
    doc, i = token.doc, token.i
    if i >= 2 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_:
        return (lemma, lower, f"{doc[i - 2].lower_}-{lower}")
    return (lemma, lower) if lemma != lower else (lemma,)


def _opens_clause(token: Token) -> bool:
    """A clause of its own below a pattern's head: its words are not the pattern's ("said … that they met")."""
    return token.dep_ in CLAUSE_DEPS and not (token.dep_ == "conj" and token.pos_ != "VERB")


def _object_gap(relative: Token) -> bool:
    """'the sanctions the US has imposed': a relative clause with a subject of its own and no object
    leaves its object to the noun it describes ("the round, which opened" has none to leave)."""
    children = list(children_of(relative))
    subjects = [c for c in children if c.dep_ in _SUBJECTS]
    return bool(subjects) and not any(s.tag_ in ("WDT", "WP") or s.lower_ == "that" for s in subjects) and not any(
        c.dep_ == "dobj" for c in children)


def _near(token: Token) -> list[Token]:
    """Words below a head, nearest first, without entering clauses of their own or the head's subject
    ("the round of talks opened" is not "open talks"), and the noun a relative clause without an
    object of its own describes."""
    out: list[Token] = []
    frontier = [token]
    for _ in range(_NEAR_DEPTH):
        following: list[Token] = []
        for node in frontier:
            for child in children_of(node):
                if not _opens_clause(child) and not (node.i == token.i and child.dep_ in _SUBJECTS):
                    out.append(child)
                    following.append(child)
        frontier = following
    if token.dep_ == "relcl" and _object_gap(token):
        out.append(token.head)  # "the sanctions the US has imposed": the noun is what the clause's verb does
    return out
