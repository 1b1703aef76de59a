"""seed_demo: a deterministic, believable demo world with the demo logins of DESIGN §6."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command

from marketplace.models import CpvCode, Membership, Organisation, Postcode, Role, User
from suppliers.models import Firm
from tenders.demo import DEMO_PASSWORD, generated_firms

DEMO_LOGINS = [
    "inkoper@dordrecht.example",
    "inkoper2@dordrecht.example",
    "inkoper@zwijndrecht.example",
    "schilder@firma.example",
    "bouw@firma.example",
    "redacteur@dichtbij.example",
    "beheer@dichtbij.example",
]
DRECHTSTEDEN = {"GM0482", "GM0505", "GM0523", "GM0531", "GM0590", "GM0610", "GM0642"}

pytestmark = pytest.mark.django_db


def seed_demo(*args: str) -> dict[str, int]:
    stdout = StringIO()
    call_command("seed_demo", "--suppliers", "30", "--seed", "7", "--json", *args, stdout=stdout)
    return json.loads(stdout.getvalue())


def organisation_of(email: str) -> Organisation:
    return Membership.objects.select_related("organisation").get(user__email=email).organisation


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts login attempts in the cache; each test logs in from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded(reference_data) -> dict[str, int]:
    return seed_demo()


# The demo logins ----------------------------------------------------------------------------------


def test_seeding_reports_what_it_made(seeded):
    assert seeded["firms_created"] == 32
    assert seeded["firms"] == Firm.objects.count() == 32
    assert seeded["buyers"] == Organisation.objects.filter(kind="buyer").count()


def test_every_demo_login_exists_with_the_demo_password(seeded):
    for email in DEMO_LOGINS:
        user = User.objects.get(email=email)
        assert user.is_active, email
        assert user.check_password(DEMO_PASSWORD), email


@pytest.mark.parametrize("email", DEMO_LOGINS)
def test_each_demo_login_can_log_in_through_the_login_page(client, seeded, email):
    response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(User.objects.get(email=email).pk)


def test_the_two_dordrecht_buyers_work_for_the_same_municipality(seeded):
    first = Membership.objects.get(user__email="inkoper@dordrecht.example")
    second = Membership.objects.get(user__email="inkoper2@dordrecht.example")

    assert first.organisation == second.organisation
    assert first.organisation.name == "Gemeente Dordrecht"
    assert first.organisation.municipality_id == "GM0505"
    assert {first.role, second.role} <= {Role.BUYER, Role.BUYER_ADMIN}


def test_the_zwijndrecht_buyer_works_for_zwijndrecht(seeded):
    organisation = organisation_of("inkoper@zwijndrecht.example")

    assert organisation.is_buyer
    assert organisation.municipality_id == "GM0642"


def test_the_painter_runs_a_firm_in_dordrecht(seeded):
    organisation = organisation_of("schilder@firma.example")

    assert organisation.is_firm
    assert organisation.firm.municipality_id == "GM0505"
    assert organisation.firm.cpv_codes.filter(pk="45442100").exists()


def test_the_builder_runs_a_firm_in_rotterdam(seeded):
    organisation = organisation_of("bouw@firma.example")

    assert organisation.is_firm
    assert organisation.firm.municipality_id == "GM0599"


def test_the_editor_can_open_the_wagtail_admin(client, seeded):
    editor = User.objects.get(email="redacteur@dichtbij.example")

    assert editor.groups.filter(name="Editors").exists()
    assert not editor.is_superuser
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_beheer_is_the_superuser(seeded):
    admin = User.objects.get(email="beheer@dichtbij.example")

    assert admin.is_superuser
    assert admin.is_staff
    assert not Membership.objects.filter(user=admin).exists()


def test_only_beheer_is_a_superuser(seeded):
    superusers = set(User.objects.filter(is_superuser=True).values_list("email", flat=True))

    assert superusers == {"beheer@dichtbij.example"}


# Determinism --------------------------------------------------------------------------------------


def firm_keys(seed: int, count: int = 30) -> list[tuple[str, str, str]]:
    return [(f.kvk_number, f.name, f.postcode) for f in generated_firms(count, seed)]


def test_the_same_seed_gives_the_same_firms(reference_data):
    assert firm_keys(7) == firm_keys(7)


def test_a_different_seed_gives_different_firms(reference_data):
    assert firm_keys(7) != firm_keys(8)


def test_the_seeded_firms_are_the_generated_ones(seeded):
    expected = {kvk for kvk, _name, _postcode in firm_keys(7)}

    seeded_numbers = set(Firm.objects.values_list("kvk_number", flat=True))

    assert expected <= seeded_numbers
    assert len(seeded_numbers - expected) == 2  # the painter's and the builder's firms


def test_seeding_again_creates_no_duplicates(seeded):
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())

    again = seed_demo()

    assert again["firms_created"] == 0
    assert again["firms"] == seeded["firms"] == Firm.objects.count()
    assert (
        User.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
    ) == counts


def test_seeding_again_keeps_the_demo_logins_working(seeded):
    seed_demo()

    assert User.objects.get(email="schilder@firma.example").check_password(DEMO_PASSWORD)
    editors = Group.objects.get(name="Editors").user_set
    assert editors.filter(email="redacteur@dichtbij.example").exists()


# Realism ------------------------------------------------------------------------------------------


def test_most_generated_firms_are_in_the_drechtsteden(reference_data):
    firms = generated_firms(200, 7)
    municipality_of = dict(Postcode.objects.values_list("code", "municipality"))

    local = [f for f in firms if municipality_of[f.postcode[:4]] in DRECHTSTEDEN]

    assert len(firms) == 200
    assert len(local) >= 80
    assert len(local) < 200  # some firms come from elsewhere, so the tiers have something to show


def test_generated_firms_have_unique_names_and_kvk_numbers(reference_data):
    firms = generated_firms(200, 7)

    assert len({f.kvk_number for f in firms}) == 200
    assert len({f.name for f in firms}) == 200
    assert all(len(f.kvk_number) == 8 and f.kvk_number.isdigit() for f in firms)


def test_generated_firms_use_real_postcodes_and_cpv_codes(reference_data):
    firms = generated_firms(200, 7)
    postcodes = set(Postcode.objects.values_list("code", flat=True))
    used_cpv = {code for f in firms for code in f.cpv_codes}

    assert all(f.postcode[:4] in postcodes for f in firms)
    assert used_cpv <= set(CpvCode.objects.filter(pk__in=used_cpv).values_list("code", flat=True))


def test_every_seeded_firm_sits_in_a_real_postcode_area(seeded):
    firms = Firm.objects.select_related("postcode_area")

    assert not firms.filter(postcode_area__isnull=True).exists()
    for firm in firms:
        assert firm.municipality_id == firm.postcode_area.municipality_id, firm.name
        assert (firm.latitude, firm.longitude) == (
            firm.postcode_area.latitude,
            firm.postcode_area.longitude,
        )
        assert firm.cpv_codes.exists(), firm.name
