"""PLOVER events of one document: who did what to whom, when, where, and whether it happened.

Events are found from the words in `detente/data/event_patterns.yaml`, looked
up once per token by head word and then checked in the dependency parse.
Each event's arguments come from the parse (see `event_args`), its status from
the words governing it (see `event_status`), its date from the temporal
expression in its own clause (else, for something reported as done, the
publication date), and its place from a named place in that clause.

Two rules keep one happening from becoming several records:

- a pattern's own words are not events again ("held talks" is one CONSULT,
  not a CONSULT and a second one for "talks");
- an event whose content is another ("refused to attend the talks", "urged
  Russia to withdraw", "agreed to convene a conference") absorbs it, and the
  inner event lends it a mode (REJECT/meet, REQUEST/yield).

A nominal event ("the talks", "a truce") counts only when the text says
something happens to it ("held", "called off", "announced") or names its
participants ("Kerry's visit", "talks with Lavrov").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from detente.nlp.actors import DocumentActors
from detente.nlp.dates import TimeExpression
from detente.nlp.event_args import ArgumentReader, Arguments, Layout
from detente.nlp.event_patterns import Meaning, Pattern, PatternBook, load_patterns
from detente.nlp.event_status import StatusReading, is_future, read_status
from detente.nlp.records import EventRecord

EXTRACTOR = "events"
_VERB_POS = frozenset({"VERB"})
_NOUN_POS = frozenset({"NOUN", "PROPN"})
# Dependencies that open a clause of its own: its words are not the pattern's, its date is not the event's.
_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "parataxis", "csubj", "conj", "acl", "appos"})
_NEAR_DEPTH = 3
_FUNCTION_POS = frozenset({"ADP", "PART"})
# Prepositions that bring in what an event is about: "take part in talks", "called for talks".
_ABOUT_PREPS = frozenset({"for", "to", "on", "of", "in", "into", "about", "with"})
# Dependencies through which an event may be the content of another.
_CONTENT_DEPS = frozenset({"xcomp", "dobj", "pobj", "prep", "pcomp", "ccomp", "attr", "oprd", "acomp"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_PLACE_PREPS = frozenset({"in", "at", "inside"})
_DATELINE = re.compile(r"(?m)^\s*([A-Z][A-Z.'\- ]{2,30}?)(?:,[^\n—–]{1,40}?)?\s*(?:\([^)\n]{1,40}\)\s*)?[—–-]{1,2}\s")

CONFIDENCE = {
    "base": 0.6,
    "direct": 0.15,  # the doer is named in the event's own clause
    "specific": 0.05,  # a pattern of several words
    "main": 0.1,  # the event is its sentence's main verb
    "nominal": -0.1,
    "guessed": -0.1,  # the doer was inherited from another clause or a pronoun
    "unnamed": -0.2,  # no argument is a known actor
}


@dataclass
class _Trigger:
    token: Token
    pattern: Pattern
    used: frozenset[int]
    inner: _Trigger | None = None
    absorbed: bool = False
    addressee: Token | None = None  # "said Libya must hand over": the one a demand is made of


_DEMAND = Pattern("say … must", "say", (), False, Meaning("REQUEST"))


def find_events(doc: Doc, actors: DocumentActors, dates: list[TimeExpression], published: str | None) -> list[EventRecord]:
    """The events one parsed document reports (offsets index `doc.text`)."""
    if len(doc) == 0:
        return []
    return _EventFinder(doc, actors, dates, published, load_patterns()).run()


class _EventFinder:
    def __init__(self, doc: Doc, actors: DocumentActors, dates: list[TimeExpression], published: str | None, book: PatternBook) -> None:
        self.doc = doc
        self.text = doc.text  # spaCy joins every token each time `doc.text` is read
        self.book = book
        self.published = published[:10] if published else None
        kinds = {actor_id: record.kind for actor_id, record in actors.actors.items()}
        for mention in actors.mentions:
            kinds.setdefault(mention.actor, mention.kind)
        self.args = ArgumentReader(doc, actors.mentions, kinds, book)
        self.date_at: list[TimeExpression | None] = [None] * len(doc)
        for expression in dates:
            span = doc.char_span(expression.start, expression.end, alignment_mode="expand")
            if span is not None:
                for k in range(span.start, span.end):
                    self.date_at[k] = expression
        self._dateline: str | None | bool = False

    def run(self) -> list[EventRecord]:
        triggers = self._triggers()
        records = []
        for trigger in triggers:
            if trigger.absorbed:
                continue
            record = self._record(trigger)
            if record is not None:
                records.append(record)
        return _dedupe(records)

    # -- finding the words ------------------------------------------------------------

    def _triggers(self) -> list[_Trigger]:
        found: list[_Trigger] = []
        heads = self.book.heads
        # A headline compresses an event the body tells in full, with its date and its actors' names.
        headlines = self.args.layout.headlines
        demand_words = self.book.demand_modals | self.book.status.periphrastic.get("hypothetical", frozenset())
        self._demand_candidates: list[Token] = []
        for token in self.doc:
            if token.lower_ in demand_words or token.lemma_ in demand_words:
                self._demand_candidates.append(token)
            if token.pos_ not in _VERB_POS and token.pos_ not in _NOUN_POS:
                continue
            if self.args.block[token.i] in headlines:
                continue
            forms = _forms(token)
            if not any(f in heads for f in forms):
                continue
            if token.pos_ not in _VERB_POS and self.args.mention_at[token.i] is not None:
                continue  # "High Negotiations Committee" names an actor, not negotiations
            trigger = self._match(token, forms)
            if trigger is not None:
                found.append(trigger)
        found.extend(self._demands(found))
        taken = {i: t for t in found for i in t.used if i != t.token.i}
        found = [t for t in found if t.token.i not in taken]
        by_head = {t.token.i: t for t in found}
        found = [t for t in found if not t.pattern.noun or self._licensed(t, by_head)]
        by_head = {t.token.i: t for t in found}
        for trigger in found:
            self._absorb(trigger, by_head)
        return found

    def _match(self, token: Token, forms: tuple[str, ...]) -> _Trigger | None:
        table = self.book.verbs if token.pos_ in _VERB_POS else self.book.nouns
        if token.pos_ in _VERB_POS and self._periphrastic(token):
            return None
        near: list[Token] = []  # the words below the head, read once for all its patterns
        for form in forms:
            for pattern in table.get(form, ()):
                if pattern.words and not near:
                    near = _near(token)
                used = self._fit(token, pattern, near)
                if used is not None:
                    return None if pattern.blocks else _Trigger(token, pattern, used)
        return None

    def _demands(self, found: list[_Trigger]) -> list[_Trigger]:
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
                c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children) for c in token.children
            ):
                verb = token  # "said the rebels would have to separate themselves"
            else:
                continue
            speech = verb.head
            if verb.dep_ != "ccomp" or speech.lemma_.lower() not in self.book.speech_verbs or speech.i in heads:
                continue
            if any(c.dep_ == "mark" and c.lower_ in self.book.status.marks for c in verb.children):
                continue  # "refused to say whether Assad must go" demands nothing
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            heads.add(speech.i)
            demands.append(_Trigger(speech, _DEMAND, frozenset({speech.i, token.i}), addressee=subjects[0] if subjects else None))
        return demands

    def _periphrastic(self, verb: Token) -> bool:
        """'going to meet', 'has to go': the verb only marks the tense or mood of the one after it."""
        lemma = verb.lemma_.lower()
        if not any(lemma in words for words in self.book.status.periphrastic.values()):
            return False
        return any(c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children) for c in verb.children)

    def _fit(self, token: Token, pattern: Pattern, near: list[Token]) -> frozenset[int] | None:
        """The tokens a pattern's words land on below its head, or None when a word is missing."""
        if pattern.subject:
            subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
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
                     and (t.pos_ not in _FUNCTION_POS or t.head.i in found_ids)
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

    def _licensed(self, trigger: _Trigger, by_head: dict[int, _Trigger]) -> bool:
        """A noun is an event when something happens to it, or when it names who takes part."""
        noun = trigger.token
        for child in noun.children:
            if child.dep_ == "poss" and self.args.resolve(child):
                return True
            if child.dep_ == "prep" and child.lower_ in ("between", "among", "with", "by"):
                if any(self.args.resolve(o) for o in child.children if o.dep_ == "pobj"):
                    return True
            if child.dep_ in ("compound", "amod") and self.args.mention_at[child.i] is not None and child.ent_type_ != "GPE":
                return True  # "the Kerry-Lavrov meeting", not "the Moscow meeting" (a place)
            if child.dep_ == "acl" and (child.lemma_.lower() in self.book.nominal_verbs or self._status_governor(child)):
                return True  # "a conference proposed in May", "talks scheduled for Monday"
            if child.dep_ == "prep" and child.lower_ in _PLACE_PREPS | {"to"} and any(
                o.ent_type_ in _PLACE_LABELS or self.date_at[o.i] is not None for o in child.children if o.dep_ == "pobj"
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
        for node in [verb, *(c for c in verb.children if c.dep_ in ("xcomp", "acomp", "attr"))]:
            for word in [node, *(c for c in node.children if c.dep_ == "xcomp")]:
                if word.lemma_.lower() in self.book.nominal_verbs or self._status_governor(word):
                    return True
        return False

    def _status_governor(self, verb: Token) -> bool:
        lemma = verb.lemma_.lower()
        return any(lemma in words or any(w.split()[0] == lemma for w in words if " " in w) for words in self.book.status.verbs.values())

    def _absorb(self, trigger: _Trigger, by_head: dict[int, _Trigger]) -> None:
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
            purpose = node.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
            if node.dep_ not in _CONTENT_DEPS and not purpose:
                return
            node = node.head
            outer = by_head.get(node.i)
            if outer is None:
                outer = next((t for t in by_head.values() if node.i in t.used), None)
            if outer is None:
                continue
            if outer is trigger:
                return
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

    def _object_of(self, noun: Token, outer: _Trigger) -> bool:
        """'praised the talks', 'travel to Moscow for a meeting': the noun is what the event is about,
        not a time or circumstance of it ("announced the plan after talks")."""
        if noun.dep_ in ("dobj", "attr", "oprd", "nsubjpass", "xcomp"):
            return noun.head.i == outer.token.i or noun.head.i in outer.used
        if noun.dep_ == "pobj":
            prep = noun.head
            return prep.lower_ in _ABOUT_PREPS and (prep.head.i == outer.token.i or prep.head.i in outer.used or prep.i in outer.used)
        return False

    # -- building a record -------------------------------------------------------------

    def _record(self, trigger: _Trigger) -> EventRecord | None:
        token, pattern = trigger.token, trigger.pattern
        if self._refuses_to_speak(trigger):
            return None
        reading = read_status(token, self.book.status, self.book.speech_verbs, trigger.used, self.args.block)
        meaning, status = self._meaning(trigger, reading)
        if meaning is None:
            return None
        args = self._arguments(trigger, meaning.type)
        if trigger.addressee is not None:
            addressed = self.args.resolve(trigger.addressee)
            args.recipients = [r for r in dict.fromkeys(args.recipients + addressed) if r not in args.actors]
        elif trigger.inner is not None and not args.recipients and not self._has_object(trigger):
            inner_args = self._arguments(trigger.inner, meaning.type)
            args.recipients = [r for r in inner_args.recipients if r not in args.actors]
        unnamed = not (args.actors or args.recipients or pattern.subject)
        if unnamed and not self._has_doer(trigger):
            return None
        if not args.actors and pattern.unnamed is not None:
            meaning = pattern.unnamed
        clause = self._clause_root(token)
        date = self._date(token, clause, self._inner_span(trigger, meaning))
        if status == "reported" and date is not None and is_future(date.value, self.published):
            status = "planned"
        place = self._location(clause, token, meaning)
        meaning = self._planned(meaning, pattern, status)
        start, end = _span_chars(clause, token, self.args.layout)
        date_value, date_text = (date.value, date.text) if date is not None else (None, None)
        if date is None and status == "reported":
            date_value = self.published
        return EventRecord(
            start=start,
            end=end,
            type=meaning.type,
            mode=meaning.mode,
            actors=args.actors,
            recipients=args.recipients,
            status=status,
            text=self.text[start:end],
            date=date_value,
            date_text=date_text,
            location=place,
            confidence=self._confidence(trigger, args, clause, unnamed),
        )

    def _has_doer(self, trigger: _Trigger) -> bool:
        """A verb whose doer the text names, even if no registered actor: "Palestinian prisoners rioted"."""
        if trigger.pattern.noun:
            return False
        verb = trigger.token
        while not any(c.dep_ in ("nsubj", "nsubjpass", "agent") for c in verb.children) and verb.dep_ in ("xcomp", "conj") and verb.head.i != verb.i:
            verb = verb.head  # "the ministers plan to meet again"
        for child in verb.children:
            if child.dep_ == "nsubj" and self._names_a_doer(child):
                return True
            if child.dep_ == "agent" and any(self._names_a_doer(o) for o in child.children if o.dep_ == "pobj"):
                return True
        return False

    def _names_a_doer(self, noun: Token) -> bool:
        """A name, a word for a body of people, or a noun with a nationality: not "the war" or "people"."""
        if noun.pos_ == "PROPN":
            return True
        if noun.pos_ != "NOUN":
            return False
        if noun.lemma_.lower() in self.book.agent_nouns or noun.lower_ in self.book.agent_nouns or noun.tag_ == "NNS":
            return True
        return any(c.ent_type_ in ("NORP", "GPE", "ORG") for c in noun.children if c.dep_ in ("amod", "compound"))

    def _has_object(self, trigger: _Trigger) -> bool:
        return any(c.dep_ in ("dobj", "dative") and c.i not in trigger.used for c in trigger.token.children)

    def _arguments(self, trigger: _Trigger, event_type: str) -> Arguments:
        preps = self.book.recipient_prepositions(event_type)
        joint = event_type in self.book.joint_types
        if trigger.pattern.noun:
            return self.args.of_noun(trigger.token, trigger.used, preps, joint)
        return self.args.of_verb(trigger.token, trigger.used, preps, joint)

    def _refuses_to_speak(self, trigger: _Trigger) -> bool:
        """'declined to comment' refuses nothing; 'asked whether' requests nothing but an answer."""
        meaning = trigger.pattern.content
        if meaning is None or trigger.inner is not None:
            return False
        children = list(trigger.token.children)
        if meaning.type == "REJECT":
            complements = self.book.speech_complements
            return any(c.dep_ == "xcomp" and c.lemma_.lower() in complements for c in children)
        if meaning.type == "REQUEST":
            marks = self.book.status.marks
            return any(c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children) for c in children)
        return False

    def _meaning(self, trigger: _Trigger, reading: StatusReading) -> tuple[Meaning | None, str]:
        pattern = trigger.pattern
        meaning, status = pattern.meaning, pattern.status or reading.status
        if reading.negated and status != "cancelled":
            if pattern.negated is not None:
                meaning = pattern.negated
                status = "reported" if status == "planned" else status
            elif meaning is not None and status in ("planned", "hypothetical") and meaning.type in self.book.negated_future_types and self.book.negated_future_as:
                refusal = self.book.negated_future_as
                meaning = Meaning(refusal, self.book.absorb.get(refusal, {}).get(meaning.type))
                status = "reported"  # "will not negotiate": the refusal is made now
            else:
                status = "denied"
        elif meaning is None:
            return None, status
        if meaning is not None and trigger.inner is not None:
            inner = trigger.inner.pattern.content
            if inner is not None:
                if meaning.mode is None:
                    mode = self.book.absorb.get(meaning.type, {}).get(inner.type)
                    if mode is None and inner.type == meaning.type:
                        mode = inner.mode  # "negotiated … over several phone calls"
                    meaning = Meaning(meaning.type, mode)
                if meaning.type == "AGREE" and inner.type == "CONSULT" and status == "reported":
                    status = "planned"  # a meeting agreed for the future (DESIGN.md's convention)
        return meaning, status

    def _planned(self, meaning: Meaning, pattern: Pattern, status: str) -> Meaning:
        """A promised or announced future act is coded by what it commits to (a meeting → AGREE)."""
        if status != "planned":
            return meaning
        if pattern.planned is not None:
            return pattern.planned
        kind = self.book.planned_as.get(meaning.type)
        if kind is None or kind == meaning.type:
            return meaning
        return Meaning(kind, None)

    # -- where the event sits in its sentence -------------------------------------------

    def _clause_root(self, token: Token) -> Token:
        """The verb whose clause reports the event: the event's own verb, or the verb its noun hangs under."""
        node = token
        block = self.args.block
        for _ in range(4):
            if node.pos_ in ("VERB", "AUX") or node.head.i == node.i or block[node.head.i] != block[node.i]:
                return node
            node = node.head
        return node

    def _clause_tokens(self, root: Token, event: Token) -> list[Token]:
        """The clause's words, leaving out clauses of its own that do not hold the event."""
        out: list[Token] = []
        stack = [root]
        while stack:
            node = stack.pop()
            out.append(node)
            for child in node.children:
                if child.dep_ in _CLAUSE_DEPS and not (child.left_edge.i <= event.i <= child.right_edge.i):
                    continue
                stack.append(child)
        return out

    def _inner_span(self, trigger: _Trigger, meaning: Meaning) -> range:
        """Words whose date is the inner event's, not this one's: a request made today for talks next month.

        A promise (AGREE) is dated by what it promises, as a meeting announced for a day is.
        """
        if trigger.inner is None or meaning.type in self.book.planned_as.values():
            return range(0)
        inner = trigger.inner.token
        return range(inner.left_edge.i, inner.right_edge.i + 1)

    def _date(self, event: Token, root: Token, skip: range = range(0)) -> TimeExpression | None:
        best: tuple[int, TimeExpression] | None = None
        for token in self._clause_tokens(root, event):
            expression = self.date_at[token.i]
            if expression is None or token.i in skip:
                continue
            distance = abs(token.i - event.i)
            if best is None or distance < best[0]:
                best = (distance, expression)
        return best[1] if best else None

    def _location(self, root: Token, event: Token, meaning: Meaning) -> str | None:
        here = False
        candidates = sorted(self._clause_tokens(root, event), key=lambda t: abs(t.i - event.i))
        for token in candidates:
            if token.lower_ == "here" and token.dep_ == "advmod":
                here = True
            if token.ent_type_ not in _PLACE_LABELS or token.ent_iob_ != "B":
                continue
            head = token
            while head.dep_ == "compound" and head.head.i != head.i:
                head = head.head
            prep = head.head if head.dep_ == "pobj" else None
            visited = meaning.mode == "visit" and (head.dep_ == "dobj" or (prep is not None and prep.lower_ == "to"))
            if (prep is not None and prep.lower_ in _PLACE_PREPS) or visited:
                return _entity_text(token)
        return self.dateline() if here else None

    def dateline(self) -> str | None:
        """The city a dateline names ("GENEVA —"), which "here" in the story refers to."""
        if self._dateline is False:
            match = _DATELINE.search(self.text[:3000])
            self._dateline = match.group(1).strip().title() if match else None
        return self._dateline or None

    def _confidence(self, trigger: _Trigger, args: Arguments, clause: Token, unnamed: bool = False) -> float:
        score = CONFIDENCE["base"] + (CONFIDENCE["unnamed"] if unnamed else 0.0)
        score += CONFIDENCE["direct"] if args.direct else CONFIDENCE["guessed"]
        if trigger.pattern.words:
            score += CONFIDENCE["specific"]
        if clause.dep_ == "ROOT" and clause.i == trigger.token.i:
            score += CONFIDENCE["main"]
        if trigger.pattern.noun:
            score += CONFIDENCE["nominal"]
        return round(min(max(score, 0.05), 0.95), 2)


# -- token helpers --------------------------------------------------------------------


def _forms(token: Token) -> tuple[str, ...]:
    """The ways a pattern word may match a token: lemma, lower case, hyphenated compound ("cease-fire")."""
    lemma, lower = token.lemma_.lower(), token.lower_
    doc, i = token.doc, token.i
    if i >= 2 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_ and not doc[i - 1].whitespace_:
        return (lemma, lower, f"{doc[i - 2].lower_}-{lower}")
    return (lemma, lower) if lemma != lower else (lemma,)


def _opens_clause(token: Token) -> bool:
    """A clause of its own below a pattern's head: its words are not the pattern's ("said … that they met")."""
    return token.dep_ in _CLAUSE_DEPS and not (token.dep_ == "conj" and token.pos_ != "VERB")


def _near(token: Token) -> list[Token]:
    """Words below a head, nearest first, without entering clauses of their own."""
    out: list[Token] = []
    frontier = [token]
    for _ in range(_NEAR_DEPTH):
        following: list[Token] = []
        for node in frontier:
            for child in node.children:
                if not _opens_clause(child):
                    out.append(child)
                    following.append(child)
        frontier = following
    return out


def _span_chars(root: Token, event: Token, layout: Layout) -> tuple[int, int]:
    """Character offsets of a clause, without edge punctuation, inside its sentence and paragraph.

    A headline often runs into the first sentence for the parser; the blank
    line between them still ends the span.
    """
    first = max(root.left_edge.i, layout.sent_start[event.i])
    last = min(root.right_edge.i, layout.sent_end[event.i] - 1)
    doc = root.doc
    for k in range(event.i - 1, first - 1, -1):
        if _paragraph_break(doc[k]):
            first = k + 1
            break
    for k in range(event.i + 1, last + 1):
        if _paragraph_break(doc[k]):
            last = k - 1
            break
    while first < last and (doc[first].is_punct or doc[first].is_space):
        first += 1
    while last > first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    return doc[first].idx, doc[last].idx + len(doc[last])


def _paragraph_break(token: Token) -> bool:
    return token.is_space and token.text.count("\n") >= 2


def _entity_text(token: Token) -> str:
    doc = token.doc
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, token.i, end).text


def _dedupe(records: list[EventRecord]) -> list[EventRecord]:
    """One record per happening the document reports, even when it says it twice."""
    seen: dict[tuple, int] = {}
    out: list[EventRecord] = []
    for record in records:
        key = (record.type, record.mode, tuple(sorted(record.actors)), tuple(sorted(record.recipients)), record.date, record.status)
        if key in seen:
            kept = out[seen[key]]
            if record.confidence > kept.confidence:
                out[seen[key]] = record
            continue
        seen[key] = len(out)
        out.append(record)
    return sorted(out, key=lambda r: (r.start, r.end))
