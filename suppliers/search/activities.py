"""Which of a hit's activities the query matched, the same for every backend.

An activity is one of the firm's own CPV codes. It matched when it lies in the subtree of a code
in the CPV filter, or when its Dutch label holds every query word (the last may be the start of
one: DESIGN §4.1's word rule). Each backend fills ``Hit.matched_cpv`` with this, so a page marks
them without knowing either rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from marketplace.models import cpv_prefix
from suppliers.search.query import SearchQuery
from suppliers.search.text import words, words_match
from suppliers.selectors import cpv_codes_of


def matched_cpv(query: SearchQuery, firm_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """For each of these firms, its own CPV codes the query matched (firms with none left out)."""
    wanted = query.words
    subtrees = tuple(cpv_prefix(code) for code in query.cpv_subtrees)
    if not firm_ids or not (wanted or subtrees):
        return {}
    matched = {}
    for firm_id, codes in cpv_codes_of(firm_ids).items():
        found = tuple(
            cpv.code
            for cpv in codes
            if cpv.code.startswith(subtrees) or words_match(wanted, words(cpv.label_nl))
        )
        if found:
            matched[firm_id] = found
    return matched
