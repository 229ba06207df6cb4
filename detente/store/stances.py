"""Reading stored stances: who is for or against what, when, and by which source.

Each stance row is one source's statement, so the same actor's stance on the
same target can appear several times, on different dates, from different
outlets; `stance_series` lays those out in date order and marks where the
polarity changes, which is how a shift ("backed away from the demand that
Assad step down") shows.

Targets are ids: a registered target (`detente/nlp/stances/targets.yaml` or the
user's `--targets` file), an actor id, or the id of a target the report named
itself ("pretoria-agreement", "lift-sanctions"), which is the same in every
document that names it the same way, so one actor's stances on it form one
series across the store. Each row also keeps the target's readable name and
the words its statement used ("the deal"). A query may name a target loosely
("moscow-talks", "the Moscow meeting", "Geneva", "grain deal"): see
`matching_targets`.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Connection, Engine, Select, func, select

from detente.nlp.actors.identity import fold
from detente.nlp.stances.targets import TargetRegistry
from detente.store.schema import actors, documents, stances


def stance_rows(
    engine: Engine,
    target: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    targets: TargetRegistry | None = None,
) -> list[dict]:
    """Stances with actor and target names, condition, date and source, in date order.

    `target` and `actor` match an id, the start of an id, or part of a name;
    `since` is an ISO date prefix ("2015", "2015-01") compared with each
    stance's date (its document's date when the stance has none).
    """
    registry = targets or TargetRegistry.builtin()
    with engine.connect() as conn:
        query = stance_query(conn, target=target, actor=actor, targets=registry)
        if since:
            query = query.where(func.coalesce(stances.c.date, documents.c.published) >= since)
        rows = [_row(r, registry) for r in conn.execute(query)]
        _name_actor_targets(conn, rows)
    return rows


def stance_query(conn: Connection, target: str | None = None, actor: str | None = None,
                 targets: TargetRegistry | None = None) -> Select:
    """The query behind `stance_rows`, for callers that page it in SQL; `stance_page` reads its rows."""
    registry = targets or TargetRegistry.builtin()
    query = _query()
    if actor:
        query = query.where(stances.c.actor.in_(matching_actors(conn, actor)))
    if target:
        query = query.where(stances.c.target.in_(matching_targets(conn, target, registry)))
    return query


def stance_page(conn: Connection, query: Select, targets: TargetRegistry | None = None) -> list[dict]:
    """The rows of one page of `stance_query`, read as `stance_rows` reads them.

    Each target takes the name most of its stored rows give it, counted in SQL
    over the whole store, so a target reads the same on every page.
    """
    registry = targets or TargetRegistry.builtin()
    rows = [_row(r, registry) for r in conn.execute(query)]
    shown = sorted({r["target"] for r in rows})
    counted = conn.execute(
        select(stances.c.target, stances.c.target_name, func.count())
        .where(stances.c.target.in_(shown), stances.c.target_name.is_not(None))
        .group_by(stances.c.target, stances.c.target_name)
    ).all()
    counts: dict[str, Counter] = {}
    for target, name, n in counted:
        counts.setdefault(target, Counter())[name] = n
    for row in rows:
        if row["target"] in counts and row["target"] not in registry:
            row["target_name"] = min(counts[row["target"]].items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]
    _name_actor_targets(conn, rows)
    return rows


def stance_series(engine: Engine, actor: str, target: str, targets: TargetRegistry | None = None) -> list[dict]:
    """One actor's stances on one target in date order; `changed_from` marks a shift of polarity.

    Rows on the same date keep their sources' order; a row whose polarity
    differs from the one before carries that earlier polarity in `changed_from`.
    """
    rows = stance_rows(engine, target=target, actor=actor, targets=targets)
    previous: dict[tuple[str, str], str] = {}
    for row in rows:
        key = (row["actor"], row["target"])
        before = previous.get(key)
        row["changed_from"] = before if before is not None and before != row["polarity"] else None
        previous[key] = row["polarity"]
    return rows


def matching_actors(conn: Connection, query: str) -> list[str]:
    """Actor ids a query names: the id itself, ids starting with it, or names containing it."""
    # `%` and `_` a user types are characters to find, not wildcards.
    found = conn.execute(
        select(actors.c.id).where(
            (actors.c.id == query)
            | actors.c.id.startswith(query, autoescape=True)
            | func.lower(actors.c.name).contains(query.lower(), autoescape=True)
        )
    ).scalars()
    stored = conn.execute(
        select(stances.c.actor).where(stances.c.actor.startswith(query, autoescape=True)).distinct()
    ).scalars()
    return sorted(set(found) | set(stored))


def matching_targets(conn: Connection, query: str, registry: TargetRegistry) -> list[str]:
    """Target ids a query names: an id or its start ("moscow-talks"), a registered name or alias, a name or the
    words a report used for it ("grain deal"), or an actor."""
    stored = list(conn.execute(select(stances.c.target).distinct()).scalars())
    key = fold(query)
    found = {t for t in stored if t == query or t.startswith(query)}
    found |= {t for t in stored if key and key in fold(registry.name(t))}
    if key:
        named = conn.execute(select(stances.c.target, stances.c.target_name, stances.c.target_text).distinct()).all()
        found |= {t for t, name, words in named if key in fold(name or "") or key == fold(words or "")}
    resolved = registry.resolve(query)
    if resolved:
        found.add(resolved)
    found |= set(matching_actors(conn, query)) & set(stored)
    return sorted(found)


def _query():
    return (
        select(
            stances,
            actors.c.name.label("actor_name"),
            documents.c.outlet,
            documents.c.published,
            documents.c.title.label("doc_title"),
            # the statement's words only (SQL substr is 1-based): sorting whole texts made every listing slow
            func.substr(documents.c.text, stances.c.start + 1, stances.c.end - stances.c.start).label("span_text"),
        )
        .join(documents, documents.c.id == stances.c.doc)
        .outerjoin(actors, actors.c.id == stances.c.actor)
        .order_by(
            func.coalesce(stances.c.date, documents.c.published).is_(None),
            func.coalesce(stances.c.date, documents.c.published),
            documents.c.published.is_(None),
            documents.c.published,
            stances.c.doc,
            stances.c.start,
            stances.c.id,  # total: the same rows in the same order on SQLite and PostgreSQL
        )
    )


def _row(row, registry: TargetRegistry) -> dict:
    data = dict(row._mapping)
    data["text"] = data.pop("span_text") or ""
    data["actor_name"] = data["actor_name"] or data["actor"]
    if data["target"] in registry:
        data["target_name"] = registry.name(data["target"])  # the registry names its targets, in every row alike
    return data


def _name_actor_targets(conn: Connection, rows: list[dict]) -> None:
    """Targets that are actors read as their names ("syria-government" → "Government of Syria").

    A target one series names in several ways takes the name most of its rows
    give; rows stored without a name (older stores) read a slug made from a
    proposer and a noun ("moaz-al-khatib-initiative") as "Moaz al-Khatib's
    initiative", and any other slug as its words.
    """
    _one_name_per_target(rows)
    missing = {r["target"] for r in rows if r["target_name"] is None}
    if not missing:
        return
    heads = {slug[:cut] for slug in missing for cut in [i for i, ch in enumerate(slug) if ch == "-"] + [len(slug)]}
    names = dict(conn.execute(select(actors.c.id, actors.c.name).where(actors.c.id.in_(sorted(heads)))).all())
    for row in rows:
        if row["target_name"] is None:
            row["target_name"] = names.get(row["target"]) or _proposed_name(row["target"], names)


def _one_name_per_target(rows: list[dict]) -> None:
    """The same target reads the same in every row: the name most rows give it (ties: the shortest)."""
    counts: dict[str, Counter] = {}
    for row in rows:
        if row["target_name"]:
            counts.setdefault(row["target"], Counter())[row["target_name"]] += 1
    best = {t: min(c.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0] for t, c in counts.items()}
    for row in rows:
        row["target_name"] = best.get(row["target"], row["target_name"])


def _proposed_name(slug: str, names: dict[str, str]) -> str:
    proposers = [actor for actor in names if slug.startswith(actor + "-")]
    if not proposers:
        return slug.replace("-", " ")
    proposer = max(proposers, key=len)
    return f"{names[proposer]}'s {slug[len(proposer) + 1:].replace('-', ' ')}"
