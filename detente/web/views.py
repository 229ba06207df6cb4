"""The app's own builders for the pages that list the whole store: one page of it, counted and read in SQL.

The report builds each page from every row (`detente.present.views`), which
is right for a file written once and wrong for a request: at 10,000
documents the overview took 12 s, the actor list 33 s and the timeline 89 s
for 70 MB of HTML. These builders give the shared templates the same data
shapes, for one page of rows, with aggregates (counts, outlets, the main
actors) computed by the database; a `pager` says where the page sits.

What a page cannot hold is left to the report and the exports, and the page
says so: the overview counts event reports, not merged timeline entries;
the actor list has no networks; the timeline shows the stored merged entries
of the whole weeks that hold about `REPORTS_SHOWN` reports.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from sqlalchemy import Connection, func, select

from detente.analysis.timeline import build_timeline, date_bounds
from detente.analysis.timeline_refresh import ensure_timeline
from detente.present.views.overview import MAIN_ACTORS, REVIEW_LIMIT, low_confidence_items
from detente.present.views.sources import LOW_CONFIDENCE, fact_key, source_of
from detente.present.views.stances import stance_point
from detente.present.views.timeline import timeline_data
from detente.store.claims import dispute_rows
from detente.store.events import event_query, stored_report_days, stored_timeline_rows_between, timeline_row
from detente.store.schema import actors, claims, dates, disputes, documents, events, ingest_errors, mentions, quotes, stances
from detente.store.sentences import sentence_around
from detente.web.queries import actor_page, event_names_actor, names_of, page_query, page_rows, rows_of_page, within

PAGE_SIZE = 100
DUPLICATES_SHOWN = 50
MERGE_MARGIN = timedelta(days=14)  # reports this far around a page's weeks may merge into its entries
REPORTS_SHOWN = 150  # the timeline shows the whole weeks that hold about this many reports
_REVIEWED = {"quote": quotes, "event": events, "stance": stances, "claim": claims}
_FACTS = {"mention": mentions, "date": dates, "quote": quotes, "event": events, "stance": stances, "claim": claims}


def pager(path: str, what: str, total: int, offset: int, shown: int, size: int | None = None, **params) -> dict:
    """Where a page sits in its listing, and the links to the pages beside it (filters kept)."""
    size = size or PAGE_SIZE
    def href(at: int) -> str:
        query = {k: v for k, v in params.items() if v} | ({"offset": at} if at else {})
        return path + ("?" + urlencode(query) if query else "")

    return {
        "what": what, "total": total, "first": offset + 1 if shown else 0, "last": offset + shown,
        "previous": href(max(offset - size, 0)) if offset > 0 else None,
        "next": href(offset + size) if offset + size < total else None,
    }


def _briefs(conn: Connection, ids) -> dict[str, dict]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    query = select(documents.c.id, documents.c.title, documents.c.outlet, documents.c.published, documents.c.uri)
    return {r.id: dict(r._mapping) for r in conn.execute(query.where(documents.c.id.in_(wanted)))}


def _texts(conn: Connection, ids) -> dict[str, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return dict(conn.execute(select(documents.c.id, documents.c.text).where(documents.c.id.in_(wanted))).all())


def _count(conn: Connection, table, *where) -> int:
    return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


# ------------------------------------------------------------------------------- overview


def overview(conn: Connection) -> dict:
    """The overview's data (see `detente.present.views.overview`), every figure counted by SQL."""
    low_confidence, low_count = _low_confidence(conn)
    shown_disputes = dispute_rows(conn.engine, limit=REVIEW_LIMIT)
    return {
        "corpus": _corpus(conn),
        "main_actors": _main_actors(conn),
        "numbers": [
            {"label": label, "value": _count(conn, table)}
            for label, table in (("actors", actors), ("quotes", quotes), ("event reports", events), ("stances", stances),
                                 ("figures (claims)", claims), ("disputes", disputes))
        ],
        "review": {
            "threshold": LOW_CONFIDENCE,
            "low_confidence": low_confidence,
            "low_confidence_count": low_count,
            "disputes_count": _count(conn, disputes),
            "disputes": [
                {"id": d["id"], "kind": d["kind"], "a_sentence": d["a_sentence"], "a_outlet": d["a_outlet"],
                 "a_doc": d["a_doc"], "b_sentence": d["b_sentence"], "b_outlet": d["b_outlet"], "b_doc": d["b_doc"]}
                for d in shown_disputes
            ],
        },
    }


def _corpus(conn: Connection) -> dict:
    first, last, total, undated = conn.execute(select(
        func.min(documents.c.published), func.max(documents.c.published), func.count(),
        func.count() - func.count(documents.c.published),
    )).one()
    outlets = conn.execute(
        select(documents.c.outlet, func.count().label("n")).where(documents.c.outlet.is_not(None))
        .group_by(documents.c.outlet).order_by(func.count().desc(), documents.c.outlet)
    ).all()
    relations = dict(conn.execute(select(documents.c.relation, func.count()).group_by(documents.c.relation)).all())
    original = documents.alias("original")
    duplicates = conn.execute(
        select(documents.c.id, documents.c.title, documents.c.relation, documents.c.similarity, documents.c.duplicate_of,
               original.c.title.label("original_title"))
        .outerjoin(original, original.c.id == documents.c.duplicate_of)
        .where(documents.c.duplicate_of >= "")  # IS NOT NULL for text, said so that the planners read the index
        .order_by(documents.c.published.is_(None), documents.c.published, documents.c.id).limit(DUPLICATES_SHOWN)
    ).all()
    return {
        "documents": total, "first": first, "last": last, "undated": undated,
        "outlets": [{"name": name, "documents": n} for name, n in outlets],
        "copies": relations.get("copy", 0), "rewrites": relations.get("rewrite", 0),
        "skipped": _count(conn, ingest_errors),
        "duplicates": [
            {"doc": d.id, "title": d.title or d.id, "relation": d.relation, "similarity": d.similarity,
             "original": d.duplicate_of, "original_title": d.original_title or d.duplicate_of}
            for d in duplicates
        ],
    }


def _main_actors(conn: Connection) -> list[dict]:
    rows = [r for r in actor_page(conn, None, MAIN_ACTORS, 0)[0] if r["mentions"]]
    return [
        {"id": r["id"], "name": r["name"], "kind": r["kind"], "country": r["country"],
         "mentions": r["mentions"], "documents": r["documents"], "roles": r["roles"][:2]}
        for r in rows
    ]


def _low_confidence(conn: Connection) -> tuple[list[dict], int]:
    """The least sure facts (the database sorts each table and returns its first few) and how many there are."""
    found, count = [], 0
    for kind, table in _REVIEWED.items():
        low = table.c.confidence < LOW_CONFIDENCE
        count += _count(conn, table, low)
        query = (select(table.c.id, table.c.doc, table.c.start, table.c.end, table.c.confidence).where(low)
                 .order_by(table.c.confidence, table.c.doc, table.c.start, table.c.id).limit(REVIEW_LIMIT))
        found += [{"kind": kind, **dict(r._mapping)} for r in conn.execute(query)]
    found.sort(key=lambda f: (f["confidence"], f["kind"], f["doc"], f["start"], f["id"]))
    shown = found[:REVIEW_LIMIT]
    texts, briefs = _texts(conn, (f["doc"] for f in shown)), _briefs(conn, (f["doc"] for f in shown))
    return low_confidence_items(shown, texts, briefs), count


# ------------------------------------------------------------------------------ documents


def document_list(conn: Connection, offset: int) -> dict:
    """One page of the documents list, with the fact counts and copies of that page's documents only."""
    query = (select(documents.c.id, documents.c.title, documents.c.outlet, documents.c.author, documents.c.published,
                    documents.c.relation, documents.c.duplicate_of, documents.c.similarity)
             .order_by(documents.c.published.is_(None), documents.c.published, documents.c.id))
    rows, total = page_rows(conn, query, PAGE_SIZE, offset, key=documents.c.id)
    ids = [d["id"] for d in rows]
    counts: dict[str, dict[str, int]] = {i: {k: 0 for k in _FACTS} for i in ids}
    for kind, table in _FACTS.items():
        if ids:
            for doc, n in conn.execute(select(table.c.doc, func.count()).where(table.c.doc.in_(ids)).group_by(table.c.doc)):
                counts[doc][kind] = n
    copies: dict[str, list[dict]] = {}
    if ids:
        for c in conn.execute(select(documents.c.id, documents.c.title, documents.c.relation, documents.c.duplicate_of)
                              .where(documents.c.duplicate_of.in_(ids)).order_by(documents.c.id)):
            copies.setdefault(c.duplicate_of, []).append({"doc": c.id, "title": c.title or c.id, "relation": c.relation})
    originals = _briefs(conn, (d["duplicate_of"] for d in rows if d["duplicate_of"]))
    return {
        "documents": [
            {**d, "title": d["title"] or d["id"], "copies": copies.get(d["id"], []), "facts": counts[d["id"]],
             "duplicate_title": (originals.get(d["duplicate_of"]) or {}).get("title") or d["duplicate_of"]}
            for d in rows
        ],
        "total": total,
        "pager": pager("/documents", "documents", total, offset, len(rows)),
    }


# --------------------------------------------------------------------------------- actors


def actor_list(conn: Connection, offset: int) -> dict:
    rows, total = actor_page(conn, None, PAGE_SIZE, offset)
    return {
        "actors": [
            {"id": r["id"], "name": r["name"], "kind": r["kind"], "country": r["country"], "roles": r["roles"],
             "mentions": r["mentions"], "documents": r["documents"], "aliases": sorted(r.get("aliases") or [])}
            for r in rows
        ],
        "pager": pager("/actors", "actors", total, offset, len(rows)),
    }


# ------------------------------------------------------------------------------- timeline


def timeline_week(conn: Connection, week: str | None, actor: str | None, type: str | None) -> dict:
    """The entries of the whole weeks from `week` (its Monday) that hold about `REPORTS_SHOWN` reports,
    with links to the pages before and after. Without `week`, from the first event.

    A small store fits on one page; a large one shows a few days or weeks at a time. The entries are the
    store's merged ones, read by the day they are shown at.
    """
    stored = ensure_timeline(conn.engine)
    filtered = stored_report_days(conn, actor, type) if stored else event_query(type=type)
    if actor and not stored:
        filtered = filtered.where(event_names_actor(actor, conn))
    rows = filtered.order_by(None).subquery()
    day = rows.c.day if stored else func.substr(func.coalesce(rows.c.date, rows.c.published), 1, 10)
    start = _monday(week) if week else None
    if start is None:
        start = _monday(conn.execute(select(func.min(day))).scalar()) or date.today() - timedelta(days=date.today().weekday())
    start = _clamped(start)
    end = _window_end(conn, day, start)
    if stored:
        shown = stored_timeline_rows_between(conn, start.isoformat(), end.isoformat(), actor, type)
    else:
        shown = _merged_between(conn, start, end, actor, type)
    data = timeline_data(conn.engine, shown, actor, type)
    return {**data, "pager": _window_pager(conn, rows, day, start, end, actor, type),
            "week": {"start": start.isoformat(), "end": end.isoformat()}}


def _merged_between(conn: Connection, start: date, end: date, actor: str | None, type: str | None) -> list[dict]:
    """The entries shown from `start` to `end`, merged from the reports around them: for a store whose stored
    timeline is not current and that this read-only app cannot bring up to date."""
    when = func.coalesce(events.c.date, documents.c.published)
    low, high = start - MERGE_MARGIN, end + MERGE_MARGIN
    reports = [dict(r._mapping) for r in conn.execute(event_query(type=type).where(within(when, low.isoformat(), high.isoformat())))]
    names = names_of(conn, (a for r in reports for a in [*(r["actors"] or []), *(r["recipients"] or [])]))
    for r in reports:
        r["actors"], r["recipients"] = list(r["actors"] or []), list(r["recipients"] or [])
        r["actor_names"] = [names.get(a, a) for a in r["actors"]]
        r["recipient_names"] = [names.get(a, a) for a in r["recipients"]]
    wanted = _wanted_actors(conn, actor) if actor else None
    entries = []
    for entry in build_timeline(reports):
        first = min(entry.reports, key=lambda r: (r.get("published") or "9999", r["start"]))
        first_day = _first_day(entry.date or first.get("published"))
        if first_day is None or not start <= first_day <= end:
            continue
        if wanted is not None and not wanted & set(entry.actors + entry.recipients):
            continue
        entries.append((entry, first, first_day))
    entries.sort(key=lambda e: (e[2], e[0].date is None))
    return [timeline_row(entry, names) for entry, _first, _day in entries]


def _nth_day(conn: Connection, day, condition, descending: bool = False) -> str | None:
    """The day of the `REPORTS_SHOWN`-th report meeting `condition`, counting forward (or back), else of the last."""
    order = day.desc() if descending else day.asc()
    found = conn.execute(select(day).where(condition).order_by(order).limit(1).offset(REPORTS_SHOWN - 1)).scalar()
    if found is None:
        found = conn.execute(select(func.min(day) if descending else func.max(day)).where(condition)).scalar()
    return found


def _window_end(conn: Connection, day, start: date) -> date:
    """The Sunday of the week in which the page's `REPORTS_SHOWN`-th report falls (at least `start`'s week)."""
    last = _first_day(_nth_day(conn, day, day >= start.isoformat()))
    last = max(last or start, start)
    return _clamped(last - timedelta(days=last.weekday())) + timedelta(days=6)


def _window_pager(conn: Connection, rows, day, start: date, end: date, actor: str | None, type: str | None) -> dict:
    """Links to the page before (the weeks ending before `start` that hold `REPORTS_SHOWN` reports) and after."""
    earlier = _nth_day(conn, day, day < start.isoformat(), descending=True)
    after = conn.execute(select(func.min(day)).where(day > end.isoformat())).scalar()
    total = conn.execute(select(func.count()).select_from(rows)).scalar_one()

    def href(value: str | None) -> str | None:
        monday = _monday(value)
        if monday is None:
            return None
        return "/timeline?" + urlencode({k: v for k, v in {"week": _clamped(monday).isoformat(), "actor": actor, "type": type}.items() if v})

    return {"what": "event reports in all", "total": total, "previous": href(earlier), "next": href(after),
            "week": f"{start.isoformat()} to {end.isoformat()}"}


def _clamped(monday: date) -> date:
    """A Monday whose page, with its merge margin, stays inside the calendar (a source dated year 1 still shows)."""
    return min(max(monday, _monday((date.min + 2 * MERGE_MARGIN).isoformat())), _monday((date.max - 3 * MERGE_MARGIN).isoformat()))


def showable_day(value: str) -> bool:
    """Whether `value` is a real day whose week, with its merge margin, stays inside the calendar."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return False
    monday = day - timedelta(days=day.weekday())
    return date.min + MERGE_MARGIN <= monday <= date.max - timedelta(days=6) - MERGE_MARGIN


def _wanted_actors(conn: Connection, text: str) -> set[str]:
    """The actors a timeline filter names, as `detente timeline --actor` reads it (see `event_names_actor`)."""
    needle = text.strip().lower()
    if conn.execute(select(actors.c.id).where(actors.c.id == needle)).scalar() is not None:
        return {needle}
    found = set(conn.execute(select(actors.c.id).where(
        func.lower(actors.c.id).contains(needle, autoescape=True) | func.lower(actors.c.name).contains(needle, autoescape=True)
    )).scalars())
    return found or {needle}


def _monday(value: str | None) -> date | None:
    day = _first_day(value)
    return None if day is None else day - timedelta(days=day.weekday())


def _first_day(value: str | None) -> date | None:
    bounds = date_bounds(value)
    return bounds[0] if bounds else None


# ------------------------------------------------------------------------------ one actor


def actor_profile(conn: Connection, actor_id: str) -> dict | None:
    """One actor's profile (see `detente.present.views.actors.build_actor`) with the first `PAGE_SIZE` quotes,
    stances, events and documents; `totals` counts them all, which the API lists in full."""
    from detente.present.views.actors import _affiliations
    from detente.store.extraction import quote_query
    from detente.store.schema import affiliations
    from detente.store.stances import stance_page, stance_query
    from detente.web.queries import _lists_any

    row = conn.execute(select(actors).where(actors.c.id == actor_id)).first()
    if row is None:
        return None
    detail = dict(row._mapping)
    quoted, quote_total = page_rows(conn, quote_query().where(quotes.c.speaker == actor_id), PAGE_SIZE, 0, key=quotes.c.id)
    stance_q = stance_query(conn).where(stances.c.actor == actor_id)
    stance_total = _count(conn, stances, stances.c.actor == actor_id)
    taken = stance_page(conn, page_query(stance_q, PAGE_SIZE, 0, key=stances.c.id))
    acted, event_total = page_rows(conn, event_query().where(_lists_any({actor_id})), PAGE_SIZE, 0, key=events.c.id)
    for e in acted:
        e["actors"], e["recipients"] = list(e["actors"] or []), list(e["recipients"] or [])
    roles = [dict(r._mapping) for r in conn.execute(
        select(affiliations).where(affiliations.c.actor == actor_id).order_by(affiliations.c.start, affiliations.c.id))]
    mentioned = select(mentions.c.doc).where(mentions.c.actor == actor_id).distinct().subquery()
    doc_total = conn.execute(select(func.count()).select_from(mentioned)).scalar_one()
    named_in = select(mentions.c.doc).where(mentions.c.actor == actor_id, mentions.c.doc == documents.c.id).exists()
    doc_ids = list(conn.execute(select(documents.c.id).where(named_in)
                                .order_by(func.coalesce(documents.c.published, ""), documents.c.id).limit(PAGE_SIZE)).scalars())
    docs = {e["doc"] for e in acted} | {s["doc"] for s in taken} | {q["doc"] for q in quoted} | set(doc_ids) | {
        r["doc"] for r in roles if r.get("doc")}
    briefs, texts = _briefs(conn, docs), _texts(conn, {e["doc"] for e in acted} | {s["doc"] for s in taken})
    names = names_of(conn, [a for e in acted for a in e["actors"] + e["recipients"]] + [r.get("organization") for r in roles])
    return {
        "actor": {"id": detail["id"], "name": detail["name"], "kind": detail["kind"], "country": detail["country"],
                  "aliases": sorted(detail.get("aliases") or []), "origin": detail.get("origin")},
        "affiliations": _affiliations(roles, names, briefs),
        "quotes": [
            {"fact": fact_key("quote", q["id"]), "date": q.get("date") or q.get("published"), "content": q["content"],
             "kind": q["kind"], "cue": q.get("cue"), "confidence": q["confidence"], **source_of(briefs.get(q["doc"]), q["doc"])}
            for q in quoted
        ],
        "stances": [
            {"fact": fact_key("stance", s["id"]), "date": s.get("date") or s.get("published"), "polarity": s["polarity"],
             "target": s["target"], "target_name": s["target_name"], "condition": s.get("condition"),
             "sentence": sentence_around(texts.get(s["doc"], ""), s["start"], s["end"]), **source_of(briefs.get(s["doc"]), s["doc"])}
            for s in taken
        ],
        "events": [
            {"fact": fact_key("event", e["id"]), "date": e.get("date") or e.get("published"), "type": e["type"],
             "mode": e.get("mode"), "status": e["status"], "role": "actor" if actor_id in e["actors"] else "recipient",
             "others": [{"id": a, "name": names.get(a, a)} for a in e["actors"] + e["recipients"] if a != actor_id],
             "sentence": sentence_around(texts.get(e["doc"], ""), e["start"], e["end"]), **source_of(briefs.get(e["doc"]), e["doc"])}
            for e in acted
        ],
        "mentions": _count(conn, mentions, mentions.c.actor == actor_id),
        "documents": [source_of(briefs.get(d), d) for d in doc_ids],
        "documents_total": doc_total,
        "earlier": {},  # the app's page says what it leaves to the API itself (see app_actor.html.j2)
        "totals": {"quotes": quote_total, "stances": stance_total, "events": event_total, "documents": doc_total},
        "shown": PAGE_SIZE,
    }


# -------------------------------------------------------------------------------- claims


SERIES_PAGE = 10  # figure series per page, longest first
POINTS_SHOWN = 100  # figures listed per series; the API lists every one
DISPUTES_SHOWN = 20


def claims_page(conn: Connection, offset: int) -> dict:
    """The claims page (see `detente.present.views.claims`) for `SERIES_PAGE` series, longest first, with
    their first `POINTS_SHOWN` figures each, and the first disputes; the counts say how many there are."""
    from detente.present.views.claims import PROPERTY_LABELS, _dispute
    from detente.store.claims import claim_query, reporter

    unit = func.coalesce(claims.c.unit, "")
    grouped = select(claims.c.property, claims.c.subject, unit.label("unit"), func.count().label("n")).group_by(
        claims.c.property, claims.c.subject, unit)
    total = conn.execute(select(func.count()).select_from(grouped.subquery())).scalar_one()
    keys = conn.execute(grouped.order_by(func.count().desc(), claims.c.property, claims.c.subject, unit)
                        .limit(SERIES_PAGE).offset(offset)).all()
    series, points_of = [], {}
    for number, (prop, subject, unit_name, n) in enumerate(keys, start=offset + 1):
        rows = rows_of_page(conn, claim_query(property=prop, subject=subject).where(unit == unit_name), POINTS_SHOWN, 0,
                            key=claims.c.id)
        points_of[number] = rows
        series.append({"key": f"claims-{number}", "property": prop,
                       "label": PROPERTY_LABELS.get(prop, prop.replace("_", " ").capitalize()),
                       "subject": subject.replace("-", " "), "unit": unit_name or None, "figures": n,
                       "api": "/api/claims?" + urlencode({"property": prop, "subject": subject})})
    texts = _texts(conn, {r["doc"] for rows in points_of.values() for r in rows})
    for s, rows in zip(series, points_of.values()):
        s["points"] = [
            {"fact": fact_key("claim", r["id"]), "date": r["date"], "value": r["value"], "low": r["low"], "high": r["high"],
             "reported_by": reporter(r), "words": " ".join((r.get("text") or "").split()),
             "sentence": sentence_around(texts.get(r["doc"], ""), r["start"], r["end"]), "doc": r["doc"],
             "outlet": r.get("outlet"), "title": r.get("doc_title"), "published": r.get("published"),
             "confidence": r["confidence"]}
            for r in rows
        ]
    return {
        "series": series,
        "disputes": [_dispute(d) for d in dispute_rows(conn.engine, limit=DISPUTES_SHOWN)],
        "dispute_count": _count(conn, disputes),
        "pager": pager("/claims", "figure series", total, offset, len(series), size=SERIES_PAGE),
    }


# ------------------------------------------------------------------------------- stances


ACTORS_PAGE = 50


def stances_page(conn: Connection, offset: int) -> dict:
    """The stances page (see `detente.present.views.stances`) for `ACTORS_PAGE` actors by name: their row of
    the matrix over the most discussed targets of the whole store, and every series of theirs."""
    from collections import Counter

    from detente.present.views.stances import MATRIX_TARGETS, POLARITIES
    from detente.store.stances import stance_page, stance_query

    ranked = conn.execute(select(stances.c.target, func.count(func.distinct(stances.c.actor)).label("n"), func.min(stances.c.id))
                          .group_by(stances.c.target).order_by(func.count(func.distinct(stances.c.actor)).desc(), stances.c.target)
                          .limit(MATRIX_TARGETS)).all()
    named = {r["target"]: r["target_name"] or r["target"]
             for r in stance_page(conn, stance_query(conn).where(stances.c.id.in_([first for _, _, first in ranked])))}
    targets = [{"id": t, "name": named.get(t, t), "actors": n} for t, n, _ in ranked]
    name = func.coalesce(actors.c.name, stances.c.actor)
    # The sort key is selected too: PostgreSQL orders a DISTINCT only by what it selects.
    holders = (select(stances.c.actor, name.label("name"), func.lower(name).label("sort_name"))
               .outerjoin(actors, actors.c.id == stances.c.actor).distinct())
    total = conn.execute(select(func.count()).select_from(holders.subquery())).scalar_one()
    page = conn.execute(holders.order_by(func.lower(name), stances.c.actor).limit(ACTORS_PAGE).offset(offset)).all()
    rows = stance_page(conn, stance_query(conn).where(stances.c.actor.in_([r.actor for r in page]))) if page else []
    texts = _texts(conn, {r["doc"] for r in rows})
    series: dict[tuple[str, str], list[dict]] = {}
    target_names = {t["id"]: t["name"] for t in targets}
    for r in rows:  # in date order
        target_names.setdefault(r["target"], r["target_name"] or r["target"])
        points = series.setdefault((r["actor"], r["target"]), [])
        points.append({**stance_point(r, points[-1]["polarity"] if points else None),
                       "sentence": sentence_around(texts.get(r["doc"], ""), r["start"], r["end"])})
    names = {r.actor: r.name for r in page}
    matrix = []
    for a, name, _ in page:
        cells = []
        for t in targets:
            points = series.get((a, t["id"]))
            if not points:
                cells.append(None)
                continue
            tally = Counter(p["polarity"] for p in points)
            cells.append({"target": t["id"], "latest": points[-1]["polarity"], "latest_date": points[-1]["date"],
                          "counts": {p: tally.get(p, 0) for p in POLARITIES},
                          "shifts": sum(1 for p in points if p["changed_from"])})
        if any(cells):
            matrix.append({"actor": a, "name": name, "cells": cells})
    return {
        "polarities": list(POLARITIES), "targets": targets, "matrix": matrix,
        "series": [
            {"actor": a, "actor_name": names[a], "target": t, "target_name": target_names[t], "points": points,
             "points_total": len(points), "shifts": sum(1 for p in points if p["changed_from"])}
            for (a, t), points in sorted(series.items(), key=lambda kv: (names[kv[0][0]].lower(), kv[0][0],
                                                                         target_names[kv[0][1]].lower(), kv[0][1]))
        ],
        "pager": pager("/stances", "actors with stances", total, offset, len(page), size=ACTORS_PAGE),
    }


# ---------------------------------------------------------------------------- one document


def document_view(conn: Connection, doc: str) -> dict | None:
    """One document's page (see `detente.present.views.documents.build_document`), reading only its own facts,
    the names they use and the documents it copies or is copied by (the report reads them for every document)."""
    from detente.present.views.documents import FACT_TABLES, DocumentContext, build_document
    from detente.web.api import find_document

    found = find_document(conn.engine, doc)
    if found is None:
        return None
    doc_id = found["id"]
    rows = {doc_id: [(kind, dict(r._mapping)) for kind, table in FACT_TABLES.items()
                     for r in conn.execute(select(table).where(table.c.doc == doc_id).order_by(table.c.start, table.c.id))]}
    mentioned = set()
    for _kind, row in rows[doc_id]:
        for key in ("actor", "speaker", "target", "attributed_to"):
            mentioned.add(row.get(key))
        mentioned.update([*(row.get("actors") or []), *(row.get("recipients") or [])])
    related = (documents.c.id == doc_id) | (documents.c.duplicate_of == doc_id)
    if found.get("duplicate_of"):
        related = related | (documents.c.id == found["duplicate_of"])
    briefs = {r.id: dict(r._mapping) for r in conn.execute(
        select(documents.c.id, documents.c.title, documents.c.relation, documents.c.duplicate_of).where(related).order_by(documents.c.id))}
    return build_document(conn.engine, doc_id, context=DocumentContext(names_of(conn, mentioned), rows, briefs))
