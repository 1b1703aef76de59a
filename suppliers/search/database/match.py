"""What a database search matches: the text words and the filter words (each engine writes it in
its own query language: ``sqlite.fts_query``, ``postgres.tsquery_conditions``), and which tiers a
search needs counted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from suppliers.search.base import Tier
from suppliers.search.query import Context, SearchQuery
from suppliers.search.text import tag


@dataclass(frozen=True)
class Match:
    """One full-text match: text words (the last one a prefix) AND every group of filter words
    (one of each group) AND NOT any of ``excluded``."""

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

    @property
    def nearby_words(self) -> bool:
        """Does it use the words only the index entry has ("within 25 km", grid cells)?"""
        return any(word[0] in "dg" for group in self.groups for word in group)


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
