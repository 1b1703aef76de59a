"""Which of a hit's activities the query matched, the same for every backend.

An activity is one of the firm's own CPV codes. It matched when it lies in the subtree of a code
in the CPV filter, or when its Dutch label holds every query word (the last may be the start of
one: DESIGN §4.1's word rule). Each backend fills ``Hit.matched_cpv`` with this when the query
asks (``SearchQuery.activities``), so a page marks them without knowing either rule; searches that
show no activities (the API, the invitation assistant) skip the extra read.
"""

from __future__ import annotations

from collections.abc import Sequence

from marketplace.models import cpv_prefix
from suppliers.models import Firm
from suppliers.search.query import SearchQuery
from suppliers.search.text import words, words_match


def matched_cpv(query: SearchQuery, firm_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """For each of these firms, its own CPV codes the query matched (firms with none left out);
    nothing unless the query asks for its activities."""
    wanted = query.words
    subtrees = tuple(cpv_prefix(code) for code in query.cpv_subtrees)
    if not query.activities or not firm_ids or not (wanted or subtrees):
        return {}
    rows = (
        Firm.cpv_codes.through.objects.filter(firm_id__in=list(firm_ids))
        .order_by("cpvcode_id")
        .values_list("firm_id", "cpvcode_id", "cpvcode__label_nl")
    )
    matched: dict[int, list[str]] = {}
    for firm_id, code, label in rows:
        if code.startswith(subtrees) or (wanted and words_match(wanted, words(label))):
            matched.setdefault(firm_id, []).append(code)
    return {firm_id: tuple(codes) for firm_id, codes in matched.items()}
