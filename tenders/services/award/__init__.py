"""Evaluation, award and contract (DESIGN §4.7): the buyer scores the opened quotes, the computed
ranking decides the winner, every bidder hears the outcome, the standstill period runs, then the
contract is recorded. Or the tender ends without award.

Only buyers of the tender's organisation act here, with the tender row locked; these are the only
places the statuses after *opened* are set. Sealed prices are read through
``tenders.selectors.vault`` only and never go into the audit log; the ranking and the outcome are
read through ``tenders.selectors.award``.

Modules: ``guards`` (who, lock, opened), ``scoring`` (scores, exclusions), ``decision`` (the
award and its e-mails), ``contract`` (contract, or no award).
"""

from tenders.services.award.contract import (
    COMPLETED_SUMMARY,
    NOT_AWARDED,
    SIGNED_BEFORE_AWARD,
    STANDSTILL_RUNNING,
    UNSUCCESSFUL_REASON_REQUIRED,
    contract_record,
    tender_end_without_award,
)
from tenders.services.award.decision import (
    AWARDED_SUMMARY,
    MOTIVATION_REQUIRED,
    NO_VALID_QUOTES,
    NOT_RANKED_FIRST,
    SCORES_MISSING,
    STANDSTILL_SUMMARY,
    tender_award,
)
from tenders.services.award.guards import NOT_OPENED
from tenders.services.award.scoring import (
    EXCLUDE_REASON_REQUIRED,
    NOT_A_CURRENT_QUOTE,
    NOT_A_QUALITY_CRITERION,
    quote_exclude,
    quote_scores_set,
)

__all__ = [
    "AWARDED_SUMMARY",
    "COMPLETED_SUMMARY",
    "EXCLUDE_REASON_REQUIRED",
    "MOTIVATION_REQUIRED",
    "NOT_AWARDED",
    "NOT_A_CURRENT_QUOTE",
    "NOT_A_QUALITY_CRITERION",
    "NOT_OPENED",
    "NOT_RANKED_FIRST",
    "NO_VALID_QUOTES",
    "SCORES_MISSING",
    "SIGNED_BEFORE_AWARD",
    "STANDSTILL_RUNNING",
    "STANDSTILL_SUMMARY",
    "UNSUCCESSFUL_REASON_REQUIRED",
    "contract_record",
    "quote_exclude",
    "quote_scores_set",
    "tender_award",
    "tender_end_without_award",
]
