"""OCDS open data (issue 4 item 8): every response validates against the shipped 1.1.5 schemas."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from django.test import override_settings
from django.urls import reverse
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT4

import tenders
from marketplace.models import CpvCode
from tenders.models import (
    AwardCriteriaType,
    ContractType,
    Procedure,
    Status,
    TenderChange,
)
from tenders.ocds import RELEASES_PER_PAGE
from tenders.services.tenders import tender_cancel
from tests.tenders.factories import (
    PAINTING,
    AwardCriterionFactory,
    LotFactory,
    QuestionFactory,
    TenderChangeFactory,
    TenderDocumentFactory,
    TenderFactory,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SCHEMA_DIR = Path(tenders.__file__).parent / "ocds_schema"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")

# jsonschema checks "date-time" and "uri" only with optional packages; check them here instead.
FORMATS = FormatChecker(formats=())
FORMATS.checkers = dict(Draft4Validator.FORMAT_CHECKER.checkers)


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not RFC3339.match(value):
        return False
    datetime.fromisoformat(value.replace("Z", "+00:00"))  # raises on 2027-02-30
    return True


@FORMATS.checks("uri")
def is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc) and not re.search(r"\s", value)


def package_validator() -> Draft4Validator:
    schemas = [
        json.loads((SCHEMA_DIR / name).read_text())
        for name in ("release-package-schema.json", "release-schema.json")
    ]
    registry = Registry().with_resources(
        (schema["id"], DRAFT4.create_resource(schema)) for schema in schemas
    )
    return Draft4Validator(schemas[0], registry=registry, format_checker=FORMATS)


VALIDATOR = package_validator()


def assert_valid(package: dict) -> None:
    errors = sorted(VALIDATOR.iter_errors(package), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def tender_package(client, tender, status: int = 200) -> dict:
    response = client.get(reverse("api:ocds_tender", kwargs={"tender_id": tender.pk}))
    assert response.status_code == status
    return response.json()


def feed(client, **params) -> dict:
    response = client.get(reverse("api:ocds_releases"), params)
    assert response.status_code == 200, response.content
    return response.json()


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def open_tender(buyer_org):
    tender = TenderFactory(
        published=True,
        published_at=at(2),
        buyer=buyer_org,
        reference="DORD-2026-0042",
        title="Schilderwerk brede school",
        contract_type=ContractType.WORKS,
        main_cpv=CpvCode.objects.get(pk=PAINTING),
        procedure=Procedure.NATIONAL,
        tenderned_reference="412345",
        estimated_value_min=Decimal("1234.56"),
        estimated_value_max=Decimal("250000"),
        award_criteria_type=AwardCriteriaType.PRICE_QUALITY,
        question_deadline=at(20, 12),
        quote_deadline=at(27, 14),
    )
    tender.additional_cpv.add(CpvCode.objects.get(pk="45000000"))
    LotFactory(tender=tender, number=1, title="Gevels", estimated_value=Decimal("98765.43"))
    LotFactory(tender=tender, number=2, title="Kozijnen", suitable_for_local_smes=True)
    AwardCriterionFactory(tender=tender, name="Prijs", weight=40)
    AwardCriterionFactory(tender=tender, name="Plan van aanpak", weight=60)
    TenderDocumentFactory(tender=tender, title="Bestek", uploaded_at=at(1))
    return tender


@pytest.mark.django_db
def test_published_open_tender_is_a_valid_release_package(client, open_tender):
    TenderChangeFactory(
        tender=open_tender,
        kind=TenderChange.Kind.EXTENDED,
        summary="Deadline verlengd",
        created_at=at(5),
    )
    late = TenderDocumentFactory(tender=open_tender, title="Tekeningen", uploaded_at=at(6))
    TenderChangeFactory(tender=open_tender, kind=TenderChange.Kind.DOCUMENT, created_at=at(6, 11))
    QuestionFactory(tender=open_tender, published=True, asked_at=at(7), published_at=at(8))
    TenderChangeFactory(tender=open_tender, kind=TenderChange.Kind.ANSWERS, created_at=at(8))

    package = tender_package(client, open_tender)

    assert_valid(package)
    assert package["version"] == "1.1"
    assert package["publishedDate"] == "2026-11-08T09:00:00Z"
    releases = package["releases"]
    assert [r["tag"] for r in releases] == [
        ["tender"],
        ["tenderAmendment"],
        ["tenderUpdate"],
        ["tenderUpdate"],
    ]
    assert {r["ocid"] for r in releases} == {"ocds-dichtbij-DORD-2026-0042"}
    assert len({r["id"] for r in releases}) == 4
    first, amended, documented, answered = releases
    assert first["date"] == "2026-11-02T09:00:00Z"
    assert first["language"] == "nl"
    assert first["initiationType"] == "tender"
    assert first["buyer"]["name"] == "Gemeente Dordrecht"
    (party,) = first["parties"]
    assert party["roles"] == ["buyer", "procuringEntity"]
    assert party["id"] == first["buyer"]["id"]
    assert party["address"]["locality"] == "Dordrecht"

    tender = answered["tender"]
    assert tender["status"] == "active"
    assert tender["procurementMethod"] == "open"
    assert tender["procurementMethodDetails"] == "Nationaal openbaar"
    assert tender["mainProcurementCategory"] == "works"
    assert tender["value"] == {"amount": 250000, "currency": "EUR"}
    assert tender["minValue"] == {"amount": 1234.56, "currency": "EUR"}
    assert tender["tenderPeriod"] == {
        "startDate": "2026-11-02T09:00:00Z",
        "endDate": "2026-11-27T13:00:00Z",
    }
    assert tender["enquiryPeriod"]["endDate"] == "2026-11-20T11:00:00Z"
    assert tender["awardCriteria"] == "ratedCriteria"
    assert tender["awardCriteriaDetails"] == (
        "Beste prijs-kwaliteitverhouding: Prijs 40%, Plan van aanpak 60%"
    )
    assert [lot["title"] for lot in tender["lots"]] == ["Gevels", "Kozijnen"]
    assert tender["lots"][0]["value"] == {"amount": 98765.43, "currency": "EUR"}
    item = tender["items"][0]
    assert item["classification"] == {
        "scheme": "CPV",
        "id": "45442100",
        "description": "Schilderwerk",
    }
    assert item["additionalClassifications"][0]["id"] == "45000000"
    assert item["relatedLot"] == "lot-1"
    (amendment,) = tender["amendments"]
    assert amendment["description"] == "Deadline verlengd"
    assert amendment["amendsReleaseID"] == first["id"]
    assert amendment["releaseID"] == amended["id"]

    documents = {d["id"]: d for d in tender["documents"]}
    assert documents["notice"]["url"].endswith(f"/tenders/{open_tender.pk}/aankondiging.pdf")
    assert documents["notice"]["documentType"] == "tenderNotice"
    assert documents["clarifications"]["url"].endswith("/nota-van-inlichtingen.pdf")
    assert documents[f"document-{late.pk}"]["format"] == "application/pdf"
    assert documents["tenderned"]["url"].endswith("/412345")
    # Each release shows the documents as they were then.
    assert f"document-{late.pk}" not in {d["id"] for d in amended["tender"]["documents"]}
    assert f"document-{late.pk}" in {d["id"] for d in documented["tender"]["documents"]}
    assert first["tender"]["hasEnquiries"] is False
    assert tender["hasEnquiries"] is True


@pytest.mark.django_db
def test_cancelled_tender_ends_with_a_cancellation_release(client, open_tender, buyer):
    tender_cancel(tender=open_tender, by=buyer, reason="Budget ingetrokken")

    package = tender_package(client, open_tender)

    assert_valid(package)
    last = package["releases"][-1]
    assert last["tag"] == ["tenderCancellation"]
    assert last["tender"]["status"] == "cancelled"
    assert package["releases"][0]["tender"]["status"] == "active"


@pytest.mark.django_db
def test_unsuccessful_tender_gets_a_release_for_its_outcome(client, open_tender):
    open_tender.status = Status.UNSUCCESSFUL
    open_tender.save()

    package = tender_package(client, open_tender)

    assert_valid(package)
    assert [r["tag"] for r in package["releases"]] == [["tender"], ["tenderUpdate"]]
    assert package["releases"][-1]["tender"]["status"] == "unsuccessful"


@pytest.mark.django_db
def test_drafts_are_not_open_data(client, buyer_org):
    draft = TenderFactory(buyer=buyer_org, procedure=Procedure.NATIONAL)

    tender_package(client, draft, status=404)


@pytest.mark.django_db
def test_invite_only_tender_is_absent_until_awarded(client, buyer_org):
    tender = TenderFactory(
        published=True, published_at=at(3), buyer=buyer_org, procedure=Procedure.MULTIPLE
    )
    TenderDocumentFactory(tender=tender, uploaded_at=at(2))

    tender_package(client, tender, status=404)
    assert feed(client)["releases"] == []

    tender.status = Status.AWARDED
    tender.save()
    package = tender_package(client, tender)

    assert_valid(package)
    tender_data = package["releases"][-1]["tender"]
    assert tender_data["status"] == "complete"
    assert tender_data["procurementMethod"] == "limited"
    # Its files stay for the invited firms: listed, without a link.
    assert all("url" not in d for d in tender_data["documents"])
    assert {r["id"] for r in feed(client)["releases"]} == {r["id"] for r in package["releases"]}


@pytest.mark.django_db
def test_feed_pages_releases_since_a_moment(client, buyer_org):
    old = TenderFactory(published=True, published_at=at(1), buyer=buyer_org)
    count = 35  # 3 releases each: more than one page
    for day in range(count):
        tender = TenderFactory(
            published=True,
            published_at=at(2) + timedelta(minutes=day),
            buyer=buyer_org,
            procedure=Procedure.NATIONAL,
        )
        for hour in (11, 12):
            TenderChangeFactory(
                tender=tender,
                kind=TenderChange.Kind.RECTIFIED,
                created_at=at(3, hour) + timedelta(minutes=day),
            )

    first = feed(client, since="2026-11-02T00:00:00+01:00")

    assert_valid(first)
    assert len(first["releases"]) == RELEASES_PER_PAGE
    assert old.reference not in json.dumps(first)
    dates = [(r["date"], r["id"]) for r in first["releases"]]
    assert dates == sorted(dates)
    next_url = first["links"]["next"]
    query = parse_qs(urlsplit(next_url).query)
    assert query["page"] == ["2"]
    second = feed(client, **{k: v[0] for k, v in query.items()})
    assert_valid(second)
    assert len(second["releases"]) == 3 * count - RELEASES_PER_PAGE
    assert "next" not in second["links"]
    assert parse_qs(urlsplit(second["links"]["prev"]).query) == {"since": query["since"]}
    seen = [r["id"] for r in first["releases"] + second["releases"]]
    assert len(set(seen)) == 3 * count
    assert second["releases"][0]["date"] >= first["releases"][-1]["date"]

    later = feed(client, since="2026-11-03T11:30:00+01:00")
    assert_valid(later)
    assert {r["tag"][0] for r in later["releases"]} == {"tenderAmendment"}
    assert len(later["releases"]) == count + 5  # every 12:xx change, and those of 11:30–11:34


@pytest.mark.django_db
def test_feed_without_since_holds_everything_and_past_the_end_is_404(client, open_tender):
    package = feed(client)

    assert_valid(package)
    assert [r["tag"] for r in package["releases"]] == [["tender"]]
    assert "links" not in package
    response = client.get(reverse("api:ocds_releases"), {"page": 2})
    assert response.status_code == 404


@pytest.mark.django_db
def test_feed_rejects_a_since_that_is_no_date(client):
    response = client.get(reverse("api:ocds_releases"), {"since": "gisteren"})

    assert response.status_code == 422


@pytest.mark.django_db
@override_settings(OCDS_OCID_PREFIX="ocds-x7k2pq")
def test_ocid_prefix_comes_from_settings(client, open_tender):
    package = tender_package(client, open_tender)

    assert_valid(package)
    assert package["releases"][0]["ocid"] == "ocds-x7k2pq-DORD-2026-0042"
    assert feed(client)["releases"][0]["ocid"] == "ocds-x7k2pq-DORD-2026-0042"


def test_validator_checks_formats():
    package = {
        "uri": "not a uri",
        "version": "1.1",
        "publishedDate": "12 maart 2027",
        "publisher": {"name": "Dichtbij"},
        "releases": [
            {
                "ocid": "x",
                "id": "1",
                "date": "2027-02-30T00:00:00Z",
                "tag": ["tender"],
                "initiationType": "tender",
            }
        ],
    }

    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(package)
    assert len(list(VALIDATOR.iter_errors(package))) == 3


@pytest.mark.django_db
def test_openapi_lists_both_ocds_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert "/api/tenders/{tender_id}/ocds" in paths
    assert "/api/ocds/releases" in paths
