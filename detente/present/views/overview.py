"""The first page a user sees: what the corpus is, who is in it, the key numbers, and what needs a human look."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Engine, func, select

from detente.present.views.sources import (
    LOW_CONFIDENCE,
    document_briefs,
    document_texts,
    engine_of,
    fact_key,
    source_of,
)
from detente.store.claims import dispute_rows
from detente.store.documents import list_documents, list_errors
from detente.store.events import timeline_count
from detente.store.extraction import actor_rows
from detente.store.schema import actors, claims, events, quotes, stances
from detente.store.sentences import sentence_around

MAIN_ACTORS = 12
REVIEW_LIMIT = 40  # low-confidence facts listed; the count says how many there are
_REVIEWED = {"quote": quotes, "event": events, "stance": stances, "claim": claims}


def build_overview(conn, timeline_entries: int | None = None, disputes_shown: int | None = None,
                   disputes: list[dict] | None = None, **_params) -> dict:
    """`timeline_entries`: the merged timeline's length when the caller has it;
    `disputes_shown`: how many disputes to list (the most confident first; `disputes_count` counts all);
    `disputes`: the store's `dispute_rows` when the caller has read them already."""
    engine = engine_of(conn)
    docs = list_documents(engine)
    low_confidence, low_count = _low_confidence(engine)
    disputes = dispute_rows(engine) if disputes is None else disputes
    return {
        "corpus": _corpus(docs, len(list_errors(engine))),
        "main_actors": _main_actors(engine),
        "numbers": _numbers(engine, len(disputes), timeline_entries),
        "review": {
            "threshold": LOW_CONFIDENCE,
            "low_confidence": low_confidence,
            "low_confidence_count": low_count,
            "disputes_count": len(disputes),
            "disputes": [
                {"id": d["id"], "kind": d["kind"], "a_sentence": d["a_sentence"], "a_outlet": d["a_outlet"],
                 "a_doc": d["a_doc"], "b_sentence": d["b_sentence"], "b_outlet": d["b_outlet"], "b_doc": d["b_doc"]}
                for d in _most_confident(disputes, disputes_shown)
            ],
        },
    }


def _most_confident(disputes: list[dict], limit: int | None) -> list[dict]:
    """The `limit` most confident disputes, in the store's order; all of them without a limit."""
    if limit is None or len(disputes) <= limit:
        return disputes
    keep = {d["id"] for d in sorted(disputes, key=lambda d: (-d["confidence"], d["id"]))[:limit]}
    return [d for d in disputes if d["id"] in keep]


def _corpus(docs: list[dict], skipped: int) -> dict:
    dates = sorted(d["published"] for d in docs if d.get("published"))
    outlets = Counter(d["outlet"] for d in docs if d.get("outlet"))
    relations = Counter(d["relation"] for d in docs if d.get("relation"))
    titles = {d["id"]: d.get("title") or d["id"] for d in docs}
    return {
        "documents": len(docs),
        "outlets": [{"name": name, "documents": n} for name, n in sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))],
        "first": dates[0] if dates else None,
        "last": dates[-1] if dates else None,
        "undated": sum(1 for d in docs if not d.get("published")),
        "copies": relations.get("copy", 0),
        "rewrites": relations.get("rewrite", 0),
        "skipped": skipped,
        "duplicates": [
            {"doc": d["id"], "title": titles[d["id"]], "relation": d["relation"], "similarity": d.get("similarity"),
             "original": d["duplicate_of"], "original_title": titles.get(d["duplicate_of"], d["duplicate_of"])}
            for d in docs if d.get("duplicate_of")
        ],
    }


def _main_actors(engine: Engine) -> list[dict]:
    rows = [r for r in actor_rows(engine) if r["mentions"]]
    return [
        {"id": r["id"], "name": r["name"], "kind": r["kind"], "country": r["country"],
         "mentions": r["mentions"], "documents": r["documents"], "roles": r["roles"][:2]}
        for r in rows[:MAIN_ACTORS]
    ]


def _numbers(engine: Engine, disputes: int, timeline_entries: int | None) -> list[dict]:
    with engine.connect() as conn:
        counts = {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                  for name, table in (("actors", actors), ("quotes", quotes), ("events", events),
                                      ("stances", stances), ("claims", claims))}
    return [
        {"label": "actors", "value": counts["actors"]},
        {"label": "quotes", "value": counts["quotes"]},
        {"label": "event reports", "value": counts["events"]},
        {"label": "timeline entries", "value": timeline_count(engine) if timeline_entries is None else timeline_entries},
        {"label": "stances", "value": counts["stances"]},
        {"label": "figures (claims)", "value": counts["claims"]},
        {"label": "disputes", "value": disputes},
    ]


def _low_confidence(engine: Engine) -> tuple[list[dict], int]:
    """Facts the extractor was least sure of, least sure first, each with its sentence."""
    found = []
    with engine.connect() as conn:
        for kind, table in _REVIEWED.items():
            query = select(table.c.id, table.c.doc, table.c.start, table.c.end, table.c.confidence).where(
                table.c.confidence < LOW_CONFIDENCE
            )
            found += [{"kind": kind, **dict(r._mapping)} for r in conn.execute(query)]
    found.sort(key=lambda f: (f["confidence"], f["kind"], f["doc"], f["start"], f["id"]))
    shown = found[:REVIEW_LIMIT]
    texts = document_texts(engine, {f["doc"] for f in shown})
    return low_confidence_items(shown, texts, document_briefs(engine)), len(found)


def low_confidence_items(shown: list[dict], texts: dict[str, str], briefs: dict[str, dict]) -> list[dict]:
    """Facts to review (kind, id, doc, span, confidence) as the overview lists them, each with its words and sentence."""
    out = []
    for f in shown:
        text = texts.get(f["doc"], "")
        out.append({
            "kind": f["kind"], "fact": fact_key(f["kind"], f["id"]), "confidence": round(f["confidence"], 3),
            "words": " ".join(text[f["start"]:f["end"]].split()), "sentence": sentence_around(text, f["start"], f["end"]),
            **source_of(briefs.get(f["doc"]), f["doc"]),
        })
    return out
