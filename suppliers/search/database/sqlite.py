"""SQLite's half of the database backend: an FTS5 table of the published firms.

The table (migration 0004) holds each published firm's name words, body words and filter words,
the filter words ``_``-prefixed (``fts_tags``) so that the text needs no column filter, which FTS5
checks position by position. It holds published firms only, so counting needs no join.
"""

from __future__ import annotations

from collections.abc import Sequence

from suppliers.models import Size
from suppliers.search.database.engine import CPV_JOIN, Engine
from suppliers.search.database.match import Match
from suppliers.search.text import tag

FTS_TABLE = "suppliers_firm_fts"
FTS_ROWS = f"(SELECT rowid AS firm_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) t"


def fts_tags(tags: str) -> str:
    """Filter words as the FTS5 table holds them: ``_``-prefixed, apart from every text word."""
    return " ".join(f"_{word}" for word in tags.split())


def _phrase(word: str) -> str:
    return f'"{word}"'


def fts_query(match: Match) -> str:
    """The match as an FTS5 query: the text words (the last one a prefix) AND one filter word
    of each group AND NOT any excluded one."""
    parts = []
    if match.words:
        text = [*(_phrase(w) for w in match.words[:-1]), f"{_phrase(match.words[-1])}*"]
        parts.append(f"({' AND '.join(text)})")
    parts += [f"({' OR '.join(_phrase('_' + w) for w in group)})" for group in match.groups]
    return " AND ".join(parts) + "".join(f' NOT "_{w}"' for w in match.excluded)


class SqliteEngine(Engine):
    vendor = "sqlite"

    def match_source(self, match: Match) -> tuple[str, str, list[object]]:
        return (
            f"{FTS_ROWS} JOIN suppliers_firmindexentry e ON e.firm_id = t.firm_id",
            "1 = 1",
            [fts_query(match)],
        )

    def count(self, cursor, match: Match, condition: str = "") -> int:
        if condition:
            return super().count(cursor, match, condition)
        # The FTS table holds the published firms only: no join needed.
        if match.empty:
            cursor.execute(f"SELECT COUNT(*) FROM {FTS_TABLE}")
        else:
            cursor.execute(
                f"SELECT COUNT(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [fts_query(match)]
            )
        return cursor.fetchone()[0]

    def name_hit(self, match: Match) -> str:
        # The name's words, space-separated as the FTS table holds them, read on the rows being
        # ranked (words are [a-z0-9]+: nothing to escape). The last word may be a prefix.
        name = "(' ' || e.name_words || ' ')"
        found = [f"instr({name}, ' {word} ') > 0" for word in match.words[:-1]]
        found.append(f"instr({name}, ' {match.words[-1]}') > 0")
        return f"({' AND '.join(found)})"

    def facets(self, cursor, match: Match) -> dict[str, dict[str, int]]:
        if match.empty:
            source, where, params = self.source(match)
            divisions = self.division_counts(cursor, source, CPV_JOIN, where, params)
        else:
            # The FTS table holds the published firms only: join its rows to the codes directly.
            join = " JOIN suppliers_firmcpventry c ON c.firm_id = t.firm_id"
            divisions = self.division_counts(cursor, FTS_ROWS, join, "1 = 1", [fts_query(match)])
        sizes = {size: self.count(cursor, match.also([tag("s", size)])) for size in Size.values}
        return {"division": divisions, "size": {size: n for size, n in sizes.items() if n}}

    def write(self, cursor, ids: list[int], documents: Sequence) -> None:
        placeholders = ", ".join(["%s"] * len(ids))
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", ids)
        # Only published firms are searchable: counting needs no join then.
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, name, body, tags) VALUES (%s, %s, %s, %s)",
            [
                (d.firm_id, d.name_words, d.body_words, fts_tags(d.tags))
                for d in documents
                if d.published
            ],
        )

    def clear(self, cursor) -> None:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")

    def tidy(self, cursor) -> None:
        # One FTS5 segment instead of the many that batch after batch left behind.
        cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")
        super().tidy(cursor)
