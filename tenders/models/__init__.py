"""The tenders app's models, one module per subject (DESIGN §3: a module past ~400 lines splits)."""

from tenders.models.award import Award, Contract, QuoteScore
from tenders.models.documents import TenderDocument, private_storage
from tenders.models.invitations import InvitationChange, ProcurementPolicy
from tenders.models.participation import Follow, Invitation, Question
from tenders.models.quotes import Quote, QuoteFile, VaultOpening
from tenders.models.tender import (
    BUYER_ROLES,
    CANCELLABLE_STATUSES,
    POLICY_LIMIT_NOT_POSITIVE,
    PUBLIC_STATUSES,
    QUESTION_DEADLINE_NOT_BEFORE_QUOTE_DEADLINE,
    VALUE_MAX_BELOW_MIN,
    VALUE_NEGATIVE,
    WEIGHT_OUT_OF_RANGE,
    AwardCriteriaType,
    AwardCriterion,
    ContractType,
    EuThreshold,
    Lot,
    PolicyBand,
    Procedure,
    Status,
    Tender,
    TenderQuerySet,
)
from tenders.models.updates import Notification, TenderChange

__all__ = [
    "BUYER_ROLES",
    "CANCELLABLE_STATUSES",
    "POLICY_LIMIT_NOT_POSITIVE",
    "PUBLIC_STATUSES",
    "QUESTION_DEADLINE_NOT_BEFORE_QUOTE_DEADLINE",
    "VALUE_MAX_BELOW_MIN",
    "VALUE_NEGATIVE",
    "WEIGHT_OUT_OF_RANGE",
    "Award",
    "AwardCriteriaType",
    "AwardCriterion",
    "Contract",
    "ContractType",
    "EuThreshold",
    "Follow",
    "Invitation",
    "InvitationChange",
    "Lot",
    "Notification",
    "PolicyBand",
    "Procedure",
    "ProcurementPolicy",
    "Question",
    "Quote",
    "QuoteFile",
    "QuoteScore",
    "Status",
    "Tender",
    "TenderChange",
    "TenderDocument",
    "TenderQuerySet",
    "VaultOpening",
    "private_storage",
]
