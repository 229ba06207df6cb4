"""Keeping the disputes current: after every extraction, for what changed, and after a crash.

Disputes are derived from the other tables, so they go stale whenever a
document is extracted. Whether they are current is read from the store itself
(`dispute_coverage`: a document without a row there has disputes to refresh),
never from the last run having finished, so a run killed between its last
document and its disputes leaves work the next `extract` or `run` finds.

Only the disputes touching stale documents are recomputed (see
`find_disputes_touching`), so adding one document to a large store costs one
streaming pass over the texts at most, not a reload of the whole store. When
most documents are stale (a first extraction, a new extractor version), the
whole store is compared at once, which is cheaper then. A change of the dispute
cues or of this module's method makes every document stale.
"""

from __future__ import annotations

import hashlib
from importlib import resources

from sqlalchemy import Connection, Engine, delete, func, insert, or_, select

from detente.analysis.disputes import (
    CUES_FILE,
    EXTRACTOR,
    EXTRACTOR_TAG,
    DisputeUpdate,
    dispute_rows,
    find_all_disputes,
    find_disputes_touching,
)
from detente.store.batches import id_batches
from detente.store.locks import hold_records_lock
from detente.store.methods import method_changed, save_method
from detente.store.schema import dispute_coverage, disputes, extractions

METHOD_KEY = "disputes_method"


def refresh_disputes(engine: Engine) -> int:
    """Bring the disputes up to date with the extracted documents; the number of disputes stored.

    The comparison reads the store outside the write; the write replaces every
    row it recomputed, so two processes refreshing at once give the same rows
    once, whichever writes last.
    """
    with engine.begin() as conn:
        _forget_if_method_changed(conn)
    with engine.connect() as conn:
        stale = _stale_documents(conn)
        extracted = conn.execute(select(func.count(func.distinct(extractions.c.doc)))).scalar() or 0
        elsewhere = set(conn.execute(
            select(dispute_coverage.c.doc).where(dispute_coverage.c.disputing.is_(True))
        ).scalars())
    if stale:
        if 2 * len(stale) > extracted:
            update = find_all_disputes(engine)
        else:
            update = find_disputes_touching(engine, stale, elsewhere - stale)
        with engine.begin() as conn:
            hold_records_lock(conn)
            _write(conn, update, stale)
    with engine.connect() as conn:
        return conn.execute(
            select(func.count()).select_from(disputes).where(disputes.c.extractor.like(f"{EXTRACTOR}/%"))
        ).scalar() or 0


def stale_documents(engine: Engine) -> set[str]:
    """Extracted documents whose disputes were not refreshed since (empty when all are current)."""
    with engine.connect() as conn:
        if _method_changed(conn):
            return set(conn.execute(select(extractions.c.doc)).scalars())
        return _stale_documents(conn)


def _stale_documents(conn: Connection) -> set[str]:
    covered = select(dispute_coverage.c.doc)
    return set(conn.execute(select(extractions.c.doc).where(extractions.c.doc.not_in(covered))).scalars())


def _write(conn: Connection, update: DisputeUpdate, stale: set[str]) -> None:
    """Replace what `update` recomputed, and mark its documents current, in the caller's transaction."""
    ours = disputes.c.extractor.like(f"{EXTRACTOR}/%")
    covered = update.documents | stale
    for batch in id_batches(covered):
        conn.execute(delete(disputes).where(ours, or_(disputes.c.a_doc.in_(batch), disputes.c.b_doc.in_(batch))))
        conn.execute(delete(dispute_coverage).where(dispute_coverage.c.doc.in_(batch)))
    for batch in id_batches(update.claims):
        replaced = or_(disputes.c.a_id.in_(batch), disputes.c.b_id.in_(batch))
        conn.execute(delete(disputes).where(ours, disputes.c.kind == "contradiction", disputes.c.a_kind == "claim", replaced))
    rows = dispute_rows(update.records)
    if rows:
        conn.execute(insert(disputes), rows)
    for batch in id_batches(covered):
        extracted = conn.execute(select(extractions.c.doc).where(extractions.c.doc.in_(batch))).scalars()
        coverage = [{"doc": doc, "disputing": doc in update.disputing} for doc in sorted(set(extracted))]
        if coverage:
            conn.execute(insert(dispute_coverage), coverage)



def _method() -> str:
    """What the stored disputes were computed with: the cue file and the extractor's tag."""
    cues = resources.files("detente.data").joinpath(CUES_FILE).read_bytes()
    return f"{EXTRACTOR_TAG}:{hashlib.sha256(cues).hexdigest()[:16]}"


def _method_changed(conn: Connection) -> bool:
    return method_changed(conn, METHOD_KEY, _method())


def _forget_if_method_changed(conn: Connection) -> None:
    if not _method_changed(conn):
        return
    conn.execute(delete(dispute_coverage))
    save_method(conn, METHOD_KEY, _method())
