"""PLOVER events of one document: who did what to whom, when, where, and whether it happened.

The event words are found by `event_triggers` (patterns from
`detente/nlp/events/event_patterns.yaml`, checked in the dependency parse). For
each one that stands, this module builds the record: its arguments from the
parse (`event_args`), its status from the words governing it
(`event_status`), its date, its place from a named place in that clause,
and its text span: the clause, kept inside its sentence and paragraph.

The date is the one the text gives the event: the temporal expression in its
own clause, else the date of the statement or announcement that reports it
("said on Monday that …"); an undated mention of the story's own meeting takes
the day its lead gives. Nothing else is guessed: a reaction the text does not
date has no date (the publication day would put it on the timeline as if the
text said so). A plan for "Friday" is the coming Friday.

PLOVER codes a promise, or a meeting announced for the future or on a
condition, by what it commits to, so a planned meeting is AGREE (`planned_as`
in the data file); "will not attend" is a refusal made now (REJECT/meet),
"did not meet" a denial.
"""

from __future__ import annotations

import bisect
import re
from datetime import date

from spacy.tokens import Doc, Span, Token

from detente.nlp.actors.document_actors import DocumentActors
from detente.nlp.dates.calendar import shift_days, shift_days_clamped
from detente.nlp.dates.expressions import TimeExpression
from detente.nlp.events.arguments import ArgumentReader, Arguments, Layout
from detente.nlp.events.learned import SentenceReading, learned_confidence, missed_event, overruled, read_sentences, retyped
from detente.nlp.events.patterns import Meaning, Pattern, PatternBook, load_patterns
from detente.nlp.events.status import (
    StatusReading,
    governing_chain,
    is_future,
    is_past,
    read_status,
)
from detente.nlp.events.triggers import (
    CLAUSE_DEPS,
    JUDGEMENT_PHRASES,
    PLACE_LABELS,
    PLACE_PREPS,
    Trigger,
    TriggerFinder,
)
from detente.nlp.records import EventRecord
from detente.nlp.token_table import children_of, children_with, has_child_with, token_table

EXTRACTOR = "events"
_DATELINE = re.compile(r"(?m)^\s*([A-Z][A-Z.'\- ]{2,30}?)(?:,[^\n—–]{1,40}?)?\s*(?:\([^)\n]{1,40}\)\s*)?[—–-]{1,2}\s")

# Pronouns that stand for a doer named before, even one they cannot be resolved to.
_DOER_DEPS = ("nsubj", "nsubjpass", "agent")
DOER_HOPS = 8  # verbs climbed to find a doer: "plan to try to meet" needs three, a run-on sentence a thousand

_DOER_PRONOUNS = frozenset({"it", "they", "she", "he"})  # not "we" or "I": a quote speaks for its speaker

CONFIDENCE = {
    "base": 0.6,
    "direct": 0.15,  # the doer is named in the event's own clause
    "specific": 0.05,  # a pattern of several words
    "main": 0.1,  # the event is its sentence's main verb
    "nominal": -0.1,
    "guessed": -0.1,  # the doer was inherited from another clause or a pronoun
    "unnamed": -0.2,  # no argument is a known actor
    "judged": -0.15,  # an accusation or praise read from the words of a statement, not from a verb of its own
    "headline": -0.1,  # told only in a headline or caption, whose grammar is clipped
}


def find_events(doc: Doc, actors: DocumentActors, dates: list[TimeExpression], published: str | None) -> list[EventRecord]:
    """The events one parsed document reports (offsets index `doc.text`)."""
    if len(doc) == 0:
        return []
    return _EventFinder(doc, actors, dates, published, load_patterns()).run()


class _EventFinder:
    def __init__(self, doc: Doc, actors: DocumentActors, dates: list[TimeExpression], published: str | None, book: PatternBook) -> None:
        self.doc = doc
        self.text = token_table(doc).text
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
        self._heads: dict[int, int] = {}  # id of a pattern's record → index of its trigger word

    def run(self) -> list[EventRecord]:
        triggers = TriggerFinder(self.doc, self.book, self.args, self.date_at).find()
        records = []
        told_as_occasion: list[EventRecord] = []
        leading: list[EventRecord] = []
        for trigger in triggers:
            if trigger.absorbed:
                continue
            record = self._record(trigger)
            if record is not None:
                records.append(record)
                self._heads[id(record)] = trigger.token.i
                if self._part_of_the_occasion(trigger, record):
                    told_as_occasion.append(record)
                elif self._news_of_the_lead(trigger, record):
                    leading.append(record)
        self._date_by_occasion(records, told_as_occasion)
        for record in leading:
            record.date = self._lead_day() or self.published
        readings = list(read_sentences(self.doc))
        records.extend(self._read_by_model(readings, records))
        return _principal_first(_dedupe(self._without_retold_headlines(records)), readings)

    def _read_by_model(self, readings: list[SentenceReading], records: list[EventRecord]) -> list[EventRecord]:
        """The events the model reads where the patterns found none, or only events of a class it rules out;
        where both read the same word, the patterns' type stands unless the model is all but sure (see `learned`)."""
        found = []
        for reading, here in zip(readings, _by_sentence(records, readings)):
            if here and not overruled(reading, [r.type for r in here]):
                continue
            missed = missed_event(reading)
            if missed is None:
                continue
            token, pattern = missed
            same = [r for r in here if self._heads.get(id(r)) == token.i]
            if same:
                if retyped(reading):
                    for record in same:
                        record.type, record.mode = pattern.meaning.type, None
                continue
            record = self._record(Trigger(token, pattern, frozenset({token.i})))
            if record is not None:
                record.confidence = learned_confidence(reading)
                found.append(record)
        return found

    def _news_of_the_lead(self, trigger: Trigger, record: EventRecord) -> bool:
        """'X and Y have met in Sochi', 'Kiir has signed the deal' opening a story: the news of the day.

        The present perfect tells what has just happened when it opens the body; further down
        ("has shuttled between the capitals") it tells of what went before, and stays undated.
        """
        if record.status != "reported" or record.date is not None or self.published is None:
            return False
        token = trigger.token
        layout = self.args.layout
        lead = next((t for t in self.doc if not t.is_space and layout.block[t.i] not in layout.headlines), None)
        if lead is None or layout.block[token.i] != layout.block[lead.i] or layout.sent_start[token.i] != layout.sent_start[lead.i]:
            return False
        return any(c.dep_ == "aux" and c.lower_ in ("has", "have", "'ve", "'s") for c in children_of(token))

    def _without_retold_headlines(self, records: list[EventRecord]) -> list[EventRecord]:
        """A headline (or caption) compresses an event the body tells in full, with its date and its
        actors' names: it stands only for an event the body does not tell again."""
        layout = self.args.layout
        starts = token_table(self.doc).starts
        in_headline = [layout.block[bisect.bisect_right(starts, r.start) - 1] in layout.headlines for r in records]
        body = [r for r, top in zip(records, in_headline) if not top]
        kept = []
        for record, top in zip(records, in_headline):
            if top and any(_retells(b, record) for b in body):
                continue
            if top:
                record.confidence = round(max(record.confidence + CONFIDENCE["headline"], 0.05), 2)
            kept.append(record)
        return kept

    def _part_of_the_occasion(self, trigger: Trigger, record: EventRecord) -> bool:
        """An undated meeting told in the simple past ("Kerry, making his first trip to Russia", "who
        chaired the session"): the story's own meeting, which another sentence dates. A perfect ("has
        shuttled", "have since held talks") tells of meetings before it."""
        if record.type != "CONSULT" or record.status != "reported" or record.date is not None:
            return False
        node = trigger.token
        for _ in range(3):
            if any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in children_of(node)):
                return False
            if node.head.i == node.i or self.args.block[node.head.i] != self.args.block[node.i]:
                break
            node = node.head
        return True

    def _date_by_occasion(self, records: list[EventRecord], undated: list[EventRecord]) -> None:
        """Undated mentions of the story's meeting take the day its lead gives (the gold's "same occasion" rule).

        The occasion is the first day named in the first paragraph of the body, when it lies in the
        week up to publication: a news story leads with what happened that day or the day before.
        """
        occasion = self._lead_day()
        if occasion is None:
            return
        for record in undated:
            record.date = occasion

    def _lead_day(self) -> str | None:
        layout = self.args.layout
        first = next((t for t in self.doc if not t.is_space and layout.block[t.i] not in layout.headlines), None)
        if first is None or self.published is None:
            return None
        block = layout.block[first.i]
        for token in self.doc[first.i:]:
            if layout.block[token.i] != block:
                return None
            found = self.date_at[token.i]
            if found is not None:
                value = found.value
                recent = len(value) == 10 and value <= self.published and not is_past(value, _week_before(self.published))
                return value if recent else None
        return None

    # -- building a record -------------------------------------------------------------

    def _record(self, trigger: Trigger) -> EventRecord | None:
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
        if meaning.type == "CONSULT" and (meaning.mode == "multilateral" or pattern.subject) and not args.actors:
            # "a conference that brought together A and B", "the talks began with A": with no one convening
            # the meeting, those at it are its parties
            args.turn_round()
        if pattern.meaning is None and pattern.negated is not None and not args.actors and _passive(token):
            # "it would not be bound by decisions taken without it": the one who will not be bound refuses
            args.turn_round()
        if pattern.phrase in JUDGEMENT_PHRASES and not args.actors:
            return None  # blame or praise from a speaker no one can name says nothing about who stands where
        unnamed = not (args.actors or args.recipients or pattern.subject)
        if unnamed and not self._has_doer(trigger):
            return None
        if not args.actors and pattern.unnamed is not None:
            meaning = pattern.unnamed
        clause = self._clause_root(token)
        own_date = self._date(token, clause, self._inner_span(trigger, meaning))
        date = own_date or self._governing_date(clause)
        # "he said he would travel to New York": what a statement says will happen is dated by the statement
        announced = date is None and reading.under_speech and status == "planned" and reading.cue in self.book.status.auxiliaries["planned"] | {"would"}
        if status == "reported" and date is not None and is_future(date.value, self.published):
            status = "planned"
        elif status == "planned" and reading.cue in self.book.done_when_past and date is not None and is_past(date.value, self.published):
            status = "reported"  # "announced a withdrawal of its forces in March": announced as done, and done
        place = self._location(clause, token, meaning)
        if not (status == "hypothetical" and self._not_a_pledge(reading.cue)):
            meaning = self._planned(meaning, pattern, status)
        about_a_meeting = bool(pattern.subject) or pattern.noun  # "the talks would resume", not "the delegation would go"
        if meaning.type == "AGREE" and status == "planned" and not args.actors and reading.under_speech and about_a_meeting:
            args.actors = self._announcer(token)  # "de Mistura said the talks would resume on Feb. 25"
        start, end = _span_chars(clause, token, self.args.layout)
        date_value, date_text = (date.value, date.text) if date is not None else (None, None)
        if announced:
            date_value = self.published  # a plan is dated by the day it was announced: an undated statement's is the report's
        if status in ("planned", "hypothetical") and date is not None and not self._dates_a_statement(date):
            date_value = _weekday_ahead(date_text, self.published) or date_value
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
            actors_text=args.actor_words,
            recipients_text=args.recipient_words,
        )

    def _dates_a_statement(self, date: TimeExpression) -> bool:
        """'said on Monday that talks would resume': Monday is when it was said, a day already past."""
        span = self.doc.char_span(date.start, date.end, alignment_mode="expand")
        if span is None:
            return False
        node = span.root
        for _ in range(3):
            if node.dep_ not in ("npadvmod", "pobj", "prep", "tmod", "advmod", "compound") or node.head.i == node.i:
                break
            node = node.head
        return node.pos_ == "VERB" and node.lemma_.lower() in self.book.speech_verbs

    def _not_a_pledge(self, cue: str | None) -> bool:
        """'unless Varga resigns' is a condition, 'must cooperate' an obligation: neither commits anyone."""
        words = (cue or "").split()
        if not words:
            return False
        status = self.book.status
        return cue in status.marks or words[0] in self.book.demand_modals or words[0] in status.periphrastic.get("hypothetical", ())

    def _announcer(self, token: Token) -> list[str]:
        """Who announces a plan that no one in it is named to carry out: the speaker of the statement."""
        speech = governing_chain(token, self.book.status, self.book.speech_verbs, self.args.block)[-1]
        subjects = [c for c in children_of(speech) if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return [a for s in subjects for a in self.args.resolve(s)]
        return self.args.inherited_subject(speech)

    def _has_doer(self, trigger: Trigger) -> bool:
        """A verb whose doer the text names, even if no registered actor: "Palestinian prisoners rioted"."""
        if trigger.pattern.noun:
            return False
        verb = trigger.token
        for _ in range(DOER_HOPS):  # bounded: a chain of a thousand conjoined verbs is not climbed per verb
            if has_child_with(verb, _DOER_DEPS) or verb.dep_ not in ("xcomp", "conj", "acomp") or verb.head.i == verb.i:
                break
            verb = verb.head  # "the ministers plan to meet again"
        raised = verb.i != trigger.token.i  # "the council is expected to vote": its subject votes
        for child in children_with(verb, _DOER_DEPS):
            if (child.dep_ == "nsubj" or (raised and child.dep_ == "nsubjpass")) and self._names_a_doer(child):
                return True
            if child.dep_ == "agent" and any(self._names_a_doer(o) for o in children_with(child, ("pobj",))):
                return True
        return False

    def _names_a_doer(self, noun: Token) -> bool:
        """A name, a word for a body of people, or a noun with a nationality: not "the war" or "people"."""
        if noun.pos_ == "PROPN" or noun.lower_ in self.book.person_pronouns or noun.lower_ in _DOER_PRONOUNS:
            return True  # "It also calls for a ceasefire": someone named before does it
        if noun.pos_ != "NOUN":
            return False
        if noun.lemma_.lower() in self.book.agent_nouns or noun.lower_ in self.book.agent_nouns or noun.tag_ == "NNS":
            return True
        return any(c.ent_type_ in ("NORP", "GPE", "ORG") for c in children_of(noun) if c.dep_ in ("amod", "compound"))

    def _has_object(self, trigger: Trigger) -> bool:
        return any(c.dep_ in ("dobj", "dative") and c.i not in trigger.used for c in children_of(trigger.token))

    def _arguments(self, trigger: Trigger, event_type: str) -> Arguments:
        preps = self.book.recipient_prepositions(event_type)
        joint = event_type in self.book.joint_types
        if trigger.pattern.noun:
            return self.args.of_noun(trigger.token, trigger.used, preps, joint)
        found = self.args.of_verb(trigger.token, trigger.used, preps, joint)
        if trigger.pattern.subject and not found.actors:
            # "talks between X and Y resumed", "the truce agreed by X and Y took effect": the parties are the noun's
            for subject in (c for c in children_of(trigger.token) if c.dep_ in ("nsubj", "nsubjpass")):
                of_subject = self.args.of_noun(subject, trigger.used, preps, joint)
                if of_subject.actors:
                    return of_subject
        return found

    def _refuses_to_speak(self, trigger: Trigger) -> bool:
        """'declined to comment' refuses nothing; 'asked whether' requests nothing but an answer."""
        meaning = trigger.pattern.content
        if meaning is None or trigger.inner is not None:
            return False
        children = list(children_of(trigger.token))
        if meaning.type == "REJECT":
            complements = self.book.speech_complements
            return any(c.dep_ == "xcomp" and c.lemma_.lower() in complements for c in children)
        if meaning.type == "REQUEST":
            marks = self.book.status.marks
            return any(c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ in marks for m in children_of(c)) for c in children)
        return False

    def _meaning(self, trigger: Trigger, reading: StatusReading) -> tuple[Meaning | None, str]:
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
        inner = trigger.inner.pattern.content if trigger.inner is not None else None
        if meaning is not None and inner is not None and meaning.mode is None:
            mode = self.book.absorb.get(meaning.type, {}).get(inner.type)
            if mode is None and inner.type == meaning.type:
                mode = inner.mode  # "negotiated … over several phone calls"
            meaning = Meaning(meaning.type, mode)
        return meaning, status

    def _planned(self, meaning: Meaning, pattern: Pattern, status: str) -> Meaning:
        """A promised, announced or conditional future act is coded by what it commits to (a meeting → AGREE).

        "Would hold their fire if …" commits as much as "will hold their fire"; only the status differs.
        """
        if status not in ("planned", "hypothetical"):
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
            for child in children_of(node):
                own_description = node.i == event.i and child.dep_ == "acl"  # "a conference proposed in May"
                if child.dep_ in CLAUSE_DEPS and not own_description and not (child.left_edge.i <= event.i <= child.right_edge.i):
                    continue
                stack.append(child)
        return out

    def _inner_span(self, trigger: Trigger, meaning: Meaning) -> range:
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

    def _governing_date(self, clause: Token) -> TimeExpression | None:
        """The date of the statement or announcement an undated event is reported in: "said on Monday
        that the truce was over". A clause of the sentence that does not govern the event ("…, after
        talks on Friday") dates something else, and nothing dates an event from another sentence."""
        node = clause
        start, end = self.args.layout.sent_start[clause.i], self.args.layout.sent_end[clause.i]
        for _ in range(6):
            if node.head.i == node.i or not start <= node.head.i < end:
                return None
            node = node.head
            found = self._date(node, self._clause_root(node))
            if found is not None:
                return found
        return None

    def _location(self, root: Token, event: Token, meaning: Meaning) -> str | None:
        here = False
        candidates = sorted(self._clause_tokens(root, event), key=lambda t: abs(t.i - event.i))
        for token in candidates:
            if token.lower_ == "here" and token.dep_ == "advmod":
                here = True
            if token.ent_type_ not in PLACE_LABELS or token.ent_iob_ != "B":
                continue
            head = token
            while head.dep_ == "compound" and head.head.i != head.i:
                head = head.head
            prep = head.head if head.dep_ == "pobj" else None
            visited = meaning.mode == "visit" and (head.dep_ == "dobj" or (prep is not None and prep.lower_ == "to"))
            if (prep is not None and prep.lower_ in PLACE_PREPS) or visited:
                return _entity_text(token)
        return self.dateline() if here else None

    def dateline(self) -> str | None:
        """The city a dateline names ("GENEVA —"), which "here" in the story refers to."""
        if self._dateline is False:
            match = _DATELINE.search(self.text[:3000])
            self._dateline = match.group(1).strip().title() if match else None
        return self._dateline or None

    def _confidence(self, trigger: Trigger, args: Arguments, clause: Token, unnamed: bool = False) -> float:
        score = CONFIDENCE["base"] + (CONFIDENCE["unnamed"] if unnamed else 0.0)
        score += CONFIDENCE["direct"] if args.direct else CONFIDENCE["guessed"]
        if trigger.pattern.words:
            score += CONFIDENCE["specific"]
        if clause.dep_ == "ROOT" and clause.i == trigger.token.i:
            score += CONFIDENCE["main"]
        if trigger.pattern.noun:
            score += CONFIDENCE["nominal"]
        if trigger.pattern.phrase in JUDGEMENT_PHRASES:
            score += CONFIDENCE["judged"]
        return round(min(max(score, 0.05), 0.95), 2)


# -- token helpers --------------------------------------------------------------------


def _span_chars(root: Token, event: Token, layout: Layout) -> tuple[int, int]:
    """Character offsets of a clause, without edge punctuation, inside its sentence and paragraph.

    A headline often runs into the first sentence for the parser; the blank
    line between them still ends the span. A run-on sentence of clauses joined
    by commas makes each clause's subtree reach the sentence's end: the span
    stops SPAN_REACH tokens either side of the trigger, so a sentence n clauses
    long costs n short spans, not n spans of the whole sentence.
    """
    first = max(root.left_edge.i, layout.sent_start[event.i], event.i - SPAN_REACH)
    last = min(root.right_edge.i, layout.sent_end[event.i] - 1, event.i + SPAN_REACH)
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


# Tokens an event's text may reach either side of its trigger: past any real clause, short of a run-on sentence.
SPAN_REACH = 120

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday_ahead(text: str, published: str | None) -> str | None:
    """'on Friday' for something still to come: the coming Friday (publication day included), whatever
    the date finder guessed from a sentence it could not tell was about the future."""
    words = text.lower().replace(".", "").split()
    if not published or not words or words[-1] not in _WEEKDAYS or len(words) > 2 or words[0] in ("last", "next"):
        return None
    day = date.fromisoformat(published[:10])
    ahead = shift_days(day, (_WEEKDAYS.index(words[-1]) - day.weekday()) % 7)
    return ahead.isoformat() if ahead else None


def _week_before(day: str) -> str:
    """A bound for "recent": stops at the calendar's first day rather than overflowing before it."""
    return shift_days_clamped(date.fromisoformat(day), -7).isoformat()


def _passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in children_of(verb))


def _paragraph_break(token: Token) -> bool:
    return token.is_space and token.text.count("\n") >= 2


def _entity_text(token: Token) -> str:
    doc = token.doc
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, token.i, end).text


def _by_sentence(records: list[EventRecord], readings: list[SentenceReading]) -> list[list[EventRecord]]:
    """The records that start in each reading's sentence, in the records' order."""
    bounds = [r.sentence.start_char for r in readings]
    groups: list[list[EventRecord]] = [[] for _ in readings]
    for record in records:
        at = bisect.bisect_right(bounds, record.start) - 1
        if at >= 0 and record.start < readings[at].sentence.end_char:
            groups[at].append(record)
    return groups


def _principal_first(records: list[EventRecord], readings: list[SentenceReading]) -> list[EventRecord]:
    """Within each sentence, the event whose class the model reads there comes first, then text order."""
    ordered = list(records)
    for reading, group in zip(readings, _by_sentence(records, readings)):
        leader = max(group, key=lambda r: (reading.agreement(r.type), r.confidence), default=None)  # first of equals
        if leader is None or leader is group[0]:
            continue
        at = next(k for k, r in enumerate(ordered) if r is group[0])
        ordered = [r for r in ordered if r is not leader]
        ordered.insert(at, leader)
    return ordered


def _retells(body: EventRecord, headline: EventRecord) -> bool:
    """The body's event is the headline's: the same type, and no party of the headline's that it lacks."""
    if body.type != headline.type:
        return False
    mine = set(headline.actors) | set(headline.recipients)
    return not mine or bool(mine & (set(body.actors) | set(body.recipients)))


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
