"""The monitor's reads: the figures (``figures``) and who may import spend (``access``)."""

from tenders.monitor.selectors.access import get_municipality_for_spend_admin
from tenders.monitor.selectors.figures import (
    Cell,
    Figures,
    local_share,
    monitor_figures,
    monitor_overview,
    tier_label,
)

__all__ = [
    "Cell",
    "Figures",
    "get_municipality_for_spend_admin",
    "local_share",
    "monitor_figures",
    "monitor_overview",
    "tier_label",
]
