"""seed_demo: a deterministic, believable demo world with the demo logins of DESIGN §6."""

from __future__ import annotations

import json
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from marketplace.models import CpvCode, Membership, Organisation, Postcode, Role, User, cpv_prefix
from marketplace.outbox.models import Message
from suppliers.demo.firms import generated_firms
from suppliers.models import Firm
from tenders.demo import DEFAULT_TENDERS, DEMO_PASSWORD, tender_plans
from tenders.models import (
    AwardCriteriaType,
    Follow,
    Invitation,
    Procedure,
    Question,
    Status,
    Tender,
)
from tenders.policy import procedure_proposal, tender_publication_check
from tenders.selectors.visibility import public_tenders, tenders_visible_to
from tests.tenders.factories import MONDAY

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


TENDERS = 14  # the eight every demo has, and six drawn from the seed


def seed_demo(*args: str, seed: int = 7) -> dict[str, int]:
    stdout = StringIO()
    call_command(
        "seed_demo",
        *("--suppliers", "30", "--tenders", str(TENDERS), "--seed", str(seed), "--json"),
        *("--history", "0", *args),  # the history has its own tests (test_seed_demo_history)
        stdout=stdout,
    )
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


# Tenders ------------------------------------------------------------------------------------------


PAINTER = "schilder@firma.example"
DEMO_BUYERS = {
    "gemeente-dordrecht",
    "gemeente-zwijndrecht",
    "gemeente-papendrecht",
    "gemeente-sliedrecht",
}


def tenders_snapshot() -> list[tuple]:
    """Everything a visitor or a demo login could notice about the demo tenders, without ids."""
    rows = []
    for tender in Tender.objects.order_by("reference"):
        rows.append(
            (
                tender.reference,
                tender.buyer.slug,
                tender.title,
                tender.description,
                tender.status,
                tender.procedure,
                tender.contract_type,
                tender.main_cpv_id,
                tuple(sorted(tender.additional_cpv.values_list("pk", flat=True))),
                tender.estimated_value_min,
                tender.estimated_value_max,
                tender.question_deadline,
                tender.quote_deadline,
                tender.published_at,
                tender.created_at,
                tender.contact_email,
                tender.tenderned_reference,
                tuple(
                    tender.lots.values_list(
                        "number", "title", "estimated_value", "suitable_for_local_smes"
                    )
                ),
                tuple(tender.award_criteria.values_list("name", "weight")),
                tuple(sorted(tender.invitations.values_list("firm__kvk_number", "reason"))),
                tuple(sorted(tender.follows.values_list("firm__kvk_number", flat=True))),
                tuple(
                    tender.questions.values_list(
                        "number", "firm__kvk_number", "text", "asked_at", "answer", "published_at"
                    )
                ),
            )
        )
    return rows


def painting(tender: Tender) -> bool:
    return tender.main_cpv_id.startswith(cpv_prefix("45440000"))


def test_seeding_reports_the_tenders_it_made(seeded):
    now = timezone.now()

    assert seeded["tenders_created"] == seeded["tenders"] == Tender.objects.count() == TENDERS
    assert seeded["tenders_draft"] == Tender.objects.in_status(Status.DRAFT, now).count() > 0
    assert seeded["tenders_published"] == Tender.objects.open(now).count() > 0
    assert seeded["tenders_closed"] == Tender.objects.in_status(Status.CLOSED, now).count() > 0
    assert seeded["tenders_cancelled"] == Tender.objects.filter(status=Status.CANCELLED).count() > 0
    assert sum(seeded[f"tenders_{s}"] for s in ("draft", "published", "closed", "cancelled")) == (
        TENDERS
    )
    assert seeded["invitations"] == Invitation.objects.count() > 0
    assert seeded["follows"] == Follow.objects.count() > 0
    assert seeded["questions"] == Question.objects.count() > seeded["questions_answered"] > 0


def test_the_demo_makes_forty_tenders_by_default():
    assert DEFAULT_TENDERS == 40
    assert len(tender_plans(DEFAULT_TENDERS, 2026, now=MONDAY)) == 40


def test_demo_tenders_belong_to_the_four_demo_municipalities(seeded):
    buyers = set(Tender.objects.values_list("buyer__slug", flat=True))

    assert buyers == DEMO_BUYERS


def test_seeding_again_creates_no_duplicate_tenders(seeded):
    rows = tenders_snapshot()

    again = seed_demo()

    assert again["tenders_created"] == 0
    assert {
        k: v
        for k, v in again.items()
        if k not in {"firms_created", "tenders_created", "pages_created"}
    } == {
        k: v
        for k, v in seeded.items()
        if k not in {"firms_created", "tenders_created", "pages_created"}
    }
    assert tenders_snapshot() == rows


def test_the_same_seed_on_the_same_day_gives_the_same_tenders(reference_data):
    with time_machine.travel(MONDAY, tick=False):
        with transaction.atomic():
            seed_demo()
            first = tenders_snapshot()
            transaction.set_rollback(True)
        assert not Tender.objects.exists()

        seed_demo()

        assert tenders_snapshot() == first
        assert len(first) == TENDERS


def test_a_different_seed_gives_different_tenders():
    first = [plan.title for plan in tender_plans(30, 7, now=MONDAY)]
    other = [plan.title for plan in tender_plans(30, 8, now=MONDAY)]

    assert first != other
    assert first[:8] == other[:8]  # the tenders every demo has


def test_more_tenders_keep_the_first_ones():
    assert tender_plans(20, 7, now=MONDAY) == tender_plans(30, 7, now=MONDAY)[:20]


def test_demo_titles_are_unique_per_buyer():
    plans = tender_plans(200, 7, now=MONDAY)

    assert len({(plan.buyer, plan.title) for plan in plans}) == 200


def test_the_painter_is_invited_to_an_open_multiple_quote_painting_tender(seeded):
    painter = User.objects.get(email=PAINTER)
    firm = organisation_of(PAINTER).firm

    invited = [invitation.tender for invitation in Invitation.objects.filter(firm=firm)]
    matching = [
        tender
        for tender in invited
        if tender.procedure == Procedure.MULTIPLE and tender.is_open and painting(tender)
    ]

    assert matching
    tender = matching[0]
    assert tender.buyer.slug == "gemeente-dordrecht"
    assert tenders_visible_to(painter).filter(pk=tender.pk).exists()
    assert not public_tenders().filter(pk=tender.pk).exists()


def test_invite_only_demo_tenders_are_not_public(seeded):
    invite_only = Tender.objects.filter(procedure__in=[Procedure.SINGLE, Procedure.MULTIPLE])
    published = invite_only.exclude(status__in=[Status.DRAFT, Status.CANCELLED])

    assert published.exists()
    assert not public_tenders().filter(pk__in=invite_only).exists()
    assert public_tenders().exists()


def test_every_published_invite_only_tender_has_invited_firms_in_its_trade(seeded):
    tenders = Tender.objects.filter(
        procedure__in=[Procedure.SINGLE, Procedure.MULTIPLE], published_at__isnull=False
    )

    for tender in tenders:
        invitations = list(tender.invitations.select_related("firm"))
        assert invitations, tender
        if tender.procedure == Procedure.SINGLE:
            assert len(invitations) == 1, tender
        codes = [tender.main_cpv_id, *tender.additional_cpv.values_list("pk", flat=True)]
        for invitation in invitations:
            own = invitation.firm.cpv_codes.values_list("pk", flat=True)
            # The firm works in the tender's CPV division (45: construction, 72: IT, ...).
            assert {code[:2] for code in codes} & {code[:2] for code in own}, (
                tender,
                invitation.firm,
            )
            assert invitation.reason


def test_demo_procedures_follow_the_policy_and_the_law(seeded):
    for tender in Tender.objects.select_related("buyer__municipality"):
        on = timezone.localdate(tender.published_at or timezone.now())
        proposal = procedure_proposal(
            municipality=tender.buyer.municipality,
            contract_type=tender.contract_type,
            value=tender.estimated_value,
            on=on,
        )
        assert tender.procedure == proposal.procedure, tender
        needs_tenderned = Procedure(tender.procedure).needs_tenderned
        if tender.published_at is not None:
            assert bool(tender.tenderned_reference) == needs_tenderned, tender


def test_demo_drafts_are_ready_to_publish_but_for_the_tenderned_reference(seeded):
    drafts = Tender.objects.filter(status=Status.DRAFT)

    assert drafts.exists()
    for tender in drafts:
        assert set(tender_publication_check(tender=tender)) <= {"tenderned_reference"}, tender


def test_demo_award_criteria_are_lowest_price_or_weights_adding_up_to_100(seeded):
    kinds = set()
    for tender in Tender.objects.all():
        weights = list(tender.award_criteria.values_list("weight", flat=True))
        kinds.add(tender.award_criteria_type)
        if tender.award_criteria_type == AwardCriteriaType.PRICE_QUALITY:
            assert sum(weights) == 100, tender
        else:
            assert weights == [], tender

    assert kinds == {AwardCriteriaType.LOWEST_PRICE, AwardCriteriaType.PRICE_QUALITY}


def test_some_demo_tenders_have_lots_for_local_smes(seeded):
    tenders = Tender.objects.filter(lots__suitable_for_local_smes=True).distinct()

    assert tenders.exists()
    assert Tender.objects.filter(lots__suitable_for_local_smes=False).exists()


def test_demo_deadlines_are_relative_to_now(seeded):
    now = timezone.now()

    for tender in Tender.objects.all():
        assert tender.question_deadline < tender.quote_deadline, tender
        if tender.status == Status.DRAFT:
            assert tender.question_deadline > now, tender
        if tender.published_at is not None:
            assert tender.published_at < tender.question_deadline, tender
            assert tender.published_at <= now, tender
    assert Tender.objects.open(now).exists()
    assert Tender.objects.filter(status=Status.CLOSED, quote_deadline__lt=now).exists()


def test_closed_demo_tenders_have_every_question_answered(seeded):
    closed = Tender.objects.filter(status=Status.CLOSED)

    assert closed.exists()
    assert not Question.objects.filter(tender__in=closed, published_at__isnull=True).exists()


def test_demo_questions_are_asked_in_time_and_never_name_the_asker(seeded):
    questions = Question.objects.select_related("tender", "firm__organisation")

    assert questions.filter(published_at__isnull=False).exists()
    assert questions.filter(answered_at__isnull=True).exists()
    for question in questions:
        tender = question.tender
        assert tender.published_at < question.asked_at < tender.question_deadline, question
        assert question.asked_at <= timezone.now()
        if question.published_at is not None:
            assert question.asked_at < question.answered_at <= question.published_at
            assert question.answer
        name = question.firm.organisation.name
        assert name not in question.text and name not in question.answer


def test_firms_follow_only_tenders_they_may_see(seeded):
    follows = Follow.objects.select_related("tender", "firm")

    assert follows.exists()
    public = set(public_tenders().values_list("pk", flat=True))
    for follow in follows:
        invited = follow.tender.invitations.filter(firm=follow.firm).exists()
        assert follow.tender_id in public or invited, follow


def test_seeding_sends_no_mail(seeded, mailoutbox):
    assert mailoutbox == []
    assert not Message.objects.pending().exists()


def test_no_tenders_when_asked_for_none(reference_data):
    counts = seed_demo("--tenders", "0")

    assert counts["tenders"] == counts["tenders_created"] == 0
