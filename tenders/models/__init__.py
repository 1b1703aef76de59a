"""The tenders app's models, one module per subject (DESIGN §3: a module past ~400 lines splits)."""

from tenders.alerts.models import AlertMatch, Subscription
from tenders.models.award import Award, Contract, QuoteScore
from tenders.models.documents import TenderDocument, private_storage
from tenders.models.invitations import (
    INVITATION_REASON_MAX_LENGTH,
    InvitationChange,
    ProcurementPolicy,
)
from tenders.models.participation import (
    ANSWER_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    Follow,
    Invitation,
    Question,
)
from tenders.models.policy import POLICY_LIMIT_NOT_POSITIVE, EuThreshold, PolicyBand
from tenders.models.quotes import (
    QUOTE_MAX_FILES,
    QUOTE_NOTE_MAX_LENGTH,
    Quote,
    QuoteFile,
    VaultOpening,
)
from tenders.models.tender import (
    BUYER_ROLES,
    CANCELLABLE_STATUSES,
    MAX_AMOUNT,
    PUBLIC_STATUSES,
    QUESTION_DEADLINE_NOT_BEFORE_QUOTE_DEADLINE,
    VALUE_MAX_BELOW_MIN,
    VALUE_NEGATIVE,
    WEIGHT_OUT_OF_RANGE,
    AwardCriteriaType,
    AwardCriterion,
    ContractType,
    Lot,
    Procedure,
    Status,
    Tender,
    TenderQuerySet,
    reference_prefix,
)
from tenders.models.updates import TenderChange
from tenders.monitor.models import SpendLine

__all__ = [
    "reference_prefix",
    "ANSWER_MAX_LENGTH",
    "BUYER_ROLES",
    "CANCELLABLE_STATUSES",
    "INVITATION_REASON_MAX_LENGTH",
    "MAX_AMOUNT",
    "POLICY_LIMIT_NOT_POSITIVE",
    "PUBLIC_STATUSES",
    "QUESTION_DEADLINE_NOT_BEFORE_QUOTE_DEADLINE",
    "QUESTION_MAX_LENGTH",
    "QUOTE_MAX_FILES",
    "QUOTE_NOTE_MAX_LENGTH",
    "VALUE_MAX_BELOW_MIN",
    "VALUE_NEGATIVE",
    "WEIGHT_OUT_OF_RANGE",
    "AlertMatch",
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
    "PolicyBand",
    "Procedure",
    "ProcurementPolicy",
    "Question",
    "Quote",
    "QuoteFile",
    "QuoteScore",
    "SpendLine",
    "Status",
    "Subscription",
    "Tender",
    "TenderChange",
    "TenderDocument",
    "TenderQuerySet",
    "VaultOpening",
    "private_storage",
]
