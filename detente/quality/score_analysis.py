"""Scoring events, stances, claims and disputes against the gold file.

The gold (`examples/syria/gold.yaml`, rules in `examples/syria/README.md`)
points at each fact with a short verbatim phrase, not with offsets, so it
survives changes to the cleaner. The phrase is found again in the stored
clean text (whitespace and quote style ignored) and a stored row counts as
the same fact when its span falls in the right place:

- an event or a dispute side: anywhere in the sentence holding the phrase,
  because an extractor may keep only the trigger word or the whole clause;
- a claim: on the phrase itself, because a sentence often carries several
  figures.

The gold does not annotate headlines (they repeat the lead), so stored rows
that lie in the headline are left out: neither rewarded nor counted as extra.

Scores go into the `Report`/`Score` objects of `detente.quality.score`, so one
report can hold every stage. Kinds: `events.type` (type in the right
sentence), `events.type_actors` (and the same set of actors), `events.date`,
`events.status` (and the same date / status), `stances` ((actor, target)
pairs), `stances.polarity` (accuracy over matched pairs), `claims` (property
and numbers on the phrase), `claims.attributed_to`, `disputes`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Engine, Table, select

from detente.quality.score import Report, source_key
from detente.store.schema import claims, disputes, documents, events, quotes, stances

EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
EVENT_MODES = {
    "CONSULT": ("visit", "third-party", "multilateral", "phone"),
    "REJECT": ("meet", "yield", "change", "assist"),
    "REQUEST": ("meet", "yield", "change", "assist"),
    "AID": ("military", "humanitarian", "economic"),
    "COERCE": ("arrest", "detain"),
    "ASSAULT": ("bombing",),
}
EVENT_STATUSES = ("reported", "planned", "cancelled", "denied", "hypothetical")
POLARITIES = ("support", "oppose", "condition")
CLAIM_PROPERTIES = (
    "death_toll", "displaced", "refugees", "seats", "members", "votes", "detainees", "besieged", "delegations", "aid_trucks",
    "evacuated", "duration", "deadline", "subjects", "money_pledged",
)
CLAIM_UNITS = ("people", "seats", "votes", "members", "trucks", "percent", "hours", "days", "weeks", "months", "years", "subjects", "USD")
DISPUTE_KINDS = ("contradiction", "correction", "rebuttal")

# The stored row a dispute side points at (disputes.a_kind / b_kind), singular or plural.
SIDE_TABLES: dict[str, Table] = {
    name: table
    for table in (quotes, claims, events, stances)
    for name in (table.name, table.name.rstrip("s"))
}

_QUOTES = {"'": "'‘’", "‘": "'‘’", "’": "'‘’", '"': '"“”', "“": '"“”', "”": '"“”'}
_ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_TRAILING_OPENER = re.compile(r"\s+([\"“‘(«]+)$")
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

Span = tuple[int, int]


# ------------------------------------------------------------------ finding the gold phrase


def _phrase_pattern(phrase: str) -> re.Pattern:
    """Whitespace runs match any whitespace (07 is hard-wrapped); straight and curly quotes match each other."""
    parts = []
    for word in phrase.split():
        parts.append("".join(f"[{re.escape(_QUOTES[ch])}]" if ch in _QUOTES else re.escape(ch) for ch in word))
    return re.compile(r"\s+".join(parts))


def phrase_spans(text: str, phrase: str) -> list[Span]:
    """Every place the gold phrase occurs in a document's clean text."""
    if not phrase or not phrase.strip():
        return []
    return [m.span() for m in _phrase_pattern(phrase).finditer(text)]


@lru_cache(maxsize=1)
def _sentencizer():
    """A rule-based splitter: the store keeps no sentences, and the scorer must not depend on the model."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@lru_cache(maxsize=64)
def sentence_spans(text: str) -> tuple[Span, ...]:
    """Sentences of a clean text; a blank line always ends one (headlines carry no full stop)."""
    nlp = _sentencizer()
    spans: list[Span] = []
    for paragraph in re.finditer(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)", text, flags=re.S):
        offset = paragraph.start()
        bounds = [(offset + s.start_char, offset + s.end_char) for s in nlp(paragraph.group()).sents]
        for k in range(len(bounds) - 1):
            # The splitter leaves an opening quote mark at the end of the sentence before it.
            opener = _TRAILING_OPENER.search(text, bounds[k][0], bounds[k][1])
            if opener:
                bounds[k], bounds[k + 1] = (bounds[k][0], opener.start()), (opener.start(1), bounds[k + 1][1])
        spans += bounds
    return tuple(spans)


def sentences_with(text: str, phrase: str) -> list[Span]:
    """The sentences that hold the phrase (from the first to the last sentence it touches)."""
    found = []
    for start, end in phrase_spans(text, phrase):
        touched = [s for s in sentence_spans(text) if _overlaps(s, (start, end))]
        found.append((touched[0][0], touched[-1][1]) if touched else (start, end))
    return found


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _inside(row, spans: Iterable[Span]) -> bool:
    return any(_overlaps((row.start, row.end), span) for span in spans)


def _distance(row, spans: Sequence[Span]) -> int:
    return min((abs(row.start - s[0]) for s in spans), default=0)


def headline_span(doc: Mapping) -> Span | None:
    """Where the title stands as the text's first paragraph, as the cleaner leaves it; None if it does not."""
    title = " ".join(str(doc.get("title") or "").split())
    text = doc["text"]
    first = re.match(r"\s*(\S.*?)(?:\s*\n\s*\n|\s*$)", text, flags=re.S)
    if not title or first is None or " ".join(first.group(1).split()) != title:
        return None
    return first.span(1)


def _body_rows(rows: Iterable, doc: Mapping, start: Callable = lambda row: row.start) -> list:
    """Stored rows outside the headline."""
    headline = headline_span(doc)
    return [row for row in rows if headline is None or not headline[0] <= start(row) < headline[1]]


# ------------------------------------------------------------------ comparing values


def _date(value) -> str | None:
    """Gold dates may be quoted strings or YAML dates; both compare as ISO text."""
    return None if value is None else str(value)


def _numbers_agree(want, got) -> bool:
    if want is None or got is None:
        return want is None and got is None
    return abs(float(want) - float(got)) <= 1e-6 * max(1.0, abs(float(want)))


def _label(expected: dict) -> str:
    return expected.get("file", "?")


def _assign(wanted: Sequence, found: Sequence, eligible: Callable, fit: Callable) -> dict[int, int]:
    """Pair gold items with stored rows one to one, best-fitting pairs first (`fit`: larger is better).

    Taking gold items in order would let an early one take the row that a later
    one fits exactly; pairing by fit over all candidates avoids that. Ties keep
    gold order, then stored order.
    """
    pairs = [(i, j) for i, want in enumerate(wanted) for j, got in enumerate(found) if eligible(want, got)]
    pairs.sort(key=lambda pair: tuple(-float(x) for x in fit(wanted[pair[0]], found[pair[1]])))
    chosen: dict[int, int] = {}
    taken: set[int] = set()
    for i, j in pairs:
        if i not in chosen and j not in taken:
            chosen[i] = j
            taken.add(j)
    return chosen


# ------------------------------------------------------------------ events


def score_events(report: Report, expected: dict, conn, doc: Mapping) -> None:
    """Each gold event takes at most one stored event of its type in its sentence."""
    columns = (events.c.type, events.c.actors, events.c.date, events.c.status, events.c.start, events.c.end)
    found = _body_rows(conn.execute(select(*columns).where(events.c.doc == doc["id"]).order_by(events.c.start)).all(), doc)
    wanted = expected.get("events") or []
    where = [sentences_with(doc["text"], want["text"]) for want in wanted]
    chosen = _assign(
        range(len(wanted)), found,
        lambda i, f: f.type == wanted[i]["type"] and _inside(f, where[i]),
        lambda i, f: (
            set(f.actors or []) == set(wanted[i].get("actors") or []),
            _date(f.date) == _date(wanted[i].get("date")),
            f.status == wanted[i].get("status", "reported"),
            -_distance(f, where[i]),
        ),
    )
    typed = with_actors = dated = with_status = 0
    for i, want in enumerate(wanted):
        what = f"{_label(expected)}: {want['type']} {want.get('actors')} {want['text'][:50]!r}"
        if not where[i]:
            report.miss("events.type", f"{what}: gold text not in the document")
            continue
        if i not in chosen:
            report.miss("events.type", f"{what}: missed")
            continue
        got = found[chosen[i]]
        typed += 1
        if set(got.actors or []) == set(want.get("actors") or []):
            with_actors += 1
        else:
            report.miss("events.type_actors", f"{what}: got actors {sorted(got.actors or [])}")
        if _date(got.date) == _date(want.get("date")):
            dated += 1
        else:
            report.miss("events.date", f"{what}: want {_date(want.get('date'))}, got {got.date}")
        if got.status == want.get("status", "reported"):
            with_status += 1
        else:
            report.miss("events.status", f"{what}: want {want.get('status')}, got {got.status}")
    _miss_extras(report, "events.type", expected, found, chosen,
                 lambda f: f"{f.type} {sorted(f.actors or [])} at {doc['text'][f.start:f.end][:50]!r}")
    report.score("events.type").add(typed, len(found), len(wanted))
    report.score("events.type_actors").add(with_actors, len(found), len(wanted))
    report.score("events.date").add(dated, len(found), len(wanted))
    report.score("events.status").add(with_status, len(found), len(wanted))


# ------------------------------------------------------------------ stances


def score_stances(report: Report, expected: dict, conn, doc: Mapping) -> None:
    """Stances pair by (actor, target); a stored stance in the gold phrase's sentence is preferred.

    The same pair may be stated several times in one report (a series), so
    pairing is one to one, and polarity is compared on the pairs made.
    """
    columns = (stances.c.actor, stances.c.target, stances.c.polarity, stances.c.start, stances.c.end)
    found = _body_rows(conn.execute(select(*columns).where(stances.c.doc == doc["id"]).order_by(stances.c.start)).all(), doc)
    wanted = expected.get("stances") or []
    where = [sentences_with(doc["text"], want["text"]) for want in wanted]
    chosen = _assign(
        range(len(wanted)), found,
        lambda i, f: (f.actor, f.target) == (wanted[i]["actor"], wanted[i]["target"]),
        lambda i, f: (_inside(f, where[i]), f.polarity == wanted[i]["polarity"], -_distance(f, where[i])),
    )
    same_polarity = 0
    for i, want in enumerate(wanted):
        what = f"{_label(expected)}: {want['actor']} {want['polarity']} {want['target']}"
        if i not in chosen:
            report.miss("stances", f"{what}: missed ({want['text'][:50]!r})")
        elif found[chosen[i]].polarity == want["polarity"]:
            same_polarity += 1
        else:
            report.miss("stances.polarity", f"{what}: got {found[chosen[i]].polarity}")
    matched = len(chosen)
    _miss_extras(report, "stances", expected, found, chosen, lambda f: f"{f.actor} {f.polarity} {f.target}")
    report.score("stances").add(matched, len(found), len(wanted))
    report.score("stances.polarity").add(same_polarity, matched, matched)


# ------------------------------------------------------------------ claims


def score_claims(report: Report, expected: dict, conn, doc: Mapping) -> None:
    """A claim matches on its phrase with the same property and the same value / low / high."""
    columns = (
        claims.c.subject, claims.c.property, claims.c.value, claims.c.low, claims.c.high,
        claims.c.attributed_to, claims.c.start, claims.c.end,
    )
    found = _body_rows(conn.execute(select(*columns).where(claims.c.doc == doc["id"]).order_by(claims.c.start)).all(), doc)
    wanted = expected.get("claims") or []
    where = [phrase_spans(doc["text"], want["text"]) for want in wanted]
    chosen = _assign(
        range(len(wanted)), found,
        lambda i, f: _inside(f, where[i]) and f.property == wanted[i]["property"]
        and all(_numbers_agree(wanted[i].get(k), getattr(f, k)) for k in ("value", "low", "high")),
        lambda i, f: (f.attributed_to == wanted[i].get("attributed_to"), f.subject == wanted[i].get("subject")),
    )
    attributed = 0
    for i, want in enumerate(wanted):
        what = f"{_label(expected)}: {want['property']} {want['text']!r}"
        if i not in chosen:
            near = [(f.property, f.value, f.low, f.high) for f in found if _inside(f, where[i])]
            report.miss("claims", f"{what}: missed" + (f"; got {near}" if near else ""))
        elif found[chosen[i]].attributed_to == want.get("attributed_to"):
            attributed += 1
        else:
            report.miss("claims.attributed_to", f"{what}: want {want.get('attributed_to')}, got {found[chosen[i]].attributed_to}")
    matched = len(chosen)
    _miss_extras(report, "claims", expected, found, chosen, lambda f: f"{f.property} {doc['text'][f.start:f.end]!r}")
    report.score("claims").add(matched, len(found), len(wanted))
    report.score("claims.attributed_to").add(attributed, len(found), len(wanted))


# ------------------------------------------------------------------ disputes


class _SideSpan(NamedTuple):
    doc: str
    start: int
    end: int


def _side(conn, dispute, prefix: str) -> _SideSpan | None:
    """Where one side of a stored dispute lies: its own span columns, else the row it points at."""
    doc, start, end = (getattr(dispute, f"{prefix}_{key}") for key in ("doc", "start", "end"))
    if doc is not None:
        return _SideSpan(doc, start, end)
    table = SIDE_TABLES.get((getattr(dispute, f"{prefix}_kind") or "").lower())
    if table is None:
        return None
    row = conn.execute(select(table.c.doc, table.c.start, table.c.end).where(table.c.id == getattr(dispute, f"{prefix}_id"))).first()
    return _SideSpan(*row) if row else None


def score_disputes(report: Report, expected: dict, conn, doc: Mapping, files: Mapping[str, Mapping] | None = None) -> None:
    """Disputes belong to the document of their b side (the correcting or rebutting statement).

    A side matches when the row it points at lies in the sentence holding the
    gold phrase of that side; a contradiction has no direction, so its sides
    may come in either order. `files` (gold file name → stored document, as
    `documents_by_file` gives it) finds a side that lies in another file.
    """
    by_file = dict(files or {})
    by_file.setdefault(_label(expected), doc)
    stored = _body_rows(_disputes_answered_in(conn, doc["id"]), doc, start=lambda item: item[2].start)
    wanted = expected.get("disputes") or []
    sides = [(_side_sentences(by_file, want["a"]), _side_sentences(by_file, want["b"])) for want in wanted]

    def same(i: int, item: tuple) -> bool:
        kind, a, b = item
        (where_a, where_b) = sides[i]
        forward = _side_in(a, where_a) and _side_in(b, where_b)
        backward = kind == "contradiction" and _side_in(a, where_b) and _side_in(b, where_a)
        return kind == wanted[i]["kind"] and (forward or backward)

    chosen = _assign(range(len(wanted)), stored, same, lambda i, item: ())
    for i, want in enumerate(wanted):
        if i not in chosen:
            report.miss("disputes", f"{_label(expected)}: missed {want['kind']}: {want['b']['text'][:50]!r} vs {want['a']['text'][:50]!r}")
    matched = len(chosen)
    _miss_extras(report, "disputes", expected, stored, chosen,
                 lambda row: f"{row[0]} at {doc['text'][row[2].start:row[2].end][:50]!r}")
    report.score("disputes").add(matched, len(stored), len(wanted))


def _disputes_answered_in(conn, doc_id: str) -> list[tuple]:
    """(kind, a side, b side) of the stored disputes whose b side lies in this document."""
    stored = []
    for dispute in conn.execute(select(disputes).order_by(disputes.c.id)):
        a, b = _side(conn, dispute, "a"), _side(conn, dispute, "b")
        if b is not None and b.doc == doc_id:
            stored.append((dispute.kind, a, b))
    return stored


def _side_sentences(by_file: Mapping[str, Mapping], side: dict) -> tuple[str | None, list[Span]]:
    doc = by_file.get(side.get("file"))
    if doc is None:
        return None, []
    return doc["id"], sentences_with(doc["text"], side["text"])


def _side_in(row, where: tuple[str | None, list[Span]]) -> bool:
    doc_id, spans = where
    return row is not None and row.doc == doc_id and _inside(row, spans)


# ------------------------------------------------------------------ the whole store


def documents_by_file(conn, gold: Iterable[dict]) -> dict[str, dict]:
    """Gold file names → stored documents, by source file, else by title (JSONL lines have no file of their own)."""
    rows = [dict(r._mapping) for r in conn.execute(select(documents))]
    by_key = {source_key(r["uri"] or ""): r for r in rows}
    by_title = {" ".join((r["title"] or "").split()).lower(): r for r in rows}
    found = {}
    for entry in gold:
        doc = by_key.get(entry["file"]) or by_title.get(" ".join(str(entry.get("title") or "").split()).lower())
        if doc is not None:
            found[entry["file"]] = doc
    return found


def score_analysis(engine: Engine, gold: Iterable[dict], report: Report | None = None) -> Report:
    """Score every gold document's events, stances, claims and disputes; add to `report` if given."""
    report = report if report is not None else Report()
    gold = list(gold)
    with engine.connect() as conn:
        by_file = documents_by_file(conn, gold)
        for expected in gold:
            doc = by_file.get(expected["file"])
            if doc is None:
                if expected["file"] not in report.misses.get("documents", []):
                    report.miss("documents", expected["file"])
                continue
            score_events(report, expected, conn, doc)
            score_stances(report, expected, conn, doc)
            score_claims(report, expected, conn, doc)
            score_disputes(report, expected, conn, doc, by_file)
    return report


# ------------------------------------------------------------------ checking the gold itself


def gold_problems(
    gold: Iterable[dict], texts: Mapping[str, str], actor_ids: Iterable[str], target_ids: Iterable[str]
) -> list[str]:
    """What is wrong with the events/stances/claims/disputes of a gold file, one line per problem.

    `texts` maps each gold file name to its document's clean text. A phrase
    must occur exactly once, or the scorer cannot tell which sentence it meant.
    """
    actors, targets = set(actor_ids), set(target_ids)
    problems: list[str] = []
    for entry in gold:
        name = entry["file"]
        say = lambda what, name=name: problems.append(f"{name}: {what}")  # noqa: E731
        for event in entry.get("events") or []:
            _check_event(event, actors, say)
            _check_phrase(texts, name, event.get("text"), "event", say)
        for stance in entry.get("stances") or []:
            _check_stance(stance, actors, targets, say)
            _check_phrase(texts, name, stance.get("text"), "stance", say)
        for claim in entry.get("claims") or []:
            _check_claim(claim, actors, say)
            _check_phrase(texts, name, claim.get("text"), "claim", say)
        for dispute in entry.get("disputes") or []:
            if dispute.get("kind") not in DISPUTE_KINDS:
                say(f"dispute kind {dispute.get('kind')!r} is not one of {', '.join(DISPUTE_KINDS)}")
            for key in ("a", "b"):
                side = dispute.get(key) or {}
                _check_phrase(texts, side.get("file"), side.get("text"), f"dispute side {key}", say)
    return problems


def _check_event(event: dict, actors: set[str], say: Callable[[str], None]) -> None:
    kind = event.get("type")
    if kind not in EVENT_TYPES:
        say(f"event type {kind!r} is not a PLOVER type ({', '.join(EVENT_TYPES)})")
    if event.get("mode") is not None and event["mode"] not in EVENT_MODES.get(kind, ()):
        say(f"mode {event['mode']!r} is not a mode of {kind} ({', '.join(EVENT_MODES.get(kind, ())) or 'none'})")
    if event.get("status", "reported") not in EVENT_STATUSES:
        say(f"status {event.get('status')!r} is not one of {', '.join(EVENT_STATUSES)}")
    for actor in [*(event.get("actors") or []), *(event.get("recipients") or [])]:
        if actor not in actors:
            say(f"event actor {actor!r} is not in actors.yaml")
    if not _valid_date(event.get("date")):
        say(f"event date {event.get('date')!r} is not an ISO prefix (2013, 2013-05, 2013-05-07) or a START/END range")


def _check_stance(stance: dict, actors: set[str], targets: set[str], say: Callable[[str], None]) -> None:
    if stance.get("actor") not in actors:
        say(f"stance actor {stance.get('actor')!r} is not in actors.yaml")
    if stance.get("target") not in targets | actors:
        say(f"stance target {stance.get('target')!r} is neither in targets.yaml nor in actors.yaml")
    if stance.get("polarity") not in POLARITIES:
        say(f"polarity {stance.get('polarity')!r} is not one of {', '.join(POLARITIES)}")
    if (stance.get("polarity") == "condition") != bool(stance.get("condition")):
        say(f"stance {stance.get('text')!r}: a condition text goes with polarity condition, and only with it")


def _check_claim(claim: dict, actors: set[str], say: Callable[[str], None]) -> None:
    if claim.get("property") not in CLAIM_PROPERTIES:
        say(f"claim property {claim.get('property')!r} is not one of {', '.join(CLAIM_PROPERTIES)}")
    if claim.get("unit") is not None and claim["unit"] not in CLAIM_UNITS:
        say(f"claim unit {claim['unit']!r} is not one of {', '.join(CLAIM_UNITS)}")
    if not _SLUG.fullmatch(str(claim.get("subject") or "")):
        say(f"claim subject {claim.get('subject')!r} is not a slug or an actor id")
    if claim.get("attributed_to") is not None and claim["attributed_to"] not in actors:
        say(f"claim attributed_to {claim['attributed_to']!r} is not in actors.yaml (use null for the outlet's own voice)")
    if all(claim.get(k) is None for k in ("value", "low", "high")):
        say(f"claim {claim.get('text')!r} has no value, low or high")


def _check_phrase(texts: Mapping[str, str], name, phrase, what: str, say: Callable[[str], None]) -> None:
    text = texts.get(name)
    if text is None:
        say(f"{what}: no document text for {name!r}")
        return
    count = len(phrase_spans(text, phrase or ""))
    if count != 1:
        say(f"{what} text {phrase!r} occurs {count} times in {name}; quote a phrase that occurs once")


def _valid_date(value) -> bool:
    if value is None:
        return True
    parts = str(value).split("/")
    return len(parts) <= 2 and all(_ISO.fullmatch(p) for p in parts)


def _miss_extras(report: Report, kind: str, expected: dict, found: list, chosen: dict, describe) -> None:
    """Note every stored row no gold item claimed, so a failing floor shows what was extra."""
    claimed = set(chosen.values())
    for i, row in enumerate(found):
        if i not in claimed:
            report.miss(kind, f"{_label(expected)}: extra {describe(row)}")
