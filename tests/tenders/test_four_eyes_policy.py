"""Issue 17.1: one administrator cannot open the vault alone. The opening rule is fixed on the
tender at publication; switching four-eyes off needs a second administrator and applies only to
tenders published afterwards; every buyer is told; each step is audited."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.models import AuditEvent, Role
from tenders.models import Procedure, ProcurementPolicy, Status, VaultOpening
from tenders.services.opening import vault_open_request
from tenders.services.tenders import tender_publish
from tests.conftest import MembershipFactory, UserFactory
from tests.tenders.factories import TenderFactory
from tests.tenders.factories_vault import after_deadline, open_tender, send_quote

pytestmark = pytest.mark.django_db

RULES = {
    "firms_to_invite": "4",
    "min_local": "2",
    "rotation_limit": "3",
    "standstill_days_european": "20",
    "standstill_days_other": "0",
}


@pytest.fixture
def second_admin(buyer_org):
    user = UserFactory(email="carla@dordrecht.example", first_name="Carla")
    MembershipFactory(user=user, organisation=buyer_org, role=Role.BUYER_ADMIN)
    return user


@pytest.fixture
def switch_off(django_capture_on_commit_callbacks):
    """Post the rules with the four-eyes checkbox left out (off); mails go after commit."""

    def post(client, user):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("tenders:procurement_policy"), RULES)

    return post


def test_the_attack_in_the_issue_one_admin_cannot_open_alone(
    switch_off, client, buyer, second_buyer, buyer_org, dordrecht, firm, firm_user, mailoutbox
):
    tender = open_tender(buyer_org)
    send_quote(tender, firm, firm_user)

    assert switch_off(client, buyer).status_code == 302
    with after_deadline(tender, seconds=60):
        opening = vault_open_request(tender=tender, by=buyer)

    tender.refresh_from_db()
    assert opening.four_eyes and not opening.is_open
    assert tender.status == Status.CLOSED
    assert ProcurementPolicy.objects.get(municipality=dordrecht).four_eyes_opening is True
    assert AuditEvent.objects.filter(action="procurement_policy.four_eyes_off_requested").exists()
    # Every buyer of the organisation is told, in Dutch.
    told = sorted(address for message in mailoutbox for address in message.to)
    assert told == ["alice@dordrecht.example", "bob@dordrecht.example"]
    assert "pas in als een andere beheerder het goedkeurt" in mailoutbox[0].body


def test_the_same_admin_twice_is_no_approval(switch_off, client, buyer, dordrecht):
    switch_off(client, buyer)
    switch_off(client, buyer)

    policy = ProcurementPolicy.objects.get(municipality=dordrecht)
    assert policy.four_eyes_opening is True and policy.four_eyes_off_requested_by == buyer
    page = client.get(reverse("tenders:procurement_policy")).content.decode()
    assert "Dit wacht op een tweede beheerder" in page


def test_a_second_admin_approves_and_it_applies_only_to_later_tenders(
    switch_off, client, buyer, second_admin, buyer_org, dordrecht, firm, firm_user
):
    earlier = open_tender(buyer_org)
    send_quote(earlier, firm, firm_user)
    switch_off(client, buyer)
    mail.outbox.clear()

    switch_off(client, second_admin)

    policy = ProcurementPolicy.objects.get(municipality=dordrecht)
    assert policy.four_eyes_opening is False and policy.four_eyes_off_requested_by is None
    approved = AuditEvent.objects.get(action="procurement_policy.four_eyes_off_approved")
    assert approved.actor == second_admin
    assert {a for m in mail.outbox for a in m.to} >= {buyer.email, second_admin.email}
    # The tender published before the change still needs two buyers.
    with after_deadline(earlier, seconds=60):
        assert not vault_open_request(tender=earlier, by=buyer).is_open
    # A tender published afterwards takes the new rule.
    later = tender_publish(
        tender=TenderFactory(
            buyer=buyer_org, procedure=Procedure.NATIONAL, tenderned_reference="2026-123456"
        ),
        by=buyer,
    )
    assert later.four_eyes_opening is False


def test_publication_fixes_the_rule_of_the_day(switch_off, buyer, buyer_org, dordrecht):
    ProcurementPolicy.objects.create(municipality=dordrecht, four_eyes_opening=False)
    draft = TenderFactory(
        buyer=buyer_org, procedure=Procedure.NATIONAL, tenderned_reference="2026-123456"
    )
    published = tender_publish(tender=draft, by=buyer)
    assert published.four_eyes_opening is False

    ProcurementPolicy.objects.filter(municipality=dordrecht).update(four_eyes_opening=True)
    published.refresh_from_db()
    assert published.four_eyes_opening is False
    assert VaultOpening.objects.count() == 0


def test_a_buyer_who_is_no_administrator_cannot_approve(
    switch_off, client, buyer, second_buyer, dordrecht
):
    switch_off(client, buyer)

    assert switch_off(client, second_buyer).status_code == 403
    assert ProcurementPolicy.objects.get(municipality=dordrecht).four_eyes_opening is True
