"""Full-text search of documents: SQLite FTS5 (BM25) on the embedded default, PostgreSQL full text in
production. Migration 0002 creates the vendor's index. The caller's permission check decides which
matches are ranked (see `search`)."""

from __future__ import annotations

import html
import math
import re
import threading

from django.db import connection

STOPWORDS = set(
    "a an and are as at be been but by can could did do does for from had has have he her his how i if in "
    "into is it its may more most no not of on or our she should so such than that the their them then there "
    "these they this those to was we were what when where which while who why will with would you your "
    "au aux avec ce ces dans de des du elle en est et il ils la le les leur mais ne nous on ou par pas pour "
    "qui que sa se ses son sur un une vous".split()
)
MAX_TERMS = 32
START, END = "\x02", "\x03"

SQLITE_SETUP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_document_fts USING fts5(title, text, "
    "content='knowledge_document', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS knowledge_document_fts_insert AFTER INSERT ON knowledge_document BEGIN "
    "INSERT INTO knowledge_document_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS knowledge_document_fts_delete AFTER DELETE ON knowledge_document BEGIN "
    "INSERT INTO knowledge_document_fts(knowledge_document_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS knowledge_document_fts_update AFTER UPDATE OF title, text "
    "ON knowledge_document BEGIN "
    "INSERT INTO knowledge_document_fts(knowledge_document_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO knowledge_document_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
]
SQLITE_TEARDOWN = [
    "DROP TRIGGER IF EXISTS knowledge_document_fts_insert",
    "DROP TRIGGER IF EXISTS knowledge_document_fts_delete",
    "DROP TRIGGER IF EXISTS knowledge_document_fts_update",
    "DROP TABLE IF EXISTS knowledge_document_fts",
]
POSTGRES_SETUP = [
    "ALTER TABLE knowledge_document ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(text, '')), 'B')) STORED",
    "CREATE INDEX IF NOT EXISTS knowledge_document_search_vector ON knowledge_document "
    "USING GIN (search_vector)",
]
POSTGRES_TEARDOWN = [
    "DROP INDEX IF EXISTS knowledge_document_search_vector",
    "ALTER TABLE knowledge_document DROP COLUMN IF EXISTS search_vector",
]


def setup_statements(vendor: str, *, reverse: bool = False) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_TEARDOWN if reverse else SQLITE_SETUP
    if vendor == "postgresql":
        return POSTGRES_TEARDOWN if reverse else POSTGRES_SETUP
    return []


def query_terms(query: str) -> list[str]:
    """The words worth matching: letters and digits only (safe in any query syntax), no stopwords."""
    words = [word for word in re.findall(r"\w+", query.lower()) if word not in STOPWORDS and len(word) > 1]
    return list(dict.fromkeys(words))[:MAX_TERMS]


def _top_matches(terms: list[str], take: int) -> list[tuple[int, float]]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT rowid, -bm25(knowledge_document_fts, 1.0, 1.0) FROM knowledge_document_fts "
                "WHERE knowledge_document_fts MATCH %s "
                "ORDER BY bm25(knowledge_document_fts, 1.0, 1.0), rowid LIMIT %s",
                [" OR ".join(f'"{term}"' for term in terms), take],
            )
        else:
            # PostgreSQL's ranks ignore how rare a word is; weighting each word's rank by its BM25
            # inverse document frequency brings the ranking close to BM25 (SciFact nDCG@10 0.656 alone).
            weights = _inverse_document_frequencies(cursor, terms)
            if not weights:
                return []
            score = " + ".join(
                f"{weight:.6f} * ts_rank(d.search_vector, to_tsquery('english', %s), 1)"
                for weight in weights.values()
            )
            cursor.execute(
                f"SELECT d.id, ({score}) AS score FROM knowledge_document d "
                "WHERE d.search_vector @@ to_tsquery('english', %s) ORDER BY score DESC, d.id LIMIT %s",
                [*weights, " | ".join(weights), take],
            )
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


class _TermStatistics:
    """How many documents hold each lexeme (PostgreSQL), read with ts_stat once per index generation."""

    def __init__(self):
        self.lock = threading.Lock()
        self.generation: int | None = None
        self.total = 0
        self.documents: dict[str, int] = {}

    def current(self, cursor) -> _TermStatistics:
        from knowledge.vectors import current_generation

        generation = current_generation()
        if generation != self.generation:
            with self.lock:
                if generation != self.generation:
                    cursor.execute(
                        "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM knowledge_document')"
                    )
                    self.documents = dict(cursor.fetchall())
                    cursor.execute("SELECT count(*) FROM knowledge_document")
                    self.total = cursor.fetchone()[0]
                    self.generation = generation
        return self


_statistics = _TermStatistics()


def _inverse_document_frequencies(cursor, terms: list[str]) -> dict[str, float]:
    """BM25 idf of each query term that occurs in some document (PostgreSQL)."""
    statistics = _statistics.current(cursor)
    cursor.execute(
        "SELECT term, tsvector_to_array(to_tsvector('english', term)) FROM unnest(%s::text[]) AS term",
        [terms],
    )
    weights = {}
    for term, lexemes in cursor.fetchall():
        frequency = max((statistics.documents.get(lexeme, 0) for lexeme in lexemes or []), default=0)
        if frequency:
            weights[term] = math.log(1 + (statistics.total - frequency + 0.5) / (frequency + 0.5))
    return weights


def search(query: str, permitted, *, limit: int = 200) -> list[tuple[int, float]]:
    """(document id, score) of the best `limit` lexical matches the user may see, best first.

    `permitted(ids)` returns the ids the user may see among candidates (None: all). The best matches
    are checked in growing rounds until `limit` permitted ones are found or the matches run out, so
    the result is exactly the top of the permitted documents: nothing outside the scope is ranked,
    counted or quoted, and no permitted match is lost to a page cut.
    """
    terms = query_terms(query)
    if not terms:
        return []
    take = limit * 5
    while True:
        matches = _top_matches(terms, take)
        if permitted is None:
            return matches[:limit]
        allowed = permitted([document for document, _score in matches])
        kept = [(document, score) for document, score in matches if document in allowed]
        if len(kept) >= limit or len(matches) < take:
            return kept[:limit]
        take *= 4


def snippets(query: str, document_ids: list[int]) -> dict[int, str]:
    """A short extract around the query's words for each document, as safe HTML with <mark>s."""
    terms = query_terms(query)
    if not terms or not document_ids:
        return {}
    placeholders = ", ".join(["%s"] * len(document_ids))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            match = " OR ".join(f'"{term}"' for term in terms)
            cursor.execute(
                f"SELECT rowid, snippet(knowledge_document_fts, 1, '{START}', '{END}', '…', 32) "
                "FROM knowledge_document_fts WHERE knowledge_document_fts MATCH %s "
                f"AND rowid IN ({placeholders})",
                [match, *document_ids],
            )
        else:
            cursor.execute(
                "SELECT d.id, ts_headline('english', d.text, to_tsquery('english', %s), "
                f"'StartSel={START}, StopSel={END}, MaxWords=35, MinWords=15, MaxFragments=2') "
                f"FROM knowledge_document d WHERE d.id IN ({placeholders})",
                [" | ".join(terms), *document_ids],
            )
        return {row[0]: marked_html(row[1]) for row in cursor.fetchall()}


def marked_html(text: str) -> str:
    return html.escape(text).replace(START, "<mark>").replace(END, "</mark>")


def highlight(text: str, query: str, *, words: int = 40) -> str:
    """A passage of `text` with the query's words marked, for hits found by meaning alone."""
    terms = query_terms(query)
    tokens = text.split()
    stems = [term[:5] for term in terms]
    first = next((i for i, token in enumerate(tokens) if any(token.lower().startswith(s) for s in stems)), 0)
    start = max(0, first - words // 3)
    passage = tokens[start : start + words]
    marked = [
        f"{START}{token}{END}" if any(token.lower().startswith(s) for s in stems) else token
        for token in passage
    ]
    prefix, suffix = ("… " if start else ""), (" …" if start + words < len(tokens) else "")
    return marked_html(prefix + " ".join(marked) + suffix)
