"""/tenders/ and /tenders/<id>/: what visitors, firms and buyers see, and what they never see."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from marketplace import formats
from marketplace.models import CpvCode, Role
from tenders.models import AwardCriteriaType, Procedure, Status
from tests.factories import MembershipFactory, UserFactory
from tests.tenders.factories import (
    AwardCriterionFactory,
    InvitationFactory,
    LotFactory,
    QuestionFactory,
    TenderChangeFactory,
    TenderDocumentFactory,
    TenderFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("tenders:list")
NBSP = "\u00a0"


def detail_url(tender) -> str:
    return reverse("tenders:detail", args=[tender.pk])


@pytest.fixture
def invite_only(buyer_org, firm):
    """A published multiple-quote tender of Dordrecht to which the painter's firm is invited."""
    tender = TenderFactory(
        published=True,
        buyer=buyer_org,
        procedure=Procedure.MULTIPLE,
        title="Onderhands schilderwerk",
    )
    InvitationFactory(tender=tender, firm=firm)
    return tender


@pytest.fixture
def draft(buyer_org):
    return TenderFactory(buyer=buyer_org, procedure=Procedure.NATIONAL, title="Nog een concept")


# The list -----------------------------------------------------------------------------------------


def test_list_row_shows_what_a_firm_needs_in_dutch(client, public, dordrecht):
    tender = public(
        title="Schilderwerk stadhuis",
        estimated_value_min=Decimal("40000"),
        estimated_value_max=Decimal("1250000.50"),
        quote_deadline=timezone.now() + timedelta(days=5, hours=3),
    )

    response = client.get(LIST_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{detail_url(tender)}"' in html
    assert "Schilderwerk stadhuis" in html
    assert tender.reference in html
    assert "Gemeente Dordrecht" in html
    assert dordrecht.name in html
    assert "Nationaal openbaar" in html
    assert f"€{NBSP}40.000 – €{NBSP}1.250.000,50" in html
    with translation.override("nl"):
        deadline = formats.moment(tender.quote_deadline)
    assert deadline in html  # e.g. "12 maart 2027 om 14:00"


def test_list_says_how_long_a_tender_is_still_open(english_client, public):
    public(quote_deadline=timezone.now() + timedelta(days=5, hours=3))

    response = english_client.get(LIST_URL)

    assert "5 days left" in response.content.decode()
    assert "Open for quotes" in response.content.decode()


def test_time_left_is_said_in_days_hours_or_minutes():
    now = timezone.now()
    with translation.override("nl"):
        assert formats.deadline(now + timedelta(days=2), now) == "nog 2 dagen"
    translation.activate("en")
    assert formats.deadline(now + timedelta(days=1, hours=2), now) == "1 day left"
    assert formats.deadline(now + timedelta(hours=3, minutes=5), now) == "3 hours left"
    assert formats.deadline(now + timedelta(seconds=90), now) == "2 minutes left"
    assert formats.deadline(now - timedelta(seconds=1), now) == "deadline passed"


def test_anonymous_list_hides_drafts_and_invite_only_tenders(client, public, invite_only, draft):
    public(title="Openbaar schilderwerk")

    html = client.get(LIST_URL).content.decode()

    assert "Openbaar schilderwerk" in html
    assert "Onderhands schilderwerk" not in html
    assert "Nog een concept" not in html


def test_invited_firm_and_buyers_colleague_see_the_invite_only_tender_in_the_list(
    client, invite_only, firm_user, second_buyer
):
    for user in (firm_user, second_buyer):
        client.force_login(user)
        assert "Onderhands schilderwerk" in client.get(LIST_URL).content.decode()


def test_other_firm_and_other_municipality_do_not_see_it(
    client, invite_only, other_firm_user, other_buyer
):
    for user in (other_firm_user, other_buyer):
        client.force_login(user)
        assert "Onderhands schilderwerk" not in client.get(LIST_URL).content.decode()


def test_buyer_does_not_find_own_drafts_in_the_public_list(client, draft, buyer):
    client.force_login(buyer)
    assert "Nog een concept" not in client.get(LIST_URL).content.decode()


def test_filters_narrow_the_list_and_the_count(english_client, public):
    public(title="Schilderwerk school", main_cpv=CpvCode.objects.get(pk="45442100"))
    public(title="Advies inkoop")

    response = english_client.get(LIST_URL, {"q": "schilderwerk", "cpv": "45400000"})
    html = response.content.decode()

    assert "1 tender found" in html
    assert "Schilderwerk school" in html
    assert "Advies inkoop" not in html
    assert "Schilderwerk" in html and "Afwerking van gebouwen" in html  # the chosen CPV chip


def test_facets_count_and_link(english_client, public):
    now = timezone.now()
    public(title="Open 1")
    public(title="Open 2", procedure=Procedure.EUROPEAN)
    public(title="Dicht", quote_deadline=now - timedelta(hours=2))

    html = english_client.get(LIST_URL).content.decode()

    assert "3 tenders found" in html
    assert 'href="?status=open">Open for quotes</a> <span class="muted">(2)</span>' in html
    assert 'href="?status=closed">Closed</a> <span class="muted">(1)</span>' in html
    assert '>European open procedure</a> <span class="muted">(1)</span>' in html
    assert '>National open procedure</a> <span class="muted">(2)</span>' in html


def test_sorting_by_newest_and_by_deadline(client, public):
    now = timezone.now()
    public(
        title="Eerst gepubliceerd",
        published_at=now - timedelta(days=9),
        quote_deadline=now + timedelta(days=3),
    )
    public(
        title="Laatst gepubliceerd",
        published_at=now - timedelta(days=1),
        quote_deadline=now + timedelta(days=30),
    )

    by_deadline = client.get(LIST_URL).content.decode()
    newest = client.get(LIST_URL, {"sort": "newest"}).content.decode()

    assert by_deadline.index("Eerst gepubliceerd") < by_deadline.index("Laatst gepubliceerd")
    assert newest.index("Laatst gepubliceerd") < newest.index("Eerst gepubliceerd")
    assert 'aria-current="true"' in newest


def test_pagination_keeps_the_filters(english_client, public):
    for _ in range(23):
        public(title="Schilderwerk")
    public(title="Iets anders")

    first = english_client.get(LIST_URL, {"q": "schilderwerk"})
    second = english_client.get(LIST_URL, {"q": "schilderwerk", "page": "2"})

    assert first.content.decode().count('class="result tender-result"') == 20
    assert second.content.decode().count('class="result tender-result"') == 3
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?q=schilderwerk&amp;page=2"' in first.content.decode()
    assert english_client.get(LIST_URL, {"page": "99"}).status_code == 200
    assert english_client.get(LIST_URL, {"page": "abc"}).status_code == 200


def test_empty_list_helps_the_visitor_on(english_client, public):
    public(title="Advies")

    html = english_client.get(LIST_URL, {"q": "dakdekker"}).content.decode()

    assert "No tenders match these filters." in html
    assert "Show all tenders" in html


def test_bad_filter_input_shows_errors_not_a_crash(client, public):
    public(title="Advies")

    response = client.get(
        LIST_URL, {"deadline_from": "gisteren", "cpv": "12345678", "value_min": "-1"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Onbekende CPV-codes: 12345678." in html
    assert "error-summary" in html
    assert 'value="gisteren"' in html  # what was typed stays


def test_main_menu_links_to_the_tenders(client):
    html = client.get(LIST_URL).content.decode()
    assert f'<a href="{LIST_URL}" aria-current="page">' in html


# The detail page ----------------------------------------------------------------------------------


def test_detail_shows_the_tender_to_anyone(client, public, dordrecht):
    tender = public(
        title="Schilderwerk stadhuis",
        description="Buitenschilderwerk.\n\nZie <script>alert(1)</script> de bestekken.",
        estimated_value_min=Decimal("221000"),
        tenderned_reference="412345",
        award_criteria_type=AwardCriteriaType.PRICE_QUALITY,
        contact_name="Alice de Vries",
        contact_email="inkoop@dordrecht.example",
    )
    tender.additional_cpv.add(CpvCode.objects.get(pk="45442100"))
    LotFactory(
        tender=tender,
        number=1,
        title="Gevels",
        estimated_value=Decimal("1234.5"),
        suitable_for_local_smes=True,
    )
    AwardCriterionFactory(tender=tender, name="Prijs", weight=40)
    AwardCriterionFactory(tender=tender, name="Kwaliteit", weight=60)
    TenderDocumentFactory(tender=tender, title="Bestek", size=2_500_000)
    TenderChangeFactory(tender=tender, summary="Deadline twee weken later.")

    response = client.get(detail_url(tender))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Schilderwerk stadhuis</h1>" in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert f"€{NBSP}221.000" in html
    assert f"€{NBSP}1.234,50" in html
    assert dordrecht.name in html
    assert "https://www.tenderned.nl/aankondigingen/overzicht/412345" in html
    assert "Adviezen inzake bedrijfsvoering" in html and "Schilderwerk" in html
    assert "Kwaliteit" in html and "60%" in html
    assert reverse("tenders:document", args=[tender.pk, tender.documents.get().pk]) in html
    assert "Bestek" in html and "2,4" in html  # size, Dutch decimal comma
    assert "Deadline twee weken later." in html
    assert "inkoop@dordrecht.example" in html and "Alice de Vries" in html
    assert reverse("tenders:notice_pdf", args=[tender.pk]) in html
    assert reverse("tenders:clarification_pdf", args=[tender.pk]) not in html


def test_detail_says_time_left(english_client, public):
    tender = public(quote_deadline=timezone.now() + timedelta(days=5, hours=3))

    html = english_client.get(detail_url(tender)).content.decode()

    assert "5 days left" in html


def test_published_answers_are_numbered_and_never_name_the_asker(client, public, firm):
    tender = public()
    QuestionFactory(
        tender=tender,
        number=1,
        firm=firm,
        text="Mag het in fasen?",
        published=True,
        answer="Ja, in twee fasen.",
    )
    QuestionFactory(tender=tender, number=2, firm=firm, text="Geheime vraag nog zonder antwoord")

    html = client.get(detail_url(tender)).content.decode()

    assert "Mag het in fasen?" in html and "Ja, in twee fasen." in html
    assert 'id="vraag-1"' in html
    assert "Geheime vraag" not in html
    assert firm.organisation.name not in html
    assert reverse("tenders:clarification_pdf", args=[tender.pk]) in html


@pytest.mark.parametrize("who", ["anonymous", "other_buyer", "other_firm_user", "staff"])
def test_invite_only_tender_is_404_for_outsiders(client, request, invite_only, who):
    if who == "staff":
        client.force_login(UserFactory(is_staff=True))
    elif who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    assert client.get(detail_url(invite_only)).status_code == 404


@pytest.mark.parametrize("who", ["firm_user", "buyer", "second_buyer"])
def test_invite_only_tender_is_shown_to_invited_firm_and_buyers(client, request, invite_only, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(detail_url(invite_only))

    assert response.status_code == 200
    assert "Onderhands schilderwerk" in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "other_buyer", "firm_user"])
def test_draft_is_404_for_everyone_outside_the_buyer(client, request, draft, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    assert client.get(detail_url(draft)).status_code == 404


def test_buyers_colleague_sees_the_draft_with_a_notice(client, draft, second_buyer):
    client.force_login(second_buyer)

    response = client.get(detail_url(draft))

    assert response.status_code == 200
    assert response.context["is_buyer"] is True
    assert "notice--warning" in response.content.decode()


def test_member_of_buyer_without_buyer_role_is_not_a_buyer(client, public, buyer_org):
    tender = public()
    viewer = UserFactory()
    MembershipFactory(user=viewer, organisation=buyer_org, role=Role.FIRM_MEMBER)
    client.force_login(viewer)

    assert client.get(detail_url(tender)).context["is_buyer"] is False


def test_cancelled_tender_is_404_for_the_public(client, public):
    tender = public(status=Status.CANCELLED, cancellation_reason="Geen budget")

    assert client.get(detail_url(tender)).status_code == 404


def test_unknown_tender_is_404(client, reference_data):
    assert client.get(reverse("tenders:detail", args=[999999])).status_code == 404


def test_list_queries_do_not_grow_with_the_rows(client, public, django_assert_max_num_queries):
    for _ in range(25):
        public()

    # 9: one of them is the footer's standard pages (cms), cached after the first page.
    with django_assert_max_num_queries(9):
        assert client.get(LIST_URL, {"cpv": "79400000"}).status_code == 200
