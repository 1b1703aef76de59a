"""Open data: tenders as OCDS 1.1.5 releases and release packages (DESIGN §6, issue 4 item 8).

One release per recorded state of a tender: ``tender`` at publication, one per ``TenderChange``
(``tenderAmendment`` for a deadline extension or rectification, ``tenderUpdate`` for a new
document, published answers, closing, opening or no award, ``award`` for the award decision,
``contract`` for the signed contract, ``tenderCancellation``), and one more when the tender
reached a state no change records. Releases are built on demand from the current rows: each
carries the tender as it is now, with its status, documents, amendments, number of tenderers,
award and contract as they were at that release's date. The schemas are in tenders/ocds_schema/.

Open-procedure tenders are public from publication on, also once cancelled; invite-only
(onderhandse) tenders only once awarded (DESIGN §4.3).

Modules: ``codes`` (codelists), ``fields`` (ids, values, dates), ``events`` (which releases),
``tender`` and ``awards`` (the sections), ``releases`` (packages and the feed).
"""

from tenders.ocds.awards import awards, contracts, number_of_tenderers, supplier_party
from tenders.ocds.codes import (
    AWARD_CRITERIA,
    CHANGE_STATUS,
    CHANGE_TAG,
    CURRENCY,
    LANGUAGE,
    LICENSE_URL,
    LOTS_EXTENSION,
    OCDS_VERSION,
    PAGINATION_EXTENSION,
    PROCUREMENT_CATEGORY,
    PROCUREMENT_METHOD,
    RELEASES_PER_PAGE,
    TENDER_STATUS,
)
from tenders.ocds.events import ReleaseEvent, release_events
from tenders.ocds.fields import compact, iso, iso_date, ocid, value
from tenders.ocds.releases import (
    FeedPage,
    extensions_for,
    ocds_tenders,
    release,
    release_feed,
    release_package,
    tender_release_package,
    tender_releases,
    with_release_data,
)
from tenders.ocds.tender import (
    amendments,
    award_criteria_details,
    buyer_party,
    classification,
    documents,
    items,
    lot_id,
    tender_section,
    tender_values,
)

__all__ = [
    "AWARD_CRITERIA",
    "CHANGE_STATUS",
    "CHANGE_TAG",
    "CURRENCY",
    "LANGUAGE",
    "LICENSE_URL",
    "LOTS_EXTENSION",
    "OCDS_VERSION",
    "PAGINATION_EXTENSION",
    "PROCUREMENT_CATEGORY",
    "PROCUREMENT_METHOD",
    "RELEASES_PER_PAGE",
    "TENDER_STATUS",
    "FeedPage",
    "ReleaseEvent",
    "amendments",
    "award_criteria_details",
    "awards",
    "buyer_party",
    "classification",
    "compact",
    "contracts",
    "documents",
    "extensions_for",
    "iso",
    "iso_date",
    "items",
    "lot_id",
    "number_of_tenderers",
    "ocds_tenders",
    "ocid",
    "release",
    "release_events",
    "release_feed",
    "release_package",
    "supplier_party",
    "tender_release_package",
    "tender_releases",
    "tender_section",
    "tender_values",
    "value",
    "with_release_data",
]
