"""Registering a firm (issue 3): the form, its rules, and what the new administrator sees.

The pages are requested in English (the language cookie), so these tests read the same before
and after the Dutch translations are compiled.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from marketplace.models import AuditEvent, Membership, Municipality, Role
from suppliers.forms import NOT_CPV
from suppliers.forms.profiles import BAD_POSTCODE, NEEDS_MUNICIPALITY
from suppliers.models import Firm
from suppliers.services import (
    FIRM_ALREADY_REGISTERED,
    UNKNOWN_CPV,
    UNKNOWN_SBI,
    FirmData,
    firm_register,
)
from tests.factories import UserFactory
from tests.i18n import english

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_client")]

REGISTER = "/suppliers/register/"


@pytest.fixture
def newcomer(reference_data):
    """Gijs: signed up and verified, not part of any organisation yet."""
    return UserFactory(email="gijs@verfwerk.example", first_name="Gijs")


@pytest.fixture
def newcomer_client(client, newcomer):
    client.force_login(newcomer)
    return client


def form_data(**changes) -> dict:
    data = {
        "kvk_number": "12345678",
        "name": "Verfwerk Gijs",
        "establishment_number": "",
        "description": "Binnen- en buitenschilderwerk voor woningen en scholen.",
        "street": "Voorstraat",
        "house_number": "12a",
        "postcode": "3311 ab",
        "place": "",
        "municipality": "",
        "cpv_codes": "45442100, 45442110-1",
        "sbi_2025": "43340",
        "sbi_2008": "",
        "employees": "4",
        "certifications": ["vca", "erkend-leerbedrijf"],
        "website": "verfwerk.example",
        "email": "info@verfwerk.example",
        "phone": "078 123 45 67",
        "open_to_partnerships": "on",
        "published": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# Who may register --------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in_first(client, reference_data):
    response = client.get(REGISTER)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/suppliers/register/")


def test_the_dashboard_of_a_newcomer_links_to_registration(newcomer_client):
    response = newcomer_client.get("/dashboard/")

    assert 'href="/suppliers/register/"' in response.content.decode()


def test_the_form_asks_for_the_kvk_number_address_and_activities(newcomer_client):
    response = newcomer_client.get(REGISTER)

    page = response.content.decode()
    assert response.status_code == 200
    for label in ["KvK number", "Postcode", "Municipality", "Activities (CPV codes)", "VCA"]:
        assert label in page
    assert re.search(r'<input type="checkbox" name="published"[^>]*checked', page)
    assert "suppliers/cpv-picker.js" in page


# Registering -------------------------------------------------------------------------------------


def test_registering_creates_the_firm_and_makes_the_user_its_administrator(
    newcomer_client, newcomer
):
    response = newcomer_client.post(REGISTER, form_data())

    assert response.status_code == 302
    assert response.url == "/suppliers/12345678/"
    firm = Firm.objects.get(kvk_number="12345678")
    assert firm.name == "Verfwerk Gijs"
    assert firm.postcode == "3311 AB"
    assert firm.place == "Dordrecht"
    assert firm.municipality_id == "GM0505"
    assert firm.postcode_area_id == "3311"
    assert sorted(firm.cpv_codes.values_list("code", flat=True)) == ["45442100", "45442110"]
    assert list(firm.sbi_codes.values_list("version", "code")) == [("2025", "43340")]
    assert sorted(firm.certifications.values_list("code", flat=True)) == [
        "erkend-leerbedrijf",
        "vca",
    ]
    assert firm.website == "https://verfwerk.example"
    assert firm.open_to_partnerships and firm.published
    membership = Membership.objects.get(user=newcomer, organisation=firm.organisation)
    assert membership.role == Role.FIRM_ADMIN
    actions = set(AuditEvent.objects.filter(organisation=firm.organisation).values_list("action"))
    assert {("firm.created",), ("membership.added",)} <= actions


def test_after_registering_the_profile_says_where_the_firm_was_placed(newcomer_client):
    response = newcomer_client.post(REGISTER, form_data(), follow=True)

    page = response.content.decode()
    assert "Verfwerk Gijs is on Dichtbij now, in the municipality of Dordrecht." in page
    assert "Edit profile" in page
    assert "Invite a colleague" in page


def test_a_kvk_number_typed_with_spaces_is_accepted(newcomer_client):
    newcomer_client.post(REGISTER, form_data(kvk_number=" 1234 5678 "))

    assert Firm.objects.filter(kvk_number="12345678").exists()


@pytest.mark.parametrize("kvk_number", ["1234567", "123456789", "1234abcd", ""])
def test_a_kvk_number_without_exactly_eight_digits_is_refused(newcomer_client, kvk_number):
    response = newcomer_client.post(REGISTER, form_data(kvk_number=kvk_number))

    assert response.status_code == 200
    errors = response.context["form"].errors["kvk_number"]
    assert errors
    if kvk_number:
        assert errors == ["A KvK number has exactly 8 digits."]
    assert not Firm.objects.exists()


def test_an_existing_kvk_number_is_refused_and_nothing_is_overwritten(
    newcomer_client, newcomer, firm
):
    before = (firm.name, firm.description, firm.municipality_id)

    response = newcomer_client.post(
        REGISTER, form_data(kvk_number=firm.kvk_number, name="Overname BV", description="Weg.")
    )

    assert response.status_code == 200
    assert english(FIRM_ALREADY_REGISTERED) in response.content.decode()
    firm.refresh_from_db()
    firm.organisation.refresh_from_db()
    assert (firm.name, firm.description, firm.municipality_id) == before
    assert not Membership.objects.filter(user=newcomer).exists()
    assert Firm.objects.count() == 1


def test_the_registration_service_never_touches_an_existing_firm(newcomer, firm):
    data = FirmData(kvk_number=firm.kvk_number, name="Overname BV", postcode="3311 AB")

    with pytest.raises(ValidationError) as error:
        firm_register(user=newcomer, data=data)

    assert error.value.messages == [str(FIRM_ALREADY_REGISTERED)]
    firm.organisation.refresh_from_db()
    assert firm.organisation.name == "Schildersbedrijf De Kwast"
    assert not Membership.objects.filter(user=newcomer).exists()


def test_the_form_keeps_everything_typed_when_something_is_wrong(newcomer_client):
    response = newcomer_client.post(REGISTER, form_data(postcode="33"))

    page = response.content.decode()
    assert response.status_code == 200
    assert english(BAD_POSTCODE) in page
    assert "Please check these fields" in page
    assert 'value="12345678"' in page
    assert 'value="Verfwerk Gijs"' in page
    assert "Binnen- en buitenschilderwerk voor woningen en scholen.</textarea>" in page
    assert 'value="45442100, 45442110-1"' in page
    assert 'value="43340"' in page
    assert 'value="078 123 45 67"' in page
    assert 'value="33"' in page
    assert re.search(r'name="certifications" value="vca"[^>]*checked', page)
    assert re.search(r'name="open_to_partnerships"[^>]*checked', page)
    # The chosen activities keep their labels next to the field.
    assert "Schilderen van gebouwen" in page
    assert not Firm.objects.exists()


def test_the_postcode_decides_the_municipality_and_location(newcomer_client):
    newcomer_client.post(REGISTER, form_data(postcode="3312AA"))

    firm = Firm.objects.get()
    assert firm.postcode == "3312 AA"
    assert firm.municipality.name == "Dordrecht"
    assert (firm.latitude, firm.longitude) == (
        firm.postcode_area.latitude,
        firm.postcode_area.longitude,
    )


def test_an_unknown_postcode_area_needs_the_municipality(newcomer_client):
    response = newcomer_client.post(REGISTER, form_data(postcode="2236 AB"))

    assert response.status_code == 200
    assert response.context["form"].errors["municipality"] == [
        english(NEEDS_MUNICIPALITY, area="2236")
    ]
    assert not Firm.objects.exists()


def test_an_unknown_postcode_with_a_municipality_falls_back_to_the_municipality(newcomer_client):
    katwijk = Municipality.objects.get(name="Katwijk")

    response = newcomer_client.post(
        REGISTER, form_data(postcode="2236 AB", place="Katwijk", municipality=katwijk.pk)
    )

    assert response.status_code == 302
    firm = Firm.objects.get()
    assert firm.municipality == katwijk
    assert firm.postcode_area is None
    assert (firm.latitude, firm.longitude) == (katwijk.latitude, katwijk.longitude)
    assert firm.place == "Katwijk"


def test_a_chosen_municipality_wins_over_the_postcodes(newcomer_client):
    zwijndrecht = Municipality.objects.get(pk="GM0642")

    newcomer_client.post(REGISTER, form_data(municipality=zwijndrecht.pk))

    assert Firm.objects.get().municipality == zwijndrecht


def test_unknown_cpv_codes_are_named_in_the_error(newcomer_client):
    response = newcomer_client.post(REGISTER, form_data(cpv_codes="45442100 12345678, 45442100-7"))

    assert response.context["form"].errors["cpv_codes"] == [
        english(UNKNOWN_CPV, codes="12345678, 45442100-7")
    ]
    assert not Firm.objects.exists()


def test_words_in_the_cpv_field_are_named_in_the_error(newcomer_client):
    response = newcomer_client.post(REGISTER, form_data(cpv_codes="45442100, schilder"))

    assert response.context["form"].errors["cpv_codes"] == [english(NOT_CPV, codes="schilder")]


def test_unknown_sbi_codes_are_named_in_the_error(newcomer_client):
    response = newcomer_client.post(REGISTER, form_data(sbi_2025="43340", sbi_2008="4334 99999"))

    assert response.context["form"].errors["sbi_2008"] == [english(UNKNOWN_SBI, codes="99999")]


def test_sbi_codes_of_both_editions_are_kept_with_their_edition(newcomer_client):
    newcomer_client.post(REGISTER, form_data(sbi_2025="43340", sbi_2008="43.34"))

    assert sorted(Firm.objects.get().sbi_codes.values_list("version", "code")) == [
        ("2008", "4334"),
        ("2025", "43340"),
    ]


def test_an_establishment_number_needs_twelve_digits(newcomer_client):
    response = newcomer_client.post(REGISTER, form_data(establishment_number="12345"))

    assert response.context["form"].errors["establishment_number"] == [
        "An establishment number (vestigingsnummer) has exactly 12 digits."
    ]


def test_a_firm_registered_unpublished_is_only_previewed(newcomer_client, client):
    newcomer_client.post(REGISTER, form_data(published=None))

    assert Firm.objects.get().published is False
    assert "Not published" in newcomer_client.get("/suppliers/12345678/").content.decode()


def test_someone_with_a_firm_can_register_another_and_is_told_about_the_first(
    client, firm, firm_user
):
    client.force_login(firm_user)

    page = client.get(REGISTER).content.decode()
    assert "You already act for:" in page
    assert f'href="/suppliers/{firm.kvk_number}/"' in page

    assert client.post(REGISTER, form_data()).status_code == 302
    assert Membership.objects.filter(user=firm_user).count() == 2
