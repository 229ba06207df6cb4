"""The whole data model of DESIGN.md as SQLAlchemy Core tables.

Every extracted record is a statement by one source: it carries the document,
the character span in that document's clean text, the extractor (name and
version) and a confidence. Lists (aliases, actors of an event, removed lines)
are JSON columns so the schema is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 3

metadata = MetaData()


def _provenance() -> list[Column]:
    """Columns every extracted record carries, so each fact points at its sentence."""
    return [
        Column("doc", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
        Column("extractor", String(64), nullable=False),
        Column("confidence", Float, nullable=False, default=1.0),
    ]


schema_info = Table(
    "schema_info",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("uri", Text),
    Column("title", Text),
    Column("outlet", Text),
    Column("author", Text),
    Column("published", String(32)),
    Column("published_text", Text),
    Column("text", Text, nullable=False),
    Column("removed", JSON, nullable=False, default=list),
    Column("attributed_to", Text),
    Column("duplicate_of", String(64), ForeignKey("documents.id", ondelete="SET NULL")),
    Column("relation", String(16)),
    Column("similarity", Float),
    Column("reader", String(16), nullable=False),
    Column("ingested_at", String(32), nullable=False),
)

# LSH band hashes and winnowed passage fingerprints of each document (ingest/dedup.py).
document_bands = Table(
    "document_bands",
    metadata,
    Column("doc", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("band", BigInteger, nullable=False),
)

document_passages = Table(
    "document_passages",
    metadata,
    Column("doc", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("fingerprint", BigInteger, nullable=False),
)

ingest_errors = Table(
    "ingest_errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

actors = Table(
    "actors",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("country", String(3)),
    Column("aliases", JSON, nullable=False, default=list),
    Column("origin", String(16), nullable=False, default="extracted"),
)

affiliations = Table(
    "affiliations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("actor", String(128), ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("organization", String(128)),
    Column("organization_text", Text),
    Column("role", Text, nullable=False),
    # Dates of the role, as ISO prefixes; the document's span is span_start/span_end.
    Column("start", String(32)),
    Column("end", String(32)),
    Column("doc", String(64), ForeignKey("documents.id", ondelete="CASCADE")),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Column("extractor", String(64), nullable=False),
    Column("confidence", Float, nullable=False, default=1.0),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("actor", String(128), ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("text", Text, nullable=False),
    *_provenance(),
)

dates = Table(
    "dates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("text", Text, nullable=False),
    Column("value", String(32), nullable=False),
    Column("precision", String(8), nullable=False),
    *_provenance(),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("type", String(16), nullable=False),
    Column("mode", String(32)),
    Column("actors", JSON, nullable=False, default=list),
    Column("recipients", JSON, nullable=False, default=list),
    # The words naming each doer and receiver, in order: kept when no actor
    # matches them ("the two sides", "eight armed groups"), so no event loses its parties.
    Column("actors_text", JSON),
    Column("recipients_text", JSON),
    Column("date", String(32)),
    Column("date_text", Text),
    Column("location", Text),
    Column("status", String(16), nullable=False, default="reported"),
    Column("text", Text),
    *_provenance(),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("speaker", String(128), ForeignKey("actors.id", ondelete="SET NULL")),
    Column("speaker_text", Text),
    Column("cue", Text),
    Column("content", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("date", String(32)),
    Column("date_text", Text),
    *_provenance(),
)

stances = Table(
    "stances",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("actor", String(128), ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("target", Text, nullable=False),
    Column("target_name", Text),  # the target as a reader knows it ("the Pretoria agreement")
    Column("target_text", Text),  # the words this statement names it by ("the deal")
    Column("polarity", String(16), nullable=False),
    Column("condition", Text),
    Column("date", String(32)),
    *_provenance(),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject", Text, nullable=False),
    Column("property", Text, nullable=False),
    Column("value", Float),
    Column("low", Float),
    Column("high", Float),
    Column("qualifier", String(32)),  # "more than", "about", "at least": the bound the text puts on the figure
    Column("unit", Text),
    Column("date", String(32)),
    Column("attributed_to", String(128)),
    Column("source_text", Text),  # who gives the figure, in the text's words ("activists")
    *_provenance(),
)

disputes = Table(
    "disputes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # A side is a stored row (a_kind quote / claim / event, a_id its id) or,
    # where the disputed words hold no row, a bare sentence (a_kind "sentence",
    # no id). Both kinds carry the side's span, so a reader shows the two
    # statements side by side without joins.
    Column("a_kind", String(16), nullable=False),
    Column("a_id", Integer),
    Column("a_doc", String(64), ForeignKey("documents.id", ondelete="CASCADE")),
    Column("a_start", Integer),
    Column("a_end", Integer),
    Column("b_kind", String(16), nullable=False),
    Column("b_id", Integer),
    Column("b_doc", String(64), ForeignKey("documents.id", ondelete="CASCADE")),
    Column("b_start", Integer),
    Column("b_end", Integer),
    Column("kind", String(16), nullable=False),
    Column("extractor", String(64), nullable=False),
    Column("confidence", Float, nullable=False, default=1.0),
)

# The documents whose disputes are current: a document's row goes when its
# extraction is rewritten and comes back when disputes are refreshed for it, in
# the same transaction as its dispute rows, so a run killed in between leaves
# the document stale (and the next `extract` or `run` refreshes it), never
# half-done. `disputing` marks a document holding a sentence that disputes
# another, the only ones a new document's sentences need to be matched against.
dispute_coverage = Table(
    "dispute_coverage",
    metadata,
    Column("doc", String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("disputing", Boolean, nullable=False, default=False),
)

# The merged cross-report timeline (detente.analysis.timeline), stored so that readers page it in SQL
# and an extraction re-merges only what its events can touch (detente.analysis.timeline_refresh).
# A group is a run of one type and status whose date windows overlap (or that type and status's
# undated reports, with no span): groups merge independently of each other.
timeline_groups = Table(
    "timeline_groups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("type", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("first", String(10)),  # the span of days its reports' windows cover; None for the undated group
    Column("last", String(10)),
)

# One merged entry; the JSON lists are what readers show, `timeline_reports` and `timeline_actors`
# what the refresh and the filters look up. The `lead_*` columns are the report that opened the
# entry: with `first`, `date` and `type` they order entries exactly as one merge of the whole store.
timeline_entries = Table(
    "timeline_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("group_id", Integer, ForeignKey("timeline_groups.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(16), nullable=False),
    Column("mode", String(32)),
    Column("status", String(16), nullable=False),
    Column("date", String(32)),
    Column("first", String(10)),
    Column("last", String(10)),
    Column("date_from", String(10)),  # the days `date` can mean, for --since and --until
    Column("date_to", String(10)),
    Column("day", String(10)),  # the first day of `date`, else of the day it was first reported: where a page shows it
    Column("actors", JSON, nullable=False),
    Column("recipients", JSON, nullable=False),
    Column("location", Text),
    Column("sources", Integer, nullable=False),
    Column("docs", JSON, nullable=False),
    Column("outlets", JSON, nullable=False),
    Column("events", JSON, nullable=False),
    Column("text", Text),
    Column("first_reported", String(32)),
    Column("confidence", Float, nullable=False),
    Column("undated", Boolean, nullable=False),  # first IS NULL, as a column so one index serves the order
    Column("when_missing", Boolean, nullable=False),  # undated_when IS NULL
    Column("undated_when", String(32)),
    Column("lead_from", String(10)),
    Column("lead_to", String(10)),
    Column("lead_doc", String(64), nullable=False),
    Column("lead_start", Integer, nullable=False),
    Column("lead_when_missing", Boolean, nullable=False),
    Column("lead_when", String(32)),
    Column("lead_event", Integer, nullable=False),
)

# Which event rows report each entry. No foreign key to the events or documents: when a document's
# events are rewritten or the document goes, these rows say which groups to merge again.
timeline_reports = Table(
    "timeline_reports",
    metadata,
    Column("entry", Integer, ForeignKey("timeline_entries.id", ondelete="CASCADE"), nullable=False),
    Column("event", Integer, nullable=False),
    Column("doc", String(64), nullable=False),
    Column("day", String(10)),  # the first ten characters of the event's date, else of its document's publication
)

timeline_actors = Table(
    "timeline_actors",
    metadata,
    Column("entry", Integer, ForeignKey("timeline_entries.id", ondelete="CASCADE"), nullable=False),
    Column("actor", String(128), nullable=False),
)

# The documents whose events the stored timeline holds as they are now. A document's row goes when
# its extraction is rewritten (in that transaction); a row whose document is gone marks it deleted.
timeline_coverage = Table(
    "timeline_coverage",
    metadata,
    Column("doc", String(64), primary_key=True),
)

extractions = Table(
    "extractions",
    metadata,
    Column("doc", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("extractor", String(64), nullable=False),
    Column("version", String(32), nullable=False),
    Column("at", String(32), nullable=False),
    UniqueConstraint("doc", "extractor", name="uq_extraction_doc_extractor"),
)

Index("ix_bands_band", document_bands.c.band)
Index("ix_passages_fingerprint", document_passages.c.fingerprint)
Index("ix_mentions_doc", mentions.c.doc)
Index("ix_mentions_actor_doc", mentions.c.actor, mentions.c.doc)  # an actor's documents, read from the index alone
Index("ix_quotes_doc", quotes.c.doc)
Index("ix_quotes_speaker", quotes.c.speaker)
Index("ix_dates_doc", dates.c.doc)
Index("ix_events_doc", events.c.doc)
# Events in date order (the listings and the app page them) sorted from the index alone, not from the table rows.
Index("ix_events_doc_date", events.c.doc, events.c.date, events.c.start)
Index("ix_affiliations_actor", affiliations.c.actor)
Index("ix_timeline_groups_span", timeline_groups.c.type, timeline_groups.c.status, timeline_groups.c.first)
Index("ix_timeline_entries_group", timeline_entries.c.group_id)
Index("ix_timeline_entries_day", timeline_entries.c.day)
# The timeline's order (detente.store.events.TIMELINE_ORDER), so a page of it is read off the index.
Index("ix_timeline_entries_order", *(timeline_entries.c[name] for name in (
    "undated", "first", "date", "type", "when_missing", "undated_when", "lead_from", "lead_to", "lead_doc", "lead_start",
    "lead_when_missing", "lead_when", "lead_event")))
Index("ix_timeline_reports_entry", timeline_reports.c.entry)
Index("ix_timeline_reports_doc", timeline_reports.c.doc)
Index("ix_timeline_reports_day", timeline_reports.c.day)  # the web timeline's weeks of reports
Index("ix_timeline_actors_actor", timeline_actors.c.actor, timeline_actors.c.entry)
Index("ix_timeline_actors_entry", timeline_actors.c.entry)
# What the app's overview and document pages count and sort over the whole store, read from small indexes
# instead of the documents' rows (which hold their texts): dates, duplicate relations, and the least sure facts.
# (No index on outlet: a Text value past PostgreSQL's B-tree row limit would refuse the document.)
Index("ix_documents_published", documents.c.published, documents.c.id)
Index("ix_documents_relation", documents.c.relation)
Index("ix_documents_duplicate_of", documents.c.duplicate_of)
Index("ix_quotes_confidence", quotes.c.confidence)
Index("ix_events_confidence", events.c.confidence)
Index("ix_stances_confidence", stances.c.confidence)
Index("ix_claims_confidence", claims.c.confidence)
Index("ix_stances_actor", stances.c.actor)  # an actor's stances, and the actors that hold any



def _compare_text_bytewise(tables) -> None:
    """Text columns sort on PostgreSQL as on SQLite: by code point (COLLATE "C"), whatever the database's locale.

    SQLite compares text byte by byte; a PostgreSQL database in en_US order
    would put "Zeta" after "alpha" and "un-envoy" before "unaids", and the
    same documents would give listings, reports and exports in another order.
    """
    for table in tables:
        for column in table.columns:
            if isinstance(column.type, String) and not column.type.collation:
                bytewise = type(column.type)(length=column.type.length, collation="C")
                column.type = column.type.with_variant(bytewise, "postgresql")


_compare_text_bytewise(metadata.tables.values())

# The record kinds of the export contract, in the order DESIGN.md lists them.
EXPORT_TABLES = {
    "documents": documents,
    "actors": actors,
    "affiliations": affiliations,
    "mentions": mentions,
    "dates": dates,
    "events": events,
    "quotes": quotes,
    "stances": stances,
    "claims": claims,
    "disputes": disputes,
}
