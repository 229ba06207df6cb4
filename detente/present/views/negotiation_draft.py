"""The drafted parts of the Negotiation page: provenance, parties and patrons, where each body's numbers
come from, candidate lists, and who takes part in each conference.

These sections show what a negotiation says about its own making, so they
appear for a hand-written file too whenever it declares roles, conferences
or candidate lists; for a draft they also say that it is one, what it was
made from and which rules filled the gaps.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine

from detente.negotiation.draft import draft_negotiation
from detente.negotiation.model import PARTICIPATION, Negotiation
from detente.nlp.stances.targets import TargetRegistry

UNNAMED_LABEL = "someone the text does not name"


def drafted_negotiation(engine: Engine, store: str | None = None, targets: TargetRegistry | None = None) -> Negotiation | None:
    """The negotiation drafted from the store, or None when the store holds nothing to draft from."""
    store = store or (engine.url.database if engine.url.get_backend_name() == "sqlite" and engine.url.database
                      else engine.url.render_as_string(hide_password=True))
    draft = draft_negotiation(engine, name="Draft from the reports", store=store, targets=targets)
    return draft.negotiation if draft.substantive else None


def bloc_names(negotiation: Negotiation) -> dict[str, str]:
    """Blocs of the voting bodies that are no actor, by the reports' words ("local councils")."""
    return {m: n for b in negotiation.bodies.values() for m, n in b.member_names.items() if m not in negotiation.actors}


def draft_sections(negotiation: Negotiation, names: dict[str, str]) -> dict:
    def name(actor: str) -> str:
        return UNNAMED_LABEL if actor == "unnamed" else names.get(actor, actor.replace("-", " "))

    drafted_here = negotiation.draft is not None and negotiation.source is None
    return {
        **({"file": f"a draft of {negotiation.draft.made_from}"} if drafted_here else {}),
        "draft": None if negotiation.draft is None else {
            "made_from": negotiation.draft.made_from, "notes": list(negotiation.draft.notes),
        },
        "parties": [
            {"id": a.id, "name": a.name, "role": a.role or "party", "backs": [name(b) for b in a.backs],
             "source": sourced(a.role_source), "capability_source": sourced(a.capability.source)}
            for a in sorted(negotiation.actors.values(), key=lambda a: (_ROLE_ORDER.get(a.role or "party", 9), a.name.lower()))
        ] if any(a.role for a in negotiation.actors.values()) else [],
        "thresholds": [
            {"issue": i.name, "actor": name(a), "value": e.likely, "source": e.source}
            for i in negotiation.issues.values() for a, e in i.thresholds.items()
        ],
        "position_sources": [
            {"issue": i.name, "rows": [
                {"actor": name(a), "position": e.likely, "low": e.lower, "high": e.upper, "source": e.source,
                 "series": [{"date": p.date, "value": p.value} for p in i.series.get(a, [])]}
                for a, e in i.positions.items()]}
            for i in negotiation.issues.values()
        ] if negotiation.draft is not None else [],
        "body_sources": [
            {"id": b.id, "name": b.name, "description": b.description,
             "rows": [{"member": b.member_names.get(m) or name(m), "weight": w, "source": b.sources.get(m)}
                      for m, w in b.weights.items()],
             "quota": b.quota, "quota_source": b.sources.get("quota")}
            for b in negotiation.bodies.values() if b.sources
        ],
        "open_lists": [
            {"id": c.id, "name": c.name, "parties": [name(p) for p in c.parties], "source": sourced(c.source)}
            for c in negotiation.candidate_lists.values() if not c.candidates
        ],
        "conferences": [
            {"id": c.id, "name": c.name, "date": c.date, "place": c.place, "columns": list(PARTICIPATION),
             "rows": [{"name": name(actor), "entries": {e: sourced(c.sources.get(f"{actor}:{e}")) for e in entries}}
                      for actor, entries in sorted(c.participants.items(), key=lambda kv: (kv[0] == "unnamed", name(kv[0]).lower()))]}
            for c in negotiation.conferences.values()
        ],
    }


def sourced(text: str | None) -> dict | None:
    """A source as the page shows it: a short label (the row ids) that opens the full text."""
    return {"label": short_source(text), "text": text} if text else None


def short_source(text: str | None) -> str:
    """A source's row ids ("stance 47, event 99"), or "default", to label the full source behind it."""
    if not text:
        return ""
    rows = list(dict.fromkeys(m.group(0) for m in _ROW.finditer(text)))
    if rows:
        return ", ".join(rows[:4]) + (", …" if len(rows) > 4 else "")
    return "default" if text.startswith("default") else text.split(":")[0][:40]


_ROW = re.compile(r"\b(?:stance|claim|event) \d+")
_ROLE_ORDER = {"party": 0, "mediator": 1, "patron": 2, "observer": 3}


def store_fingerprint(engine: Engine) -> tuple:
    """What the draft depends on, cheaply: the count and last id of each table it reads."""
    from sqlalchemy import func, select

    from detente.store.schema import affiliations, claims, events, stances

    with engine.connect() as conn:
        return tuple(tuple(conn.execute(select(func.count(t.c.id), func.max(t.c.id))).one())
                     for t in (stances, claims, events, affiliations))
