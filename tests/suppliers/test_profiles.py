"""Firm profiles (issue 3): the public page, editing by members, and inviting colleagues.

The pages are requested in English (the language cookie), so these tests read the same before
and after the Dutch translations are compiled.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone, translation
from django.utils.html import escape

from marketplace.models import AuditEvent, Membership, Role
from marketplace.outbox.models import Message
from marketplace.services import ALREADY_MEMBER
from suppliers.models import Firm, FirmInvitation
from suppliers.selectors import (
    INVITATION_ALREADY_MEMBER,
    INVITATION_EXPIRED,
    INVITATION_OTHER_EMAIL,
    INVITATION_USED,
)
from suppliers.services import (
    FirmData,
    firm_invitation_accept,
    firm_invitation_create,
    firm_upsert,
)
from tests.factories import MembershipFactory, UserFactory
from tests.i18n import english

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_client")]


def shown(message) -> str:
    """The message as the English page shows it (HTML-escaped)."""
    return escape(english(message))


def profile(firm: Firm) -> str:
    return f"/suppliers/{firm.kvk_number}/"


@pytest.fixture
def painter(reference_data) -> Firm:
    """A complete profile, filled in through the service (as an import would)."""
    firm, _created = firm_upsert(
        data=FirmData(
            kvk_number="24681357",
            name="Schilders Van Wijk",
            description="Schilderwerk binnen en buiten.\n\nOok voor monumenten.",
            street="Voorstraat",
            house_number="120",
            postcode="3311 AB",
            cpv_codes=["45442100", "45442110-1"],
            sbi_codes=[("2008", "4334")],
            certifications=["vca", "erkend-leerbedrijf"],
            employees=12,
            website="https://vanwijk.example/",
            email="info@vanwijk.example",
            phone="078 123 45 67",
            open_to_partnerships=True,
        ),
    )
    return firm


@pytest.fixture
def ivo(painter):
    """Ivo: the administrator of the complete profile."""
    user = UserFactory(email="ivo@vanwijk.example", first_name="Ivo")
    MembershipFactory(user=user, organisation=painter.organisation, role=Role.FIRM_ADMIN)
    return user


@pytest.fixture
def colleague_of_painter(painter):
    """Joke: a member (not an administrator) of the complete profile's firm."""
    user = UserFactory(email="joke@vanwijk.example", first_name="Joke")
    MembershipFactory(user=user, organisation=painter.organisation, role=Role.FIRM_MEMBER)
    return user


@pytest.fixture
def colleague(firm) -> object:
    """Hanna: a member (not an administrator) of the painter's firm."""
    user = UserFactory(email="hanna@firma.example", first_name="Hanna")
    MembershipFactory(user=user, organisation=firm.organisation, role=Role.FIRM_MEMBER)
    return user


# The public profile ------------------------------------------------------------------------------


def test_the_profile_shows_what_a_visitor_needs(client, painter):
    response = client.get(profile(painter))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Schilders Van Wijk</h1>" in page
    assert "<p>Ook voor monumenten.</p>" in page
    assert "Voorstraat 120" in page and "3311 AB Dordrecht" in page
    assert "Drechtsteden" in page  # the region of the municipality
    assert "45442100-8" in page and "Schilderwerk" in page
    assert "45442110-1" in page and "Schilderen van gebouwen" in page
    assert "4334" in page and "Schilderen en glaszetten" in page and "(SBI 2008)" in page
    assert "Small (10–49)" in page
    assert "VCA (veiligheid)" in page and "Erkend Leerbedrijf (SBB)" in page
    assert '<a href="https://vanwijk.example/" rel="nofollow noopener">' in page
    assert 'href="mailto:info@vanwijk.example"' in page
    assert 'href="tel:0781234567"' in page
    assert "Open to partnerships" in page
    assert "24681357" in page
    assert "Edit profile" not in page
    assert "Not published" not in page


def test_a_sparse_profile_says_what_is_missing(client, firm):
    firm.description = ""
    firm.save()

    page = client.get(profile(firm)).content.decode()

    assert "This firm has not described its work yet." in page
    assert "This firm has not listed its activities yet." in page
    assert "This firm has not given contact details yet." in page
    assert "Add your activities" not in page


def test_an_unknown_kvk_number_is_not_found(client, reference_data):
    assert client.get("/suppliers/99999999/").status_code == 404


def test_an_unpublished_profile_is_not_found_for_others(
    client, firm, other_firm_user, buyer, firm_user
):
    firm.published = False
    firm.save()

    assert client.get(profile(firm)).status_code == 404
    for outsider in (other_firm_user, buyer):
        client.force_login(outsider)
        assert client.get(profile(firm)).status_code == 404


def test_members_preview_their_unpublished_profile(client, firm, firm_user):
    firm.published = False
    firm.save()
    client.force_login(firm_user)

    response = client.get(profile(firm))

    assert response.status_code == 200
    assert "Not published" in response.content.decode()


def test_an_administrator_sees_edit_and_invite(client, firm, firm_user):
    client.force_login(firm_user)

    page = client.get(profile(firm)).content.decode()

    assert f'href="/suppliers/{firm.kvk_number}/edit/"' in page
    assert f'href="/suppliers/{firm.kvk_number}/invite/"' in page
    assert "Add your activities" in page


def test_a_member_sees_edit_but_not_invite(client, firm, colleague):
    client.force_login(colleague)

    page = client.get(profile(firm)).content.decode()

    assert f'href="/suppliers/{firm.kvk_number}/edit/"' in page
    assert f'href="/suppliers/{firm.kvk_number}/invite/"' not in page


def test_another_firms_user_sees_no_edit_link(client, painter, other_firm_user):
    client.force_login(other_firm_user)

    assert "Edit profile" not in client.get(profile(painter)).content.decode()


# Editing -----------------------------------------------------------------------------------------


def edit_data(firm: Firm, **changes) -> dict:
    from suppliers.forms.profiles import FirmForm

    data = FirmForm.initial_for(firm)
    data["municipality"] = data["municipality"].pk if data["municipality"] else ""
    data["certifications"] = [c.pk for c in data["certifications"]]
    data["employees"] = "" if data["employees"] is None else data["employees"]
    for flag in ("open_to_partnerships", "published"):
        data[flag] = "on" if data[flag] else ""
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_the_edit_form_is_filled_in_with_the_profile(client, painter, ivo):
    client.force_login(ivo)

    page = client.get(f"{profile(painter)}edit/").content.decode()

    assert 'value="Schilders Van Wijk"' in page
    assert 'value="45442100-8, 45442110-1"' in page
    assert 'name="sbi_2008" value="4334"' in page
    assert 'value="3311 AB"' in page
    assert re.search(r'name="certifications" value="vca"[^>]*checked', page)
    assert 'name="kvk_number"' not in page
    assert "24681357" in page


def test_a_member_edits_the_profile(client, painter, colleague_of_painter):
    client.force_login(colleague_of_painter)

    response = client.post(
        f"{profile(painter)}edit/",
        edit_data(painter, description="Nu ook behangwerk.", cpv_codes="45442100", published=""),
    )

    assert response.status_code == 302
    assert response.url == profile(painter)
    painter.refresh_from_db()
    assert painter.description == "Nu ook behangwerk."
    assert list(painter.cpv_codes.values_list("code", flat=True)) == ["45442100"]
    assert painter.published is False
    assert painter.kvk_number == "24681357"
    assert AuditEvent.objects.filter(
        organisation=painter.organisation, action="firm.updated", actor=colleague_of_painter
    ).exists()


def test_the_kvk_number_cannot_be_changed_by_editing(client, painter, ivo):
    client.force_login(ivo)

    client.post(f"{profile(painter)}edit/", edit_data(painter, kvk_number="11111111"))

    assert Firm.objects.filter(kvk_number="24681357").exists()
    assert not Firm.objects.filter(kvk_number="11111111").exists()


def test_the_edit_form_keeps_what_was_typed_on_error(client, painter, ivo):
    client.force_login(ivo)

    response = client.post(
        f"{profile(painter)}edit/",
        edit_data(painter, name="Van Wijk Schilders", cpv_codes="45442100, 12345678"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Unknown CPV code: 12345678." in page
    assert 'value="Van Wijk Schilders"' in page
    assert 'value="45442100, 12345678"' in page
    painter.organisation.refresh_from_db()
    assert painter.organisation.name == "Schilders Van Wijk"


def test_another_firms_user_cannot_edit(client, painter, other_firm_user, buyer):
    for outsider in (other_firm_user, buyer):
        client.force_login(outsider)
        assert client.get(f"{profile(painter)}edit/").status_code == 404
        response = client.post(f"{profile(painter)}edit/", edit_data(painter, name="Gekaapt"))
        assert response.status_code == 404
    painter.organisation.refresh_from_db()
    assert painter.organisation.name == "Schilders Van Wijk"


def test_anonymous_visitor_must_log_in_to_edit(client, painter):
    response = client.get(f"{profile(painter)}edit/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


# Inviting colleagues -----------------------------------------------------------------------------


def test_an_administrator_invites_a_colleague_by_email(
    client, firm, firm_user, django_capture_on_commit_callbacks
):
    client.force_login(firm_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{profile(firm)}invite/", {"email": "jet@firma.example", "role": Role.FIRM_MEMBER}
        )

    assert response.status_code == 302
    invitation = FirmInvitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "jet@firma.example",
        Role.FIRM_MEMBER,
        firm_user,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jet@firma.example"]
    assert "Schildersbedrijf De Kwast" in message.subject
    assert f"/suppliers/invitations/{invitation.token}/" in message.body
    assert "Dana" in message.body
    sent = Message.objects.get(topic=f"firm-invitation:{invitation.pk}")  # through the outbox
    assert (sent.to_address, sent.sent_at is not None) == ("jet@firma.example", True)
    assert AuditEvent.objects.filter(
        organisation=firm.organisation, action="firm.invitation_sent", actor=firm_user
    ).exists()
    page = client.get(response.url).content.decode()
    assert "We sent the invitation to jet@firma.example." in page
    assert "jet@firma.example</td>" in page  # listed under open invitations


def test_the_invitation_email_is_written_in_the_inviters_language(
    firm, firm_user, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        firm_invitation_create(
            organisation=firm.organisation,
            email="jet@firma.example",
            role="firm_member",
            by=firm_user,
        )

    assert mail.outbox[0].subject == "You are invited to join Schildersbedrijf De Kwast on Dichtbij"
    assert "Dana Persoon invites you to join Schildersbedrijf De Kwast on Dichtbij." in (
        mail.outbox[0].body
    )
    assert '<html lang="en">' in mail.outbox[0].alternatives[0][0]


def test_no_email_is_sent_when_the_invitation_is_not_saved(firm, firm_user):
    firm_invitation_create(
        organisation=firm.organisation, email="jet@firma.example", role="firm_member", by=firm_user
    )

    assert mail.outbox == []  # the e-mail goes out only after commit


def test_inviting_someone_who_is_already_a_member_is_refused(client, firm, firm_user, colleague):
    client.force_login(firm_user)

    response = client.post(
        f"{profile(firm)}invite/", {"email": "HANNA@firma.example", "role": Role.FIRM_MEMBER}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [english(ALREADY_MEMBER)]
    assert not FirmInvitation.objects.exists()


def test_a_member_cannot_invite(client, firm, colleague):
    client.force_login(colleague)

    assert client.get(f"{profile(firm)}invite/").status_code == 403
    response = client.post(
        f"{profile(firm)}invite/", {"email": "x@example.org", "role": "firm_member"}
    )
    assert response.status_code == 403
    assert not FirmInvitation.objects.exists()


def test_another_firm_cannot_invite(client, firm, other_firm_user):
    client.force_login(other_firm_user)

    assert client.get(f"{profile(firm)}invite/").status_code == 404


@pytest.fixture
def invitation(firm, firm_user) -> FirmInvitation:
    return firm_invitation_create(
        organisation=firm.organisation, email="Jet@Firma.example", role="firm_member", by=firm_user
    )


@pytest.fixture
def jet(reference_data):
    """Jet: invited by Dana; signed up with the invited address, written in lower case."""
    return UserFactory(email="jet@firma.example", first_name="Jet")


def accept_url(invitation: FirmInvitation) -> str:
    return f"/suppliers/invitations/{invitation.token}/"


def test_the_invited_person_accepts_and_becomes_a_member(client, firm, invitation, jet):
    client.force_login(jet)

    page = client.get(accept_url(invitation)).content.decode()
    assert "invites you to act for Schildersbedrijf De Kwast" in page
    response = client.post(accept_url(invitation))

    assert response.status_code == 302
    assert response.url == profile(firm)
    membership = Membership.objects.get(user=jet, organisation=firm.organisation)
    assert membership.role == Role.FIRM_MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_by == jet and invitation.accepted_at is not None
    assert AuditEvent.objects.filter(
        organisation=firm.organisation, action="firm.invitation_accepted", actor=jet
    ).exists()
    assert "Edit profile" in client.get(profile(firm)).content.decode()


def test_an_invitation_as_administrator_makes_an_administrator(firm, firm_user, jet):
    invitation = firm_invitation_create(
        organisation=firm.organisation, email=jet.email, role=Role.FIRM_ADMIN, by=firm_user
    )

    membership = firm_invitation_accept(invitation=invitation, user=jet)

    assert membership.role == Role.FIRM_ADMIN


def test_a_verified_second_address_of_the_invited_person_counts(client, firm, invitation):
    other = UserFactory(email="jet.privé@example.org")
    EmailAddress.objects.create(user=other, email="jet@firma.example", verified=True)
    client.force_login(other)

    client.post(accept_url(invitation))

    assert Membership.objects.filter(user=other, organisation=firm.organisation).exists()


def test_someone_else_cannot_accept_the_invitation(client, firm, invitation, other_firm_user):
    client.force_login(other_firm_user)

    assert shown(INVITATION_OTHER_EMAIL) in client.get(accept_url(invitation)).content.decode()
    response = client.post(accept_url(invitation))

    assert shown(INVITATION_OTHER_EMAIL) in response.content.decode()
    assert not Membership.objects.filter(user=other_firm_user, organisation=firm.organisation)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_expired_invitation_is_refused(client, firm, invitation, jet):
    FirmInvitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=14, minutes=1)
    )
    client.force_login(jet)

    response = client.post(accept_url(invitation))

    assert shown(INVITATION_EXPIRED) in response.content.decode()
    assert not Membership.objects.filter(user=jet).exists()


def test_an_invitation_works_for_fourteen_days(client, firm, invitation, jet):
    FirmInvitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=13, hours=23)
    )
    client.force_login(jet)

    client.post(accept_url(invitation))

    assert Membership.objects.filter(user=jet, organisation=firm.organisation).exists()


def test_a_used_invitation_is_refused(client, firm, invitation, jet):
    firm_invitation_accept(invitation=invitation, user=jet)
    client.force_login(jet)

    response = client.post(accept_url(invitation))

    assert shown(INVITATION_USED) in response.content.decode()
    assert Membership.objects.filter(user=jet).count() == 1


def test_a_member_is_told_they_are_one_already(client, firm, firm_user):
    invitation = firm_invitation_create(
        organisation=firm.organisation, email="jet@firma.example", role="firm_member", by=firm_user
    )
    FirmInvitation.objects.filter(pk=invitation.pk).update(email=firm_user.email)
    client.force_login(firm_user)

    assert shown(INVITATION_ALREADY_MEMBER) in client.get(accept_url(invitation)).content.decode()
    assert shown(INVITATION_ALREADY_MEMBER) in client.post(accept_url(invitation)).content.decode()


def test_an_unknown_invitation_is_not_found(client, jet):
    client.force_login(jet)

    assert client.get("/suppliers/invitations/not-a-token/").status_code == 404


def test_anonymous_visitor_must_log_in_to_accept(client, invitation):
    response = client.get(accept_url(invitation))

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/suppliers/invitations/")
