"""Conferences and who takes part: convened, invited, attending, refusing, supporting.

A conference is a stance target registered as one (kind `conference`) or
named by a meeting noun ("peace talks in Moscow"). Its participation table
comes from the facts that speak of it:

- stances on it: support → `supports`, opposition → `refuses`, a condition
  → `conditions`;
- events in the same sentence as such a stance, or placed where it is held
  (where those events are, else the place its name gives) and naming a
  meeting: a planned AGREE whose words convene or invite makes
  its doers `convener` and its recipients `invited`; a REJECT of meeting
  ("do not plan to attend", "refused to join the talks") makes its doers
  `refuses`; a reported CONSULT makes its parties `attends`.

A refusal the text gives without naming who refuses is kept under
"unnamed", so the table still says someone refused, and where.
"""

from __future__ import annotations

from collections import Counter

from detente.negotiation.drafting.facts import EventRow, StanceRow, StoreFacts
from detente.negotiation.drafting.parties import RoleWords, role_words
from detente.negotiation.model import Conference
from detente.nlp.stances.targets import TargetRegistry, words as target_words

UNNAMED = "unnamed"
STANCE_ENTRIES = {"support": "supports", "oppose": "refuses", "condition": "conditions"}


def conference_targets(facts: StoreFacts, targets: TargetRegistry, words: RoleWords) -> list[str]:
    """The stance targets that are meetings, in order of first mention."""
    seen: list[str] = []
    for stance in facts.stances:
        if stance.target in seen or stance.target in facts.actors:
            continue
        registered = targets.get(stance.target)
        if registered is not None:
            if registered.kind == "conference":
                seen.append(stance.target)
            continue
        name_words = set(target_words(stance.target_name or stance.target.replace("-", " ")))
        if name_words & set(words.conference_nouns):
            seen.append(stance.target)
    return seen


def draft_conferences(facts: StoreFacts, targets: TargetRegistry | None = None,
                      words: RoleWords | None = None) -> dict[str, Conference]:
    targets = targets or TargetRegistry.builtin()
    words = words or role_words()
    out: dict[str, Conference] = {}
    for target in conference_targets(facts, targets, words):
        stances = [s for s in facts.stances if s.target == target]
        conference = _conference(facts, target, stances, words)
        if conference.participants:
            out[target] = conference
    return out


def _conference(facts: StoreFacts, target: str, stances: list[StanceRow], words: RoleWords) -> Conference:
    name = stances[0].target_name or target
    conference = Conference(id=target, name=name)
    for stance in stances:
        _add(conference, stance.actor, STANCE_ENTRIES.get(stance.polarity), facts.cite("stance", stance))
    docs = {s.doc for s in stances}
    in_their_docs = [e for e in facts.events if e.doc in docs]  # no other event can share a stance's sentence
    linked = [e for e in in_their_docs if _linked(facts, e, stances, words)]
    places = Counter(e.location for e in linked if e.location)
    if not places:  # else a place its name gives ("Tarsk talks") where its reports place an event
        places = Counter(e.location for e in in_their_docs if e.location and e.location.lower() in set(target_words(name)))
    conference.place = places.most_common(1)[0][0] if places else None
    seen = {e.id for e in linked}
    linked += [e for e in in_their_docs if e.id not in seen and conference.place and e.location == conference.place
               and words.says(words.conference_nouns, e.text)]
    for event in sorted(linked, key=lambda e: e.id):
        _from_event(facts, conference, event, words)
    dates = sorted({e.date for e in linked if e.date and e.status == "planned"} | {s.date for s in stances if s.date})
    conference.date = dates[-1] if dates else None
    return conference


def _linked(facts: StoreFacts, event: EventRow, stances: list[StanceRow], words: RoleWords) -> bool:
    return any(facts.same_sentence(event.doc, event.start, event.end, s.doc, s.start, s.end) for s in stances)


def _from_event(facts: StoreFacts, conference: Conference, event: EventRow, words: RoleWords) -> None:
    source = facts.cite("event", event)
    if event.status in ("hypothetical", "denied"):
        return
    if event.type == "AGREE" and words.says(words.convening_words, event.text):
        for actor in event.actors:
            _add(conference, actor, "convener", source)
        for actor in event.recipients:
            _add(conference, actor, "invited", source)
    elif event.type == "REJECT" and (event.mode == "meet" or words.says(words.attendance_words, event.text)):
        for actor in event.actors or (UNNAMED,):
            _add(conference, actor, "refuses", source)
    elif event.type == "CONSULT" and event.status == "reported" and event.location and event.location == conference.place:
        for actor in (*event.actors, *event.recipients):
            _add(conference, actor, "attends", source)


def _add(conference: Conference, actor: str, entry: str | None, source: str) -> None:
    if entry is None:
        return
    entries = conference.participants.setdefault(actor, [])
    if entry not in entries:
        entries.append(entry)
    key = f"{actor}:{entry}"
    if source not in conference.sources.get(key, ""):
        conference.sources[key] = f"{conference.sources[key]}; {source}" if key in conference.sources else source
