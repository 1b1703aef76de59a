"""Creating, changing, publishing and cancelling tenders (DESIGN §4.2–4.3)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from marketplace.models import AuditEvent, Municipality, Role
from tenders.models import (
    QUESTION_DEADLINE_NOT_BEFORE_QUOTE_DEADLINE,
    VALUE_MAX_BELOW_MIN,
    AwardCriteriaType,
    ContractType,
    Invitation,
    Procedure,
    Status,
    Tender,
    reference_prefix,
)
from tenders.policy import (
    AWARD_CRITERIA_TYPE_REQUIRED,
    JUSTIFICATION_REQUIRED,
    MAIN_CPV_REQUIRED,
    PROCEDURE_BELOW_LEGAL_MINIMUM,
    PROCEDURE_REQUIRED,
    QUESTION_DEADLINE_PASSED,
    QUESTION_DEADLINE_REQUIRED,
    QUOTE_DEADLINE_PASSED,
    QUOTE_DEADLINE_REQUIRED,
    TENDERNED_REFERENCE_REQUIRED,
    VALUE_REQUIRED,
    WEIGHTS_MUST_ADD_UP_TO_100,
    tender_publication_check,
)
from tenders.services.tenders import (
    CANCEL_REASON_REQUIRED,
    CANNOT_BE_CANCELLED,
    NOT_A_BUYER_ORGANISATION,
    ONLY_DRAFTS_CAN_BE_CHANGED,
    ONLY_DRAFTS_CAN_BE_PUBLISHED,
    LotData,
    award_criteria_set,
    lots_set,
    tender_cancel,
    tender_create,
    tender_publish,
    tender_update,
)
from tests.factories import BuyerOrganisationFactory, FirmFactory, MembershipFactory
from tests.tenders.factories import (
    AMSTERDAM_TIME,
    MONDAY,
    AwardCriterionFactory,
    TenderFactory,
    publishable_fields,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]


def draft(buyer_org, by, **overrides) -> Tender:
    """A draft ready to publish; an invite-only one has its invited firm."""
    tender = tender_create(buyer=buyer_org, by=by, **publishable_fields(**overrides))
    if tender.is_invite_only:
        Invitation.objects.create(tender=tender, firm=FirmFactory(), invited_by=by)
    return tender


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return error.value.messages


# Creating and numbering ------------------------------------------------------------------------


def test_tenders_are_numbered_per_municipality_and_year(buyer, buyer_org):
    first = draft(buyer_org, buyer)
    second = draft(buyer_org, buyer)

    assert (first.reference, second.reference) == ("DORD-2026-0001", "DORD-2026-0002")


def test_numbering_starts_again_in_a_new_year(buyer, buyer_org, monday_morning):
    draft(buyer_org, buyer)
    draft(buyer_org, buyer)

    monday_morning.move_to(datetime(2027, 1, 4, 9, 0, tzinfo=AMSTERDAM_TIME))
    next_year = draft(buyer_org, buyer)

    assert next_year.reference == "DORD-2027-0001"


def test_the_year_of_the_reference_is_the_year_in_the_netherlands(buyer, buyer_org, monday_morning):
    monday_morning.move_to(datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC")))

    assert draft(buyer_org, buyer).reference == "DORD-2027-0001"


def test_another_municipality_has_its_own_sequence(buyer, buyer_org, other_buyer, other_buyer_org):
    draft(buyer_org, buyer)
    draft(buyer_org, buyer)

    assert draft(other_buyer_org, other_buyer).reference == "ZWIJ-2026-0001"


def test_buyers_whose_names_start_alike_never_share_a_reference(reference_data):
    references = []
    for code in ("GM0363", "GM0362"):  # Amsterdam and Amstelveen: both AMST
        organisation = BuyerOrganisationFactory(municipality=Municipality.objects.get(pk=code))
        membership = MembershipFactory(organisation=organisation, role=Role.BUYER)
        references.append(draft(organisation, membership.user).reference)

    assert references == ["AMST-2026-0001", "AMST-2026-0002"]


@pytest.mark.parametrize(
    ("name", "prefix"),
    [
        ("Dordrecht", "DORD"),
        ("'s-Hertogenbosch", "SHER"),
        ("Súdwest-Fryslân", "SUDW"),
        ("Ede", "EDE"),
    ],
)
def test_the_reference_prefix_is_the_first_four_letters(name, prefix):
    assert reference_prefix(name) == prefix


@pytest.mark.django_db(transaction=True)
def test_two_buyers_creating_at_the_same_moment_get_different_numbers(buyer, second_buyer):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; row locks need PostgreSQL")
    organisation = buyer.memberships.get().organisation
    start = threading.Barrier(2)
    references, failures = [], []

    def create(user) -> None:
        try:
            start.wait()
            references.append(draft(organisation, user).reference)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(user,)) for user in (buyer, second_buyer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(references) == ["DORD-2026-0001", "DORD-2026-0002"]


def test_a_new_tender_is_a_draft_with_sensible_defaults(buyer, buyer_org, dordrecht):
    tender = tender_create(
        buyer=buyer_org, by=buyer, title="Schilderwerk stadhuis", contract_type=ContractType.WORKS
    )

    assert tender.status == Status.DRAFT
    assert tender.effective_status == Status.DRAFT
    assert tender.place_of_performance == dordrecht
    assert (tender.contact_name, tender.contact_email) == ("Alice Persoon", buyer.email)
    assert tender.created_by == buyer
    assert tender.published_at is None


def test_creating_a_tender_is_audited(buyer, buyer_org):
    tender = draft(buyer_org, buyer)

    event = AuditEvent.objects.get(action="tender.created")
    assert (event.actor, event.organisation) == (buyer, buyer_org)
    assert event.object_id == str(tender.pk)
    assert event.details == {"reference": "DORD-2026-0001"}


def test_another_municipalitys_buyer_cannot_create_for_us(buyer_org, other_buyer):
    with pytest.raises(PermissionDenied):
        draft(buyer_org, other_buyer)

    assert not Tender.objects.exists()


def test_a_firm_member_or_a_visitor_cannot_create_tenders(buyer_org, firm_user):
    for user in (firm_user, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            draft(buyer_org, user)


def test_a_firm_cannot_put_out_a_tender(firm, firm_user):
    with pytest.raises(ValidationError) as error:
        draft(firm.organisation, firm_user)

    assert messages_of(error) == [str(NOT_A_BUYER_ORGANISATION)]


def test_a_maximum_below_the_minimum_is_refused(buyer, buyer_org):
    with pytest.raises(ValidationError) as error:
        draft(buyer_org, buyer, estimated_value_min=Decimal("50000"), estimated_value_max="40000")

    assert str(VALUE_MAX_BELOW_MIN) in messages_of(error)


def test_unknown_additional_cpv_codes_are_refused(buyer, buyer_org):
    with pytest.raises(ValidationError) as error:
        draft(buyer_org, buyer, additional_cpv=["45442100", "99999999"])

    assert "99999999" in messages_of(error)[0]
    assert not Tender.objects.exists()


def test_additional_cpv_codes_are_kept(buyer, buyer_org):
    tender = draft(buyer_org, buyer, additional_cpv=["45442100"])

    assert list(tender.additional_cpv.values_list("code", flat=True)) == ["45442100"]


# Changing a draft ------------------------------------------------------------------------------


def test_a_draft_can_be_changed_and_the_change_is_audited(buyer, buyer_org):
    tender = draft(buyer_org, buyer)

    tender_update(tender=tender, by=buyer, title="Nieuwe titel", estimated_value_min="45000")

    tender.refresh_from_db()
    assert tender.title == "Nieuwe titel"
    assert tender.estimated_value == Decimal("45000")
    event = AuditEvent.objects.get(action="tender.updated")
    assert event.details == {"fields": ["title", "estimated_value_min"]}


def test_saving_a_draft_unchanged_writes_no_audit_event(buyer, buyer_org):
    tender = draft(buyer_org, buyer)

    tender_update(tender=tender, by=buyer, title=tender.title)

    assert not AuditEvent.objects.filter(action="tender.updated").exists()


def test_a_question_deadline_after_the_quote_deadline_is_refused(buyer, buyer_org):
    tender = draft(buyer_org, buyer)

    with pytest.raises(ValidationError) as error:
        tender_update(
            tender=tender, by=buyer, question_deadline=tender.quote_deadline + timedelta(hours=1)
        )

    assert messages_of(error) == [str(QUESTION_DEADLINE_NOT_BEFORE_QUOTE_DEADLINE)]


def test_a_published_tender_is_not_changed_like_a_draft(buyer, buyer_org):
    tender = tender_publish(tender=draft(buyer_org, buyer), by=buyer)

    with pytest.raises(ValidationError) as error:
        tender_update(tender=tender, by=buyer, title="Stiekem anders")

    assert messages_of(error) == [str(ONLY_DRAFTS_CAN_BE_CHANGED)]


def test_another_municipalitys_buyer_cannot_change_our_draft(buyer, buyer_org, other_buyer):
    tender = draft(buyer_org, buyer)

    with pytest.raises(PermissionDenied):
        tender_update(tender=tender, by=other_buyer, title="Overgenomen")


def test_only_the_editable_fields_can_be_changed(buyer, buyer_org):
    tender = draft(buyer_org, buyer)

    with pytest.raises(TypeError):
        tender_update(tender=tender, by=buyer, status=Status.AWARDED)


def test_lots_are_numbered_in_order(buyer, buyer_org):
    tender = draft(buyer_org, buyer)

    lots_set(
        tender=tender,
        by=buyer,
        lots=[LotData("Binnenschilderwerk", suitable_for_local_smes=True), LotData("Gevels")],
    )

    assert [(lot.number, lot.title) for lot in tender.lots.all()] == [
        (1, "Binnenschilderwerk"),
        (2, "Gevels"),
    ]
    assert tender.lots.get(number=1).suitable_for_local_smes


# Publishing ------------------------------------------------------------------------------------


def test_a_complete_draft_is_published_and_audited(buyer, buyer_org):
    tender = draft(buyer_org, buyer)

    tender_publish(tender=tender, by=buyer)

    tender.refresh_from_db()
    assert tender.status == Status.PUBLISHED
    assert tender.published_at == MONDAY
    assert tender.is_open
    event = AuditEvent.objects.get(action="tender.published")
    assert (event.actor, event.organisation, event.object_id) == (buyer, buyer_org, str(tender.pk))
    assert event.details["procedure"] == "single"


def test_a_colleague_may_publish(buyer, buyer_org, second_buyer):
    tender = draft(buyer_org, buyer)

    assert tender_publish(tender=tender, by=second_buyer).status == Status.PUBLISHED


def test_another_municipalitys_buyer_cannot_publish_our_tender(buyer, buyer_org, other_buyer):
    tender = draft(buyer_org, buyer)

    with pytest.raises(PermissionDenied):
        tender_publish(tender=tender, by=other_buyer)

    tender.refresh_from_db()
    assert tender.status == Status.DRAFT


def test_a_deadline_in_the_past_is_refused(buyer, buyer_org):
    tender = draft(
        buyer_org,
        buyer,
        question_deadline=MONDAY - timedelta(days=2),
        quote_deadline=MONDAY - timedelta(hours=1),
    )

    with pytest.raises(ValidationError) as error:
        tender_publish(tender=tender, by=buyer)

    assert error.value.message_dict == {
        "quote_deadline": [str(QUOTE_DEADLINE_PASSED)],
        "question_deadline": [str(QUESTION_DEADLINE_PASSED)],
    }


def test_a_draft_that_waited_too_long_can_no_longer_be_published(buyer, buyer_org, monday_morning):
    tender = draft(buyer_org, buyer)

    monday_morning.shift(timedelta(days=15))
    with pytest.raises(ValidationError) as error:
        tender_publish(tender=tender, by=buyer)

    assert str(QUOTE_DEADLINE_PASSED) in messages_of(error)


def test_publishing_checks_the_question_deadline_comes_first(buyer, buyer_org):
    tender = draft(buyer_org, buyer)
    # The database refuses this state (see above); the publication check refuses it as well.
    tender.question_deadline = tender.quote_deadline + timedelta(days=1)

    problems = tender_publication_check(tender=tender)

    assert problems == {"question_deadline": [QUESTION_DEADLINE_NOT_BEFORE_QUOTE_DEADLINE]}


def test_weights_that_do_not_add_up_to_100_are_refused(buyer, buyer_org):
    tender = draft(buyer_org, buyer, award_criteria_type=AwardCriteriaType.PRICE_QUALITY)
    AwardCriterionFactory(tender=tender, name="Prijs", weight=50)
    AwardCriterionFactory(tender=tender, name="Kwaliteit", weight=40)

    with pytest.raises(ValidationError) as error:
        tender_publish(tender=tender, by=buyer)

    assert error.value.message_dict == {"award_criteria_type": [str(WEIGHTS_MUST_ADD_UP_TO_100)]}


def test_price_quality_with_weights_adding_up_to_100_is_published(buyer, buyer_org):
    tender = draft(buyer_org, buyer, award_criteria_type=AwardCriteriaType.PRICE_QUALITY)

    award_criteria_set(tender=tender, by=buyer, criteria=[("Prijs", 40), ("Plan van aanpak", 60)])
    tender_publish(tender=tender, by=buyer)

    assert [(c.name, c.weight) for c in tender.award_criteria.all()] == [
        ("Prijs", 40),
        ("Plan van aanpak", 60),
    ]
    assert tender.status == Status.PUBLISHED


def test_setting_criteria_that_do_not_add_up_to_100_is_refused(buyer, buyer_org):
    tender = draft(buyer_org, buyer, award_criteria_type=AwardCriteriaType.PRICE_QUALITY)

    with pytest.raises(ValidationError) as error:
        award_criteria_set(tender=tender, by=buyer, criteria=[("Prijs", 60), ("Plan", 30)])

    assert messages_of(error) == [str(WEIGHTS_MUST_ADD_UP_TO_100)]
    assert not tender.award_criteria.exists()


def test_a_european_procedure_needs_a_tenderned_reference(buyer, buyer_org):
    tender = draft(
        buyer_org, buyer, estimated_value_min=Decimal("250000"), procedure=Procedure.EUROPEAN
    )

    with pytest.raises(ValidationError) as error:
        tender_publish(tender=tender, by=buyer)

    assert error.value.message_dict == {"tenderned_reference": [str(TENDERNED_REFERENCE_REQUIRED)]}
    tender_update(tender=tender, by=buyer, tenderned_reference="412345")
    assert tender_publish(tender=tender, by=buyer).status == Status.PUBLISHED
    assert tender.tenderned_url == "https://www.tenderned.nl/aankondigingen/overzicht/412345"


def test_a_lighter_procedure_than_the_law_requires_is_refused(buyer, buyer_org):
    tender = draft(
        buyer_org,
        buyer,
        estimated_value_min=Decimal("250000"),
        procedure=Procedure.NATIONAL,
        tenderned_reference="412345",
    )

    with pytest.raises(ValidationError) as error:
        tender_publish(tender=tender, by=buyer)

    assert error.value.message_dict == {"procedure": [str(PROCEDURE_BELOW_LEGAL_MINIMUM)]}


def test_the_top_of_a_value_range_decides_the_procedure(buyer, buyer_org):
    tender = draft(
        buyer_org,
        buyer,
        estimated_value_min=Decimal("150000"),
        estimated_value_max=Decimal("220000"),
        procedure=Procedure.MULTIPLE,
    )

    with pytest.raises(ValidationError) as error:
        tender_publish(tender=tender, by=buyer)

    assert error.value.message_dict == {"procedure": [str(PROCEDURE_BELOW_LEGAL_MINIMUM)]}


def test_a_lighter_procedure_than_the_policy_asks_for_needs_a_reason(buyer, buyer_org):
    tender = draft(buyer_org, buyer, estimated_value_min=Decimal("60000"))

    with pytest.raises(ValidationError) as error:
        tender_publish(tender=tender, by=buyer)

    assert error.value.message_dict == {"procedure_justification": [str(JUSTIFICATION_REQUIRED)]}
    tender_update(
        tender=tender,
        by=buyer,
        procedure_justification="Spoedklus na stormschade; één vaste partij kent het pand.",
    )
    assert tender_publish(tender=tender, by=buyer).status == Status.PUBLISHED


def test_the_threshold_on_the_day_of_publication_counts(buyer, buyer_org, monday_morning):
    monday_morning.move_to(datetime(2025, 12, 30, 10, 0, tzinfo=AMSTERDAM_TIME))
    fields = {"estimated_value_min": Decimal("218000"), "procedure": Procedure.MULTIPLE}
    in_2025 = draft(buyer_org, buyer, **fields)
    in_2026 = draft(buyer_org, buyer, **fields)

    tender_publish(tender=in_2025, by=buyer)  # below the 2024–2025 threshold of € 221.000
    monday_morning.move_to(datetime(2026, 1, 2, 10, 0, tzinfo=AMSTERDAM_TIME))
    with pytest.raises(ValidationError) as error:
        tender_publish(tender=in_2026, by=buyer)  # above the 2026–2027 threshold of € 216.000

    assert error.value.message_dict == {"procedure": [str(PROCEDURE_BELOW_LEGAL_MINIMUM)]}


def test_an_unfinished_draft_lists_everything_that_is_missing(buyer, buyer_org):
    tender = tender_create(
        buyer=buyer_org, by=buyer, title="Nog in te vullen", contract_type=ContractType.SUPPLIES
    )

    with pytest.raises(ValidationError) as error:
        tender_publish(tender=tender, by=buyer)

    assert error.value.message_dict == {
        "main_cpv": [str(MAIN_CPV_REQUIRED)],
        "quote_deadline": [str(QUOTE_DEADLINE_REQUIRED)],
        "question_deadline": [str(QUESTION_DEADLINE_REQUIRED)],
        "award_criteria_type": [str(AWARD_CRITERIA_TYPE_REQUIRED)],
        "estimated_value_min": [str(VALUE_REQUIRED)],
        "procedure": [str(PROCEDURE_REQUIRED)],
    }


def test_a_published_tender_cannot_be_published_again(buyer, buyer_org):
    tender = tender_publish(tender=draft(buyer_org, buyer), by=buyer)

    with pytest.raises(ValidationError) as error:
        tender_publish(tender=tender, by=buyer)

    assert messages_of(error) == [str(ONLY_DRAFTS_CAN_BE_PUBLISHED)]
    assert AuditEvent.objects.filter(action="tender.published").count() == 1


# Time ------------------------------------------------------------------------------------------


def test_a_tender_closes_at_its_deadline_without_any_job(buyer, buyer_org, monday_morning):
    deadline = datetime(2026, 3, 16, 12, 0, tzinfo=AMSTERDAM_TIME)
    tender = tender_publish(tender=draft(buyer_org, buyer, quote_deadline=deadline), by=buyer)

    monday_morning.move_to(deadline - timedelta(seconds=1))
    assert tender.effective_status == Status.PUBLISHED
    assert tender.is_open
    assert list(Tender.objects.open()) == [tender]

    monday_morning.move_to(deadline)
    tender.refresh_from_db()
    assert tender.status == Status.PUBLISHED  # nothing was written ...
    assert tender.effective_status == Status.CLOSED  # ... yet every read says closed
    assert tender.get_effective_status_display() == str(Status.CLOSED.label)
    assert not tender.is_open
    assert list(Tender.objects.open()) == []
    assert list(Tender.objects.in_status(Status.CLOSED)) == [tender]
    assert list(Tender.objects.in_status(Status.PUBLISHED)) == []
    assert list(Tender.objects.published()) == [tender]


# Cancelling ------------------------------------------------------------------------------------


def test_a_published_tender_is_cancelled_with_a_reason(buyer, buyer_org):
    tender = tender_publish(tender=draft(buyer_org, buyer), by=buyer)

    tender_cancel(tender=tender, by=buyer, reason="  Budget is ingetrokken.  ")

    tender.refresh_from_db()
    assert tender.status == Status.CANCELLED
    assert tender.cancellation_reason == "Budget is ingetrokken."
    assert tender.cancelled_at == MONDAY
    assert tender not in Tender.objects.published()
    event = AuditEvent.objects.get(action="tender.cancelled")
    assert (event.actor, event.organisation) == (buyer, buyer_org)
    assert event.details == {"reason": "Budget is ingetrokken.", "previous_status": "published"}


def test_a_tender_past_its_deadline_can_still_be_cancelled(buyer, buyer_org, monday_morning):
    tender = tender_publish(tender=draft(buyer_org, buyer), by=buyer)
    monday_morning.shift(timedelta(days=20))

    tender_cancel(tender=tender, by=buyer, reason="Geen geschikte offertes verwacht.")

    assert AuditEvent.objects.get(action="tender.cancelled").details["previous_status"] == "closed"


def test_cancelling_needs_a_reason(buyer, buyer_org):
    tender = draft(buyer_org, buyer)

    with pytest.raises(ValidationError) as error:
        tender_cancel(tender=tender, by=buyer, reason="   ")

    assert error.value.message_dict == {"cancellation_reason": [str(CANCEL_REASON_REQUIRED)]}
    tender.refresh_from_db()
    assert tender.status == Status.DRAFT


@pytest.mark.parametrize("status", [Status.AWARDED, Status.COMPLETED, Status.CANCELLED])
def test_an_awarded_or_finished_tender_cannot_be_cancelled(buyer, buyer_org, status):
    tender = TenderFactory(buyer=buyer_org, status=status)

    with pytest.raises(ValidationError) as error:
        tender_cancel(tender=tender, by=buyer, reason="Toch niet.")

    assert messages_of(error) == [str(CANNOT_BE_CANCELLED)]


def test_another_municipalitys_buyer_cannot_cancel_our_tender(buyer, buyer_org, other_buyer):
    tender = tender_publish(tender=draft(buyer_org, buyer), by=buyer)

    with pytest.raises(PermissionDenied):
        tender_cancel(tender=tender, by=other_buyer, reason="Niet van jou.")

    assert not AuditEvent.objects.filter(action="tender.cancelled").exists()


# Who sees which tenders ------------------------------------------------------------------------


def test_a_buyer_sees_only_their_own_organisations_tenders(
    buyer, second_buyer, buyer_org, other_buyer, other_buyer_org, firm_user
):
    ours = TenderFactory(buyer=buyer_org)
    theirs = TenderFactory(buyer=other_buyer_org)

    assert list(Tender.objects.for_buyer(buyer)) == [ours]
    assert list(Tender.objects.for_buyer(second_buyer)) == [ours]
    assert list(Tender.objects.for_buyer(other_buyer)) == [theirs]
    assert list(Tender.objects.for_buyer(firm_user)) == []
    assert list(Tender.objects.for_buyer(AnonymousUser())) == []


def test_published_lists_only_tenders_that_were_published(buyer_org):
    TenderFactory(buyer=buyer_org)
    TenderFactory(buyer=buyer_org, status=Status.CANCELLED)
    published = TenderFactory(buyer=buyer_org, published=True)
    awarded = TenderFactory(buyer=buyer_org, status=Status.AWARDED)

    assert set(Tender.objects.published()) == {published, awarded}


def test_the_value_is_the_top_of_the_range_or_the_single_value():
    assert Tender(estimated_value_min=Decimal("10")).estimated_value == Decimal("10")
    assert Tender(
        estimated_value_min=Decimal("10"), estimated_value_max=Decimal("20")
    ).estimated_value == Decimal("20")
    assert Tender().estimated_value is None


def test_lots_and_criteria_of_a_published_tender_stay_as_published(buyer, buyer_org):
    tender = tender_publish(tender=draft(buyer_org, buyer), by=buyer)

    for change in (
        lambda: lots_set(tender=tender, by=buyer, lots=[LotData("Extra perceel")]),
        lambda: award_criteria_set(tender=tender, by=buyer, criteria=[("Prijs", 100)]),
    ):
        with pytest.raises(ValidationError) as error:
            change()
        assert messages_of(error) == [str(ONLY_DRAFTS_CAN_BE_CHANGED)]


def test_another_municipalitys_buyer_cannot_set_our_lots_or_criteria(buyer, buyer_org, other_buyer):
    tender = draft(buyer_org, buyer)

    with pytest.raises(PermissionDenied):
        lots_set(tender=tender, by=other_buyer, lots=[LotData("Overgenomen")])
    with pytest.raises(PermissionDenied):
        award_criteria_set(tender=tender, by=other_buyer, criteria=[("Prijs", 100)])
