"""Making, changing and sending the shortlist (DESIGN §4.6): every step is kept as the procedure's
justification, publishing e-mails each invited firm's people once, and an invite-only tender
without invitations is not published."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from marketplace.models import AuditEvent, Role
from marketplace.outbox.models import Message
from tenders.models import Invitation, InvitationChange, Procedure, Status
from tenders.notifications import notifications_send
from tenders.policy import INVITATIONS_REQUIRED, SINGLE_INVITES_ONE, tender_publication_check
from tenders.services.invitations import (
    ALREADY_INVITED,
    ALREADY_SENT,
    FIRM_NOT_PUBLISHED,
    REASON_REQUIRED,
    invitation_add,
    invitation_remove,
    invitation_replace,
    invitations_propose,
)
from tenders.services.tenders import tender_publish
from tests.factories import MembershipFactory, UserFactory
from tests.i18n import english
from tests.tenders.factories_invite import ROTTERDAM, invite_only_draft, invited_before, painter

pytestmark = pytest.mark.django_db

Action = InvitationChange.Action


def messages_of(error) -> list[str]:
    with translation.override("en"):
        return [str(m) for m in error.value.messages]


@pytest.fixture
def painters():
    return [painter(f"Kwast {n}", km_north=n) for n in range(5)]


@pytest.fixture
def draft(buyer_org):
    return invite_only_draft(buyer_org)


def test_a_proposal_writes_the_shortlist_and_its_justification(draft, buyer, buyer_org, painters):
    invited_before(buyer_org, painters[0], times=3)  # passed over for rotation

    proposal = invitations_propose(tender=draft, by=buyer, seed="vast")

    rows = list(draft.invitations.order_by("position"))
    assert [row.firm_id for row in rows] == [p.pk for p in painters[1:]]
    assert [row.position for row in rows] == [1, 2, 3, 4]
    assert all(row.reason and row.kind and row.sent_at is None for row in rows)
    changes = draft.invitation_changes.all()
    assert [c.action for c in changes].count(Action.PROPOSED) == 4
    [passed] = changes.filter(action=Action.PASSED_OVER)
    assert passed.firm_id == painters[0].pk and "3" in passed.reason
    assert {c.seed for c in changes} == {"vast"}
    event = AuditEvent.objects.get(action="invitation.proposed")
    assert event.details["seed"] == "vast" and event.object_id == str(draft.pk)
    assert len(proposal.picks) == 4


def test_proposing_again_replaces_the_list_and_gives_the_same_result(draft, buyer, painters):
    first = invitations_propose(tender=draft, by=buyer)
    before = list(draft.invitations.values_list("firm_id", "kind", "position", "reason"))

    again = invitations_propose(tender=draft, by=buyer)

    assert list(draft.invitations.values_list("firm_id", "kind", "position", "reason")) == before
    assert first.seed == again.seed == draft.reference
    assert draft.invitation_changes.filter(action=Action.PROPOSED).count() == 8  # both kept


def test_replacing_a_pick_needs_a_reason(draft, buyer, painters):
    invitations_propose(tender=draft, by=buyer)
    invitation = draft.invitations.first()

    with pytest.raises(ValidationError) as error:
        invitation_replace(invitation=invitation, firm=painters[4], reason="  ", by=buyer)

    assert messages_of(error) == [english(REASON_REQUIRED)]
    invitation.refresh_from_db()
    assert invitation.firm_id == painters[0].pk
    assert not draft.invitation_changes.filter(action=Action.REPLACED).exists()


def test_a_replacement_is_kept_with_the_firm_it_replaced(draft, buyer, painters):
    invitations_propose(tender=draft, by=buyer)
    invitation = draft.invitations.get(position=2)

    invitation_replace(
        invitation=invitation, firm=painters[4], reason="Werkte goed in 2025", by=buyer
    )

    invitation.refresh_from_db()
    assert (invitation.firm_id, invitation.kind, invitation.position) == (
        painters[4].pk,
        Invitation.Kind.CHOSEN,
        2,
    )
    change = draft.invitation_changes.get(action=Action.REPLACED)
    assert (change.firm_id, change.replaced_firm_id, change.reason, change.by) == (
        painters[4].pk,
        painters[1].pk,
        "Werkte goed in 2025",
        buyer,
    )
    assert AuditEvent.objects.filter(action="invitation.replaced").count() == 1


def test_a_firm_already_invited_or_not_listed_cannot_replace_a_pick(draft, buyer, painters):
    invitations_propose(tender=draft, by=buyer)
    invitation = draft.invitations.get(position=1)
    hidden = painter("Verborgen", published=False)

    with pytest.raises(ValidationError) as twice:
        invitation_replace(invitation=invitation, firm=painters[1], reason="Goed", by=buyer)
    with pytest.raises(ValidationError) as unlisted:
        invitation_replace(invitation=invitation, firm=hidden, reason="Goed", by=buyer)

    assert messages_of(twice) == [english(ALREADY_INVITED)]
    assert messages_of(unlisted) == [english(FIRM_NOT_PUBLISHED)]


def test_adding_and_removing_before_publishing(draft, buyer, painters):
    invitations_propose(tender=draft, by=buyer)
    added = invitation_add(tender=draft, firm=painters[4], reason="Ook vragen", by=buyer)
    assert (added.position, added.kind, added.sent_at) == (5, Invitation.Kind.CHOSEN, None)

    invitation_remove(invitation=draft.invitations.get(position=1), reason="Te druk", by=buyer)

    assert list(draft.invitations.values_list("position", flat=True)) == [1, 2, 3, 4]
    assert painters[0].pk not in draft.invitations.values_list("firm_id", flat=True)
    actions = list(draft.invitation_changes.values_list("action", flat=True))
    assert actions[-2:] == [Action.ADDED, Action.REMOVED]


def test_someone_other_than_the_buyers_changes_nothing(
    draft, buyer, other_buyer, firm_user, painters
):
    for outsider in (other_buyer, firm_user):
        with pytest.raises(PermissionDenied):
            invitations_propose(tender=draft, by=outsider)
    invitations_propose(tender=draft, by=buyer)
    invitation = draft.invitations.first()
    with pytest.raises(PermissionDenied):
        invitation_replace(invitation=invitation, firm=painters[4], reason="X", by=other_buyer)
    with pytest.raises(PermissionDenied):
        invitation_remove(invitation=invitation, reason="X", by=firm_user)


def test_an_invite_only_tender_without_invitations_is_not_published(draft, buyer):
    assert tender_publication_check(tender=draft)["invitations"] == [INVITATIONS_REQUIRED]

    with pytest.raises(ValidationError):
        tender_publish(tender=draft, by=buyer)

    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_single_quote_tender_invites_exactly_one_firm(buyer_org, buyer, painters):
    tender = invite_only_draft(buyer_org, procedure=Procedure.SINGLE)
    Invitation.objects.create(tender=tender, firm=painters[0], position=1)
    Invitation.objects.create(tender=tender, firm=painters[1], position=2)

    assert tender_publication_check(tender=tender)["invitations"] == [SINGLE_INVITES_ONE]


def test_publishing_emails_each_invited_firms_people_once(
    draft, buyer, painters, mailoutbox, django_capture_on_commit_callbacks
):
    invitations_propose(tender=draft, by=buyer)
    invited = [i.firm for i in draft.invitations.all()]
    people = {}
    for firm in invited:
        for n in range(2):
            user = UserFactory(email=f"{n}@{firm.kvk_number}.example")
            MembershipFactory(user=user, organisation=firm.organisation, role=Role.FIRM_MEMBER)
            people.setdefault(firm.pk, []).append(user.email)
    left = UserFactory(email="weg@firma.example", is_active=False)
    MembershipFactory(user=left, organisation=invited[0].organisation, role=Role.FIRM_MEMBER)
    bystander = UserFactory(email="niet@uitgenodigd.example")
    MembershipFactory(user=bystander, organisation=painters[4].organisation)

    with django_capture_on_commit_callbacks(execute=True):
        tender_publish(tender=draft, by=buyer)
    notifications_send()
    notifications_send()

    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == sorted(email for emails in people.values() for email in emails)
    assert all(draft.reference in message.subject for message in mailoutbox)
    assert all(f"/tenders/{draft.pk}/" in message.body for message in mailoutbox)
    assert draft.invitations.filter(sent_at__isnull=True).count() == 0
    assert draft.invitation_changes.filter(action=Action.SENT).count() == 4
    assert AuditEvent.objects.filter(action="invitation.sent").count() == 1


def test_a_sent_invitation_cannot_be_removed_or_replaced(draft, buyer, painters):
    invitations_propose(tender=draft, by=buyer)
    tender_publish(tender=draft, by=buyer)
    invitation = draft.invitations.first()

    with pytest.raises(ValidationError) as removing:
        invitation_remove(invitation=invitation, reason="Toch niet", by=buyer)
    with pytest.raises(ValidationError) as replacing:
        invitation_replace(invitation=invitation, firm=painters[4], reason="Toch", by=buyer)

    assert messages_of(removing) == messages_of(replacing) == [english(ALREADY_SENT)]


def test_a_firm_added_while_the_tender_is_open_is_invited_at_once(
    draft, buyer, painters, mailoutbox, django_capture_on_commit_callbacks
):
    invitations_propose(tender=draft, by=buyer)
    tender_publish(tender=draft, by=buyer)
    late = painter("Late Kwast", ROTTERDAM)
    member = UserFactory(email="laat@kwast.example")
    MembershipFactory(user=member, organisation=late.organisation)

    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_add(tender=draft, firm=late, reason="Zelf gevonden", by=buyer)
    notifications_send()

    assert invitation.sent_at is not None
    assert [m.to for m in mailoutbox] == [["laat@kwast.example"]]
    assert Message.objects.filter(recipient=member).count() == 1


def test_nothing_is_added_after_the_deadline(draft, buyer, painters):
    invitations_propose(tender=draft, by=buyer)
    tender_publish(tender=draft, by=buyer)

    with pytest.raises(ValidationError):
        invitation_add(
            tender=draft,
            firm=painter("Te Laat"),
            reason="Vergeten",
            by=buyer,
            now=draft.quote_deadline + timedelta(seconds=1),
        )
    assert timezone.now() < draft.quote_deadline
