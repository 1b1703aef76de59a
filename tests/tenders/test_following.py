"""Firms following a tender (DESIGN §4.3, §4.4, issue 4 item 5)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from marketplace.models import AuditEvent, Role
from tenders.models import Follow, Procedure
from tenders.services.participation import CANNOT_FOLLOW, tender_follow, tender_unfollow
from tests.factories import FirmFactory, MembershipFactory
from tests.tenders.factories import InvitationFactory, TenderFactory
from tests.tenders.pages import participation_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def tender(buyer_org):
    return TenderFactory(buyer=buyer_org, published=True, procedure=Procedure.NATIONAL)


def test_a_firm_follows_once_however_often_it_asks(tender, firm, firm_user):
    first = tender_follow(tender=tender, firm=firm, by=firm_user)
    again = tender_follow(tender=tender, firm=firm, by=firm_user)

    assert first == again
    assert Follow.objects.filter(tender=tender, firm=firm).count() == 1
    assert AuditEvent.objects.filter(action="tender.followed").count() == 1


def test_unfollowing_is_idempotent(tender, firm, firm_user):
    tender_follow(tender=tender, firm=firm, by=firm_user)

    assert tender_unfollow(tender=tender, firm=firm, by=firm_user) is True
    assert tender_unfollow(tender=tender, firm=firm, by=firm_user) is False
    assert not Follow.objects.exists()


def test_only_members_follow_for_a_firm(tender, firm, other_firm_user, buyer):
    for user in (other_firm_user, buyer):
        with pytest.raises(PermissionDenied):
            tender_follow(tender=tender, firm=firm, by=user)


def test_an_invite_only_tender_cannot_be_followed_by_others(
    client, buyer_org, firm, firm_user, other_firm, other_firm_user
):
    invite_only = TenderFactory(buyer=buyer_org, published=True, procedure=Procedure.MULTIPLE)
    InvitationFactory(tender=invite_only, firm=firm)

    with pytest.raises(PermissionDenied):
        tender_follow(tender=invite_only, firm=other_firm, by=other_firm_user)
    client.force_login(other_firm_user)
    assert client.post(reverse("tenders:follow", args=[invite_only.pk])).status_code == 404
    assert tender_follow(tender=invite_only, firm=firm, by=firm_user)


def test_a_draft_cannot_be_followed(buyer_org, firm, firm_user, client):
    draft = TenderFactory(buyer=buyer_org, procedure=Procedure.NATIONAL)

    with pytest.raises(PermissionDenied):
        tender_follow(tender=draft, firm=firm, by=firm_user)
    client.force_login(firm_user)
    assert client.post(reverse("tenders:follow", args=[draft.pk])).status_code == 404


def test_a_buyer_who_is_also_in_a_firm_cannot_follow_a_draft(buyer_org, buyer, firm):
    MembershipFactory(user=buyer, organisation=firm.organisation, role=Role.FIRM_MEMBER)
    draft = TenderFactory(buyer=buyer_org, procedure=Procedure.NATIONAL)

    with pytest.raises(ValidationError) as error:
        tender_follow(tender=draft, firm=firm, by=buyer)

    assert error.value.messages == [str(CANNOT_FOLLOW)]


def test_the_follow_button_toggles(client, tender, firm, firm_user):
    client.force_login(firm_user)
    url = reverse("tenders:follow", args=[tender.pk])

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("tenders:detail", args=[tender.pk]) + "#participation"
    assert Follow.objects.filter(tender=tender, firm=firm).exists()

    client.post(url)
    assert not Follow.objects.exists()

    client.post(url, {"action": "unfollow", "firm": firm.pk})
    assert not Follow.objects.exists()


def test_following_needs_a_login_and_a_post(client, tender, firm_user):
    url = reverse("tenders:follow", args=[tender.pk])

    assert client.post(url)["Location"].startswith(reverse("account_login"))
    client.force_login(firm_user)
    assert client.get(url).status_code == 405


def test_a_user_without_a_firm_gets_403(client, tender, other_buyer):
    client.force_login(other_buyer)

    assert client.post(reverse("tenders:follow", args=[tender.pk])).status_code == 403


def test_a_member_of_two_firms_chooses_the_firm(client, tender, firm, firm_user):
    second = FirmFactory(organisation__name="Glaszetter Helder")
    MembershipFactory(user=firm_user, organisation=second.organisation, role=Role.FIRM_MEMBER)
    client.force_login(firm_user)
    url = reverse("tenders:follow", args=[tender.pk])

    assert client.post(url).status_code == 403  # which one? the page always says
    client.post(url, {"firm": second.pk, "action": "follow"})

    assert list(Follow.objects.values_list("firm", flat=True)) == [second.pk]
    html = participation_html(firm_user, tender)
    assert "Glaszetter Helder" in html and "Schildersbedrijf De Kwast" in html


def test_the_page_shows_follow_or_stop_following(tender, firm, firm_user):
    assert 'value="follow"' in participation_html(firm_user, tender)

    tender_follow(tender=tender, firm=firm, by=firm_user)

    html = participation_html(firm_user, tender)
    assert 'value="unfollow"' in html


def test_anonymous_visitors_are_asked_to_log_in(tender):
    html = participation_html(None, tender)

    # "Log in om deze opdracht te volgen of een vraag te stellen" once the catalogue is merged.
    assert gettext("Log in to follow this tender or ask a question") in html
    assert reverse("account_login") in html
    assert "<form" not in html


def test_the_buyer_sees_links_to_manage_instead(tender, buyer):
    html = participation_html(buyer, tender)

    assert reverse("tenders:questions", args=[tender.pk]) in html
    assert 'value="follow"' not in html
