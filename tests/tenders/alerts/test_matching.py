"""Matching: a tender's events reach exactly the subscriptions that want them, once, saying why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from marketplace.models import CpvCode, Municipality
from tenders.alerts.matching import matching_subscriptions
from tenders.alerts.models import AlertMatch, Event
from tenders.alerts.services import alert_matches_write, subscription_save
from tenders.models import Procedure
from tenders.services.changes import tender_extend
from tenders.services.tenders import tender_cancel, tender_create, tender_publish
from tests.tenders.factories import PAINTING, publishable_fields

pytestmark = pytest.mark.django_db


def painting_draft(buyer_org, buyer, **overrides):
    fields = publishable_fields(
        title="Schilderwerk gemeentehuis",
        description="Buitenschilderwerk van het stadskantoor.",
        main_cpv=CpvCode.objects.get(pk=PAINTING),
        procedure=Procedure.NATIONAL,
        tenderned_reference="412345",
        **overrides,
    )
    return tender_create(buyer=buyer_org, by=buyer, **fields)


def save(user, firm, name="Schilderwerk", **query):
    return subscription_save(user=user, firm=firm.organisation, name=name, query=query)


def test_publishing_writes_one_match_per_subscription_with_reasons(
    buyer_org, buyer, firm, firm_user
):
    drechtsteden = Municipality.objects.get(pk="GM0505").region_id
    cpv = save(firm_user, firm, cpv="45440000", region=drechtsteden)
    word = save(firm_user, firm, name="Trefwoord", q="schilder")
    save(firm_user, firm, name="Advies", cpv="79400000")
    tender = painting_draft(buyer_org, buyer)
    assert AlertMatch.objects.count() == 0  # a draft alerts nobody

    tender_publish(tender=tender, by=buyer)

    matches = {m.subscription_id: m for m in AlertMatch.objects.filter(tender=tender)}
    assert set(matches) == {cpv.pk, word.pk}
    assert matches[cpv.pk].reasons == [
        "CPV 45442100 valt onder 45440000",
        "in de Drechtsteden",
    ]
    assert matches[word.pk].reasons == ["trefwoord: schilder"]
    assert matches[cpv.pk].event == Event.PUBLISHED
    assert not matches[cpv.pk].is_update
    # The same event again writes nothing.
    assert alert_matches_write(tender=tender, event=Event.PUBLISHED) == 0
    assert AlertMatch.objects.filter(tender=tender).count() == 2


def test_a_change_is_an_update_for_a_firm_that_heard_of_it(buyer_org, buyer, firm, firm_user):
    save(firm_user, firm, cpv="45440000")
    tender = tender_publish(tender=painting_draft(buyer_org, buyer), by=buyer)
    tender_extend(
        tender=tender,
        by=buyer,
        quote_deadline=tender.quote_deadline + timedelta(days=7),
        reason="Meer tijd voor vragen.",
    )
    tender_cancel(tender=tender, by=buyer, reason="Budget is ingetrokken.")
    events = list(
        AlertMatch.objects.filter(tender=tender).order_by("pk").values_list("event", "is_update")
    )
    assert events == [
        (Event.PUBLISHED, False),
        (Event.EXTENDED, True),
        (Event.CANCELLED, True),
    ]


def test_saving_never_matches_what_was_published_before(buyer_org, buyer, firm, firm_user):
    tender_publish(tender=painting_draft(buyer_org, buyer), by=buyer)
    save(firm_user, firm, cpv="45440000")
    assert AlertMatch.objects.count() == 0


def test_place_value_procedure_and_pause_narrow_the_match(
    buyer_org, buyer, firm, firm_user, zwijndrecht
):
    elsewhere = save(firm_user, firm, name="Elders", cpv="45000000", municipality="GM0599")
    cheap = save(firm_user, firm, name="Klein", cpv="45000000", value_max="10000")
    paused = save(firm_user, firm, name="Gepauzeerd", cpv="45000000")
    paused.paused = True
    paused.save()
    near = subscription_save(
        user=firm_user,
        firm=firm.organisation,
        name="Dichtbij",
        query={"cpv": "45000000"},
        near=zwijndrecht,
        radius_km=15,
    )
    tender = painting_draft(buyer_org, buyer)
    found = set(matching_subscriptions(tender).values_list("pk", flat=True))
    assert found == {near.pk}
    assert elsewhere.pk not in found and cheap.pk not in found


def test_empty_or_conflicting_filters_get_a_clear_message(firm, firm_user):
    with pytest.raises(ValidationError) as empty:
        save(firm_user, firm)
    assert "geen filters" in str(empty.value)
    with pytest.raises(ValidationError) as conflict:
        noord_holland = Municipality.objects.get(pk="GM0363").province_id
        save(firm_user, firm, cpv="45000000", municipality="GM0505", region=noord_holland)
    assert "niet allebei" in str(conflict.value)


def test_another_firms_member_cannot_save_for_the_firm(firm, other_firm_user):
    with pytest.raises(PermissionDenied):
        save(other_firm_user, firm, cpv="45000000")
