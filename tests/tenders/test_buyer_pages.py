"""The buyer's pages: dashboard, the step-by-step flow, extend/rectify/cancel and policy bands."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from marketplace.models import UNKNOWN_CPV, AuditEvent
from tenders.forms.fields import AMOUNT_TOO_HIGH, NOT_AN_AMOUNT, parse_euro
from tenders.models import (
    VALUE_NEGATIVE,
    AwardCriteriaType,
    ContractType,
    Follow,
    Invitation,
    PolicyBand,
    Procedure,
    Status,
    Tender,
    TenderChange,
)
from tenders.policy import (
    JUSTIFICATION_REQUIRED,
    PROCEDURE_BELOW_LEGAL_MINIMUM,
    QUOTE_DEADLINE_PASSED,
    TENDERNED_REFERENCE_REQUIRED,
    WEIGHTS_MUST_ADD_UP_TO_100,
)
from tests.factories import FirmFactory
from tests.tenders.factories import (
    AMSTERDAM_TIME,
    CONSULTING,
    MONDAY,
    PAINTING,
    LotFactory,
    QuestionFactory,
    TenderFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]


def edit_url(tender: Tender, step: str) -> str:
    return reverse("tenders:edit", args=[tender.pk, step])


def what_data(**overrides) -> dict[str, str]:
    data = {
        "title": "Schilderwerk stadhuis",
        "description": "Buitenschilderwerk van de kozijnen.",
        "contract_type": ContractType.SERVICES,
        "main_cpv": CONSULTING,
        "additional_cpv": "",
        "lots-TOTAL_FORMS": "2",
        "lots-INITIAL_FORMS": "0",
        "lots-MIN_NUM_FORMS": "0",
        "lots-MAX_NUM_FORMS": "50",
    }
    return {**data, **overrides}


def dates_data(**overrides) -> dict[str, str]:
    data = {
        "question_deadline": "2026-03-09T12:00",
        "quote_deadline": "2026-03-16T12:00",
        "award_criteria_type": AwardCriteriaType.LOWEST_PRICE,
        "contact_name": "Alice de Vries",
        "contact_email": "alice@dordrecht.example",
        "criteria-TOTAL_FORMS": "3",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "20",
    }
    return {**data, **overrides}


@pytest.fixture
def draft(buyer_org, buyer):
    return TenderFactory(buyer=buyer_org, created_by=buyer)


@pytest.fixture
def published(buyer_org):
    return TenderFactory(
        buyer=buyer_org,
        published=True,
        question_deadline=MONDAY + timedelta(days=7),
        quote_deadline=MONDAY + timedelta(days=14),
    )


# The flow ---------------------------------------------------------------------------------------


def test_a_buyer_creates_a_draft_step_by_step_and_publishes_it(client, buyer, buyer_org, dordrecht):
    client.force_login(buyer)

    response = client.post(
        reverse("tenders:create"),
        what_data(**{"lots-0-title": "Kozijnen", "lots-0-suitable_for_local_smes": "on"}),
    )
    tender = Tender.objects.get()
    assert response.url == edit_url(tender, "where")
    assert (tender.status, tender.buyer, tender.title) == (
        Status.DRAFT,
        buyer_org,
        "Schilderwerk stadhuis",
    )
    assert [lot.title for lot in tender.lots.all()] == ["Kozijnen"]

    page = client.get(edit_url(tender, "where"))
    assert page.context["form"]["place_of_performance"].value() == dordrecht.pk
    response = client.post(
        edit_url(tender, "where"),
        {"place_of_performance": dordrecht.pk, "estimated_value_min": "40.000"},
    )
    assert response.url == edit_url(tender, "procedure")
    tender.refresh_from_db()
    assert tender.estimated_value_min == Decimal("40000")

    page = client.get(edit_url(tender, "procedure"))
    assert page.context["proposal"].procedure == Procedure.SINGLE
    assert page.context["form"]["procedure"].value() == Procedure.SINGLE
    response = client.post(edit_url(tender, "procedure"), {"procedure": Procedure.SINGLE})
    assert response.url == edit_url(tender, "dates")

    response = client.post(edit_url(tender, "dates"), dates_data())
    assert response.url == edit_url(tender, "documents")
    tender.refresh_from_db()
    assert tender.quote_deadline == datetime(2026, 3, 16, 12, 0, tzinfo=AMSTERDAM_TIME)

    assert client.get(edit_url(tender, "documents")).status_code == 200
    review = client.get(edit_url(tender, "review"))
    assert [problem["url"] for problem in review.context["problems"]] == [
        edit_url(tender, "invitations") + "#id_invitations"
    ]  # a single-quote procedure invites one firm
    painter = FirmFactory(organisation__name="Schilder Dordt", municipality=dordrecht)
    response = client.post(
        reverse("tenders:invitation_add", args=[tender.pk]),
        {"kvk_number": painter.kvk_number, "reason": "Kent het stadhuis"},
    )
    assert response.status_code == 302
    review = client.get(edit_url(tender, "review"))
    assert review.context["problems"] == []
    assert b'aria-current="step"' in review.content

    response = client.post(reverse("tenders:publish", args=[tender.pk]))
    assert response.url == reverse("tenders:detail", args=[tender.pk])
    tender.refresh_from_db()
    assert tender.status == Status.PUBLISHED
    assert AuditEvent.objects.filter(action="tender.published", object_id=str(tender.pk)).exists()


def test_the_step_indicator_marks_the_current_step(client, buyer, draft):
    client.force_login(buyer)

    response = client.get(edit_url(draft, "dates"))

    html = response.content.decode()
    assert html.count('aria-current="step"') == 1
    assert f'href="{edit_url(draft, "dates")}" aria-current="step"' in html


def test_an_unknown_cpv_code_keeps_what_was_typed(client, buyer):
    client.force_login(buyer)

    response = client.post(
        reverse("tenders:create"), what_data(title="Mijn opdracht", main_cpv="12345678")
    )

    assert response.status_code == 200
    assert not Tender.objects.exists()
    assert response.context["form"].errors["main_cpv"] == [str(UNKNOWN_CPV % {"codes": "12345678"})]
    html = response.content.decode()
    assert 'value="Mijn opdracht"' in html
    assert 'value="12345678"' in html
    assert 'class="error-summary"' in html
    assert 'href="#id_main_cpv"' in html


@pytest.mark.parametrize(
    ("typed", "message"),
    [("-5000", VALUE_NEGATIVE), ("20.000.000.000", AMOUNT_TOO_HIGH), ("veel", NOT_AN_AMOUNT)],
)
def test_negative_or_absurd_values_are_refused_and_kept(client, buyer, draft, typed, message):
    client.force_login(buyer)

    response = client.post(
        edit_url(draft, "where"),
        {"place_of_performance": draft.place_of_performance_id, "estimated_value_min": typed},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["estimated_value_min"] == [str(message)]
    assert f'value="{typed}"' in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.estimated_value_min == Decimal("40000")


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("45000", "45000"),
        ("45.000", "45000"),
        ("€ 1.250.000,50", "1250000.50"),
        ("45.000,-", "45000"),
        ("45000.5", "45000.5"),
    ],
)
def test_amounts_are_read_the_dutch_way(typed, amount):
    assert parse_euro(typed) == Decimal(amount)


def test_a_deadline_in_the_past_is_refused_and_kept(client, buyer, draft):
    client.force_login(buyer)

    response = client.post(edit_url(draft, "dates"), dates_data(quote_deadline="2026-03-01T12:00"))

    assert response.context["form"].errors["quote_deadline"] == [str(QUOTE_DEADLINE_PASSED)]
    assert 'value="2026-03-01T12:00"' in response.content.decode()


def test_weights_that_do_not_add_up_to_100_are_refused(client, buyer, draft):
    client.force_login(buyer)
    data = dates_data(
        award_criteria_type=AwardCriteriaType.PRICE_QUALITY,
        **{
            "criteria-0-name": "Prijs",
            "criteria-0-weight": "60",
            "criteria-1-name": "Kwaliteit",
            "criteria-1-weight": "30",
        },
    )

    response = client.post(edit_url(draft, "dates"), data)

    assert response.context["criteria"].non_form_errors() == [str(WEIGHTS_MUST_ADD_UP_TO_100)]
    assert 'value="Kwaliteit"' in response.content.decode()
    assert not draft.award_criteria.exists()

    data["criteria-1-weight"] = "40"
    response = client.post(edit_url(draft, "dates"), data)
    assert response.status_code == 302
    assert list(draft.award_criteria.values_list("name", "weight")) == [
        ("Prijs", 60),
        ("Kwaliteit", 40),
    ]


def test_a_lighter_procedure_than_the_law_requires_is_refused(client, buyer, draft):
    draft.estimated_value_min = Decimal("300000")  # above the € 216.000 EU threshold
    draft.save()
    client.force_login(buyer)

    response = client.post(edit_url(draft, "procedure"), {"procedure": Procedure.MULTIPLE})

    assert response.status_code == 200
    assert response.context["proposal"].procedure == Procedure.EUROPEAN
    assert response.context["form"].errors["procedure"] == [str(PROCEDURE_BELOW_LEGAL_MINIMUM)]
    draft.refresh_from_db()
    assert draft.procedure == Procedure.SINGLE


def test_a_lighter_procedure_than_the_policy_asks_for_needs_a_reason(client, buyer, draft):
    draft.estimated_value_min = Decimal("60000")  # policy: multiple quotes from € 50.000
    draft.save()
    client.force_login(buyer)

    response = client.post(edit_url(draft, "procedure"), {"procedure": Procedure.SINGLE})

    assert response.context["form"].errors["procedure_justification"] == [
        str(JUSTIFICATION_REQUIRED)
    ]
    assert response.context["check"].warnings

    response = client.post(
        edit_url(draft, "procedure"),
        {"procedure": Procedure.SINGLE, "procedure_justification": "Spoed na stormschade."},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.procedure_justification == "Spoed na stormschade."


def test_the_review_links_each_problem_to_the_step_that_fixes_it(client, buyer, draft):
    draft.procedure = Procedure.NATIONAL
    draft.save()
    client.force_login(buyer)

    response = client.get(edit_url(draft, "review"))

    problems = response.context["problems"]
    assert [p["messages"] for p in problems] == [[str(TENDERNED_REFERENCE_REQUIRED)]]
    assert problems[0]["url"] == edit_url(draft, "procedure") + "#id_tenderned_reference"
    assert problems[0]["url"] in response.content.decode()


def test_the_review_shows_each_lots_value(client, buyer, draft):
    LotFactory(tender=draft, number=1, title="Kozijnen", estimated_value=Decimal("12500"))
    LotFactory(tender=draft, number=2, title="Gevels")
    client.force_login(buyer)

    page = client.get(edit_url(draft, "review")).content.decode()

    assert "1. Kozijnen · €\u00a012.500" in page
    assert "2. Gevels" in page


def test_publishing_an_unfinished_draft_sends_the_buyer_to_the_review(client, buyer, draft):
    draft.quote_deadline = None
    draft.save()
    client.force_login(buyer)

    response = client.post(reverse("tenders:publish", args=[draft.pk]))

    assert response.url == edit_url(draft, "review")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_published_tender_cannot_be_edited_through_the_flow(client, buyer, published):
    client.force_login(buyer)

    for step in ("what", "dates", "review"):
        assert client.get(edit_url(published, step)).url == reverse(
            "tenders:detail", args=[published.pk]
        )
    client.post(reverse("tenders:edit", args=[published.pk, "what"]), what_data(title="Anders"))

    published.refresh_from_db()
    assert published.title != "Anders"
    assert not AuditEvent.objects.filter(action="tender.updated").exists()


def test_an_unknown_step_is_not_found(client, buyer, draft):
    client.force_login(buyer)

    assert client.get(edit_url(draft, "elsewhere")).status_code == 404


# Who may come in ---------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, draft):
    for url in (
        reverse("tenders:dashboard"),
        reverse("tenders:create"),
        reverse("tenders:policy"),
        edit_url(draft, "what"),
        reverse("tenders:extend", args=[draft.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_a_firm_user_cannot_reach_the_buyer_pages(client, firm_user, draft):
    client.force_login(firm_user)

    for url in (reverse("tenders:dashboard"), reverse("tenders:create"), reverse("tenders:policy")):
        assert client.get(url).status_code == 403
    for url in (edit_url(draft, "what"), reverse("tenders:cancel", args=[draft.pk])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("tenders:publish", args=[draft.pk])).status_code == 404


def test_another_municipalitys_buyer_gets_not_found(client, other_buyer, draft, published):
    client.force_login(other_buyer)

    urls = [edit_url(draft, step) for step in ("what", "where", "procedure", "review")]
    urls += [reverse(name, args=[published.pk]) for name in ("tenders:extend", "tenders:rectify")]
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(reverse("tenders:publish", args=[draft.pk])).status_code == 404
    assert (
        client.post(
            reverse("tenders:cancel", args=[published.pk]), {"reason": "Weg ermee."}
        ).status_code
        == 404
    )
    assert Tender.objects.get(pk=published.pk).status == Status.PUBLISHED


def test_publishing_takes_a_post(client, buyer, draft):
    client.force_login(buyer)

    assert client.get(reverse("tenders:publish", args=[draft.pk])).status_code == 405


# Dashboard ---------------------------------------------------------------------------------------


def test_the_dashboard_groups_tenders_by_status_with_waiting_questions(
    client, buyer, buyer_org, draft, published, other_buyer_org, monday_morning
):
    closed = TenderFactory(
        buyer=buyer_org,
        published=True,
        question_deadline=MONDAY - timedelta(days=7),
        quote_deadline=MONDAY,
    )
    QuestionFactory.create_batch(2, tender=published)
    QuestionFactory(tender=published, answered=True)
    TenderFactory(buyer=other_buyer_org, published=True)
    client.force_login(buyer)

    response = client.get(reverse("tenders:dashboard"))

    groups = {g["status"]: [t.pk for t in g["tenders"]] for g in response.context["groups"]}
    assert groups == {
        Status.DRAFT: [draft.pk],
        Status.PUBLISHED: [published.pk],
        Status.CLOSED: [closed.pk],
    }
    assert response.context["waiting"] == 2
    assert reverse("tenders:questions", args=[published.pk]) in response.content.decode()


def test_the_dashboard_starts_with_the_next_things_to_do(
    client, buyer, buyer_org, draft, published, other_buyer_org, monday_morning
):
    closed = TenderFactory(
        buyer=buyer_org,
        title="Gesloten schilderwerk",
        published=True,
        question_deadline=MONDAY - timedelta(days=7),
        quote_deadline=MONDAY,
    )
    QuestionFactory.create_batch(2, tender=published)
    TenderFactory(buyer=other_buyer_org, title="Niet van ons", published=True)
    client.force_login(buyer)

    page = client.get(reverse("tenders:dashboard")).content.decode()
    next_up = page[page.index('id="next-steps"') : page.index('class="stats"')]

    assert f"2 vragen over {published.title} beantwoorden" in next_up
    assert f"Open de offertes van {closed.title}" in next_up
    assert f"Maak het concept {draft.title} af" in next_up
    assert reverse("tenders:edit", args=[draft.pk, "what"]) in next_up
    assert "Niet van ons" not in page


def test_an_empty_dashboard_offers_a_new_tender(client, buyer):
    client.force_login(buyer)

    response = client.get(reverse("tenders:dashboard"))

    assert response.context["total"] == 0
    assert f'class="button" href="{reverse("tenders:create")}"' in response.content.decode()


# Extend, rectify, cancel ------------------------------------------------------------------------


@pytest.fixture
def audience(published, firm, firm_user, other_firm, other_firm_user):
    Invitation.objects.create(tender=published, firm=firm)
    Follow.objects.create(tender=published, firm=other_firm, user=other_firm_user)
    return sorted([firm_user.email, other_firm_user.email])


def test_extending_through_the_page_tells_the_firms(
    client, buyer, published, audience, django_capture_on_commit_callbacks
):
    client.force_login(buyer)
    page = client.get(reverse("tenders:extend", args=[published.pk]))
    assert page.context["form"]["quote_deadline"].value() == MONDAY + timedelta(days=14)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("tenders:extend", args=[published.pk]),
            {
                "quote_deadline": "2026-03-23T10:00",
                "question_deadline": "2026-03-09T10:00",
                "reason": "Meer tijd voor de schouw.",
            },
        )

    assert response.url == reverse("tenders:detail", args=[published.pk])
    published.refresh_from_db()
    assert published.quote_deadline == datetime(2026, 3, 23, 10, 0, tzinfo=AMSTERDAM_TIME)
    assert published.question_deadline == MONDAY + timedelta(days=7)
    assert TenderChange.objects.get().kind == TenderChange.Kind.EXTENDED
    assert AuditEvent.objects.filter(action="tender.extended").count() == 1
    assert sorted(message.to[0] for message in mail.outbox) == audience


def test_an_earlier_deadline_shows_a_field_error(client, buyer, published):
    client.force_login(buyer)

    response = client.post(
        reverse("tenders:extend", args=[published.pk]),
        {"quote_deadline": "2026-03-10T10:00", "question_deadline": "", "reason": "Sneller."},
    )

    assert response.status_code == 200
    assert "quote_deadline" in response.context["form"].errors
    assert not TenderChange.objects.exists()


def test_rectifying_through_the_page_tells_the_firms(
    client, buyer, published, audience, django_capture_on_commit_callbacks
):
    client.force_login(buyer)
    data = {
        "title": published.title,
        "description": "Nieuwe omschrijving.",
        "main_cpv": PAINTING,
        "additional_cpv": "",
        "contact_name": published.contact_name,
        "contact_email": published.contact_email,
        "summary": "De omschrijving en de CPV-code zijn verbeterd.",
        "lots-TOTAL_FORMS": "2",
        "lots-INITIAL_FORMS": "0",
        "lots-MIN_NUM_FORMS": "0",
        "lots-MAX_NUM_FORMS": "50",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tenders:rectify", args=[published.pk]), data)

    assert response.url == reverse("tenders:detail", args=[published.pk])
    published.refresh_from_db()
    assert (published.description, published.main_cpv_id) == ("Nieuwe omschrijving.", PAINTING)
    assert TenderChange.objects.get().kind == TenderChange.Kind.RECTIFIED
    assert AuditEvent.objects.filter(action="tender.rectified").count() == 1
    assert sorted(message.to[0] for message in mail.outbox) == audience


def test_cancelling_through_the_page_asks_for_a_reason(
    client, buyer, published, audience, django_capture_on_commit_callbacks
):
    client.force_login(buyer)

    response = client.post(reverse("tenders:cancel", args=[published.pk]), {"reason": ""})
    assert "reason" in response.context["form"].errors

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("tenders:cancel", args=[published.pk]), {"reason": "Budget ingetrokken."}
        )

    published.refresh_from_db()
    assert published.status == Status.CANCELLED
    assert TenderChange.objects.get().kind == TenderChange.Kind.CANCELLED
    assert sorted(message.to[0] for message in mail.outbox) == audience


def test_a_closed_tender_can_no_longer_be_extended(client, buyer, published, monday_morning):
    monday_morning.move_to(MONDAY + timedelta(days=15))
    client.force_login(buyer)

    response = client.post(
        reverse("tenders:extend", args=[published.pk]),
        {"quote_deadline": "2026-04-01T10:00", "reason": "Later."},
    )

    assert response.url == reverse("tenders:detail", args=[published.pk])
    assert not TenderChange.objects.exists()


# Buyer actions on the tender's page --------------------------------------------------------------


def test_the_actions_follow_the_status(draft, published):
    draft_html = render_to_string(
        "tenders/includes/buyer_actions.html", {"tender": draft, "is_buyer": True}
    )
    published_html = render_to_string(
        "tenders/includes/buyer_actions.html", {"tender": published, "is_buyer": True}
    )

    assert edit_url(draft, "what") in draft_html
    assert reverse("tenders:extend", args=[draft.pk]) not in draft_html
    assert edit_url(published, "what") not in published_html
    for name in ("extend", "rectify", "cancel", "questions", "document_upload"):
        assert reverse(f"tenders:{name}", args=[published.pk]) in published_html


# Policy bands ------------------------------------------------------------------------------------


def policy_data(contract_type: str, *rows: tuple[str, str]) -> dict[str, str]:
    data = {
        "contract_type": contract_type,
        "bands-TOTAL_FORMS": "4",
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "4",
        "bands-MAX_NUM_FORMS": "4",
    }
    for number, (procedure, limit) in enumerate(rows):
        data[f"bands-{number}-procedure"] = procedure
        data[f"bands-{number}-max_value"] = limit
    return data


def test_the_policy_page_shows_the_defaults(client, second_buyer):
    client.force_login(second_buyer)

    response = client.get(reverse("tenders:policy"))

    assert response.status_code == 200
    assert not response.context["is_admin"]
    assert all(kind["is_default"] for kind in response.context["types"])
    assert response.context["formset"] is None


def test_a_buyer_admin_sets_the_limits(client, buyer, dordrecht):
    client.force_login(buyer)
    url = reverse("tenders:policy")
    assert client.get(url, {"edit": ContractType.SERVICES}).context["formset"] is not None

    response = client.post(
        url,
        policy_data(ContractType.SERVICES, (Procedure.SINGLE, "30.000"), (Procedure.MULTIPLE, "")),
    )

    assert response.url == url
    assert list(
        PolicyBand.objects.filter(municipality=dordrecht).values_list("procedure", "max_value")
    ) == [(Procedure.SINGLE, Decimal("30000")), (Procedure.MULTIPLE, None)]
    assert AuditEvent.objects.filter(action="policy.changed").count() == 1


def test_bands_that_do_not_get_heavier_are_refused(client, buyer, dordrecht):
    client.force_login(buyer)

    response = client.post(
        reverse("tenders:policy"),
        policy_data(ContractType.WORKS, (Procedure.MULTIPLE, "100.000"), (Procedure.SINGLE, "")),
    )

    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert not PolicyBand.objects.filter(municipality=dordrecht).exists()


def test_a_buyer_who_is_no_admin_cannot_change_the_limits(client, second_buyer, dordrecht):
    client.force_login(second_buyer)

    response = client.post(
        reverse("tenders:policy"),
        policy_data(ContractType.SERVICES, (Procedure.SINGLE, "30.000"), (Procedure.MULTIPLE, "")),
    )

    assert response.status_code == 403
    assert not PolicyBand.objects.filter(municipality=dordrecht).exists()


def test_the_forms_open_with_the_current_values(client, buyer, published):
    client.force_login(buyer)

    assert client.get(reverse("tenders:create")).status_code == 200
    rectify = client.get(reverse("tenders:rectify", args=[published.pk]))
    assert rectify.context["form"]["title"].value() == published.title
    assert client.get(reverse("tenders:cancel", args=[published.pk])).status_code == 200
