"""A large store of generated but realistic rows, in seconds, for the benchmarks of what reads a store.

Running the NLP pipeline on 10,000 documents takes hours; the report, the web
app and the exports only need rows shaped like the pipeline's. This module
writes them straight into a store with batched SQLAlchemy Core inserts:
documents of generated sentences (no real reporting), each sentence carrying
one record whose span points at it, so every row cites words that exist.

What makes the rows realistic, the things that break a reader at scale:

- actors follow a long tail: a core of well-known states, organisations and
  envoys named everywhere, plus about two new people per document who are
  named a few times and then vanish (the pipeline gave 4,615 actors for 2,000
  documents);
- events carry every status (reported, planned, hypothetical, denied,
  cancelled) with worded sentences to match, dates at day or month precision
  around the publication date, modes, locations, and parties kept as words
  when no actor matches;
- quotes are direct, indirect and mixed, some by speakers known only by a
  description; stances support, oppose or set conditions on a small set of
  initiatives; claims give casualty and displacement figures that other
  sources contradict, which makes the disputes.

Everything is drawn from one `random.Random(seed)`, so the same arguments give
the same store, row for row. The store may already hold rows: ids continue
from the largest present.

    python bench/large_store.py /tmp/big.db --docs 10000
    python -c "from bench.large_store import build_store; ..."   # or import it from a benchmark
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, func, insert, select, text  # noqa: E402

from detente.analysis.timeline_refresh import refresh_timeline  # noqa: E402
from detente.store.database import open_engine  # noqa: E402
from detente.store.schema import (  # noqa: E402
    actors,
    affiliations,
    claims,
    dates,
    disputes,
    documents,
    events,
    extractions,
    mentions,
    quotes,
    stances,
)

EXTRACTOR, VERSION = "core/3", "3"
BATCH_DOCUMENTS = 500  # documents written per transaction: memory stays flat however many are asked for

# The core cast: (id, name, kind, country, role or None). Named in most documents.
CORE = [
    ("syria", "Syria", "state", "SYR", None),
    ("russia", "Russia", "state", "RUS", None),
    ("united-states", "United States", "state", "USA", None),
    ("iran", "Iran", "state", "IRN", None),
    ("turkey", "Turkey", "state", "TUR", None),
    ("saudi-arabia", "Saudi Arabia", "state", "SAU", None),
    ("france", "France", "state", "FRA", None),
    ("united-kingdom", "United Kingdom", "state", "GBR", None),
    ("china", "China", "state", "CHN", None),
    ("qatar", "Qatar", "state", "QAT", None),
    ("united-nations", "United Nations", "organization", None, None),
    ("arab-league", "Arab League", "organization", None, None),
    ("security-council", "Security Council", "organization", None, None),
    ("red-crescent", "Red Crescent", "organization", None, None),
    ("national-coalition", "National Coalition", "group", "SYR", None),
    ("free-army", "Free Army", "group", "SYR", None),
    ("kurdish-council", "Kurdish Council", "group", "SYR", None),
    ("ministry-of-defence", "Ministry of Defence", "organization", "SYR", None),
    ("amira-velasq", "Amira Velasq", "person", None, "special envoy"),
    ("jonas-berlani", "Jonas Berlani", "person", "USA", "secretary of state"),
    ("pavel-orvik", "Pavel Orvik", "person", "RUS", "foreign minister"),
    ("leila-hadran", "Leila Hadran", "person", "SYR", "opposition leader"),
    ("samir-kouval", "Samir Kouval", "person", "SYR", "deputy foreign minister"),
    ("ines-duarel", "Ines Duarel", "person", None, "humanitarian coordinator"),
    ("tomas-reiner", "Tomas Reiner", "person", "FRA", "foreign minister"),
    ("hadi-marwen", "Hadi Marwen", "person", "TUR", "foreign minister"),
    ("karim-sultav", "Karim Sultav", "person", "SAU", "foreign minister"),
    ("nadia-falek", "Nadia Falek", "person", "SYR", "chief negotiator"),
    ("omar-tessel", "Omar Tessel", "person", "SYR", "rebel commander"),
    ("yuri-danko", "Yuri Danko", "person", "RUS", "deputy foreign minister"),
]
OUTLETS = ["Levant Ledger", "Geneva Dispatch", "Crossroads Wire", "Harbour Post", "Northern Courier",
           "Eastern Monitor", "Capital Review", "Meridian Times"]
PLACES = ["Geneva", "Vienna", "Moscow", "Astana", "Riyadh", "Lausanne", "Damascus", "Aleppo", "Homs",
          "Istanbul", "Beirut", "Amman", "Montreux", "Sochi", "Doha"]
FIRST = ["Amal", "Bashir", "Dana", "Elias", "Farah", "Ghassan", "Hala", "Ismail", "Jana", "Khalil", "Lina",
         "Maher", "Nour", "Rami", "Salma", "Tarek", "Wafa", "Yara", "Zaid", "Mona", "Fadi", "Rasha"]
SYLLABLES = ["ka", "lo", "mir", "sa", "den", "vi", "ra", "tor", "mu", "el", "zan", "qu", "bri", "on", "ta", "ges"]
GLUE = ["the", "of", "and", "to", "in", "that", "was", "for", "on", "with", "as", "by", "at", "from", "would"]
TAIL_ROLES = ["spokesman", "commander", "adviser", "senior official", "negotiator", "envoy", "mayor"]
DESCRIBED = ["a senior official", "a diplomat", "an opposition source", "a government source", "activists"]

# type → (reported verb, planned phrase, denied phrase, mode or None)
EVENT_WORDS = {
    "CONSULT": ("met", "will meet", "meeting", "meet"),
    "AGREE": ("agreed with", "will sign an accord with", "agreeing with", None),
    "ACCUSE": ("accused", "is expected to accuse", "accusing", None),
    "REJECT": ("rejected an offer from", "is expected to reject an offer from", "rejecting an offer from", None),
    "SUPPORT": ("praised", "will endorse", "praising", None),
    "REQUEST": ("called on", "will ask", "asking", None),
    "THREATEN": ("threatened", "is set to warn", "threatening", None),
    "AID": ("sent aid to", "will send aid to", "sending aid to", "humanitarian"),
    "ASSAULT": ("shelled positions of", "is preparing an offensive against", "attacking", "shelling"),
    "RETREAT": ("withdrew forces facing", "will pull back forces facing", "withdrawing from", None),
    "SANCTION": ("imposed sanctions on", "will impose sanctions on", "sanctioning", "economic"),
    "MOBILIZE": ("massed troops near", "plans to mass troops near", "massing troops near", None),
    "CONCEDE": ("released prisoners held by", "will release prisoners held by", "releasing prisoners of", "release"),
}
EVENT_TYPES = list(EVENT_WORDS)
STATUSES = [("reported", 68), ("planned", 14), ("hypothetical", 6), ("denied", 6), ("cancelled", 6)]
TARGETS = [
    ("geneva-communique", "the Geneva communiqué", "the communiqué"),
    ("nationwide-ceasefire", "a nationwide ceasefire", "the truce"),
    ("transitional-governing-body", "a transitional governing body", "the transition"),
    ("humanitarian-corridors", "humanitarian corridors", "the corridors"),
    ("early-elections", "early elections", "the vote"),
    ("prisoner-exchange", "a prisoner exchange", "the exchange"),
    ("geneva-conference", "the Geneva conference", "the talks"),
    ("constitutional-committee", "a constitutional committee", "the committee"),
]
CONDITIONS = ["only if the bombing stops", "provided that foreign fighters leave", "unless the president steps down",
              "if prisoners are released first", "as long as observers are allowed in"]
FIGURES = [("civilians", "killed", "people"), ("refugees", "displaced", "people"), ("prisoners", "detained", "people"),
           ("fighters", "killed", "people"), ("aid trucks", "delivered", "trucks")]
QUALIFIERS = [None, None, "more than", "about", "at least", "up to"]
SENTENCE_KINDS = [("event", 48), ("quote", 20), ("stance", 12), ("claim", 10), ("filler", 10)]


@dataclass
class _Ids:
    """The next free id of each table with integer keys, so a store may be built in several calls."""

    quote: int = 1
    claim: int = 1
    event: int = 1


@dataclass
class _Doc:
    """One document being written: its text so far and the rows that cite it."""

    id: str
    published: date
    parts: list[str] = field(default_factory=list)
    offset: int = 0
    rows: dict[str, list[dict]] = field(default_factory=dict)

    def add(self, sentence: str) -> tuple[int, int]:
        start = self.offset
        self.parts.append(sentence)
        self.offset += len(sentence) + 1
        return start, start + len(sentence)

    def row(self, table: str, **values) -> None:
        self.rows.setdefault(table, []).append(values)


class _Cast:
    """Who a sentence names: the core most of the time (Zipf-weighted), a recent newcomer otherwise."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names = {a[0]: a[1] for a in CORE}
        self.weights = [1 / (rank + 1) ** 0.9 for rank in range(len(CORE))]
        self.recent: list[str] = []
        self.new_rows: list[dict] = []
        self.new_affiliations: list[dict] = []

    def newcomers(self, doc: _Doc, count: int) -> None:
        for _ in range(count):
            name = f"{self.rng.choice(FIRST)} {_word(self.rng).title()}"
            actor_id = hashlib.sha1(name.encode()).hexdigest()[:6] + "-" + name.lower().replace(" ", "-")
            if actor_id in self.names:
                continue
            self.names[actor_id] = name
            self.recent = (self.recent + [actor_id])[-40:]
            self.new_rows.append({"id": actor_id, "name": name, "kind": "person", "country": self.rng.choice(
                [None, "SYR", "SYR", "TUR", "LBN", "JOR"]), "aliases": [name.split()[-1]], "origin": "extracted"})
            if self.rng.random() < 0.35:
                org = self.rng.choice([a for a in CORE if a[2] != "person"])
                self.new_affiliations.append({"actor": actor_id, "organization": org[0], "organization_text": org[1],
                                              "role": self.rng.choice(TAIL_ROLES), "start": None, "end": None,
                                              "doc": doc.id, "span_start": None, "span_end": None,
                                              "extractor": EXTRACTOR, "confidence": 0.7})

    def pick(self) -> str:
        if self.recent and self.rng.random() < 0.3:
            return self.rng.choice(self.recent[-6:])
        return self.rng.choices(CORE, weights=self.weights)[0][0]

    def pair(self) -> tuple[str, str]:
        a = self.pick()
        b = self.pick()
        while b == a:
            b = self.pick()
        return a, b


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))


def _filler(rng: random.Random, low: int = 6, high: int = 14) -> str:
    """Pseudo-words between real function words: no shared passages, realistic stop-word density."""
    return " ".join(rng.choice(GLUE) if rng.random() < 0.4 else _word(rng) for _ in range(rng.randint(low, high)))


def _weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _date_near(rng: random.Random, published: date, status: str) -> tuple[str, str]:
    """An event's date and the words for it: earlier than publication if it happened, later if planned."""
    days = rng.randint(1, 20) if status in ("planned", "hypothetical") else -rng.randint(0, 12)
    when = published + timedelta(days=days)
    if rng.random() < 0.2:
        return f"{when:%Y-%m}", f"in {when:%B}"
    return when.isoformat(), f"on {when:%B} {when.day}"


def _mention(doc: _Doc, cast: _Cast, actor_id: str, sentence_start: int, sentence: str) -> None:
    name = cast.names[actor_id]
    at = sentence.find(name)
    if at >= 0:
        doc.row("mentions", doc=doc.id, actor=actor_id, text=name, start=sentence_start + at,
                end=sentence_start + at + len(name), extractor=EXTRACTOR, confidence=0.9)


def _event(rng, doc: _Doc, cast: _Cast, ids: _Ids) -> None:
    kind = rng.choice(EVENT_TYPES)
    reported, planned, denied, mode = EVENT_WORDS[kind]
    status = _weighted(rng, STATUSES)
    a, b = cast.pair()
    an, bn = cast.names[a], cast.names[b]
    place = rng.choice(PLACES)
    when, when_text = _date_near(rng, doc.published, status)
    sentence = {
        "reported": f"{an} {reported} {bn} in {place} {when_text}, {_filler(rng, 3, 8)}.",
        "planned": f"{an} {planned} {bn} in {place} {when_text}, officials said.",
        "hypothetical": f"{an} could {'meet' if kind == 'CONSULT' else 'move against'} {bn} in {place} "
                        f"{when_text} if talks fail, {_filler(rng, 2, 5)}.",
        "denied": f"{an} denied {denied} {bn} in {place} {when_text}.",
        "cancelled": f"A plan for {an} and {bn} to meet in {place} {when_text} was called off.",
    }[status]
    start, end = doc.add(sentence)
    unresolved = rng.random() < 0.08
    doc.row("events", id=ids.event, doc=doc.id, start=start, end=end, type=kind, mode=mode if rng.random() < 0.6 else None,
            actors=[a], recipients=[] if unresolved else [b], actors_text=[an],
            recipients_text=["the two sides"] if unresolved else [bn], date=when, date_text=when_text,
            location=place, status=status, text=sentence, extractor=EXTRACTOR,
            confidence=round(rng.uniform(0.55, 0.95), 2))
    ids.event += 1
    at = sentence.find(when_text)
    doc.row("dates", doc=doc.id, text=when_text, value=when, precision="day" if len(when) == 10 else "month",
            start=start + at, end=start + at + len(when_text), extractor=EXTRACTOR, confidence=0.9)
    _mention(doc, cast, a, start, sentence)
    _mention(doc, cast, b, start, sentence)


def _quote(rng, doc: _Doc, cast: _Cast, ids: _Ids, rebuts: list) -> None:
    speaker = cast.pick() if rng.random() < 0.85 else None
    speaker_text = cast.names[speaker] if speaker else rng.choice(DESCRIBED)
    kind = rng.choices(["direct", "indirect", "mixed"], weights=[55, 35, 10])[0]
    content = _filler(rng, 8, 20)
    if kind == "direct":
        content = content.capitalize()
    cue = rng.choice(["said", "told reporters", "added", "warned", "insisted"])
    if kind == "direct":
        sentence = f"\u201c{content},\u201d {speaker_text} {cue}."
    elif kind == "mixed":
        sentence = f"{speaker_text.capitalize() if not speaker else speaker_text} {cue} the offer was \u201c{content}\u201d."
    else:
        sentence = f"{speaker_text.capitalize() if not speaker else speaker_text} {cue} that {content}."
    start, end = doc.add(sentence)
    doc.row("quotes", id=ids.quote, doc=doc.id, start=start, end=end, speaker=speaker, speaker_text=speaker_text,
            cue=cue, content=content, kind=kind, date=doc.published.isoformat(), date_text=None,
            extractor=EXTRACTOR, confidence=round(rng.uniform(0.6, 0.95), 2))
    if speaker:
        _mention(doc, cast, speaker, start, sentence)
    mine = (ids.quote, doc.id, start, end)
    if rebuts and rebuts[-1][1] != doc.id and rng.random() < 0.08:
        before = rebuts[-1]
        doc.row("disputes", a_kind="quote", a_id=before[0], a_doc=before[1], a_start=before[2], a_end=before[3],
                b_kind="quote", b_id=mine[0], b_doc=mine[1], b_start=mine[2], b_end=mine[3],
                kind="rebuttal", extractor="disputes/1", confidence=0.6)
    rebuts[:] = (rebuts + [mine])[-20:]
    ids.quote += 1


def _stance(rng, doc: _Doc, cast: _Cast) -> None:
    actor = cast.pick()
    name = cast.names[actor]
    target, target_name, target_text = rng.choice(TARGETS)
    polarity = rng.choices(["support", "oppose", "condition"], weights=[45, 40, 15])[0]
    condition = rng.choice(CONDITIONS) if polarity == "condition" else None
    words = {"support": f"{name} backed {target_name}, {_filler(rng, 3, 7)}.",
             "oppose": f"{name} rejected {target_name} outright.",
             "condition": f"{name} would accept {target_name} {condition}."}[polarity]
    start, end = doc.add(words)
    doc.row("stances", doc=doc.id, start=start, end=end, actor=actor, target=target, target_name=target_name,
            target_text=target_text, polarity=polarity, condition=condition, date=doc.published.isoformat(),
            extractor=EXTRACTOR, confidence=round(rng.uniform(0.5, 0.9), 2))
    _mention(doc, cast, actor, start, words)


def _claim(rng, doc: _Doc, cast: _Cast, ids: _Ids, figures: dict) -> None:
    subject, prop, unit = rng.choice(FIGURES)
    source = cast.pick() if rng.random() < 0.6 else None
    source_text = cast.names[source] if source else rng.choice(DESCRIBED)
    value = float(rng.choice([12, 40, 85, 120, 300, 1500, 4000, 20000]) * rng.randint(1, 9))
    ranged = rng.random() < 0.15
    qualifier = rng.choice(QUALIFIERS)
    place = rng.choice(PLACES)
    figure = f"between {int(value)} and {int(value * 1.5)}" if ranged else f"{qualifier + ' ' if qualifier else ''}{int(value)}"
    sentence = f"{source_text[0].upper() + source_text[1:]} said {figure} {subject} had been {prop} in {place}."
    start, end = doc.add(sentence)
    doc.row("claims", id=ids.claim, doc=doc.id, start=start, end=end, subject=subject, property=prop,
            value=None if ranged else value, low=value if ranged else None, high=value * 1.5 if ranged else None,
            qualifier=None if ranged else qualifier, unit=unit, date=doc.published.isoformat(), attributed_to=source,
            source_text=source_text, extractor=EXTRACTOR, confidence=round(rng.uniform(0.6, 0.9), 2))
    if source:
        _mention(doc, cast, source, start, sentence)
    key = (subject, prop, place)
    before = figures.get(key)
    if before and before[1] != doc.id and rng.random() < 0.3:
        doc.row("disputes", a_kind="claim", a_id=before[0], a_doc=before[1], a_start=before[2], a_end=before[3],
                b_kind="claim", b_id=ids.claim, b_doc=doc.id, b_start=start, b_end=end,
                kind=rng.choice(["contradiction", "contradiction", "correction"]), extractor="disputes/1",
                confidence=0.7)
    figures[key] = (ids.claim, doc.id, start, end)
    ids.claim += 1


def _document(rng, number: int, seed: int, cast: _Cast, ids: _Ids, memory: dict) -> tuple[dict, _Doc]:
    published = date(2012, 1, 1) + timedelta(days=rng.randint(0, 2400))
    doc = _Doc(hashlib.sha256(f"large-store:{seed}:{number}".encode()).hexdigest()[:16], published)
    cast.newcomers(doc, rng.choice([1, 2, 2, 3, 3]))
    for _ in range(rng.randint(9, 16)):
        kind = _weighted(rng, SENTENCE_KINDS)
        if kind == "event":
            _event(rng, doc, cast, ids)
        elif kind == "quote":
            _quote(rng, doc, cast, ids, memory.setdefault("quotes", []))
        elif kind == "stance":
            _stance(rng, doc, cast)
        elif kind == "claim":
            _claim(rng, doc, cast, ids, memory.setdefault("figures", {}))
        else:
            doc.add(f"{_filler(rng).capitalize()}.")
    outlet = rng.choice(OUTLETS)
    row = {"id": doc.id, "content_hash": hashlib.sha256(f"{doc.id}:{number}".encode()).hexdigest(),
           "uri": f"https://news.example/{outlet.lower().replace(' ', '-')}/{number}",
           "title": f"Talks update {number}: {rng.choice(TARGETS)[1]} in {rng.choice(PLACES)}",
           "outlet": outlet, "author": f"{rng.choice(FIRST)} {_word(rng).title()}",
           "published": published.isoformat(), "published_text": f"{published:%B} {published.day}, {published.year}",
           "text": " ".join(doc.parts), "removed": [], "attributed_to": None, "duplicate_of": None,
           "relation": None, "similarity": None, "reader": "text", "ingested_at": "2026-01-01T00:00:00"}
    return row, doc


TABLES = {"mentions": mentions, "dates": dates, "events": events, "quotes": quotes, "stances": stances,
          "claims": claims, "disputes": disputes}


def _next_ids(engine: Engine) -> _Ids:
    with engine.connect() as conn:
        def top(table) -> int:
            return (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        return _Ids(quote=top(quotes), claim=top(claims), event=top(events))


def _reset_sequences(engine: Engine) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the rows written."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for table in ("events", "quotes", "claims", "stances", "mentions", "dates", "disputes", "affiliations"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))


def build_store(engine: Engine, docs: int, seed: int = 7, index: bool = True) -> dict[str, int]:
    """Write `docs` generated documents and their rows into `engine`'s store; the count of rows of each kind.

    `index=False` skips the search index (SQLite), for benchmarks that do not search.
    """
    rng = random.Random(seed)
    cast, ids, memory = _Cast(rng), _next_ids(engine), {}
    counts = dict.fromkeys(["documents", "actors", "affiliations", *TABLES], 0)
    with engine.begin() as conn:
        known = set(conn.execute(select(actors.c.id)).scalars())
        core = [{"id": a, "name": n, "kind": k, "country": c, "aliases": [], "origin": "extracted"}
                for a, n, k, c, _ in CORE if a not in known]
        if core:
            conn.execute(insert(actors), core)
            counts["actors"] += len(core)
    for first in range(0, docs, BATCH_DOCUMENTS):
        doc_rows, tables = [], {name: [] for name in TABLES}
        for number in range(first, min(docs, first + BATCH_DOCUMENTS)):
            row, doc = _document(rng, number, seed, cast, ids, memory)
            doc_rows.append(row)
            for name, rows in doc.rows.items():
                tables[name].extend(rows)
        with engine.begin() as conn:
            if cast.new_rows:
                conn.execute(insert(actors), cast.new_rows)
                counts["actors"] += len(cast.new_rows)
            conn.execute(insert(documents), doc_rows)
            if first == 0:
                _core_affiliations(conn, doc_rows[0]["id"], counts)
            for name, rows in tables.items():
                if rows:
                    conn.execute(insert(TABLES[name]), rows)
                    counts[name] += len(rows)
            if cast.new_affiliations:
                conn.execute(insert(affiliations), cast.new_affiliations)
                counts["affiliations"] += len(cast.new_affiliations)
            conn.execute(insert(extractions), [{"doc": r["id"], "extractor": "core", "version": VERSION,
                                                "at": "2026-01-01T00:00:00"} for r in doc_rows])
        cast.new_rows, cast.new_affiliations = [], []
        counts["documents"] += len(doc_rows)
    _reset_sequences(engine)
    if index:
        _refresh_index(engine)
    refresh_timeline(engine)  # the merged timeline, as `detente extract` leaves it after writing documents
    return counts


def _core_affiliations(conn, doc: str, counts: dict[str, int]) -> None:
    """The core people's offices, once per store."""
    if conn.execute(select(func.count()).select_from(affiliations)).scalar():
        return
    states = {country: actor for actor, _, kind, country, _ in CORE if kind == "state"}
    rows = [{"actor": a, "organization": states.get(c, "united-nations"), "organization_text": None, "role": role,
             "start": "2012", "end": None, "doc": doc, "span_start": None, "span_end": None,
             "extractor": EXTRACTOR, "confidence": 0.8} for a, _, _, c, role in CORE if role]
    conn.execute(insert(affiliations), rows)
    counts["affiliations"] += len(rows)


def _refresh_index(engine: Engine) -> None:
    """The store's own search index over what was written, when this version of the store has one."""
    from detente.store import search

    refresh = getattr(search, "refresh_search_index", None)
    if refresh is not None:
        refresh(engine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="SQLite path or SQLAlchemy URL of the store to write into")
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-index", action="store_true", help="skip the search index")
    args = parser.parse_args()
    start = time.perf_counter()
    counts = build_store(open_engine(args.db), args.docs, args.seed, index=not args.no_index)
    print(json.dumps({"store": args.db, "rows": counts, "seconds": round(time.perf_counter() - start, 1)}, indent=2))


if __name__ == "__main__":
    main()
