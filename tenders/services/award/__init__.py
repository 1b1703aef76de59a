"""Evaluation, award and contract (DESIGN §4.7): the buyer scores the opened quotes, the computed
ranking decides the winner, every bidder hears the outcome, the standstill period runs, then the
contract is recorded. Or the tender ends without award.

Only buyers of the tender's organisation act here, with the tender row locked; these are the only
places the statuses after *opened* are set. Sealed prices are read through
``tenders.services.vault`` only and never go into the audit log.

Modules: ``guards`` (who, lock, opened), ``reading`` (ranking and outcome), ``scoring`` (scores,
exclusions), ``decision`` (the award and its e-mails), ``contract`` (contract, or no award).
"""

from tenders.services.award.contract import (
    COMPLETED_SUMMARY,
    NOT_AWARDED,
    SIGNED_BEFORE_AWARD,
    STANDSTILL_RUNNING,
    UNSUCCESSFUL_REASON_REQUIRED,
    contract_record,
    tender_unsuccessful,
)
from tenders.services.award.decision import (
    AWARDED_SUMMARY,
    MOTIVATION_REQUIRED,
    NO_VALID_QUOTES,
    NOT_RANKED_FIRST,
    SCORES_MISSING,
    STANDSTILL_SUMMARY,
    standstill_end,
    tender_award,
)
from tenders.services.award.guards import NOT_OPENED
from tenders.services.award.reading import (
    award_of,
    award_summary,
    contract_of,
    current_quotes,
    moment_text,
    points_text,
    ranking_snapshot,
    row_text,
    tender_ranking,
)
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
    "award_of",
    "award_summary",
    "contract_of",
    "contract_record",
    "current_quotes",
    "moment_text",
    "points_text",
    "quote_exclude",
    "quote_scores_set",
    "ranking_snapshot",
    "row_text",
    "standstill_end",
    "tender_award",
    "tender_ranking",
    "tender_unsuccessful",
]
