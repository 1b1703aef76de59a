"""OCDS codelists and constants: how Dichtbij's statuses, procedures and changes map onto
OCDS 1.1.5 (https://standard.open-contracting.org/1.1/en/schema/codelists/)."""

from __future__ import annotations

from tenders.models import (
    AwardCriteriaType,
    ContractType,
    Procedure,
    Status,
    TenderChange,
)

OCDS_VERSION = "1.1"
LANGUAGE = "nl"
CURRENCY = "EUR"
# Open government data in the Netherlands is published under CC0 by default.
LICENSE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
LOTS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_lots_extension/v1.1.5/extension.json"
)
PAGINATION_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_pagination_extension/master/extension.json"
)
RELEASES_PER_PAGE = 100

# The tenderStatus codelist: closed and opened tenders are still being decided ("active");
# awarded and completed ones are "complete".
TENDER_STATUS = {
    Status.DRAFT: "planning",
    Status.PUBLISHED: "active",
    Status.CLOSED: "active",
    Status.OPENED: "active",
    Status.AWARDED: "complete",
    Status.COMPLETED: "complete",
    Status.CANCELLED: "cancelled",
    Status.UNSUCCESSFUL: "unsuccessful",
}
# The method codelist: a single-quote procedure asks one firm ("direct"), a multiple-quote one
# a few firms of the buyer's choice ("limited").
PROCUREMENT_METHOD = {
    Procedure.SINGLE: "direct",
    Procedure.MULTIPLE: "limited",
    Procedure.NATIONAL: "open",
    Procedure.EUROPEAN: "open",
}
PROCUREMENT_CATEGORY = {
    ContractType.WORKS: "works",
    ContractType.SUPPLIES: "goods",
    ContractType.SERVICES: "services",
    ContractType.SOCIAL: "services",
}
AWARD_CRITERIA = {
    AwardCriteriaType.LOWEST_PRICE: "priceOnly",
    AwardCriteriaType.PRICE_QUALITY: "ratedCriteria",
}
# The release tag of each recorded change, and the tender's status from that change on.
CHANGE_TAG = {
    TenderChange.Kind.EXTENDED: "tenderAmendment",
    TenderChange.Kind.RECTIFIED: "tenderAmendment",
    TenderChange.Kind.DOCUMENT: "tenderUpdate",
    TenderChange.Kind.ANSWERS: "tenderUpdate",
    TenderChange.Kind.CLOSED: "tenderUpdate",
    TenderChange.Kind.OPENED: "tenderUpdate",
    TenderChange.Kind.CANCELLED: "tenderCancellation",
    TenderChange.Kind.AWARDED: "award",
    TenderChange.Kind.COMPLETED: "contract",
    TenderChange.Kind.UNSUCCESSFUL: "tenderUpdate",
}
CHANGE_STATUS = {
    TenderChange.Kind.CANCELLED: "cancelled",
    TenderChange.Kind.AWARDED: "complete",
    TenderChange.Kind.COMPLETED: "complete",
    TenderChange.Kind.UNSUCCESSFUL: "unsuccessful",
}
