"""GET /api/tenders (DESIGN §6): open data of public tenders, never invite-only ones or drafts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from marketplace.models import CpvCode
from tenders.models import Procedure, Status
from tests.tenders.factories import InvitationFactory, TenderFactory

pytestmark = pytest.mark.django_db

URL = "/api/tenders"


def test_lists_public_tenders_in_the_documented_shape(client, public):
    tender = public(title="Schilderwerk stadhuis", main_cpv=CpvCode.objects.get(pk="45442100"))
    tender.additional_cpv.add(CpvCode.objects.get(pk="45442110"))

    response = client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert set(row) == {
        "id",
        "title",
        "buyer",
        "status",
        "procedure",
        "deadline",
        "cpv_codes",
        "url",
    }
    assert row["id"] == tender.pk
    assert row["title"] == "Schilderwerk stadhuis"
    assert row["buyer"] == "Gemeente Dordrecht"
    assert row["status"] == "published"
    assert row["procedure"] == "national"
    deadline = datetime.fromisoformat(row["deadline"])
    assert abs(deadline - tender.quote_deadline) < timedelta(milliseconds=1)
    assert row["cpv_codes"] == ["45442100-8", "45442110-1"]
    assert row["url"] == f"http://testserver/tenders/{tender.pk}/"


def test_never_lists_invite_only_drafts_or_cancelled_tenders(
    client, public, buyer_org, firm, firm_user, buyer
):
    public(title="Openbaar")
    invite_only = TenderFactory(
        published=True, buyer=buyer_org, procedure=Procedure.MULTIPLE, title="Onderhands"
    )
    InvitationFactory(tender=invite_only, firm=firm)
    TenderFactory(buyer=buyer_org, procedure=Procedure.NATIONAL, title="Concept")
    public(title="Ingetrokken", status=Status.CANCELLED)

    for user in (None, firm_user, buyer):  # open data: the same for everyone
        if user:
            client.force_login(user)
        titles = [r["title"] for r in client.get(URL).json()["results"]]
        assert titles == ["Openbaar"]


def test_filters_by_text_status_cpv_and_municipality(client, public, zwijndrecht):
    now = timezone.now()
    public(title="Schilderwerk school", main_cpv=CpvCode.objects.get(pk="45442100"))
    public(
        title="Schilderwerk dicht",
        main_cpv=CpvCode.objects.get(pk="45442100"),
        quote_deadline=now - timedelta(hours=1),
    )
    public(title="Advies Zwijndrecht", place_of_performance=zwijndrecht)

    def titles(**params) -> list[str]:
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return sorted(r["title"] for r in response.json()["results"])

    assert titles(q="SCHILDERWERK school") == ["Schilderwerk school"]
    assert titles(status="open") == ["Advies Zwijndrecht", "Schilderwerk school"]
    assert titles(status="closed") == ["Schilderwerk dicht"]
    assert titles(cpv="45400000") == ["Schilderwerk dicht", "Schilderwerk school"]
    assert titles(municipality="gm0642") == ["Advies Zwijndrecht"]
    closed = client.get(URL, {"status": "closed"}).json()["results"][0]
    assert closed["status"] == "closed"


def test_limit_and_offset_page_through_the_count(client, public):
    now = timezone.now()
    for days in range(1, 6):
        public(title=f"Over {days} dagen", quote_deadline=now + timedelta(days=days))

    body = client.get(URL, {"limit": 2, "offset": 2}).json()

    assert body["count"] == 5
    assert [r["title"] for r in body["results"]] == ["Over 3 dagen", "Over 4 dagen"]


@pytest.mark.parametrize(
    "params",
    [{"cpv": "12345678"}, {"municipality": "GM9999"}, {"status": "maybe"}, {"limit": 0}],
)
def test_bad_filters_are_a_422_not_a_500(client, reference_data, params):
    response = client.get(URL, params)

    assert response.status_code == 422
    assert "detail" in response.json()


def test_appears_in_the_openapi_schema(client, reference_data):
    schema = client.get("/api/openapi.json").json()

    operation = schema["paths"]["/api/tenders"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {
        "q",
        "status",
        "cpv",
        "municipality",
        "limit",
        "offset",
    }
