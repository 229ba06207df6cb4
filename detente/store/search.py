"""Full-text search over documents (title + clean text) and quotes (words + who said them).

The index is the database's own (search_index.py): FTS5 on SQLite, a GIN-indexed
`tsvector` on PostgreSQL, kept current by the database on every write. Hits are
ranked by the engine (FTS5's bm25, PostgreSQL's ts_rank_cd), ties broken by
kind and id so paging is stable.

A user's query is never passed to either engine as syntax: it is cut into words
and "quoted phrases", each quoted for FTS5 or turned into a tsquery by
PostgreSQL's own functions (a trailing * keeps prefix search), so `"` or `AND (`
are searched for as words, never parsed.

Snippets and marks come from the engine too (FTS5's snippet() and highlight(),
PostgreSQL's ts_headline), which pick the passage with the most matched words.
They are asked to mark matches with two private-use characters, which are then
turned into offsets: a hit carries a plain-text snippet, its offset in the field
and the (start, end) of each match inside it, never HTML, so whoever shows a hit
escapes it. The hand-written matcher below stays for two things the engines
cannot do: marking the speaker's name (a quote is indexed by the speaker's id,
the name is shown), and the ILIKE search of a store from an older detente opened
read-only, which has no index and cannot be given one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import (
    Connection,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
)

from detente.store.schema import actors, documents, quotes
from detente.store.search_index import (  # noqa: F401  (re-exported for the callers of the old module)
    PG_CONFIG,
    ensure_search_index,
    has_search_index,
    install_search_index,
    refresh_search_index,
)

KINDS = ("document", "quote")
SNIPPET_CHARS = 240
SNIPPET_TOKENS = 40  # FTS5's snippet() counts tokens (at most 64); about SNIPPET_CHARS of English
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"  # private-use: never typed, so a mark is never the text's own
HEADLINE_OPTIONS = f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords={SNIPPET_TOKENS}, MinWords=20, ShortWord=0"
_TOKEN = re.compile(r"[^\W_]+\*?")
_PHRASE = re.compile(r'"([^"]*)"')


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
    engine: str = "fts5"  # "tsvector" on PostgreSQL; "like" on a store without an index (older, read-only)


def search_engine(conn: Connection) -> str:
    if not has_search_index(conn):
        return "like"
    return "fts5" if conn.dialect.name == "sqlite" else "tsvector"


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
    engine = search_engine(conn)
    if not terms or not wanted:
        return SearchResults(0, engine=engine)
    if engine == "fts5":
        total, keys, marked = _fts5_search(conn, terms, wanted, limit, offset)
    elif engine == "tsvector":
        total, keys, marked = _tsvector_search(conn, terms, wanted, limit, offset)
    else:
        (total, keys), marked = _like_keys(conn, terms, wanted, limit, offset), {}
    return SearchResults(total, _hits(conn, keys, terms, marked), engine)


# ------------------------------------------------------------------------------ SQLite FTS5

_FTS5_ARMS = {
    "document": "SELECT 'document' AS kind, rowid AS rid, rank AS score FROM documents_fts WHERE documents_fts MATCH :expression",
    "quote": "SELECT 'quote' AS kind, rowid AS rid, rank AS score FROM quotes_fts WHERE quotes_fts MATCH :expression",
}


def _fts5_search(conn: Connection, terms: list[SearchTerm], kinds: list[str], limit: int, offset: int):
    """One page of FTS rowids ranked by bm25, then ids and the engine's snippets for just that page.

    Everything that touches every match stays inside the FTS5 tables (a join
    to the content table there would cost a lookup per match); ties end on the
    rowid, so pages never overlap.
    """
    params = {"expression": " ".join(term.fts() for term in terms)}
    arms = [_FTS5_ARMS[kind] for kind in kinds]
    total = sum(conn.execute(text(f"SELECT count(*) FROM ({arm})"), params).scalar_one() for arm in arms)
    page = " UNION ALL ".join(arms) + " ORDER BY score, kind, rid LIMIT :limit OFFSET :offset"
    ranked = [(row.kind, row.rid) for row in conn.execute(text(page), {**params, "limit": limit, "offset": offset})]
    marks = {**params, "open": MARK_OPEN, "close": MARK_CLOSE, "tokens": SNIPPET_TOKENS}
    doc_rowids = [rid for kind, rid in ranked if kind == "document"]
    doc_ids: dict[int, str] = {}
    marked: dict[tuple[str, str], dict[str, str]] = {}
    if doc_rowids:
        query = text(
            "SELECT d.rowid AS rid, d.id, snippet(documents_fts, 1, :open, :close, '', :tokens) AS text,"
            " highlight(documents_fts, 0, :open, :close) AS title"
            " FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid"
            " WHERE documents_fts MATCH :expression AND documents_fts.rowid IN :rids"
        ).bindparams(bindparam("rids", expanding=True))
        for row in conn.execute(query, {**marks, "rids": doc_rowids}):
            doc_ids[row.rid] = row.id
            marked[("document", row.id)] = {"text": row.text, "title": row.title}
    quote_rowids = [rid for kind, rid in ranked if kind == "quote"]
    if quote_rowids:
        query = text(
            "SELECT rowid AS rid, snippet(quotes_fts, 0, :open, :close, '', :tokens) AS content"
            " FROM quotes_fts WHERE quotes_fts MATCH :expression AND rowid IN :rids"
        ).bindparams(bindparam("rids", expanding=True))
        for row in conn.execute(query, {**marks, "rids": quote_rowids}):
            marked[("quote", str(row.rid))] = {"content": row.content}
    keys = [(kind, doc_ids.get(rid, "") if kind == "document" else str(rid)) for kind, rid in ranked]
    return total, keys, marked


# ------------------------------------------------------------------------ PostgreSQL tsvector

_TSVECTOR_ARMS = {
    "document": (
        "SELECT 'document' AS kind, d.id AS ref, 0 AS num, -ts_rank_cd(d.search_vector, q.query) AS score"
        " FROM documents d, q WHERE d.search_vector @@ q.query"
    ),
    "quote": (
        "SELECT 'quote' AS kind, CAST(t.id AS TEXT) AS ref, t.id AS num, -ts_rank_cd(t.search_vector, q.query) AS score"
        " FROM quotes t, q WHERE t.search_vector @@ q.query"
    ),
}


def _tsquery(terms: list[SearchTerm]) -> tuple[str, dict[str, str]]:
    """A tsquery every term of which must match, built by PostgreSQL's own functions from bound words.

    A word typed with accents also matches the word without them (Nörway finds Norway).
    """
    parts, params = [], {}
    for i, term in enumerate(terms):
        spellings = [" ".join(term.words)]
        if fold_text(spellings[0]) != spellings[0]:
            spellings.append(fold_text(spellings[0]))
        alternatives = []
        for j, words in enumerate(spellings):
            name = f"term{i}_{j}"
            params[name] = words
            if term.prefix:
                alternatives.append(f"to_tsquery('{PG_CONFIG}', quote_literal(:{name}) || ':*')")
            else:
                alternatives.append(f"phraseto_tsquery('{PG_CONFIG}', :{name})")
        parts.append("(" + " || ".join(alternatives) + ")")
    return " && ".join(parts), params


def _tsvector_search(conn: Connection, terms: list[SearchTerm], kinds: list[str], limit: int, offset: int):
    """One page of keys ranked by ts_rank_cd, then ts_headline snippets for just that page."""
    expression, params = _tsquery(terms)
    with_query = f"WITH q AS (SELECT {expression} AS query) "
    arms = [_TSVECTOR_ARMS[kind] for kind in kinds]
    total = sum(conn.execute(text(with_query + f"SELECT count(*) FROM ({arm}) found"), params).scalar_one() for arm in arms)
    page = with_query + " UNION ALL ".join(arms) + " ORDER BY score, kind, num, ref LIMIT :limit OFFSET :offset"
    keys = [(row.kind, row.ref) for row in conn.execute(text(page), {**params, "limit": limit, "offset": offset})]
    options = {"options": HEADLINE_OPTIONS, "whole": HEADLINE_OPTIONS + ", HighlightAll=true"}
    marked: dict[tuple[str, str], dict[str, str]] = {}
    doc_ids = [ref for kind, ref in keys if kind == "document"]
    if doc_ids:
        query = text(
            with_query + f"SELECT d.id AS ref, ts_headline('{PG_CONFIG}', d.text, q.query, :options) AS text,"
            f" ts_headline('{PG_CONFIG}', coalesce(d.title, ''), q.query, :whole) AS title"
            " FROM documents d, q WHERE d.id IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
        for row in conn.execute(query, {**params, **options, "ids": doc_ids}):
            marked[("document", row.ref)] = {"text": row.text, "title": row.title}
    quote_ids = [int(ref) for kind, ref in keys if kind == "quote"]
    if quote_ids:
        query = text(
            with_query + f"SELECT t.id AS ref, ts_headline('{PG_CONFIG}', t.content, q.query, :options) AS content"
            " FROM quotes t, q WHERE t.id IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
        for row in conn.execute(query, {**params, **options, "ids": quote_ids}):
            marked[("quote", str(row.ref))] = {"content": row.content}
    return total, keys, marked


# ---------------------------------------------------------------- a store without an index


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


def _hits(
    conn: Connection, keys: list[tuple[str, str]], terms: list[SearchTerm], marked: dict[tuple[str, str], dict[str, str]]
) -> list[dict]:
    doc_ids = [ref for kind, ref in keys if kind == "document"]
    quote_ids = [int(ref) for kind, ref in keys if kind == "quote"]
    found: dict[tuple[str, str], dict] = {}
    if doc_ids:
        query = select(
            documents.c.id, documents.c.title, documents.c.outlet, documents.c.published, documents.c.text
        ).where(documents.c.id.in_(doc_ids))
        for row in conn.execute(query):
            key = ("document", row.id)
            found[key] = _document_hit(dict(row._mapping), terms, marked.get(key, {}))
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
            key = ("quote", str(row.id))
            found[key] = _quote_hit(dict(row._mapping), terms, marked.get(key, {}))
    return [found[key] for key in keys if key in found]


def _document_hit(row: dict, terms: list[SearchTerm], marked: dict[str, str]) -> dict:
    body = row.pop("text") or ""
    hit = {"kind": "document", "id": row["id"], "doc": row["id"], **row, "start": None, "end": None}
    return hit | _best_snippet([("text", body), ("title", row.get("title") or "")], terms, marked)


def _quote_hit(row: dict, terms: list[SearchTerm], marked: dict[str, str]) -> dict:
    speaker = row.get("speaker_name") or row.get("speaker_text") or ""
    hit = {"kind": "quote", **row}
    return hit | _best_snippet([("content", row["content"] or ""), ("speaker", speaker)], terms, marked)


def _best_snippet(fields: list[tuple[str, str]], terms: list[SearchTerm], marked: dict[str, str]) -> dict:
    """The first field with a match gives the snippet; else the first field's opening.

    The engine's marked snippet is used where it has one for the field; the
    hand-written matcher only for fields the engine did not index as shown
    (the speaker's name) or when there is no index.
    """
    for name, value in fields:
        engine_snippet = marked_snippet(value, marked.get(name))
        if engine_snippet is not None:
            return {"field": name, **engine_snippet}
        spans = [] if name in marked else match_spans(value, terms)
        if spans:
            return {"field": name, **snippet(value, spans)}
    name, value = fields[0]
    return {"field": name, **snippet(value, [])}


def marked_snippet(value: str, marked: str | None) -> dict | None:
    """The engine's snippet of `value` (with MARK_OPEN/MARK_CLOSE around matches) as plain text and offsets.

    None when it marks nothing, or is not a verbatim part of the field (then
    the caller falls back to the hand-written snippet, which always is).
    """
    if not marked or MARK_OPEN not in marked:
        return None
    plain, matches, at = [], [], 0
    for piece in re.split(f"({MARK_OPEN}|{MARK_CLOSE})", marked):
        if piece == MARK_OPEN:
            matches.append([at, at])
        elif piece == MARK_CLOSE:
            if matches:
                matches[-1][1] = at
        else:
            plain.append(piece)
            at += len(piece)
    shown = "".join(plain)
    left = value.find(shown)
    if left < 0 or not shown:
        return None
    right = left + len(shown)
    return {
        "snippet": shown,
        "snippet_start": left,
        "cut_before": left > 0,
        "cut_after": right < len(value),
        "matches": [span for span in matches if span[1] > span[0]],
    }


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
