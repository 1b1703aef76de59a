"""The buyer's invitation pages, the invitation rules page and the firm's dashboard: what people
see and what outsiders are refused."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from marketplace.models import AuditEvent, Role
from suppliers.search import index_firms
from tenders.models import (
    Award,
    InvitationChange,
    Procedure,
    ProcurementPolicy,
    Quote,
    Status,
)
from tenders.services.invitations import invitation_replace, invitations_propose
from tenders.services.tenders import tender_publish
from tests.factories import MembershipFactory, UserFactory
from tests.tenders.factories import TenderFactory
from tests.tenders.factories_invite import invite_only_draft, painter

pytestmark = pytest.mark.django_db


@pytest.fixture
def painters(firm):
    firm.cpv_codes.add("45442100")
    index_firms([firm.pk])
    return [firm] + [painter(f"Kwast {n}", km_north=n + 1) for n in range(4)]


@pytest.fixture
def draft(buyer_org):
    return invite_only_draft(buyer_org)


def url(name: str, tender, *args) -> str:
    return reverse(f"tenders:{name}", args=[tender.pk, *args])


def test_the_buyer_makes_a_proposal_and_sees_each_reason(client, buyer, draft, painters):
    client.force_login(buyer)

    response = client.post(url("invitations_propose", draft), follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    for invitation in draft.invitations.all():
        assert invitation.firm.name in page
        assert invitation.reason in page
    assert draft.invitations.count() == 4
    assert 'aria-current="step"' in page  # the draft's step indicator: the invitations step
    # Plain Dutch for the buyer: the proposal's seed is kept in the justification, not shown.
    assert "seed" not in page.lower()


def test_replacing_from_the_page_needs_a_reason_and_keeps_what_was_typed(
    client, buyer, draft, painters
):
    invitations_propose(tender=draft, by=buyer)
    invitation = draft.invitations.get(position=1)
    client.force_login(buyer)
    extra = painter("Extra Kwast", km_north=9)

    refused = client.post(
        url("invitation_replace", draft, invitation.pk),
        {"kvk_number": extra.kvk_number, "reason": ""},
    )
    assert refused.status_code == 200
    assert 'role="alert"' in refused.content.decode()
    assert extra.kvk_number in refused.content.decode()
    invitation.refresh_from_db()
    assert invitation.firm_id == painters[0].pk

    done = client.post(
        url("invitation_replace", draft, invitation.pk),
        {"kvk_number": extra.kvk_number, "reason": "Eerder goed werk geleverd"},
    )
    assert done.status_code == 302
    invitation.refresh_from_db()
    assert invitation.firm_id == extra.pk


def test_a_replacement_can_be_chosen_from_the_next_candidates(client, buyer, draft, painters):
    spare = painter("Reserve Kwast", km_north=8)
    invitations_propose(tender=draft, by=buyer)
    invitation = draft.invitations.get(position=2)
    client.force_login(buyer)

    form = client.get(url("invitation_replace", draft, invitation.pk)).content.decode()
    assert "Reserve Kwast" in form

    client.post(
        url("invitation_replace", draft, invitation.pk),
        {"candidate": spare.kvk_number, "reason": "Dichterbij de locatie"},
    )
    invitation.refresh_from_db()
    assert invitation.firm_id == spare.pk


def test_the_justification_lists_every_change_and_the_csv_has_them(client, buyer, draft, painters):
    invitations_propose(tender=draft, by=buyer)
    extra = painter("Extra Kwast", km_north=9)
    invitation_replace(
        invitation=draft.invitations.get(position=1),
        firm=extra,
        reason="Eerder goed werk geleverd",
        by=buyer,
    )
    tender_publish(tender=draft, by=buyer)
    client.force_login(buyer)

    page = client.get(url("invitations", draft)).content.decode()
    assert "Eerder goed werk geleverd" in page
    for change in draft.invitation_changes.all():
        assert change.firm.name in page

    response = client.get(url("invitations_csv", draft))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    changes = draft.invitation_changes.count()
    assert changes == 4 + 1 + 4  # proposed, replaced, sent
    assert len(rows) == 1 + changes + draft.invitations.count()
    assert any("Eerder goed werk geleverd" in row for row in rows)
    replaced = [row for row in rows if painters[0].name in row and extra.name in row]
    assert replaced  # "instead of" column names the firm that was replaced
    assert {row[3] for row in rows[-4:]} == set(
        draft.invitations.values_list("firm__kvk_number", flat=True)
    )


def test_a_firm_named_like_a_formula_cannot_smuggle_it_into_the_justification(
    client, buyer, draft, painters
):
    evil = painters[1]
    evil.organisation.name = '=HYPERLINK("http://evil.example","Klik")'
    evil.organisation.save()
    invitations_propose(tender=draft, by=buyer)
    client.force_login(buyer)

    response = client.get(url("invitations_csv", draft))
    text = b"".join(response.streaming_content).decode("utf-8")
    cells = [cell for row in csv.reader(io.StringIO(text[1:]), delimiter=";") for cell in row]

    assert '\'=HYPERLINK("http://evil.example","Klik")' in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


@pytest.mark.parametrize("name", ["invitations", "invitations_csv", "invitation_add"])
def test_outsiders_get_nothing(client, draft, other_buyer, firm_user, buyer_org, name):
    for outsider in (other_buyer, firm_user):
        client.force_login(outsider)
        assert client.get(url(name, draft)).status_code == 404
    member = UserFactory(email="geen-inkoper@dordrecht.example")
    MembershipFactory(user=member, organisation=buyer_org, role=Role.FIRM_MEMBER)
    client.force_login(member)
    assert client.get(url(name, draft)).status_code == 403
    client.logout()
    assert client.get(url(name, draft)).status_code == 302  # to the login page


def test_outsiders_cannot_propose_or_remove(client, buyer, draft, other_buyer, painters):
    invitations_propose(tender=draft, by=buyer)
    invitation = draft.invitations.first()
    client.force_login(other_buyer)

    assert client.post(url("invitations_propose", draft)).status_code == 404
    response = client.post(url("invitation_remove", draft, invitation.pk), {"reason": "Weg"})
    assert response.status_code == 404
    assert draft.invitations.count() == 4


def test_the_flow_has_an_invitations_step_only_for_invite_only_tenders(client, buyer, buyer_org):
    client.force_login(buyer)
    invite_only = invite_only_draft(buyer_org)
    open_tender = TenderFactory(buyer=buyer_org, procedure=Procedure.NATIONAL)

    page = client.get(reverse("tenders:edit", args=[invite_only.pk, "documents"])).content
    assert url("invitations", invite_only).encode() in page
    step = client.get(reverse("tenders:edit", args=[invite_only.pk, "invitations"]))
    assert step.status_code == 302 and step["Location"] == url("invitations", invite_only)

    page = client.get(reverse("tenders:edit", args=[open_tender.pk, "documents"])).content
    assert b"/invitations/" not in page
    step = client.get(reverse("tenders:edit", args=[open_tender.pk, "invitations"]))
    assert step["Location"] == reverse("tenders:edit", args=[open_tender.pk, "review"])
    assert client.get(url("invitations", open_tender)).status_code == 403


def test_the_review_step_sends_the_buyer_to_the_invitations(client, buyer, draft):
    client.force_login(buyer)

    page = client.get(reverse("tenders:edit", args=[draft.pk, "review"])).content.decode()

    assert reverse("tenders:edit", args=[draft.pk, "invitations"]) + "#id_invitations" in page
    response = client.post(reverse("tenders:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and response.status_code == 302


# The firm's dashboard -----------------------------------------------------------------------------


def test_the_invited_firm_sees_the_tender_after_publishing_not_before(
    client, buyer, draft, painters, firm_user
):
    invitations_propose(tender=draft, by=buyer)
    assert draft.invitations.filter(firm=painters[0]).exists()
    client.force_login(firm_user)
    dashboard = reverse("tenders:firm_dashboard")

    assert draft.title not in client.get(dashboard).content.decode()

    tender_publish(tender=draft, by=buyer)

    page = client.get(dashboard).content.decode()
    assert draft.title in page and draft.reference in page
    assert client.get(reverse("tenders:detail", args=[draft.pk])).status_code == 200


def test_a_firm_sees_its_quotes_and_outcomes(client, firm, firm_user, other_firm, buyer_org):
    won = TenderFactory(buyer=buyer_org, published=True, title="Gewonnen klus")
    lost = TenderFactory(buyer=buyer_org, published=True, title="Verloren klus")
    mine = Quote.objects.create(tender=won, firm=firm, receipt_code="ONTV-1")
    Quote.objects.create(tender=lost, firm=firm, receipt_code="ONTV-2")
    theirs = Quote.objects.create(tender=lost, firm=other_firm, receipt_code="ONTV-3")
    Award.objects.create(
        tender=won,
        quote=mine,
        firm=firm,
        value=Decimal("1"),
        motivation="Laagste",
        decided_by=firm_user,
    )
    Award.objects.create(
        tender=lost,
        quote=theirs,
        firm=other_firm,
        value=Decimal("1"),
        motivation="Laagste",
        decided_by=firm_user,
    )
    client.force_login(firm_user)

    page = client.get(reverse("tenders:firm_dashboard")).content.decode()

    assert reverse("tenders:quote_receipt", args=[won.pk, "ONTV-1"]) in page
    assert "ONTV-3" not in page  # another firm's quote
    assert page.count("Gewonnen klus") == 2 and page.count("Verloren klus") == 2


def test_a_firm_without_anything_sees_empty_states(client, firm_user):
    client.force_login(firm_user)

    response = client.get(reverse("tenders:firm_dashboard"))

    assert response.status_code == 200
    page = response.content.decode()
    # Next up, invitations, followed tenders, quotes, outcomes: each says it is empty.
    assert page.count('class="empty-state"') == 5
    assert "Geen open opdracht wacht op een offerte van je." in page


# The invitation rules -----------------------------------------------------------------------------


def test_a_buyer_admin_changes_the_rules_and_it_is_audited(client, buyer, dordrecht):
    client.force_login(buyer)
    data = {
        "firms_to_invite": "5",
        "min_local": "3",
        "newcomer_slot": "on",
        "rotation_limit": "2",
        "four_eyes_opening": "on",
        "standstill_days_european": "20",
        "standstill_days_other": "0",
    }

    response = client.post(reverse("tenders:procurement_policy"), data)

    assert response.status_code == 302
    policy = ProcurementPolicy.objects.get(municipality=dordrecht)
    assert (policy.firms_to_invite, policy.min_local, policy.rotation_limit) == (5, 3, 2)
    event = AuditEvent.objects.get(action="procurement_policy.changed")
    assert event.details["changed"]["firms_to_invite"] == [4, 5]


def test_bad_rules_are_refused_and_kept(client, buyer, dordrecht):
    client.force_login(buyer)
    data = {"firms_to_invite": "3", "min_local": "5", "rotation_limit": "1"}
    data |= {"standstill_days_european": "20", "standstill_days_other": "0"}

    response = client.post(reverse("tenders:procurement_policy"), data)

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not ProcurementPolicy.objects.filter(municipality=dordrecht).exists()
    response = client.post(reverse("tenders:procurement_policy"), data | {"firms_to_invite": "1"})
    assert response.status_code == 200
    assert not ProcurementPolicy.objects.filter(municipality=dordrecht).exists()


def test_other_buyers_read_the_rules_but_cannot_change_them(client, second_buyer, firm_user):
    client.force_login(second_buyer)
    page = client.get(reverse("tenders:procurement_policy"))
    assert page.status_code == 200
    assert b'name="firms_to_invite"' not in page.content
    assert client.post(reverse("tenders:procurement_policy"), {}).status_code == 403
    client.force_login(firm_user)
    assert client.get(reverse("tenders:procurement_policy")).status_code == 403


def test_the_policy_affects_the_next_proposal(buyer, draft, painters, dordrecht):
    ProcurementPolicy.objects.create(municipality=dordrecht, firms_to_invite=2, min_local=1)

    invitations_propose(tender=draft, by=buyer)

    assert draft.invitations.count() == 2
    assert InvitationChange.objects.filter(tender=draft).count() == 2


def test_a_firm_added_on_an_open_tender_is_invited_at_once(client, buyer, draft, painters):
    invitations_propose(tender=draft, by=buyer)
    tender_publish(tender=draft, by=buyer)
    late = painter("Late Kwast", km_north=12)
    client.force_login(buyer)

    form = client.get(url("invitation_add", draft))
    assert form.status_code == 200 and b'name="candidate"' not in form.content  # not a draft
    response = client.post(
        url("invitation_add", draft), {"kvk_number": late.kvk_number, "reason": "Zelf gevonden"}
    )

    assert response.status_code == 302
    assert draft.invitations.get(firm=late).sent_at is not None
    assert (
        client.get(url("invitation_remove", draft, draft.invitations.get(firm=late).pk)).status_code
        == 200
    )
    refused = client.post(
        url("invitation_remove", draft, draft.invitations.get(firm=late).pk), {"reason": "Weg"}
    )
    assert refused.status_code == 200 and 'role="alert"' in refused.content.decode()
    assert draft.invitations.filter(firm=late).exists()


def test_a_pick_is_removed_from_the_draft_with_a_reason(client, buyer, draft, painters):
    invitations_propose(tender=draft, by=buyer)
    invitation = draft.invitations.get(position=1)
    client.force_login(buyer)

    kept = client.post(url("invitation_remove", draft, invitation.pk), {"reason": ""})
    assert kept.status_code == 200 and draft.invitations.filter(pk=invitation.pk).exists()

    gone = client.post(url("invitation_remove", draft, invitation.pk), {"reason": "Te druk"})
    assert gone.status_code == 302
    assert not draft.invitations.filter(pk=invitation.pk).exists()
    removal = draft.invitation_changes.get(action=InvitationChange.Action.REMOVED)
    assert (removal.firm_id, removal.reason) == (painters[0].pk, "Te druk")
