"""The front page and the way into the Wagtail admin."""

from __future__ import annotations

import re

import pytest

from marketplace.models import Municipality, Organisation
from suppliers.models import Firm
from tests.factories import BuyerOrganisationFactory, FirmFactory

pytestmark = pytest.mark.django_db


def figure(content: str, label: str) -> str:
    """The number shown in front of a label in the home page's figures."""
    match = re.search(rf"<strong>([\d.,]+)</strong>\s*{re.escape(label)}", content)
    assert match, f"no figure for {label!r}"
    return match.group(1)


def bulk_firms(count: int, municipality: Municipality) -> None:
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Firma {n}", slug=f"firma-{n}", kind=Organisation.Kind.FIRM)
        for n in range(count)
    )
    Firm.objects.bulk_create(
        Firm(
            organisation=organisation,
            kvk_number=f"{80_000_000 + n}",
            municipality=municipality,
            latitude=municipality.latitude,
            longitude=municipality.longitude,
        )
        for n, organisation in enumerate(organisations)
    )


def test_the_home_page_greets_in_dutch(client):
    response = client.get("/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Lokaal werk voor lokale ondernemers" in content
    assert '<html lang="nl">' in content


def test_the_home_page_credits_the_open_data_it_uses(client):
    content = client.get("/").content.decode()

    assert "Bevat gegevens van CBS en PDOK" in content


def test_the_home_page_counts_only_published_firms(client, dordrecht):
    FirmFactory.create_batch(3, municipality=dordrecht)
    FirmFactory(published=False, municipality=dordrecht)

    content = client.get("/").content.decode()

    assert figure(content, "bedrijven in de leveranciersindex") == "3"


def test_the_home_page_counts_municipalities_buying_here_once_each(client, dordrecht, zwijndrecht):
    BuyerOrganisationFactory(name="Gemeente Dordrecht", municipality=dordrecht)
    BuyerOrganisationFactory(name="Dordrecht Sociaal Domein", municipality=dordrecht)
    BuyerOrganisationFactory(name="Gemeente Zwijndrecht", municipality=zwijndrecht)

    content = client.get("/").content.decode()

    assert figure(content, "gemeenten kopen hier in") == "2"


def test_the_home_page_shows_all_municipalities_covered(client, reference_data):
    content = client.get("/").content.decode()

    assert figure(content, "gemeenten in beeld") == "342"


def test_large_figures_are_grouped_the_dutch_way(client, dordrecht):
    bulk_firms(1200, dordrecht)

    content = client.get("/").content.decode()

    assert figure(content, "bedrijven in de leveranciersindex") == "1.200"


def test_large_figures_are_grouped_the_english_way_in_english(client, dordrecht):
    bulk_firms(1200, dordrecht)
    client.cookies["django_language"] = "en"

    content = client.get("/").content.decode()

    assert "Local work for local firms" in content
    assert figure(content, "firms in the supplier index") == "1,200"


# The Wagtail admin --------------------------------------------------------------------------------


def test_the_admin_login_page_opens(client):
    assert client.get("/admin/login/").status_code == 200


def test_an_editor_can_open_the_wagtail_admin(client, editor):
    client.force_login(editor)

    response = client.get("/admin/")

    assert response.status_code == 200


def test_a_firm_user_without_admin_rights_is_kept_out_of_the_admin(client, firm_user):
    client.force_login(firm_user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_an_anonymous_visitor_is_asked_to_log_in_to_the_admin(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
