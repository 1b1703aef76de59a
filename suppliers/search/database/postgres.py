"""PostgreSQL's half of the database backend: stored tsvectors with GIN indexes.

The index entry holds the weighted text (``vector``), the name alone (``name_vector``) and the
filter words (``tags_vector``); a narrow table of stripped tsvectors (``FirmMatchEntry``,
migration 0012) counts, since a GIN index cannot count and the index entry's wide rows made
counting visit a page per match. The nearby tier's words ("within 25 km", grid cells) stay on the
index entry, which counts that tier.
"""

from __future__ import annotations

from collections.abc import Sequence

from suppliers.models import Size
from suppliers.search.database.engine import CPV_JOIN, INDEX_ENTRIES, Engine
from suppliers.search.database.match import Match
from suppliers.search.text import tag

# The narrow match entries of published index entries, without the nearby tier's words.
MATCH_ENTRIES = (
    "INSERT INTO suppliers_firmmatchentry (firm_id, words, tags)"
    " SELECT firm_id, strip(vector),"
    " strip(to_tsvector('simple', regexp_replace(tags, '(^| )[dg][a-z0-9]*', '', 'g')))"
    " FROM suppliers_firmindexentry WHERE published"
)


def text_tsquery(match: Match) -> str:
    """The text words as a tsquery: all of them, the last one a prefix."""
    return " & ".join([*match.words[:-1], f"{match.words[-1]}:*"])


def tags_tsquery(match: Match) -> str:
    """The filter words as a tsquery: one of each group, none of the excluded."""
    parts = [f"({' | '.join(group)})" for group in match.groups]
    return " & ".join([*parts, *(f"!{w}" for w in match.excluded)])


def tsquery_conditions(match: Match, words: str, tags: str) -> tuple[list[str], list[str]]:
    """The match as conditions on a text and a filter-word tsvector column, and their
    parameters. With ``text_last`` a municipality's or region's firms are found by their filter
    words and the text is tested on those rows, rather than building the bitmap of every match
    of a common text (4 ms for "schilder*" at 100,000 firms) to intersect it: IS TRUE keeps the
    planner from using the text's GIN index."""
    conditions, params = [], []
    if match.words:
        text = f"{words} @@ to_tsquery('simple', %s)"
        conditions.append(f"({text}) IS TRUE" if match.text_last else text)
        params.append(text_tsquery(match))
    if match.groups or match.excluded:
        conditions.append(f"{tags} @@ to_tsquery('simple', %s)")
        params.append(tags_tsquery(match))
    return conditions, params


class PostgresEngine(Engine):
    vendor = "postgresql"
    analysed = (*Engine.analysed, "suppliers_firmmatchentry")

    def match_source(self, match: Match) -> tuple[str, str, list[object]]:
        # Two GIN indexes: the text words and the filter words (a bitmap AND of both).
        conditions, params = tsquery_conditions(match, "e.vector", "e.tags_vector")
        return INDEX_ENTRIES, " AND ".join(["e.published = %s", *conditions]), [True, *params]

    def count(self, cursor, match: Match, condition: str = "") -> int:
        if condition or match.nearby_words:
            return super().count(cursor, match, condition)
        # Count on the narrow match entries (published firms only).
        conditions, params = tsquery_conditions(match, "m.words", "m.tags")
        where = " AND ".join(["TRUE", *conditions])
        cursor.execute(f"SELECT COUNT(*) FROM suppliers_firmmatchentry m WHERE {where}", params)
        return cursor.fetchone()[0]

    def name_hit(self, match: Match) -> str:
        return f"(e.name_vector @@ to_tsquery('simple', '{text_tsquery(match)}'))"

    def facets(self, cursor, match: Match) -> dict[str, dict[str, int]]:
        source, where, params = self.source(match)
        divisions = self.division_counts(cursor, source, CPV_JOIN, where, params)
        # One pass over the matches: every extra count would visit their rows again.
        filters = ", ".join(
            f"COUNT(*) FILTER (WHERE e.tags_vector @@ to_tsquery('simple', '{tag('s', size)}'))"
            for size in Size.values
        )
        cursor.execute(f"SELECT {filters} FROM {source} WHERE {where}", params)
        sizes = dict(zip(Size.values, cursor.fetchone(), strict=True))
        return {"division": divisions, "size": {size: n for size, n in sizes.items() if n}}

    def write(self, cursor, ids: list[int], documents: Sequence) -> None:
        cursor.execute(
            "UPDATE suppliers_firmindexentry SET "
            "vector = setweight(to_tsvector('simple', name_words), 'A')"
            " || setweight(to_tsvector('simple', body_words), 'B'),"
            " tags_vector = strip(to_tsvector('simple', tags)),"
            " name_vector = to_tsvector('simple', name_words)"
            " WHERE firm_id = ANY(%s)",
            [ids],
        )
        cursor.execute(f"{MATCH_ENTRIES} AND firm_id = ANY(%s)", [ids])
