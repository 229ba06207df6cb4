"""Full-text search over documents (title + clean text) and quotes (words + speaker).

On SQLite the index is a contentless FTS5 table, `search_index`, whose rowids
are keys from `search_keys` (kind, ref): the text itself stays in `documents`
and `quotes`, so the index adds little to the file. `refresh_search_index`
rebuilds both in one transaction, so running it twice gives the same index;
extraction calls it at the end. A fingerprint of what was indexed is kept in
`schema_info`; when the store has changed since (documents ingested but not
extracted), or on PostgreSQL, `search` falls back to a bound (I)LIKE query, so
results are never stale, only slower.

A user's query is never passed to FTS5 as syntax: it is cut into words and
"quoted phrases", each quoted for FTS5 (a trailing * keeps prefix search), so
`"` or `AND (` are searched for as words, never parsed. Hits carry a snippet of
the matched field and the offsets of the matched words inside it, never HTML:
whoever shows a hit escapes it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import (
    Connection,
    Engine,
    String,
    and_,
    cast,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
)

from detente.store.schema import actors, documents, quotes, schema_info

KINDS = ("document", "quote")
SNIPPET_CHARS = 240
FINGERPRINT_KEY = "search_index"
_TOKEN = re.compile(r"[^\W_]+\*?")
_PHRASE = re.compile(r'"([^"]*)"')

_CREATE = (
    (
        "CREATE TABLE IF NOT EXISTS search_keys ("
        " key INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL, UNIQUE (kind, ref))"
    ),
    (
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5("
        " title, body, content='', tokenize='unicode61 remove_diacritics 2')"
    ),
)


@dataclass
class SearchTerm:
    """One word or phrase of the user's query; `prefix` when it ended in *."""

    words: list[str]
    prefix: bool = False

    def fts(self) -> str:
        quoted = '"' + " ".join(self.words).replace('"', '""') + '"'
        return quoted + ("*" if self.prefix else "")


@dataclass
class SearchResults:
    total: int
    hits: list[dict] = field(default_factory=list)
    engine: str = "fts5"  # or "like", when the index is missing or stale


# ----------------------------------------------------------------------------- the index


def refresh_search_index(engine: Engine) -> bool:
    """(Re)build the index from every document and quote; False on a store without FTS5 (PostgreSQL)."""
    if engine.dialect.name != "sqlite":
        return False
    with engine.begin() as conn:
        for statement in _CREATE:
            conn.execute(text(statement))
        conn.execute(text("DELETE FROM search_keys"))
        conn.execute(text("INSERT INTO search_keys (kind, ref) SELECT 'document', id FROM documents ORDER BY id"))
        conn.execute(text("INSERT INTO search_keys (kind, ref) SELECT 'quote', CAST(id AS TEXT) FROM quotes ORDER BY id"))
        conn.execute(text("INSERT INTO search_index (search_index) VALUES ('delete-all')"))
        conn.execute(text(
            "INSERT INTO search_index (rowid, title, body)"
            " SELECT k.key, coalesce(d.title, ''), d.text FROM search_keys k JOIN documents d ON d.id = k.ref"
            " WHERE k.kind = 'document'"
        ))
        conn.execute(text(
            "INSERT INTO search_index (rowid, title, body)"
            " SELECT k.key, coalesce(a.name, q.speaker_text, ''), q.content FROM search_keys k"
            " JOIN quotes q ON CAST(q.id AS TEXT) = k.ref LEFT JOIN actors a ON a.id = q.speaker"
            " WHERE k.kind = 'quote'"
        ))
        _save_fingerprint(conn, _fingerprint(conn))
    return True


def ensure_search_index(engine: Engine) -> bool:
    """Rebuild the index only when the store changed since it was built; True when it was rebuilt."""
    with engine.connect() as conn:
        if engine.dialect.name != "sqlite" or index_is_fresh(conn):
            return False
    return refresh_search_index(engine)


def index_is_fresh(conn: Connection) -> bool:
    """True when the FTS5 index exists and covers exactly what the store holds now."""
    if conn.dialect.name != "sqlite":
        return False
    saved = conn.execute(select(schema_info.c.value).where(schema_info.c.key == FINGERPRINT_KEY)).scalar()
    return saved is not None and saved == _fingerprint(conn) and _has_index(conn)


def _has_index(conn: Connection) -> bool:
    found = conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name IN ('search_index', 'search_keys')"))
    return found.scalar() == 2


def _fingerprint(conn: Connection) -> str:
    """Counts and id ranges of what is indexed: cheap to compute, changes whenever rows come or go."""
    docs = conn.execute(select(func.count(), func.min(documents.c.id), func.max(documents.c.id))).one()
    said = conn.execute(select(func.count(), func.max(quotes.c.id), func.sum(quotes.c.id))).one()
    return "/".join(str(v) for v in (*docs, *said))


def _save_fingerprint(conn: Connection, value: str) -> None:
    conn.execute(schema_info.delete().where(schema_info.c.key == FINGERPRINT_KEY))
    conn.execute(schema_info.insert().values(key=FINGERPRINT_KEY, value=value))


# ------------------------------------------------------------------------------ queries


def parse_query(query: str) -> list[SearchTerm]:
    """Words and "quoted phrases" of what the user typed; everything else (operators, brackets) is dropped."""
    terms: list[SearchTerm] = []
    rest = _PHRASE.sub(lambda m: _add_phrase(terms, m.group(1)) or " ", query or "")
    for token in _TOKEN.findall(rest):
        terms.append(SearchTerm([token.rstrip("*")], prefix=token.endswith("*")))
    return terms


def _add_phrase(terms: list[SearchTerm], phrase: str) -> None:
    words = [w.rstrip("*") for w in _TOKEN.findall(phrase)]
    if words:
        terms.append(SearchTerm(words))


def search(
    conn: Connection, query: str, kinds: Iterable[str] = KINDS, limit: int = 20, offset: int = 0
) -> SearchResults:
    """Hits for `query`, best first: documents and/or quotes, each with a snippet and match offsets."""
    terms = parse_query(query)
    wanted = [k.removesuffix("s") for k in kinds if k.removesuffix("s") in KINDS]
    if not terms or not wanted:
        return SearchResults(0, engine="fts5" if index_is_fresh(conn) else "like")
    if index_is_fresh(conn):
        total, keys = _fts_keys(conn, terms, wanted, limit, offset)
        results = SearchResults(total, engine="fts5")
    else:
        total, keys = _like_keys(conn, terms, wanted, limit, offset)
        results = SearchResults(total, engine="like")
    results.hits = _hits(conn, keys, terms)
    return results


def _fts_keys(conn: Connection, terms: list[SearchTerm], kinds: list[str], limit: int, offset: int):
    expression = " ".join(term.fts() for term in terms)
    where = "search_index MATCH :expression AND k.kind IN (" + ", ".join(f":kind{i}" for i in range(len(kinds))) + ")"
    params = {"expression": expression, **{f"kind{i}": kind for i, kind in enumerate(kinds)}}
    source = "FROM search_index JOIN search_keys k ON k.key = search_index.rowid WHERE " + where
    total = conn.execute(text("SELECT count(*) " + source), params).scalar_one()
    rows = conn.execute(
        text("SELECT k.kind, k.ref " + source + " ORDER BY search_index.rank, k.key LIMIT :limit OFFSET :offset"),
        {**params, "limit": limit, "offset": offset},
    )
    return total, [(row.kind, row.ref) for row in rows]


def _like_keys(conn: Connection, terms: list[SearchTerm], kinds: list[str], limit: int, offset: int):
    """Without an index: every term must appear (case-insensitively) in one of the searched columns."""
    parts = []
    if "document" in kinds:
        condition = and_(*[or_(_ilike(documents.c.title, t), _ilike(documents.c.text, t)) for t in terms])
        parts.append(
            select(literal("document").label("kind"), documents.c.id.label("ref"), documents.c.published.label("sort"))
            .where(condition)
        )
    if "quote" in kinds:
        condition = and_(*[or_(_ilike(quotes.c.content, t), _ilike(actors.c.name, t), _ilike(quotes.c.speaker_text, t)) for t in terms])
        parts.append(
            select(literal("quote").label("kind"), cast(quotes.c.id, String).label("ref"), quotes.c.date.label("sort"))
            .select_from(quotes.outerjoin(actors, actors.c.id == quotes.c.speaker))
            .where(condition)
        )
    found = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    total = conn.execute(select(func.count()).select_from(found)).scalar_one()
    page = select(found.c.kind, found.c.ref).order_by(found.c.kind, found.c.sort.desc(), found.c.ref).limit(limit).offset(offset)
    return total, [(row.kind, row.ref) for row in conn.execute(page)]


def _ilike(column, term: SearchTerm):
    """A bound, escaped pattern: % and _ typed by the user match themselves."""
    words = " ".join(term.words)
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


# --------------------------------------------------------------------------------- hits


def _hits(conn: Connection, keys: list[tuple[str, str]], terms: list[SearchTerm]) -> list[dict]:
    doc_ids = [ref for kind, ref in keys if kind == "document"]
    quote_ids = [int(ref) for kind, ref in keys if kind == "quote"]
    found: dict[tuple[str, str], dict] = {}
    if doc_ids:
        query = select(
            documents.c.id, documents.c.title, documents.c.outlet, documents.c.published, documents.c.text
        ).where(documents.c.id.in_(doc_ids))
        for row in conn.execute(query):
            found[("document", row.id)] = _document_hit(dict(row._mapping), terms)
    if quote_ids:
        query = (
            select(quotes.c.id, quotes.c.doc, quotes.c.speaker, actors.c.name.label("speaker_name"), quotes.c.speaker_text,
                   quotes.c.content, quotes.c.date, quotes.c.start, quotes.c.end,
                   documents.c.title, documents.c.outlet, documents.c.published)
            .join(documents, documents.c.id == quotes.c.doc)
            .outerjoin(actors, actors.c.id == quotes.c.speaker)
            .where(quotes.c.id.in_(quote_ids))
        )
        for row in conn.execute(query):
            found[("quote", str(row.id))] = _quote_hit(dict(row._mapping), terms)
    return [found[key] for key in keys if key in found]


def _document_hit(row: dict, terms: list[SearchTerm]) -> dict:
    body = row.pop("text") or ""
    hit = {"kind": "document", "id": row["id"], "doc": row["id"], **row, "start": None, "end": None}
    return hit | _best_snippet([("text", body), ("title", row.get("title") or "")], terms)


def _quote_hit(row: dict, terms: list[SearchTerm]) -> dict:
    speaker = row.get("speaker_name") or row.get("speaker_text") or ""
    hit = {"kind": "quote", **row}
    return hit | _best_snippet([("content", row["content"] or ""), ("speaker", speaker)], terms)


def _best_snippet(fields: list[tuple[str, str]], terms: list[SearchTerm]) -> dict:
    """The first field with a match gives the snippet; else the first field's opening."""
    for name, value in fields:
        spans = match_spans(value, terms)
        if spans:
            return {"field": name, **snippet(value, spans)}
    name, value = fields[0]
    return {"field": name, **snippet(value, [])}


def match_spans(value: str, terms: list[SearchTerm]) -> list[tuple[int, int]]:
    """(start, end) of every word of the query in `value`, case- and accent-insensitively."""
    folded = fold_text(value)
    spans = []
    for term in terms:
        for word in term.words:
            open_end = term.prefix and word == term.words[-1]
            pattern = re.compile(r"(?<![^\W_])" + re.escape(fold_text(word)) + (r"[^\W_]*" if open_end else r"(?![^\W_])"))
            spans += [(m.start(), m.end()) for m in pattern.finditer(folded)]
    return _merge(sorted(spans))


def fold_text(value: str) -> str:
    """Lower case without accents, one character for one, so offsets still point into the original."""
    return value.lower() if value.isascii() else value.translate(_FOLDED)


class _FoldTable(dict):
    """code point → folded character, worked out the first time a character is met."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLDED = _FoldTable()


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch.lower()
    bare = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).lower()
    return bare if len(bare) == 1 else ch.lower()[:1] or ch


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def snippet(value: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> dict:
    """A window of `value` around the first match, cut at spaces.

    `snippet_start` is the window's offset in the field; `matches` are
    (start, end) offsets inside the snippet, for whoever highlights it.
    """
    if len(value) <= width:
        left, right = 0, len(value)
    else:
        centre = spans[0][0] if spans else 0
        left = max(0, min(centre - width // 3, len(value) - width))
        right = min(len(value), left + width)
        if left > 0:
            space = value.find(" ", left, left + 30)
            left = space + 1 if space >= 0 and (not spans or space < spans[0][0]) else left
        if right < len(value):
            space = value.rfind(" ", right - 30, right)
            right = space if space > left and (not spans or space >= spans[0][1]) else right
    inside = [(max(s, left) - left, min(e, right) - left) for s, e in spans if s < right and e > left]
    return {
        "snippet": value[left:right],
        "snippet_start": left,
        "cut_before": left > 0,
        "cut_after": right < len(value),
        "matches": [list(span) for span in inside],
    }
