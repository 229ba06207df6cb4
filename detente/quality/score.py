"""Scoring a store against a hand-written gold file, per record kind.

The gold file (`examples/syria/gold.yaml`) names each document by its file and
lists what a careful reader finds in it. Matching is by content, not by
offsets, so the gold survives changes to the cleaner: a date matches when its
words overlap and its value is equal; a quote when its words mostly overlap,
and its speaker is then right or wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select

from detente.data_files import load_yaml
from detente.ingest.metadata import canonical_outlet
from detente.store.schema import affiliations, dates, documents, mentions, quotes

_WORD = re.compile(r"\w+")
QUOTE_OVERLAP = 0.5


@dataclass
class Score:
    true_positives: int = 0
    found: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, true_positives: int, found: int, expected: int) -> None:
        self.true_positives += true_positives
        self.found += found
        self.expected += expected

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3),
                "tp": self.true_positives, "found": self.found, "expected": self.expected}


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)

    def score(self, kind: str) -> Score:
        return self.scores.setdefault(kind, Score())

    def miss(self, kind: str, what: str) -> None:
        self.misses.setdefault(kind, []).append(what)


def load_gold(path: Path) -> list[dict]:
    return load_yaml(path.read_text(encoding="utf-8"))["documents"]


def source_key(uri: str) -> str:
    """'…/examples/syria/03_x.txt' → '03_x.txt'; '…/wire.jsonl#2' → 'wire.jsonl#2'."""
    return Path(uri).name


def score_store(engine: Engine, gold: Iterable[dict]) -> Report:
    report = Report()
    with engine.connect() as conn:
        docs = {source_key(r.uri): dict(r._mapping) for r in conn.execute(select(documents))}
        by_title = {_norm(d["title"]): d for d in docs.values()}
        by_id = {d["id"]: key for key, d in docs.items()}
        for expected in gold:
            doc = docs.get(expected["file"]) or by_title.get(_norm(expected.get("title")))
            if doc is None:
                report.miss("documents", expected["file"])
                continue
            _score_metadata(report, expected, doc, by_id)
            _score_cleaning(report, expected, doc)
            _score_actors(report, expected, conn, doc["id"])
            _score_affiliations(report, expected, conn, doc["id"])
            _score_dates(report, expected, conn, doc)
            _score_quotes(report, expected, conn, doc["id"])
    return report


def _norm(value) -> str:
    if value is None:
        return ""
    return " ".join(str(value).replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').split()).lower()


def _score_metadata(report: Report, expected: dict, doc: dict, by_id: dict[str, str]) -> None:
    for field_name in ("title", "published", "outlet", "author"):
        want, got = expected.get(field_name), doc.get(field_name)
        if field_name == "outlet":
            want, got = (canonical_outlet(v) if v else v for v in (want, got))
        want, got = _norm(want), _norm(got)
        ok = want == got
        report.score(f"metadata.{field_name}").add(int(ok), 1, 1)
        if not ok:
            report.miss(f"metadata.{field_name}", f"{expected['file']}: want {want!r}, got {got!r}")
    want_original = expected.get("rewrite_of")
    got_original = by_id.get(doc.get("duplicate_of") or "")
    if want_original or got_original:
        ok = want_original == got_original
        report.score("duplicates").add(int(ok), int(bool(got_original)), int(bool(want_original)))
        if not ok:
            report.miss("duplicates", f"{expected['file']}: want {want_original}, got {got_original}")


def _score_cleaning(report: Report, expected: dict, doc: dict) -> None:
    """Recall: gold boilerplate lines gone from the text. Precision: removed lines that were boilerplate."""
    boilerplate = [_norm(line) for line in expected.get("boilerplate") or []]
    paragraphs = {_norm(p) for p in re.split(r"\n\s*\n", doc["text"])}
    gone = [line for line in boilerplate if line and line not in paragraphs]
    removed = [_norm(line) for line in doc["removed"] or []]
    rightly_removed = [
        line for line in removed if any(line in b or b in line for b in boilerplate) or _is_header(line, expected)
    ]
    report.score("cleaning.removed").add(len(gone), len(gone), len(boilerplate))
    report.score("cleaning.kept").add(len(rightly_removed), len(removed), len(rightly_removed))
    for line in removed:
        if line not in rightly_removed:
            report.miss("cleaning.kept", f"{expected['file']}: removed article text {line[:80]!r}")
    for line in boilerplate:
        if line not in gone:
            report.miss("cleaning.removed", f"{expected['file']}: left {line[:80]!r}")


def _is_header(line: str, expected: dict) -> bool:
    """Byline and dateline lines: metadata, not article text, so removing them from the body is right."""
    author, published = _norm(expected.get("author")), str(expected.get("published") or "")
    return bool((author and author in line) or (published[:4] and published[:4] in line))


def _score_actors(report: Report, expected: dict, conn, doc_id: str) -> None:
    want = set(expected.get("actors") or [])
    got = {r.actor for r in conn.execute(select(mentions.c.actor).where(mentions.c.doc == doc_id))}
    report.score("actors").add(len(want & got), len(got), len(want))
    for actor in sorted(want - got):
        report.miss("actors", f"{expected['file']}: missed {actor}")
    for actor in sorted(got - want):
        report.miss("actors", f"{expected['file']}: extra {actor}")


def _role_key(role: str) -> str:
    words = [w for w in _WORD.findall(role.lower()) if w not in {"the", "of", "former", "un", "u", "s", "us"}]
    return " ".join(words)


def _score_affiliations(report: Report, expected: dict, conn, doc_id: str) -> None:
    want = {(a["actor"], _role_key(a["role"])) for a in expected.get("affiliations") or []}
    rows = conn.execute(select(affiliations.c.actor, affiliations.c.role).where(affiliations.c.doc == doc_id))
    got = {(r.actor, _role_key(r.role)) for r in rows}
    matched = {w for w in want if any(g[0] == w[0] and (g[1] in w[1] or w[1] in g[1]) and g[1] for g in got)}
    used = {g for g in got if any(g[0] == w[0] and g[1] and (g[1] in w[1] or w[1] in g[1]) for w in want)}
    report.score("affiliations").add(len(matched), len(got), len(want))
    for item in sorted(want - matched):
        report.miss("affiliations", f"{expected['file']}: missed {item}")
    for item in sorted(got - used):
        report.miss("affiliations", f"{expected['file']}: extra {item}")


def _score_dates(report: Report, expected: dict, conn, doc: dict) -> None:
    found = conn.execute(select(dates.c.start, dates.c.end, dates.c.text, dates.c.value).where(dates.c.doc == doc["id"])).all()
    text = doc["text"]
    wanted = expected.get("dates") or []
    claimed: set[int] = set()
    correct = 0
    for want in wanted:
        spans = [m.start() for m in re.finditer(re.escape(want["text"]), text)]
        hit = next(
            (i for i, f in enumerate(found) if i not in claimed and any(f.start < s + len(want["text"]) and s < f.end for s in spans)),
            None,
        )
        if hit is not None and found[hit].value == str(want["value"]):
            claimed.add(hit)
            correct += 1
        else:
            got = found[hit].value if hit is not None else None
            report.miss("dates", f"{expected['file']}: {want['text']!r} want {want['value']}, got {got}")
    report.score("dates").add(correct, len(found), len(wanted))


def _words(text: str) -> list[str]:
    return _WORD.findall(_norm(text))


def _overlap(a: str, b: str) -> float:
    wa, wb = set(_words(a)), set(_words(b))
    return len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0


def _score_quotes(report: Report, expected: dict, conn, doc_id: str) -> None:
    found = conn.execute(select(quotes.c.content, quotes.c.speaker, quotes.c.kind).where(quotes.c.doc == doc_id)).all()
    wanted = expected.get("quotes") or []
    claimed: set[int] = set()
    detected = attributed = 0
    for want in wanted:
        ranked = sorted(
            ((i, _overlap(want["content"], f.content)) for i, f in enumerate(found) if i not in claimed),
            key=lambda pair: -pair[1],
        )
        if not ranked or ranked[0][1] < QUOTE_OVERLAP:
            report.miss("quotes", f"{expected['file']}: missed {want['speaker']}: {want['content'][:60]!r}")
            continue
        index = ranked[0][0]
        claimed.add(index)
        detected += 1
        if found[index].speaker == want["speaker"]:
            attributed += 1
        else:
            report.miss("speakers", f"{expected['file']}: {want['content'][:50]!r} want {want['speaker']}, got {found[index].speaker}")
    report.score("quotes").add(detected, len(found), len(wanted))
    report.score("speakers").add(attributed, len(found), len(wanted))
