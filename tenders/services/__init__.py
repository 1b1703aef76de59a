"""The rules that change tenders' state, one module per subject; import from the module itself
(``from tenders.services.participation import question_ask``). The tender services are re-exported
here as well."""

from tenders.services.tenders import (
    LotData,
    award_criteria_set,
    lots_set,
    tender_cancel,
    tender_create,
    tender_publish,
    tender_update,
)

__all__ = [
    "LotData",
    "award_criteria_set",
    "lots_set",
    "tender_cancel",
    "tender_create",
    "tender_publish",
    "tender_update",
]
