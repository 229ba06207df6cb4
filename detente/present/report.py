"""The one-file HTML report: every page of the store in a single self-contained file.

The file carries its own CSS, its own small script and its figures as
inline SVG, so it opens offline and can be sent by e-mail; nothing is
fetched. Pages are sections of the file; links
are anchors (`#timeline`, `#actor-john-kerry`, `#fact-quote-12`), and the
script shows one section at a time. Without JavaScript every section shows,
one after the other, and every link still works.

The same store gives the same bytes: no timestamps, everything sorted, plot
ids fixed.

A file of any store stays a file one opens and sends: its size is bounded
by the caps below, not by the store. It holds at most `documents_limit`
documents (`--report-documents`, the most recently published first);
profiles of the `PROFILES` most mentioned actors (only those mentioned at
least `PROFILE_MIN_MENTIONS` times when documents are left out), each with
its `PROFILE_ITEMS` most recent quotes, stances, events and documents; and
where a page's list would be endless it aggregates or cuts to the top rows
(`PAGE_CAPS`: the timeline by week with each week's densest entries, the
networks' strongest links, the top rows of each table), saying so and
pointing to `detente serve` and the exports, which hold everything.
Profiles and the timeline quote only the held documents' sentences (they
count the rest). A link to a record the file does not hold leads to the
`left-out` section, which says what is missing.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup
from sqlalchemy import Engine

from detente.negotiation.model import Negotiation
from detente.present.render import render_page, template_environment
from detente.present.views import PAGES, build_actor, build_document, build_timeline
from detente.present.views.actors import actor_context
from detente.present.views.documents import document_context
from detente.store.claims import dispute_rows

SECTION = "partials/section.html.j2"
REPORT_DOCUMENTS = 300  # documents whose text the file holds, most recent first (about 40 KB each with their facts)
PROFILE_MIN_MENTIONS = 2  # when documents are left out, actors mentioned fewer times get no profile
PROFILES = 150  # actor profiles the file holds, most mentioned first
PROFILE_ITEMS = 25  # most recent quotes, stances, events and documents in each profile
DOCUMENT_ROWS = 1000  # rows of the documents table (never fewer than the documents held)
# Each page's caps, passed to its builder (see the builders' docstrings).
PAGE_CAPS = {
    "overview": {"disputes_shown": 20},
    "timeline": {"densest": 3, "sources_shown": 5},
    "actors": {"rows_shown": 300},
    "stances": {"series_shown": 100, "points_shown": 15, "matrix_rows": 50},
    "claims": {"series_shown": 25, "points_shown": 60, "disputes_shown": 100},
    "documents": {"rows_shown": DOCUMENT_ROWS},
}
LEFT_OUT = "left-out"  # the section a link to a record the file does not hold leads to


@dataclass(frozen=True)
class ReportContents:
    """Which documents and actor profiles the file holds, out of how many in the store."""

    documents: frozenset[str]
    actors: frozenset[str]
    documents_total: int
    actors_total: int
    documents_limit: int

    @property
    def complete(self) -> bool:
        return len(self.documents) == self.documents_total and len(self.actors) == self.actors_total

    def summary(self) -> dict:
        return {"documents": len(self.documents), "documents_total": self.documents_total,
                "actors": len(self.actors), "actors_total": self.actors_total,
                "documents_limit": self.documents_limit, "min_mentions": PROFILE_MIN_MENTIONS, "profiles": PROFILES}


def report_contents(documents: list[dict], actors: list[dict], documents_limit: int = REPORT_DOCUMENTS,
                    documents_total: int | None = None, actors_total: int | None = None) -> ReportContents:
    """The `documents_limit` most recently published documents (undated last, ties by id), and the actors to profile.

    `documents` and `actors` are the rows of the documents and actors pages
    (most recent and most mentioned first; the totals count the store's when
    the pages list fewer).
    """
    documents_total = len(documents) if documents_total is None else documents_total
    actors_total = len(actors) if actors_total is None else actors_total
    by_id = sorted(documents, key=lambda d: d["id"])
    newest = sorted(by_id, key=lambda d: d.get("published") or "", reverse=True)  # stable: ties stay by id
    kept = frozenset(d["id"] for d in newest[:max(documents_limit, 0)])
    capped = len(kept) < documents_total
    profiled = frozenset(a["id"] for a in actors[:PROFILES] if not capped or a["mentions"] >= PROFILE_MIN_MENTIONS)
    return ReportContents(kept, profiled, documents_total, actors_total, documents_limit)


class ReportLinks:
    """Anchors inside the report file (see `detente.present.render` for the kinds).

    A record the file does not hold links to the `left-out` section instead of an anchor that is not there.
    """

    def __init__(self, contents: ReportContents | None = None) -> None:
        self.contents = contents

    def __call__(self, kind: str, id: str | None = None) -> str:
        held = self.contents
        if kind == "actor":
            return f"#actor-{id}" if held is None or id in held.actors else f"#{LEFT_OUT}"
        if kind == "document":
            return f"#doc-{id}" if held is None or id in held.documents else f"#{LEFT_OUT}"
        if kind == "event":
            return f"#{id}"
        if kind == "fact":
            doc, _, fact = str(id).rpartition("/")
            return f"#fact-{fact}" if held is None or doc in held.documents else f"#{LEFT_OUT}"
        return f"#{kind}"


report_link = ReportLinks()


def render_report(engine: Engine, negotiation: str | Path | Negotiation | None = None,
                  documents_limit: int = REPORT_DOCUMENTS) -> str:
    """The whole report as one string (`write_report` streams the same bytes to a file)."""
    return "".join(report_chunks(engine, negotiation, documents_limit))


def report_chunks(engine: Engine, negotiation: str | Path | Negotiation | None = None,
                  documents_limit: int = REPORT_DOCUMENTS) -> Iterator[str]:
    """The report's text in pieces, each profile and document built when its turn comes, so memory stays flat."""
    links = ReportLinks()
    env = template_environment(links)
    caps = {**PAGE_CAPS, "documents": {"rows_shown": max(DOCUMENT_ROWS, documents_limit)}}
    timeline = build_timeline(engine, **caps["timeline"])  # built once: the overview counts its entries
    disputes = dispute_rows(engine)  # read once: the overview and the claims page both list them
    pages = []
    for page in PAGES:
        data = timeline if page.name == "timeline" else page.builder(
            engine, model=negotiation, timeline_entries=timeline["total"], disputes=disputes, **caps.get(page.name, {}))
        if data is not None:
            pages.append((page, data))
    built = {page.name: data for page, data in pages}
    actors_data, documents_data = built.get("actors") or {}, built.get("documents") or {}
    links.contents = contents = report_contents(documents_data.get("documents", []), actors_data.get("actors", []),
                                                documents_limit, documents_data.get("total"), actors_data.get("total"))
    if not contents.complete and "timeline" in built:
        _quote_only_held_sources(built["timeline"], contents.documents)
    left_out = None if contents.complete else contents.summary()
    env.globals["nav"] = [{"name": page.name, "title": page.title} for page, _data in pages]
    title = "detente report"
    if documents_data:
        title += f": {contents.documents_total} documents"

    def sections() -> Iterator[Markup]:
        while pages:  # each page's data is let go once written
            page, data = pages.pop(0)
            built.pop(page.name, None)
            yield Markup(render_page(env, page.name, data, layout=SECTION, section_id=page.name))
        context = actor_context(engine, contents.actors, PROFILE_ITEMS) if contents.actors else None
        for actor in actors_data.get("actors", []):
            if actor["id"] not in contents.actors:
                continue
            profile = build_actor(engine, actor=actor["id"], context=context, items=PROFILE_ITEMS)
            if profile is not None:
                if not contents.complete:
                    _keep_held_items(profile, contents.documents)
                yield Markup(render_page(env, "actor", profile, layout=SECTION, section_id=f"actor-{actor['id']}"))
        facts = document_context(engine, docs=contents.documents) if contents.documents else None
        for doc in documents_data.get("documents", []):
            detail = build_document(engine, doc=doc["id"], context=facts) if doc["id"] in contents.documents else None
            if detail is not None:
                yield Markup(render_page(env, "document", detail, layout=SECTION, section_id=f"doc-{doc['id']}"))
        if left_out:
            yield Markup(render_page(env, "left_out", left_out, layout=SECTION, section_id=LEFT_OUT))

    yield from env.get_template("report.html.j2").generate(
        sections=sections(), title=title, brand="detente report", left_out=left_out,
    )


def _keep_held_items(profile: dict, held: frozenset[str]) -> None:
    """A profile in a capped file lists what the held documents say; `not_held` counts the rest per list."""
    profile["not_held"] = {}
    for key in ("quotes", "stances", "events", "documents"):
        kept = [item for item in profile[key] if item["doc"] in held]
        profile["not_held"][key] = len(profile[key]) - len(kept)
        profile[key] = kept


def _quote_only_held_sources(timeline: dict, held: frozenset[str]) -> None:
    """Every entry and source stays listed; only the sentences of held documents are written out."""
    for entry in timeline["entries"]:
        for source in entry["sources"]:
            if source["doc"] not in held:
                source["sentence"] = None


def write_report(engine: Engine, path: str | Path, negotiation: str | Path | Negotiation | None = None,
                 documents_limit: int = REPORT_DOCUMENTS) -> Path:
    """Write the report to `path` (replacing it whole, so a reader never sees half a file); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".html", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            for chunk in report_chunks(engine, negotiation, documents_limit):
                out.write(chunk)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a report is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
