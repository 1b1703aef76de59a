"""What a database search matches: the text words and the filter words, written as an FTS5 query
(SQLite) or as tsqueries (PostgreSQL), and which tiers a search needs counted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from suppliers.search.base import Tier
from suppliers.search.query import Context, SearchQuery
from suppliers.search.text import tag


def _phrase(word: str) -> str:
    return f'"{word}"'


def fts_tags(tags: str) -> str:
    """Filter words as the FTS5 table holds them: ``_``-prefixed, apart from every text word."""
    return " ".join(f"_{word}" for word in tags.split())


@dataclass(frozen=True)
class Match:
    """One full-text match: text words (the last one a prefix) AND every group of filter words
    (one of each group) AND NOT any of ``excluded``; written for FTS5 or as a tsquery."""

    words: tuple[str, ...] = ()
    groups: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()
    # PostgreSQL: find the firms by the filter words and test the text on their rows (for a
    # common text narrowed to one municipality or region), instead of intersecting bitmaps.
    text_last: bool = False

    @classmethod
    def for_query(cls, query: SearchQuery) -> Match:
        groups: list[tuple[str, ...]] = []
        if query.cpv:
            groups.append(tuple(tag("c", code) for code in query.cpv_subtrees))
        if query.sizes:
            groups.append(tuple(tag("s", size) for size in sorted(query.sizes)))
        if query.certifications:
            groups.append(tuple(tag("k", code) for code in sorted(query.certifications)))
        if query.open_to_partnerships:
            groups.append(("pyes",))
        return cls(tuple(query.words), tuple(groups))

    @property
    def empty(self) -> bool:
        return not self.words and not self.groups

    def also(
        self,
        every: list[str],
        *,
        any_of: list[str] = (),
        excluding: list[str] = (),
        text_last: bool = False,
    ) -> Match:
        groups = [*self.groups, *((word,) for word in every)]
        if any_of:
            groups.append(tuple(any_of))
        return Match(self.words, tuple(groups), (*self.excluded, *excluding), text_last)

    def text_fts(self) -> str:
        return " AND ".join([*(f'"{w}"' for w in self.words[:-1]), f'"{self.words[-1]}"*'])

    def fts(self) -> str:
        """The FTS5 query. Filter words are ``_``-prefixed tokens there (``fts_tags``), so the
        text needs no column filter (which FTS5 checks position by position)."""
        parts = [f"({self.text_fts()})"] if self.words else []
        parts += [f"({' OR '.join(_phrase('_' + w) for w in group)})" for group in self.groups]
        return " AND ".join(parts) + "".join(f' NOT "_{w}"' for w in self.excluded)

    def text_tsquery(self) -> str:
        return " & ".join([*self.words[:-1], f"{self.words[-1]}:*"])

    @property
    def nearby_words(self) -> bool:
        """Does it use the words only the index entry has ("within 25 km", grid cells)?"""
        return any(word[0] in "dg" for group in self.groups for word in group)

    def tsquery_conditions(self, words: str, tags: str) -> tuple[list[str], list[str]]:
        """PostgreSQL: the match as conditions on a text and a filter-word tsvector column, and
        their parameters. With ``text_last`` a municipality's or region's firms are found by
        their filter words and the text is tested on those rows, rather than building the bitmap
        of every match of a common text (4 ms for "schilder*" at 100,000 firms) to intersect it:
        IS TRUE keeps the planner from using the text's GIN index."""
        conditions, params = [], []
        if self.words:
            text = f"{words} @@ to_tsquery('simple', %s)"
            conditions.append(f"({text}) IS TRUE" if self.text_last else text)
            params.append(self.text_tsquery())
        if self.groups or self.excluded:
            conditions.append(f"{tags} @@ to_tsquery('simple', %s)")
            params.append(self.tags_tsquery())
        return conditions, params

    def narrow_count_sql(self) -> tuple[str, list[str]]:
        """PostgreSQL: counting on the narrow match entries (published firms only)."""
        conditions, params = self.tsquery_conditions("m.words", "m.tags")
        where = " AND ".join(["TRUE", *conditions])
        return f"SELECT COUNT(*) FROM suppliers_firmmatchentry m WHERE {where}", params

    def tags_tsquery(self) -> str:
        parts = [f"({' | '.join(group)})" for group in self.groups]
        return " & ".join([*parts, *(f"!{w}" for w in self.excluded)])


def tiers_counted(
    query: SearchQuery, context: Context | None, total: int, count: Callable[[Tier], int]
) -> dict[int, int]:
    """The tier counts the answer needs: with ``query.facets`` every tier (the search page shows
    them); otherwise the tiers in order only until the requested page is filled, which is all
    that placing the page needs (the API shows the total alone). ``count(tier)`` counts one of
    local, region and nearby; elsewhere is the rest of ``total``."""
    if context is None:
        return {Tier.ELSEWHERE: total}
    counts: dict[int, int] = {}
    seen = 0
    for tier in (Tier.LOCAL, Tier.REGION, Tier.NEARBY):
        if not query.facets and seen >= min(total, query.offset + query.limit):
            return counts
        counts[tier] = count(tier) if seen < total else 0
        seen += counts[tier]
    counts[Tier.ELSEWHERE] = total - seen
    return counts
