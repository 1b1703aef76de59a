"""Changing a published tender: extending, rectifying, cancelling — each audited, each a public
change, each an e-mail to every member of every invited or following firm (DESIGN §4.3)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from marketplace.models import AuditEvent, CpvCode, Role
from marketplace.outbox.models import Message
from tenders.models import Follow, Invitation, Status, TenderChange
from tenders.notifications import change_topic
from tenders.services.changes import (
    EXTEND_REASON_REQUIRED,
    ONLY_OPEN_TENDERS_CAN_BE_EXTENDED,
    ONLY_OPEN_TENDERS_CAN_BE_RECTIFIED,
    QUESTION_DEADLINE_NOT_LATER,
    QUOTE_DEADLINE_NOT_LATER,
    RECTIFICATION_CHANGES_NOTHING,
    RECTIFY_SUMMARY_REQUIRED,
    tender_extend,
    tender_rectify,
)
from tenders.services.tenders import LotData, tender_cancel
from tests.factories import MembershipFactory, UserFactory
from tests.tenders.factories import MONDAY, PAINTING, LotFactory, TenderFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]


@pytest.fixture
def tender(buyer_org):
    """Published on Monday: questions until next Monday, quotes until the Monday after."""
    return TenderFactory(
        buyer=buyer_org,
        published=True,
        question_deadline=MONDAY + timedelta(days=7),
        quote_deadline=MONDAY + timedelta(days=14),
    )


@pytest.fixture
def audience(tender, firm, firm_user, other_firm, other_firm_user):
    """The painter (two members) is invited; the builder (one member) follows the tender."""
    colleague = UserFactory(email="femke@firma.example")
    MembershipFactory(user=colleague, organisation=firm.organisation, role=Role.FIRM_MEMBER)
    Invitation.objects.create(tender=tender, firm=firm)
    Follow.objects.create(tender=tender, firm=other_firm, user=other_firm_user)
    return {firm_user.email, colleague.email, other_firm_user.email}


def recipients() -> list[str]:
    return sorted(message.to[0] for message in mail.outbox)


# Extending ---------------------------------------------------------------------------------------


def test_extending_moves_the_deadlines_and_tells_every_firm_member(
    tender, buyer, audience, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = tender_extend(
            tender=tender,
            by=buyer,
            quote_deadline=MONDAY + timedelta(days=21),
            question_deadline=MONDAY + timedelta(days=10),
            reason="Er kwamen veel vragen over de bestek.",
        )

    tender.refresh_from_db()
    assert tender.quote_deadline == MONDAY + timedelta(days=21)
    assert tender.question_deadline == MONDAY + timedelta(days=10)
    assert change.kind == TenderChange.Kind.EXTENDED
    assert "16 maart 2026 om 10:00" in change.summary
    assert "23 maart 2026 om 10:00" in change.summary
    assert "Er kwamen veel vragen" in change.summary
    event = AuditEvent.objects.get(action="tender.extended")
    assert event.actor == buyer
    before = datetime.fromisoformat(event.details["quote_deadline_before"])
    assert before == MONDAY + timedelta(days=14)
    assert Message.objects.filter(topic=change_topic(change)).count() == 3
    assert recipients() == sorted(audience)
    assert all(tender.reference in message.subject for message in mail.outbox)


def test_a_firm_that_is_invited_and_follows_gets_one_e_mail_per_member(
    tender, buyer, firm, firm_user, django_capture_on_commit_callbacks
):
    Invitation.objects.create(tender=tender, firm=firm)
    Follow.objects.create(tender=tender, firm=firm, user=firm_user)

    with django_capture_on_commit_callbacks(execute=True):
        tender_extend(
            tender=tender, by=buyer, quote_deadline=MONDAY + timedelta(days=20), reason="Later."
        )

    assert recipients() == [firm_user.email]


def test_extending_without_a_new_question_deadline_keeps_it(tender, buyer):
    tender_extend(tender=tender, by=buyer, quote_deadline=MONDAY + timedelta(days=20), reason="X")

    tender.refresh_from_db()
    assert tender.question_deadline == MONDAY + timedelta(days=7)


def test_a_deadline_cannot_move_earlier(tender, buyer):
    with pytest.raises(ValidationError) as error:
        tender_extend(
            tender=tender,
            by=buyer,
            quote_deadline=MONDAY + timedelta(days=13),
            question_deadline=MONDAY + timedelta(days=6),
            reason="Sneller.",
        )

    assert error.value.message_dict == {
        "quote_deadline": [str(QUOTE_DEADLINE_NOT_LATER)],
        "question_deadline": [str(QUESTION_DEADLINE_NOT_LATER)],
    }
    tender.refresh_from_db()
    assert tender.quote_deadline == MONDAY + timedelta(days=14)
    assert not TenderChange.objects.exists()


def test_extending_needs_a_reason(tender, buyer):
    with pytest.raises(ValidationError) as error:
        tender_extend(
            tender=tender, by=buyer, quote_deadline=MONDAY + timedelta(days=20), reason="  "
        )

    assert error.value.message_dict == {"reason": [str(EXTEND_REASON_REQUIRED)]}


def test_the_question_deadline_stays_before_the_quote_deadline(tender, buyer):
    with pytest.raises(ValidationError) as error:
        tender_extend(
            tender=tender,
            by=buyer,
            quote_deadline=MONDAY + timedelta(days=20),
            question_deadline=MONDAY + timedelta(days=20),
            reason="Alles later.",
        )

    assert list(error.value.message_dict) == ["question_deadline"]


def test_a_tender_past_its_deadline_cannot_be_extended(tender, buyer, monday_morning):
    monday_morning.move_to(MONDAY + timedelta(days=14, minutes=1))

    with pytest.raises(ValidationError) as error:
        tender_extend(
            tender=tender, by=buyer, quote_deadline=MONDAY + timedelta(days=30), reason="Te laat."
        )

    assert error.value.messages == [str(ONLY_OPEN_TENDERS_CAN_BE_EXTENDED)]


def test_a_draft_is_not_extended_but_edited(buyer_org, buyer):
    draft = TenderFactory(buyer=buyer_org)

    with pytest.raises(ValidationError):
        tender_extend(
            tender=draft, by=buyer, quote_deadline=MONDAY + timedelta(days=30), reason="Later."
        )


def test_another_municipalitys_buyer_cannot_extend_our_tender(tender, other_buyer, firm_user):
    for outsider in (other_buyer, firm_user):
        with pytest.raises(PermissionDenied):
            tender_extend(
                tender=tender, by=outsider, quote_deadline=MONDAY + timedelta(days=30), reason="X"
            )

    assert not AuditEvent.objects.filter(action="tender.extended").exists()


# Rectifying --------------------------------------------------------------------------------------


def test_a_rectification_changes_the_tender_and_tells_every_firm_member(
    tender, buyer, audience, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = tender_rectify(
            tender=tender,
            by=buyer,
            summary="De oppervlakte is 400 m², niet 300 m².",
            description="Schilderwerk aan 400 m² gevel.",
            main_cpv=CpvCode.objects.get(pk=PAINTING),
        )

    tender.refresh_from_db()
    assert tender.description == "Schilderwerk aan 400 m² gevel."
    assert tender.main_cpv_id == PAINTING
    assert change.kind == TenderChange.Kind.RECTIFIED
    assert change.summary.startswith("De oppervlakte is 400 m², niet 300 m².")
    event = AuditEvent.objects.get(action="tender.rectified")
    assert event.details["fields"] == ["description", "main_cpv"]
    assert Message.objects.filter(topic=change_topic(change)).count() == 3
    assert recipients() == sorted(audience)
    assert "400 m²" in mail.outbox[0].body


def test_a_rectification_keeps_the_rows_of_lots_that_stay(tender, buyer):
    first = LotFactory(tender=tender, number=1, title="Binnen")
    LotFactory(tender=tender, number=2, title="Buiten")

    tender_rectify(
        tender=tender,
        by=buyer,
        summary="Perceel 1 heet nu Binnenwerk; perceel 2 vervalt.",
        lots=[LotData(title="Binnenwerk", estimated_value=Decimal("20000"))],
    )

    assert list(tender.lots.values_list("pk", "number", "title")) == [(first.pk, 1, "Binnenwerk")]
    assert AuditEvent.objects.get(action="tender.rectified").details["fields"] == ["lots"]


def test_a_rectification_needs_a_summary(tender, buyer):
    with pytest.raises(ValidationError) as error:
        tender_rectify(tender=tender, by=buyer, summary=" ", description="Anders.")

    assert error.value.message_dict == {"summary": [str(RECTIFY_SUMMARY_REQUIRED)]}
    tender.refresh_from_db()
    assert tender.description != "Anders."


def test_a_rectification_that_changes_nothing_is_refused(tender, buyer, audience):
    with pytest.raises(ValidationError) as error:
        tender_rectify(tender=tender, by=buyer, summary="Niets.", description=tender.description)

    assert error.value.messages == [str(RECTIFICATION_CHANGES_NOTHING)]
    assert not Message.objects.exists()


def test_the_procedure_cannot_be_rectified(tender, buyer):
    with pytest.raises(TypeError):
        tender_rectify(tender=tender, by=buyer, summary="Europees.", procedure="european")


def test_a_closed_tender_cannot_be_rectified(tender, buyer, monday_morning):
    monday_morning.move_to(MONDAY + timedelta(days=15))

    with pytest.raises(ValidationError) as error:
        tender_rectify(tender=tender, by=buyer, summary="Te laat.", description="Anders.")

    assert error.value.messages == [str(ONLY_OPEN_TENDERS_CAN_BE_RECTIFIED)]


def test_another_municipalitys_buyer_cannot_rectify_our_tender(tender, other_buyer):
    with pytest.raises(PermissionDenied):
        tender_rectify(tender=tender, by=other_buyer, summary="Van mij.", description="Anders.")


# Cancelling --------------------------------------------------------------------------------------


def test_cancelling_a_published_tender_tells_every_firm_member(
    tender, buyer, audience, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tender_cancel(tender=tender, by=buyer, reason="Het budget is ingetrokken.")

    change = TenderChange.objects.get()
    assert change.kind == TenderChange.Kind.CANCELLED
    assert change.summary == "Het budget is ingetrokken."
    assert AuditEvent.objects.filter(action="tender.cancelled").count() == 1
    assert Message.objects.filter(topic=change_topic(change)).count() == 3
    assert recipients() == sorted(audience)


def test_cancelling_a_draft_tells_nobody(
    buyer_org, buyer, firm, django_capture_on_commit_callbacks
):
    draft = TenderFactory(buyer=buyer_org)
    Invitation.objects.create(tender=draft, firm=firm)

    with django_capture_on_commit_callbacks(execute=True):
        tender_cancel(tender=draft, by=buyer, reason="Toch niet nodig.")

    assert draft.status == Status.CANCELLED
    assert not TenderChange.objects.exists()
    assert mail.outbox == []
