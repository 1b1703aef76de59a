"""The buyer's evaluation, award, contract and no-award pages, the outcome on the tender's page,
and the award notice PDF (DESIGN §4.7, issue 5 items 4 and 5)."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from marketplace.models import Role
from tenders.models import (
    Award,
    Contract,
    Invitation,
    Procedure,
    QuoteScore,
    Status,
)
from tenders.models.award import SCORE_OUT_OF_RANGE
from tenders.services.award import (
    EXCLUDE_REASON_REQUIRED,
    quote_scores_set,
    tender_award,
)
from tests.factories import MembershipFactory, UserFactory
from tests.tenders.factories_award import bidder, opened_tender, quote_for

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
PAGES = ("evaluation", "award", "contract", "unsuccessful")


@pytest.fixture
def world(buyer_org, buyer):
    tender = opened_tender(
        buyer_org=buyer_org,
        criteria=(("Prijs", 40), ("Kwaliteit", 60)),
        opened_by=buyer,
        title="Schilderwerk brede school",
        reference="DORD-2027-0042",
    )
    alfa, alfa_users = bidder("Alfa Schilders", members=1)
    bravo, bravo_users = bidder("Bravo Verf", members=1)
    quotes = {
        "Alfa": quote_for(tender, alfa, "100000", lots={1: "60000", 2: "40000"}),
        "Bravo": quote_for(tender, bravo, "80000"),
    }
    return tender, quotes, {"Alfa": alfa_users[0], "Bravo": bravo_users[0]}


def score_field(tender, quote) -> str:
    criterion = tender.award_criteria.get(name="Kwaliteit")
    return f"score_{quote.pk}_{criterion.pk}"


def scored(tender, quotes, buyer, alfa="9", bravo="5"):
    criterion = tender.award_criteria.get(name="Kwaliteit")
    quote_scores_set(
        tender=tender,
        by=buyer,
        scores={
            (quotes["Alfa"].pk, criterion.pk): Decimal(alfa),
            (quotes["Bravo"].pk, criterion.pk): Decimal(bravo),
        },
    )


# Evaluation --------------------------------------------------------------------------------------


def test_the_evaluation_shows_prices_per_lot_and_the_formula(client, world, buyer):
    tender, _quotes, _users = world
    client.force_login(buyer)

    response = client.get(reverse("tenders:evaluation", args=[tender.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"€{NBSP}100.000" in html
    assert f"€{NBSP}60.000" in html  # lot 1 of Alfa
    assert "Alfa Schilders" in html and "Bravo Verf" in html
    assert "Prijs (40%)" in html
    # Without scores there is no ranking yet, and no way to the award.
    assert [m.bid.firm_name for m in response.context["ranking"].missing] == [
        "Alfa Schilders",
        "Bravo Verf",
    ]
    assert reverse("tenders:award", args=[tender.pk]) not in html


def test_scores_typed_the_dutch_way_are_saved_and_rank_the_quotes(client, world, buyer):
    tender, quotes, _users = world
    client.force_login(buyer)
    url = reverse("tenders:evaluation", args=[tender.pk])

    response = client.post(
        url,
        {
            "action": "scores",
            score_field(tender, quotes["Alfa"]): "7,5",
            score_field(tender, quotes["Bravo"]): "6",
        },
    )

    assert response.status_code == 302
    assert sorted(QuoteScore.objects.values_list("score", flat=True)) == [
        Decimal("6"),
        Decimal("7.5"),
    ]
    ranking = client.get(url).context["ranking"]
    # Alfa: 40 × 80.000/100.000 = 32 + 45 = 77; Bravo: 40 + 36 = 76.
    assert [(r.firm_name, r.points) for r in ranking.rows] == [
        ("Alfa Schilders", Decimal("77.00")),
        ("Bravo Verf", Decimal("76.00")),
    ]


def test_a_score_out_of_range_is_refused_and_what_was_typed_stays(client, world, buyer):
    tender, quotes, _users = world
    client.force_login(buyer)
    alfa, bravo = score_field(tender, quotes["Alfa"]), score_field(tender, quotes["Bravo"])

    response = client.post(
        reverse("tenders:evaluation", args=[tender.pk]),
        {"action": "scores", alfa: "11", bravo: "8,5"},
    )

    assert response.status_code == 200
    form = response.context["scores_form"]
    assert form.errors[alfa] == [str(SCORE_OUT_OF_RANGE)]
    assert form[bravo].value() == "8,5"
    assert 'role="alert"' in response.content.decode()
    assert not QuoteScore.objects.exists()


def test_a_quote_is_excluded_with_a_reason(client, world, buyer):
    tender, quotes, _users = world
    client.force_login(buyer)
    url = reverse("tenders:evaluation", args=[tender.pk])

    response = client.post(url, {"action": "exclude", "quote": quotes["Alfa"].pk, "reason": ""})
    assert response.status_code == 200
    assert response.context["exclude_form"].errors["reason"]

    response = client.post(
        url, {"action": "exclude", "quote": quotes["Alfa"].pk, "reason": "Geen VCA"}
    )

    assert response.status_code == 302
    quotes["Alfa"].refresh_from_db()
    assert quotes["Alfa"].excluded_reason == "Geen VCA"
    assert str(EXCLUDE_REASON_REQUIRED)  # the service's own message backs the form's


def test_the_evaluation_waits_for_the_opening(client, buyer_org, buyer):
    tender = opened_tender(buyer_org=buyer_org)
    tender.vault_opening.delete()
    tender.status = Status.CLOSED
    tender.save()
    client.force_login(buyer)

    response = client.get(reverse("tenders:evaluation", args=[tender.pk]))

    assert response.status_code == 302
    assert response.url == reverse("tenders:detail", args=[tender.pk])


# Who may ----------------------------------------------------------------------------------------


def test_outsiders_get_404_and_members_without_the_buyer_role_403(
    client, world, buyer_org, other_buyer, firm_user
):
    tender, _quotes, users = world
    member = UserFactory()
    MembershipFactory(user=member, organisation=buyer_org, role=Role.FIRM_MEMBER)

    for person, status in ((other_buyer, 404), (firm_user, 404), (users["Alfa"], 404)):
        client.force_login(person)
        for name in PAGES:
            assert client.get(reverse(f"tenders:{name}", args=[tender.pk])).status_code == status
    client.force_login(member)
    for name in PAGES:
        assert client.get(reverse(f"tenders:{name}", args=[tender.pk])).status_code == 403
    client.logout()
    for name in PAGES:
        response = client.get(reverse(f"tenders:{name}", args=[tender.pk]))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_an_outsider_cannot_award_by_posting(client, world, buyer, other_buyer):
    tender, quotes, _users = world
    scored(tender, quotes, buyer)
    client.force_login(other_buyer)

    response = client.post(
        reverse("tenders:award", args=[tender.pk]),
        {"quote": quotes["Alfa"].pk, "motivation": "Ik beslis."},
    )

    assert response.status_code == 404
    assert not Award.objects.exists()


# The award ---------------------------------------------------------------------------------------


def test_the_award_form_proposes_the_first_and_needs_a_motivation(client, world, buyer):
    tender, quotes, _users = world
    scored(tender, quotes, buyer)
    client.force_login(buyer)
    url = reverse("tenders:award", args=[tender.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["quote"].value() == quotes["Alfa"].pk
    assert page.context["standstill_until"] is None  # national procedure, default policy

    refused = client.post(url, {"quote": quotes["Alfa"].pk, "motivation": ""})
    assert refused.status_code == 200
    assert refused.context["form"].errors["motivation"]

    done = client.post(url, {"quote": quotes["Alfa"].pk, "motivation": "Beste kwaliteit."})
    assert done.status_code == 302
    tender.refresh_from_db()
    assert tender.status == Status.AWARDED
    assert Award.objects.get().firm.name == "Alfa Schilders"


def test_the_award_form_says_scores_are_missing(client, world, buyer):
    tender, _quotes, _users = world
    client.force_login(buyer)

    response = client.get(reverse("tenders:award", args=[tender.pk]))

    assert response.status_code == 200
    assert response.context["first"] is None
    assert 'name="motivation"' not in response.content.decode()


def test_the_award_page_of_an_awarded_tender_sends_back(client, world, buyer):
    tender, quotes, _users = world
    scored(tender, quotes, buyer)
    tender_award(tender=tender, by=buyer, quote=quotes["Alfa"], motivation="Beste.")
    client.force_login(buyer)

    response = client.post(
        reverse("tenders:award", args=[tender.pk]),
        {"quote": quotes["Alfa"].pk, "motivation": "Nog eens."},
    )

    assert response.status_code == 302
    assert Award.objects.count() == 1


# Contract and no award ---------------------------------------------------------------------------


@pytest.fixture
def european(buyer_org, buyer):
    tender = opened_tender(buyer_org=buyer_org, procedure=Procedure.EUROPEAN)
    firm, users = bidder("Alfa Schilders")
    quote = quote_for(tender, firm, "300000")
    award = tender_award(tender=tender, by=buyer, quote=quote, motivation="Laagste prijs.")
    return tender, award, users[0]


def test_the_contract_page_waits_for_the_standstill_and_then_completes(client, european, buyer):
    tender, award, _user = european
    client.force_login(buyer)
    url = reverse("tenders:contract", args=[tender.pk])
    data = {
        "value": "299.500",
        "signed_on": (award.standstill_until + timedelta(days=1)).date().isoformat(),
        "start_date": (award.standstill_until + timedelta(days=10)).date().isoformat(),
        "end_date": "",
    }

    waiting = client.get(url)
    assert waiting.status_code == 200
    assert waiting.context["waiting"] is True
    assert award.standstill_until.strftime("%Y") in waiting.content.decode()
    client.post(url, data)
    assert not Contract.objects.exists()

    with time_machine.travel(award.standstill_until + timedelta(hours=1), tick=False):
        client.force_login(buyer)  # a fresh session, three weeks later
        response = client.post(url, data)

    assert response.status_code == 302
    assert response.url == reverse("tenders:detail", args=[tender.pk])
    contract = Contract.objects.get()
    assert contract.value == Decimal("299500")
    tender.refresh_from_db()
    assert tender.status == Status.COMPLETED


def test_the_unsuccessful_form_ends_the_tender(client, world, buyer):
    tender, _quotes, _users = world
    client.force_login(buyer)
    url = reverse("tenders:unsuccessful", args=[tender.pk])

    assert client.post(url, {"reason": ""}).status_code == 200
    response = client.post(url, {"reason": "Alle offertes boven budget."})

    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.status == Status.UNSUCCESSFUL
    page = client.get(reverse("tenders:detail", args=[tender.pk]))
    assert "Alle offertes boven budget." in page.content.decode()


# The outcome on the tender's page ------------------------------------------------------------


def test_everyone_sees_the_winner_and_each_bidder_its_own_rank(client, world, buyer):
    tender, quotes, users = world
    scored(tender, quotes, buyer)
    tender_award(tender=tender, by=buyer, quote=quotes["Alfa"], motivation="Beste kwaliteit.")
    url = reverse("tenders:detail", args=[tender.pk])

    public = client.get(url)
    outcome = public.context["outcome"]
    assert outcome["winner"].name == "Alfa Schilders"
    assert outcome["award"].value == 100000
    assert outcome["own"] == []
    html = public.content.decode()
    assert f"€{NBSP}100.000" in html
    assert "Bravo Verf" not in html
    assert reverse("tenders:award_pdf", args=[tender.pk]) in html

    client.force_login(users["Bravo"])
    bravo = client.get(url)
    (own,) = bravo.context["outcome"]["own"]
    assert (own["rank"], own["points"], own["won"]) == (2, "70.00", False)
    assert "70,00" in bravo.content.decode()  # points with a decimal comma
    client.force_login(users["Alfa"])
    (own,) = client.get(url).context["outcome"]["own"]
    assert (own["rank"], own["won"]) == (1, True)


# The award notice PDF ----------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_award_notice_is_404_until_the_award(client, world):
    tender, _quotes, _users = world

    assert client.get(reverse("tenders:award_pdf", args=[tender.pk])).status_code == 404


def test_the_award_notice_pdf_in_dutch(client, world, buyer, dordrecht):
    tender, quotes, _users = world
    scored(tender, quotes, buyer)
    award = tender_award(
        tender=tender, by=buyer, quote=quotes["Alfa"], motivation="Het beste plan van aanpak."
    )

    response = client.get(reverse("tenders:award_pdf", args=[tender.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="DORD-2027-0042-gunning.pdf"'
    text = pdf_text(response.content)
    for expected in (
        "DORD-2027-0042",
        "Schilderwerk brede school",
        "Gemeente Dordrecht",
        "Nationaal openbaar",
        "Alfa Schilders",
        award.firm.kvk_number,
        "Dordrecht",
        f"€{NBSP}100.000",
        "Het beste plan van aanpak.",
        "Kwaliteit",
        "60%",
        timezone.localtime(award.decided_at).strftime("%Y"),
    ):
        assert expected in text, expected
    assert "Bravo Verf" not in text
    assert "2" in text  # quotes received


def test_the_award_notice_shows_the_contract_once_recorded(client, european, buyer):
    tender, award, _user = european
    from tenders.services.award import contract_record

    with time_machine.travel(award.standstill_until + timedelta(days=1), tick=False):
        today = timezone.localdate()
        contract_record(
            tender=tender,
            by=buyer,
            value=Decimal("299500"),
            start_date=today,
            end_date=None,
            signed_on=today,
        )

    text = pdf_text(client.get(reverse("tenders:award_pdf", args=[tender.pk])).content)

    assert f"€{NBSP}299.500" in text
    assert f"€{NBSP}300.000" in text


def test_an_invite_only_award_notice_is_for_the_invited_only(client, buyer_org, buyer):
    tender = opened_tender(buyer_org=buyer_org, procedure=Procedure.MULTIPLE)
    firm, users = bidder("Alfa Schilders")
    Invitation.objects.create(tender=tender, firm=firm, reason="Lokaal")
    quote = quote_for(tender, firm, "30000")
    tender_award(tender=tender, by=buyer, quote=quote, motivation="Enige offerte.")
    url = reverse("tenders:award_pdf", args=[tender.pk])

    assert client.get(url).status_code == 404
    client.force_login(users[0])
    assert client.get(url).status_code == 200
