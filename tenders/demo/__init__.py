"""A deterministic demo world: municipal buyers, firms across the Drechtsteden and beyond, their
tenders (with invitations, followers and questions), their past (``history``: awarded and
completed tenders), and the demo logins of DESIGN §6.

``people`` holds the buyers and the logins, ``suppliers.demo.firms`` the firms, ``wording`` what
tenders are about, ``plans`` which tenders there are, and ``seeding`` writes it all
(``seed_demo``)."""

from tenders.demo.history import DEFAULT_HISTORY, demo_history_seed
from tenders.demo.people import DEMO_PASSWORD
from tenders.demo.plans import round_value, template_value, tender_plans, tender_wording
from tenders.demo.seeding import demo_logins, demo_seed
from tenders.demo.wording import (
    CANCEL_REASONS,
    CRITERIA_SETS,
    DEFAULT_TENDERS,
    QUESTIONS,
    TENDER_TEMPLATES,
)

__all__ = [
    "CANCEL_REASONS",
    "CRITERIA_SETS",
    "DEFAULT_HISTORY",
    "DEFAULT_TENDERS",
    "DEMO_PASSWORD",
    "QUESTIONS",
    "TENDER_TEMPLATES",
    "demo_history_seed",
    "demo_logins",
    "demo_seed",
    "round_value",
    "template_value",
    "tender_plans",
    "tender_wording",
]
