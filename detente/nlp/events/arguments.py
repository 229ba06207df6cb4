"""Who did what to whom: an event's arguments read from the dependency parse.

A word window would make "Kerry met Lavrov's deputy" a meeting with Lavrov,
and "Khair, who has been held by air force intelligence" a detention by
Khair. The parse knows better: the subject acts, the object and the "with" /
"to" / "against" phrase receive, a passive turns them round ("was arrested
by"), coordination multiplies them ("X and Y met"). Each argument is then
resolved to an actor through the document's mentions: the mention on the
argument's head word, or on its apposition ("the foreign minister of Iran,
Mohammad Javad Zarif"), or, for a word that stands for a group ("leaders of
the coalition", "Russia's envoy"), on the group it names. Pronouns take the
speaker of the clause they are reported in, else the nearest fitting actor
before them.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from detente.nlp.events.patterns import PatternBook
from detente.nlp.records import Mention
from detente.nlp.token_table import children_of, children_with, has_child_with, token_table

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
OBJECT_DEPS = frozenset({"dobj", "dative", "iobj", "obj"})
# Prepositions whose object receives the event: "met with X", "sent arms to X", "fought against X".
RECIPIENT_PREPS = frozenset({"with", "to", "against", "toward", "towards"})
# Prepositions naming all the parties of a meeting: "talks between X and Y".
PARTY_PREPS = frozenset({"between", "among", "amongst"})
_RELATIVE = frozenset({"who", "whom", "which", "that"})
_PRONOUN_TAGS = frozenset({"PRP", "PRP$", "WP", "WP$", "WDT"})
_SUBJECTS_FIRST = frozenset({"nsubj", "nsubjpass"})
_PLURAL = frozenset({"they", "them", "their", "theirs"})
# Words that stand for part of a group: "most of the rebel groups" is the rebels.
_PARTITIVES = frozenset({"most", "many", "some", "several", "all", "one", "none", "each", "both", "few", "majority",
                         "members", "part", "rest"})
_MAX_HOPS = 4


@dataclass
class Arguments:
    actors: list[str]
    recipients: list[str]
    direct: bool  # the actors were named in the event's own clause, not inherited or guessed
    # The text's words for each doer and receiver named in the clause, resolved or not ("eight armed
    # groups", "the parties"): a party no actor matches is kept as words rather than lost.
    actor_words: list[str] = field(default_factory=list)
    recipient_words: list[str] = field(default_factory=list)

    def turn_round(self) -> None:
        """Those named as receiving are the doers: "a conference that brought together A and B"."""
        self.actors, self.recipients = self.recipients, []
        self.actor_words, self.recipient_words = self.recipient_words, []


def _unique(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


@dataclass
class Layout:
    """Where each token sits: its paragraph (counted by blank lines) and its sentence's bounds.

    Read in one pass, because spaCy rebuilds every sentence each time a
    token's `.sent` is asked for. Links the parser draws across paragraphs
    are not trusted: it often runs a headline into the paragraph below.
    """

    block: list[int]
    sent_start: list[int]
    sent_end: list[int]  # exclusive
    headlines: set[int]  # paragraphs that are short and end without a stop: headlines, bylines, captions


HEADLINE_TOKENS = 25
_SENTENCE_END = frozenset(".!?\"”’'»:")


def read_layout(doc: Doc) -> Layout:
    table = token_table(doc)
    text = table.text
    block: list[int] = []
    sent_start: list[int] = []
    lengths: dict[int, int] = {}
    last_char: dict[int, str] = {}
    current = start = 0
    for i, (first, last, space, opens) in enumerate(zip(table.starts, table.ends, table.space, table.sent_start)):
        if space and text.count("\n", first, last) >= 2:
            current += 1
        elif not space:
            lengths[current] = lengths.get(current, 0) + 1
            last_char[current] = text[last - 1:last]
        if opens and i > 0:
            start = i
        block.append(current)
        sent_start.append(start)
    sent_end = [0] * len(doc)
    end = len(doc)
    for i in range(len(doc) - 1, -1, -1):
        sent_end[i] = end
        if sent_start[i] == i:
            end = i
    headlines = set()
    if len(lengths) > 1:
        headlines = {b for b, n in lengths.items() if n <= HEADLINE_TOKENS and last_char[b] not in _SENTENCE_END}
    return Layout(block, sent_start, sent_end, headlines)


@dataclass
class _Named:
    """Actor ids and the words of the phrases that named them, gathered side by side."""

    ids: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    def add(self, ids: list[str], words: list[str]) -> None:
        self.ids.extend(ids)
        self.words.extend(words)


def _with_parties(actors: _Named, recipients: _Named, parties: _Named, direct: bool) -> Arguments:
    """'Russia convened talks between the government and the opposition': the parties receive, Russia acts.

    With no one named as convening, the parties are the ones meeting.
    """
    if actors.ids or actors.words:
        recipients.add(parties.ids, parties.words)
    else:
        actors = parties
    doers = _unique(actors.ids)
    return Arguments(
        doers, [r for r in _unique(recipients.ids) if r not in doers], direct,
        _unique(actors.words), [w for w in _unique(recipients.words) if w not in actors.words],
    )


_PHRASE_STOPS = frozenset({"relcl", "acl", "appos", "conj", "cc", "punct", "advcl", "parataxis", "ccomp"})
_LEADING = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_PHRASE_MAX = 8


def phrase_words(token: Token) -> str:
    """The words of the noun phrase a token heads, without its clauses, its conjuncts or a leading article.

    "representatives of eight armed groups, who signed …" → "representatives of eight armed groups".
    """
    kept = [token]
    stack = [token]
    while stack:
        node = stack.pop()
        for child in children_of(node):
            if child.dep_ not in _PHRASE_STOPS:
                kept.append(child)
                stack.append(child)
    kept.sort(key=lambda t: t.i)
    first = kept.index(token)
    run = [kept[first]]  # only the contiguous stretch around the head
    for k in range(first - 1, -1, -1):
        if kept[k].i != run[0].i - 1:
            break
        run.insert(0, kept[k])
    for k in range(first + 1, len(kept)):
        if kept[k].i != run[-1].i + 1:
            break
        run.append(kept[k])
    while len(run) > 1 and (run[0].lower_ in _LEADING or run[0].is_punct):
        run.pop(0)
    while len(run) > 1 and (run[-1].is_punct or run[-1].pos_ == "ADP"):
        run.pop()
    if len(run) > _PHRASE_MAX:
        head_at = run.index(token)
        run = run[max(0, head_at - _PHRASE_MAX + 1):head_at + 1]
    return token.doc[run[0].i:run[-1].i + 1].text


class ArgumentReader:
    """Resolves an event's argument words to actor ids, for one document."""

    def __init__(self, doc: Doc, mentions: list[Mention], kinds: dict[str, str], book: PatternBook) -> None:
        self.doc = doc
        self.book = book
        self.kinds = kinds
        self.mention_at: list[Mention | None] = [None] * len(doc)
        table = token_table(doc)
        starts, ends = table.starts, table.ends
        for mention in mentions:
            first = max(bisect.bisect_right(starts, mention.start) - 1, 0)
            last = bisect.bisect_left(starts, mention.end)
            for k in range(first, min(last, len(doc))):
                if ends[k] > mention.start:
                    self.mention_at[k] = mention
        self.mention_tokens = [k for k, m in enumerate(self.mention_at) if m is not None]
        # "the two ministers" is one span naming two actors: each token keeps one mention, the span all of them
        self.sharing: dict[tuple[int, int], list[str]] = {}
        for mention in mentions:
            self.sharing.setdefault((mention.start, mention.end), []).append(mention.actor)
        self.layout = read_layout(doc)
        self.block = self.layout.block

    # -- resolving one word -------------------------------------------------------

    def resolve(self, token: Token, loose: bool = False) -> list[str]:
        """The actors a noun phrase headed by `token` names, its conjuncts included."""
        found: list[str] = []
        for member in self._conjuncts(token):
            found.extend(self._resolve_one(member, loose, 0))
        return _unique(found)

    def named(self, token: Token, loose: bool = False) -> tuple[list[str], list[str]]:
        """The actors a noun phrase names, and the words of each member that names a party ("Egypt, Qatar
        and the UN", "eight armed groups"); a thing acted on ("the document", "the city") has no words here."""
        ids = self.resolve(token, loose)
        words = [phrase_words(m) for m in self._conjuncts(token) if self.mention_at[m.i] is not None or self.names_party(m)]
        return ids, words

    def names_party(self, noun: Token) -> bool:
        """A name, a word for a body of people, or a plural with a nationality: not "the city", "three villages"."""
        if noun.pos_ == "PROPN":
            return True
        if noun.pos_ != "NOUN":
            return False
        if self._stands_for_group(noun):
            return True
        return noun.tag_ == "NNS" and any(c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE", "ORG") for c in children_of(noun))

    def _conjuncts(self, token: Token) -> list[Token]:
        members = [token]
        for child in children_of(token):
            if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "PRON"):
                members.extend(self._conjuncts(child))
        return members

    def _resolve_one(self, token: Token, loose: bool, depth: int) -> list[str]:
        mention = self.mention_at[token.i]
        if mention is not None and self.kinds.get(mention.actor) != "person" and self._stands_for_group(token):
            # "The United Nations envoy, Staffan de Mistura": the envoy named beside the title acts
            named = [a for c in children_of(token) if c.dep_ == "appos" for a in self._resolve_one(c, loose, depth + 1)]
            people = [a for a in named if self.kinds.get(a) == "person"]
            if people:
                return _unique(people)
        if mention is not None and token.dep_ != "poss" and self.kinds.get(mention.actor) != "person":
            person = self._person_after_possessive(token)
            if person is not None:
                return [person]
        if mention is not None:
            return _unique(self.actors_of(mention) + self._listed_with(mention))
        if depth > 2:
            return []
        if token.tag_ in _PRONOUN_TAGS or token.lower_ in self.book.person_pronouns or token.lower_ in self.book.group_pronouns:
            return self.pronoun(token)
        if token.dep_ == "appos" and self.mention_at[token.head.i] is not None:
            return [self.mention_at[token.head.i].actor]  # "Jabhat al-Nusra, a hardline group that has claimed …"
        children = list(children_of(token))
        for child in children:
            if child.dep_ == "appos":
                found = [a for member in self._conjuncts(child) for a in self._resolve_one(member, loose, depth + 1)]
                if found:
                    return _unique(found)
        inside = [self.mention_at[c.i] for c in children if c.dep_ in ("compound", "amod", "nmod") and self.mention_at[c.i] is not None]
        if inside and self._stands_for_group(token):
            # "The UN envoy for Syria, Staffan de Mistura": the parser hangs the name from "Syria"
            for prep in (c for c in children if c.dep_ == "prep"):
                for obj in (o for o in children_of(prep) if o.dep_ == "pobj"):
                    named = [a for c in children_of(obj) if c.dep_ == "appos" for a in self._resolve_one(c, loose, depth + 1)]
                    if named and all(self.kinds.get(a) == "person" for a in named):
                        return _unique(named)
        if inside:
            # "UN Secretary-General Ban Ki-moon": the person, not the body named in the title
            people = [m for m in inside if self.kinds.get(m.actor) == "person"]
            if people:
                return [people[0].actor]
            # "neither Russian nor Syrian aircraft": the modifier and the ones listed with it
            first = next(c for c in children if c.dep_ in ("compound", "amod", "nmod") and self.mention_at[c.i] is not None)
            listed = [first, *(g for g in children_of(first) if g.dep_ == "conj" and self.mention_at[g.i] is not None)]
            return _unique([a for t in listed for a in self.actors_of(self.mention_at[t.i])])
        leaders = [self.mention_at[g.i] for c in children if c.dep_ == "amod" and c.lemma_.lower() == "lead" for g in children_of(c)]
        leaders = [m for m in leaders if m is not None]
        if leaders and token.lemma_.lower() in self.book.agent_nouns:
            return _unique([a for m in leaders for a in self.actors_of(m)])  # "the US-led coalition": led, so acting, by the US
        if token.lower_ in _PARTITIVES:  # "most of the armed opposition groups"
            for child in children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    return [a for o in children_of(child) if o.dep_ == "pobj" for a in self.resolve(o, loose)]
        if loose or token.lemma_.lower() in self.book.agent_nouns or token.lower_ in self.book.agent_nouns:
            named = self._person_named_after(token)
            if named is not None:
                return [named]
            for child in children:
                if child.dep_ == "poss":
                    found = self._resolve_one(child, loose, depth + 1)
                    if found:
                        return found
            for child in children:
                if child.dep_ == "prep" and child.lower_ in ("of", "from", "including", "in"):  # "the government in Damascus"
                    for obj in children_of(child):
                        if obj.dep_ == "pobj":
                            found = self.resolve(obj, loose)
                            if found:
                                return found
        return []

    def pronoun(self, token: Token) -> list[str]:
        """A pronoun's actor: the clause's relative head, the reporting speaker, else the last fitting actor."""
        word = token.lower_
        if word in _RELATIVE:
            verb = token.head
            if verb.dep_ == "relcl" and verb.head.i != verb.i:
                return self._resolve_one(verb.head, False, 1)
            return []
        speaker = self._reporting_speaker(token)
        if speaker is not None:
            return speaker  # the speaker, even one no registry knows: never a guess from further back
        return self._antecedent(token)

    def _reporting_speaker(self, token: Token) -> list[str] | None:
        """'Leaders of the coalition said they will not go': "they" is who said it (None: no one said it)."""
        if token.dep_ not in ("nsubj", "nsubjpass", "poss"):
            return None
        node = token.head
        for _ in range(_MAX_HOPS):
            if self.block[node.head.i] != self.block[node.i]:
                return None
            if node.dep_ == "ccomp" and node.head.lemma_.lower() in self.book.speech_verbs:
                subjects = [c for c in children_of(node.head) if c.dep_ in SUBJECT_DEPS]
                found = [a for s in subjects for a in self.resolve(s)] if subjects else self.inherited_subject(node.head)
                if subjects and not found:
                    return []
                if self._pronoun_fits(token, found):
                    return found
                # "Hijab, the committee's general coordinator, said it would not return": the body he speaks for
                bodies = [a for s in subjects for c in children_of(s) if c.dep_ == "appos" for a in self._body_of_title(c)]
                return bodies if self._pronoun_fits(token, bodies) else None
            if node.dep_ not in ("xcomp", "conj", "ccomp") or node.head.i == node.i:
                return None
            node = node.head
        return None

    def _body_of_title(self, title: Token) -> list[str]:
        """'the committee's general coordinator', 'a spokesman for the committee': the committee."""
        found = [a for c in children_of(title) if c.dep_ == "poss" for a in self.resolve(c)]
        for prep in (c for c in children_of(title) if c.dep_ == "prep" and c.lower_ in ("of", "for")):
            found.extend(a for o in children_of(prep) if o.dep_ == "pobj" for a in self.resolve(o))
        return _unique(found)

    def _fits(self, token: Token, actor: str) -> bool:
        """'he' is a person; 'they' may be people or a body; 'we' and 'it' stand for a body."""
        word = token.lower_
        if word in self.book.person_pronouns:
            return self.kinds.get(actor) == "person"
        if word in _PLURAL:
            return True
        return self.kinds.get(actor) != "person"

    def _pronoun_fits(self, token: Token, actors: list[str]) -> bool:
        return bool(actors) and all(self._fits(token, a) for a in actors)

    def _antecedent(self, token: Token) -> list[str]:
        """The nearest actor before the pronoun, in its sentence or the one before, of the fitting kind."""
        if token.lower_ not in self.book.person_pronouns and token.lower_ not in self.book.group_pronouns:
            return []
        owner_of_agents = token.lower_ == "its" and token.dep_ == "poss" and self._stands_for_group(token.head)
        acting_it = token.lower_ == "it" and token.dep_ in _SUBJECTS_FIRST
        if token.lower_ in ("it", "its", "we", "our", "us", "ours") and not owner_of_agents and not acting_it:
            # "it" is more often a thing than an actor, but "its aircraft" or "its delegation" belong to one;
            # "we" is whoever speaks, found above or not at all
            return []
        floor = self.layout.sent_start[token.i]
        if floor > 0:
            floor = self.layout.sent_start[floor - 1]
        at = bisect.bisect_left(self.mention_tokens, token.i) - 1
        fitting: list[tuple[int, str]] = []
        while at >= 0 and self.mention_tokens[at] >= floor:
            k = self.mention_tokens[at]
            mention = self.mention_at[k]
            if self._fits(token, mention.actor):
                fitting.append((k, mention.actor))
            at -= 1
        # A subject is the likelier antecedent: "Kerry said … did not include Mr. Assad. But he refrained …".
        subjects = [k for k, actor in fitting if self._mention_root(k).dep_ in _SUBJECTS_FIRST]
        if acting_it:
            return self._last_subject(token, floor)
        if token.lower_ in _PLURAL and not subjects:
            return []  # "they" stands for a group that did something, not for the last name in passing
        chosen = subjects[0] if subjects else (fitting[0][0] if fitting else None)
        if chosen is None:
            return []
        if token.lower_ in _PLURAL:
            return self._named_together(self._mention_root(chosen))  # "Balian and his deputy, Stock, …. They plan to …"
        return [self.mention_at[chosen].actor]

    def _last_subject(self, token: Token, floor: int) -> list[str]:
        """'The center has worked there since 2011, when it sent an envoy': "it" doing something is the
        body that was the last subject before it, and nothing when that subject was a thing ("the deal")."""
        for k in range(token.i - 1, floor - 1, -1):
            word = self.doc[k]
            if word.dep_ not in _SUBJECTS_FIRST or word.lower_ == "it":
                continue
            mention = self.mention_at[k]
            if mention is None or self.kinds.get(mention.actor) == "person":
                return []
            return [mention.actor]
        return []

    def _listed_with(self, mention: Mention) -> list[str]:
        """'neither Russian nor Syrian aircraft': the nationalities listed before the one that carries the noun."""
        found: list[str] = []
        for word in self.doc.char_span(mention.start, mention.end, alignment_mode="expand") or []:
            head = word
            while head.dep_ == "conj" and head.pos_ == "ADJ" and head.head.i != head.i:
                head = head.head
                other = self.mention_at[head.i]
                if other is None or other is mention:
                    break
                found.extend(self.actors_of(other))
        return found

    def _person_after_possessive(self, token: Token) -> str | None:
        """"…, Jubeir and Turkey's Feridun Sinirlioglu": when the parser lists the state, the person it owns acts."""
        cases = [c.i for c in children_of(token) if c.dep_ == "case" and c.lower_ in ("'s", "’s", "'")]
        if not cases or max(cases) + 1 >= len(self.doc):
            return None
        after = self.mention_at[max(cases) + 1]
        return after.actor if after is not None and self.kinds.get(after.actor) == "person" else None

    def _person_named_after(self, token: Token) -> str | None:
        """"Russia's top diplomat, Sergei Lavrov,": the person in apposition, however the parser hung the name."""
        k = token.i + 1
        if k + 1 >= len(self.doc) or self.doc[k].text != ",":
            return None
        after = self.mention_at[k + 1]
        return after.actor if after is not None and self.kinds.get(after.actor) == "person" else None

    def actors_of(self, mention: Mention) -> list[str]:
        return _unique(self.sharing.get((mention.start, mention.end)) or [mention.actor])

    def _named_together(self, root: Token) -> list[str]:
        """The actors a coordinated subject names, titles and appositions included: "Balian, head of the
        programme, and his deputy, Stock" is Balian and Stock (not the programme they belong to)."""
        found = self.resolve(root)
        if not found or self.kinds.get(found[0]) != "person":
            return found
        subject = root
        while subject.dep_ in ("appos", "conj", "compound") and subject.head.i != subject.i:
            subject = subject.head
        subjects = [subject]
        if subject.dep_ in ("nsubj", "nsubjpass"):  # the parser may give the verb two subjects instead of one pair
            subjects = [c for c in children_of(subject.head) if c.dep_ in ("nsubj", "nsubjpass")]
        people = []
        for word in (w for s in subjects for w in s.subtree):
            mention = self.mention_at[word.i]
            if mention is not None and self.kinds.get(mention.actor) == "person" and word.dep_ not in ("poss", "pobj"):
                people.append(mention.actor)
        return _unique(found + people)

    def _stands_for_group(self, token: Token) -> bool:
        return token.lemma_.lower() in self.book.agent_nouns or token.lower_ in self.book.agent_nouns

    def _mention_root(self, k: int) -> Token:
        """The token of a mention that the rest of the sentence hangs it from."""
        mention = self.mention_at[k]
        token = self.doc[k]
        while token.head.i != token.i and self.mention_at[token.head.i] is mention:
            token = token.head
        return token

    # -- the arguments of a verb ------------------------------------------------------

    def of_verb(self, verb: Token, used: frozenset[int], preps: frozenset[str] = RECIPIENT_PREPS, joint: bool = False) -> Arguments:
        children = list(children_of(verb))
        passive = any(c.dep_ in ("nsubjpass", "auxpass", "agent") for c in children)
        subjects = [c for c in children if c.dep_ in SUBJECT_DEPS]
        passive_subjects = [c for c in children if c.dep_ == "nsubjpass"]
        agents = [o for c in children if c.dep_ == "agent" for o in children_of(c) if o.dep_ == "pobj"]
        objects = [c for c in children if c.dep_ in OBJECT_DEPS and c.i not in used]
        by_prep, parties, partners = self._prepositional(verb, used, preps, joint)
        actors, recipients = _Named(), _Named()
        if passive:
            for t in agents:
                actors.add(*self.named(t))
            for t in passive_subjects + objects:
                recipients.add(*self.named(t, loose=True))
            direct = bool(actors.ids)
        else:
            for t in subjects:
                actors.add(*self.named(t))
            direct = bool(actors.ids)
            if not subjects:
                actors.ids = self.inherited_subject(verb)
            for t in objects:
                recipients.add(*self.named(t, loose=True))
        recipients.add(by_prep.ids, by_prep.words)
        if actors.ids:
            actors.add(partners.ids, partners.words)
        return _with_parties(actors, recipients, parties, direct)

    def _prepositional(self, head: Token, used: frozenset[int], preps: frozenset[str], joint: bool = False) -> tuple[_Named, _Named, _Named]:
        """Recipients from "with/to/against X", parties from "between X and Y", and, for a joint act,
        partners from "with X" ("announced the plan with Lavrov")."""
        recipients, parties, partners = _Named(), _Named(), _Named()
        owners = [head] + [self.doc[i] for i in sorted(used) if i != head.i]
        owners += [c for c in children_of(head) if c.dep_ in OBJECT_DEPS and c.i not in used]  # "negotiated the text with X"
        for owner in owners:
            for prep in children_of(owner):
                if prep.dep_ not in ("prep", "dative"):
                    continue
                word = prep.lower_
                objects = [o for o in children_of(prep) if o.dep_ == "pobj" and o.i not in used]
                if word in PARTY_PREPS:
                    for o in objects:
                        parties.add(*self.named(o))
                elif joint and word == "with":
                    for o in objects:
                        partners.add(*self.named(o))
                elif word in preps or prep.i in used:
                    for o in objects:
                        recipients.add(*self.named(o, loose=True))
        return recipients, parties, partners

    def inherited_subject(self, verb: Token) -> list[str]:
        """The doer of a verb with no subject of its own: "plans to convene", "arrived and met"."""
        node = verb
        for _ in range(_MAX_HOPS):
            dep, head = node.dep_, node.head
            if head.i == node.i:
                return []
            if self.block[head.i] != self.block[node.i]:
                return self._paragraph_subject(node)
            if dep == "xcomp" or (dep == "advcl" and any(c.lower_ == "to" for c in children_with(node, ("aux",)))):
                if head.lemma_.lower() in self.book.object_control:
                    controllers = children_with(head, OBJECT_DEPS)
                    if controllers:
                        return self.resolve(controllers[0])
            elif dep == "relcl":
                return self.resolve(head)
            elif dep == "acl":
                owners = children_with(head, ("poss",))
                if owners:
                    return self.resolve(owners[0])
                if head.lemma_.lower() in self.book.agent_nouns or self._doer_noun(node, head):
                    return self.resolve(head)  # "the countries arming the rebels": the countries, named or not
                return self.governing_doer(head)  # "broke a promise to host": who broke it
            elif dep == "pcomp":
                node = head.head if head.dep_ == "prep" else head
                found = self._subject_here(node)
                if found is not None:
                    return found
                continue
            elif dep == "dep" and not (node.pos_ == "VERB" and head.pos_ == "VERB"):
                return []  # a loose "dep" between two verbs is a coordination the parser missed ("invited …, then withdrew")
            elif dep not in ("conj", "xcomp", "advcl", "acomp", "dep"):  # "are due to meet", "is ready to attend"
                return []
            if dep == "conj" and self._speaker_goes_on(node, head):
                # "X said the people deserved a rest and urged …": X urged, not the people
                found = self._subject_here(head.head)
                if found is not None:
                    return found
                node = head.head
                continue
            # "The council is expected to vote", "Naumkin was asked to moderate": the passive's subject acts.
            found = self._subject_here(head, passive=dep == "xcomp")
            if found is not None:
                return found
            if has_child_with(head, ("nsubjpass", "auxpass")):
                # "a convoy was struck, killing 20": whoever struck it, which the text does not say
                return [a for c in children_with(head, ("agent",)) for o in children_with(c, ("pobj",)) for a in self.resolve(o)]
            node = head
        return []

    def _paragraph_subject(self, verb: Token) -> list[str]:
        """When the parser ran a headline into the paragraph below it, the paragraph's opening noun
        phrase is left hanging from the headline: it is the subject the verb lost."""
        block = self.block[verb.i]
        k = verb.i - 1
        start = verb.i
        while k >= 0 and self.block[k] == block:
            start = k
            k -= 1
        for token in self.doc[start:verb.i]:
            if token.pos_ in ("NOUN", "PROPN") and self.block[token.head.i] != block:
                return self.resolve(token)
        return []

    def _doer_noun(self, participle: Token, noun: Token) -> bool:
        """'the countries arming the rebels': the noun does what its participle says; 'an attack killing
        ten' is an event, done by whoever made it."""
        lemma = noun.lemma_.lower()
        said = lemma in self.book.speech_nouns or noun.lower_ in self.book.speech_nouns  # "a statement demanding …"
        named = noun.dep_ in OBJECT_DEPS  # "urged the countries arming …": the one urged, not the one urging
        return participle.tag_ == "VBG" and named and not said and lemma not in self.book.nouns and noun.lower_ not in self.book.nouns

    def _speaker_goes_on(self, verb: Token, head: Token) -> bool:
        """A speaker's second act the parser hung on what he said: "said the talks had failed and urged
        both sides to return". Only an act a speaker does to someone (urge, ask, call) is taken so; "said
        the army shelled the town and killed ten" keeps the army."""
        return (
            head.dep_ == "ccomp"
            and head.head.lemma_.lower() in self.book.speech_verbs
            and verb.lemma_.lower() in self.book.object_control
            and not any(c.dep_ in SUBJECT_DEPS for c in children_of(verb))
        )

    def _subject_here(self, verb: Token, passive: bool = False) -> list[str] | None:
        deps = SUBJECT_DEPS | {"nsubjpass"} if passive else SUBJECT_DEPS
        subjects = children_with(verb, deps)
        if not subjects:
            return None
        return [a for s in subjects for a in self.resolve(s)]

    # -- the arguments of a noun ---------------------------------------------------------

    def of_noun(self, noun: Token, used: frozenset[int], preps: frozenset[str] = RECIPIENT_PREPS, joint: bool = False) -> Arguments:
        """'Kerry's visit to Moscow', 'a meeting between X and Y', 'talks with X' (else the governing verb's doer)."""
        actors = _Named()
        for child in children_of(noun):
            if child.dep_ == "poss":
                actors.add(*self.named(child))
            elif child.dep_ == "acl" and child.tag_ == "VBN":  # "a conference proposed by Kerry and Lavrov"
                for o in (o for g in children_of(child) if g.dep_ == "agent" for o in children_of(g) if o.dep_ == "pobj"):
                    actors.add(*self.named(o))
            elif child.dep_ in ("compound", "amod", "nmod") and child.i not in used and self.mention_at[child.i] is not None:
                actors.add([self.mention_at[child.i].actor], [child.text])
            elif child.dep_ == "prep" and child.lower_ == "by":
                for o in (o for o in children_of(child) if o.dep_ == "pobj"):
                    actors.add(*self.named(o))
        recipients, parties, partners = self._prepositional(noun, used, preps, joint)
        # A gerund keeps its object: "denied meeting Kerry".
        for c in children_of(noun):
            if c.dep_ in ("dobj", "npadvmod") and c.i not in used:
                recipients.add(*self.named(c))
        direct = bool(actors.ids or parties.ids)
        if not actors.ids and not parties.ids:
            actors.ids = self.governing_doer(noun)
        if actors.ids:
            actors.add(partners.ids, partners.words)
        return _with_parties(actors, recipients, parties, direct)

    def governing_doer(self, noun: Token) -> list[str]:
        """Who holds the talks a noun names: the subject of the verb the noun is the object of, or hangs under."""
        node = noun
        for _ in range(_MAX_HOPS * 2):
            dep, head = node.dep_, node.head
            if head.i == node.i or dep in ("nsubj", "nsubjpass", "ROOT", "appos") or self.block[head.i] != self.block[node.i]:
                return []
            if head.pos_ in ("VERB", "AUX"):
                found = self._subject_here(head)
                if found is not None:
                    return found
                passive_agents = [o for c in children_of(head) if c.dep_ == "agent" for o in children_of(c) if o.dep_ == "pobj"]
                if passive_agents:
                    return [a for t in passive_agents for a in self.resolve(t)]
                return self.inherited_subject(head)
            node = head
        return []
