"""Who may see and act for which organisation (DESIGN §8: membership is checked everywhere)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from marketplace.models import AuditEvent, Membership, Organisation, Role
from marketplace.selectors import get_organisation_for_member, membership_of, user_may_act_for
from marketplace.services import (
    ALREADY_MEMBER,
    BUYER_NEEDS_MUNICIPALITY,
    ROLE_DOES_NOT_FIT,
    membership_add,
    organisation_create,
)
from tests.factories import (
    MembershipFactory,
    UserFactory,
)

ORGANISATION_PAGES = [
    "/organisations/{slug}/",
    "/organisations/{slug}/audit/",
    "/organisations/{slug}/audit.csv",
]


def request_by(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


# The permission helpers ---------------------------------------------------------------------------


def test_membership_of_finds_the_members_role(buyer, second_buyer, buyer_org):
    assert membership_of(buyer, buyer_org).role == Role.BUYER_ADMIN
    assert membership_of(second_buyer, buyer_org).role == Role.BUYER


def test_membership_of_is_none_for_outsiders_and_anonymous_visitors(other_buyer, buyer_org):
    assert membership_of(other_buyer, buyer_org) is None
    assert membership_of(AnonymousUser(), buyer_org) is None


def test_a_deactivated_member_no_longer_counts_as_member(buyer, buyer_org):
    buyer.is_active = False
    buyer.save()

    assert membership_of(buyer, buyer_org) is None
    assert not user_may_act_for(buyer, buyer_org)


def test_user_may_act_for_checks_membership_and_role(buyer, second_buyer, other_buyer, buyer_org):
    assert user_may_act_for(buyer, buyer_org)
    assert user_may_act_for(second_buyer, buyer_org)
    assert user_may_act_for(buyer, buyer_org, roles=[Role.BUYER_ADMIN])
    assert not user_may_act_for(second_buyer, buyer_org, roles=[Role.BUYER_ADMIN])
    assert user_may_act_for(second_buyer, buyer_org, roles=[Role.BUYER, Role.BUYER_ADMIN])
    assert not user_may_act_for(other_buyer, buyer_org)
    assert not user_may_act_for(AnonymousUser(), buyer_org)


def test_get_organisation_for_member_returns_the_members_organisation(buyer, buyer_org):
    assert get_organisation_for_member(request_by(buyer), buyer_org.slug) == buyer_org


def test_get_organisation_for_member_is_404_for_outsiders(other_buyer, firm_user, buyer_org):
    for outsider in (other_buyer, firm_user, AnonymousUser()):
        with pytest.raises(Http404):
            get_organisation_for_member(request_by(outsider), buyer_org.slug)


def test_get_organisation_for_member_is_404_for_an_unknown_slug(buyer):
    with pytest.raises(Http404):
        get_organisation_for_member(request_by(buyer), "gemeente-nergenshuizen")


def test_get_organisation_for_member_is_403_for_a_member_without_the_role(second_buyer, buyer_org):
    with pytest.raises(PermissionDenied):
        get_organisation_for_member(request_by(second_buyer), buyer_org.slug, [Role.BUYER_ADMIN])


# The organisation's pages -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ORGANISATION_PAGES)
def test_a_member_sees_the_organisations_pages(client, second_buyer, buyer_org, path):
    client.force_login(second_buyer)

    response = client.get(path.format(slug=buyer_org.slug))

    assert response.status_code == 200


def test_a_member_sees_the_organisation_and_its_members(client, buyer, second_buyer, buyer_org):
    client.force_login(buyer)

    response = client.get(f"/organisations/{buyer_org.slug}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Gemeente Dordrecht" in content
    assert "alice@dordrecht.example" in content
    assert "bob@dordrecht.example" in content


def test_the_audit_trail_page_names_the_organisation(client, buyer, buyer_org):
    client.force_login(buyer)

    response = client.get(f"/organisations/{buyer_org.slug}/audit/")

    assert "Gemeente Dordrecht" in response.content.decode()


@pytest.mark.parametrize("path", ORGANISATION_PAGES)
def test_other_municipality_gets_404_on_the_organisations_pages(
    client, other_buyer, buyer, buyer_org, path
):
    client.force_login(other_buyer)

    response = client.get(path.format(slug=buyer_org.slug))

    assert response.status_code == 404
    assert "alice@dordrecht.example" not in response.content.decode()


@pytest.mark.parametrize("path", ORGANISATION_PAGES)
def test_other_firm_gets_404_on_a_firms_pages(client, other_firm_user, firm_user, firm, path):
    client.force_login(other_firm_user)

    response = client.get(path.format(slug=firm.organisation.slug))

    assert response.status_code == 404
    assert "dana@firma.example" not in response.content.decode()


@pytest.mark.parametrize("path", ORGANISATION_PAGES)
def test_a_firm_gets_404_on_a_municipalitys_pages(client, firm_user, buyer, buyer_org, path):
    client.force_login(firm_user)

    response = client.get(path.format(slug=buyer_org.slug))

    assert response.status_code == 404


@pytest.mark.parametrize("path", ORGANISATION_PAGES)
def test_staff_without_membership_gets_404(client, buyer, buyer_org, path):
    staff = UserFactory(email="staff@dichtbij.example", is_staff=True, is_superuser=True)
    client.force_login(staff)

    response = client.get(path.format(slug=buyer_org.slug))

    assert response.status_code == 404


@pytest.mark.parametrize("path", [*ORGANISATION_PAGES, "/dashboard/"])
def test_anonymous_visitor_is_sent_to_the_login_page_and_sees_no_data(
    client, buyer, buyer_org, path
):
    url = path.format(slug=buyer_org.slug)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={url}"
    followed = client.get(url, follow=True).content.decode()
    assert "alice@dordrecht.example" not in followed
    assert "Logboek" not in followed


def test_the_404_page_says_so_in_dutch(client, other_buyer, buyer_org):
    client.force_login(other_buyer)

    response = client.get(f"/organisations/{buyer_org.slug}/")

    assert "Pagina niet gevonden" in response.content.decode()


# The dashboard ------------------------------------------------------------------------------------


def test_a_buyer_of_one_organisation_goes_straight_to_the_buyers_dashboard(client, buyer):
    client.force_login(buyer)

    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response.url == "/tenders/mine/"


def test_a_firm_member_of_one_firm_goes_straight_to_the_firms_dashboard(client, firm_user):
    client.force_login(firm_user)

    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response.url == "/tenders/firm/"


def test_the_organisation_page_links_to_its_role_dashboard(client, buyer, buyer_org):
    client.force_login(buyer)

    content = client.get(f"/organisations/{buyer_org.slug}/").content.decode()

    assert 'href="/tenders/mine/">Mijn opdrachten</a>' in content


def test_a_member_of_several_organisations_chooses_from_a_list(
    client, buyer, buyer_org, other_buyer_org
):
    MembershipFactory(user=buyer, organisation=other_buyer_org, role=Role.BUYER)
    client.force_login(buyer)

    response = client.get("/dashboard/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Gemeente Dordrecht" in content
    assert "Gemeente Zwijndrecht" in content
    assert f'href="/organisations/{buyer_org.slug}/"' in content
    assert f'href="/organisations/{other_buyer_org.slug}/"' in content


def test_the_list_links_each_organisation_to_its_kinds_tender_pages(client, buyer, firm):
    MembershipFactory(user=buyer, organisation=firm.organisation, role=Role.FIRM_MEMBER)
    client.force_login(buyer)

    content = client.get("/dashboard/").content.decode()

    assert content.count('<li class="card">') == 2
    assert '<a href="/tenders/mine/">Mijn opdrachten</a>' in content
    assert '<a href="/tenders/firm/">Opdrachten van mijn bedrijf</a>' in content


def test_a_person_without_organisation_sees_the_empty_state(client, db):
    client.force_login(UserFactory())

    response = client.get("/dashboard/")

    assert response.status_code == 200
    assert "nog niet bij een organisatie" in response.content.decode()


# Services -----------------------------------------------------------------------------------------


def test_a_firm_role_in_a_municipality_is_refused(buyer_org, buyer):
    newcomer = UserFactory()

    with pytest.raises(ValidationError) as refused:
        membership_add(organisation=buyer_org, user=newcomer, role=Role.FIRM_ADMIN, by=buyer)

    assert refused.value.messages == [str(ROLE_DOES_NOT_FIT)]
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_buyer_role_in_a_firm_is_refused(firm, firm_user):
    with pytest.raises(ValidationError) as refused:
        membership_add(
            organisation=firm.organisation, user=UserFactory(), role=Role.BUYER, by=firm_user
        )

    assert refused.value.messages == [str(ROLE_DOES_NOT_FIT)]


def test_adding_an_existing_member_again_is_refused(buyer_org, buyer, second_buyer):
    with pytest.raises(ValidationError) as refused:
        membership_add(organisation=buyer_org, user=second_buyer, role=Role.BUYER, by=buyer)

    assert refused.value.messages == [str(ALREADY_MEMBER)]
    assert Membership.objects.filter(user=second_buyer, organisation=buyer_org).count() == 1


def test_adding_a_member_is_recorded_in_the_audit_trail(buyer_org, buyer):
    newcomer = UserFactory(email="nieuw@dordrecht.example")

    membership = membership_add(organisation=buyer_org, user=newcomer, role=Role.BUYER, by=buyer)

    assert membership.role == Role.BUYER
    event = AuditEvent.objects.get(organisation=buyer_org, action="membership.added")
    assert event.actor == buyer
    assert event.details == {"user": "nieuw@dordrecht.example", "role": "buyer"}


def test_the_creator_of_an_organisation_becomes_its_administrator(dordrecht):
    creator = UserFactory(email="creator@dordrecht.example")

    organisation = organisation_create(
        name="Gemeente Dordrecht Inkoop",
        kind=Organisation.Kind.BUYER,
        municipality=dordrecht,
        by=creator,
    )

    assert organisation.slug == "gemeente-dordrecht-inkoop"
    assert membership_of(creator, organisation).role == Role.BUYER_ADMIN
    actions = set(
        AuditEvent.objects.filter(organisation=organisation).values_list("action", flat=True)
    )
    assert actions == {"organisation.created", "membership.added"}
    created = AuditEvent.objects.get(organisation=organisation, action="organisation.created")
    assert created.actor == creator
    assert created.actor_label == "creator@dordrecht.example"


def test_the_creator_of_a_firm_becomes_its_firm_administrator(db):
    creator = UserFactory()

    organisation = organisation_create(name="Glazenwasser Jansen", kind="firm", by=creator)

    assert membership_of(creator, organisation).role == Role.FIRM_ADMIN


def test_a_second_organisation_with_the_same_name_gets_its_own_address(db):
    first = organisation_create(name="Schilder Bakker", kind="firm", by=None)
    second = organisation_create(name="Schilder Bakker", kind="firm", by=None)

    assert first.slug == "schilder-bakker"
    assert second.slug == "schilder-bakker-2"


def test_a_municipal_organisation_without_municipality_is_refused(db):
    with pytest.raises(ValidationError) as refused:
        organisation_create(name="Gemeente Nergens", kind=Organisation.Kind.BUYER, by=None)

    assert refused.value.messages == [str(BUYER_NEEDS_MUNICIPALITY)]
    assert not Organisation.objects.filter(name="Gemeente Nergens").exists()


def test_an_organisation_created_by_the_system_has_no_members(reference_data):
    organisation = organisation_create(name="Firma Zonder Mensen", kind="firm", by=None)

    assert not organisation.memberships.exists()
    event = AuditEvent.objects.get(organisation=organisation)
    assert event.action == "organisation.created"
    assert event.actor is None


def test_favicon_ico_leads_to_the_sites_icon(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response.url.startswith("/static/") and response.url.endswith(".svg")
