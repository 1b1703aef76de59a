"""Writing the demo world: users, organisations, firms, tenders and their participation."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from marketplace.geo import distance_km
from marketplace.models import (
    CpvCode,
    Membership,
    Message,
    Municipality,
    Organisation,
    User,
    cpv_prefix,
)
from marketplace.services import membership_add, organisation_create
from suppliers.demo.firms import NAMED_FIRMS, generated_firms
from suppliers.models import Firm
from suppliers.search.base import Tier
from suppliers.search.query import Context
from suppliers.services import firm_upsert
from tenders.demo.alerts import demo_alerts_seed
from tenders.demo.history import DEFAULT_HISTORY, demo_history_seed
from tenders.demo.people import ADMIN, BUYERS, DEMO_PASSWORD, EDITOR, PEOPLE
from tenders.demo.plans import TenderPlan, anchor_plans, tender_plans
from tenders.demo.spend import demo_spend_seed
from tenders.demo.wording import BUYER_WEIGHTS, DEFAULT_TENDERS, TENDER_TEMPLATES
from tenders.models import (
    BUYER_ROLES,
    Award,
    AwardCriteriaType,
    Contract,
    Follow,
    Invitation,
    Procedure,
    Question,
    Status,
    Tender,
)
from tenders.policy import procedure_proposal
from tenders.services import (
    award_criteria_set,
    lots_set,
    tender_cancel,
    tender_create,
    tender_publish,
)
from tenders.services.lifecycle import tender_close


def _user(email: str, first: str, last: str, **flags: bool) -> User:
    user = User.objects.filter(email=email).first() or User(email=email)
    user.first_name, user.last_name = first, last
    for flag, value in flags.items():
        setattr(user, flag, value)
    user.set_password(DEMO_PASSWORD)
    user.save()
    # Demo addresses are verified so the demo logins work without an e-mail round trip.
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def demo_seed(
    *,
    suppliers: int,
    seed: int,
    tenders: int = DEFAULT_TENDERS,
    history: int = DEFAULT_HISTORY,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
    tender_progress: Callable[[int], None] | None = None,
) -> dict:
    """Create or refresh the demo world; running it again changes nothing new."""
    now = now or timezone.now()
    organisations: dict[str, Organisation] = {}
    for slug, name, code in BUYERS:
        organisation = Organisation.objects.filter(slug=slug).first() or organisation_create(
            name=name,
            kind=Organisation.Kind.BUYER,
            municipality=Municipality.objects.get(pk=code),
            slug=slug,
            by=None,
        )
        organisations[slug] = organisation

    firms = [*NAMED_FIRMS, *generated_firms(suppliers, seed)]
    existing = set(Firm.objects.values_list("kvk_number", flat=True))
    created = 0
    for number, data in enumerate(firms, start=1):
        if data.kvk_number not in existing:
            firm_upsert(data=data)
            created += 1
        if progress is not None:
            progress(number)

    for firm in Firm.objects.filter(kvk_number__in=[f.kvk_number for f in NAMED_FIRMS]):
        organisations[f"kvk:{firm.kvk_number}"] = firm.organisation
    for email, first, last, slug, role in PEOPLE:
        user = _user(email, first, last)
        organisation = organisations[slug]
        if not organisation.memberships.filter(user=user).exists():
            membership_add(organisation=organisation, user=user, role=role, by=None)

    editor = _user(*EDITOR)
    editor.groups.add(Group.objects.get(name="Editors"))
    _user(*ADMIN, is_staff=True, is_superuser=True)

    # The past first, so its references come before this year's open tenders.
    demo_history_seed(
        buyers={slug: organisations[slug] for slug, _name, _code in BUYERS},
        seed=seed,
        now=now,
        per_buyer=history,
    )
    spend_lines = demo_spend_seed(seed=seed, now=now)
    tenders_created = demo_tenders_seed(
        count=tenders,
        seed=seed,
        now=now,
        organisations=organisations,
        progress=tender_progress,
    )
    demo_alerts_seed()  # after the tenders: saving never alerts to what was already published
    return {
        "buyers": len(BUYERS),
        "firms": Firm.objects.count(),
        "firms_created": created,
        "people": len(PEOPLE) + 2,
        "tenders_created": tenders_created,
        "spend_lines": spend_lines,
        **demo_tender_counts(now),
    }


def demo_logins() -> list[tuple[str, str]]:
    """The demo logins with what each one is for."""
    return [
        ("inkoper@dordrecht.example", "inkoper, Gemeente Dordrecht (beheerder)"),
        ("inkoper2@dordrecht.example", "tweede inkoper, Gemeente Dordrecht"),
        ("inkoper@zwijndrecht.example", "inkoper, Gemeente Zwijndrecht"),
        ("inkoper@papendrecht.example", "inkoper, Gemeente Papendrecht"),
        ("inkoper@sliedrecht.example", "inkoper, Gemeente Sliedrecht"),
        ("schilder@firma.example", "Schildersbedrijf Van Dijk, Dordrecht"),
        ("bouw@firma.example", "Bouwbedrijf Maas & Zonen, Rotterdam"),
        ("redacteur@dichtbij.example", "redacteur (Wagtail)"),
        ("moderator@dichtbij.example", "moderator (Wagtail): keurt goed wat redacteuren indienen"),
        ("beheer@dichtbij.example", "beheerder (superuser)"),
    ]


# Writing the tenders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    """A published firm that may be invited to, follow or ask about a demo tender."""

    firm: Firm
    codes: frozenset[str]
    municipality: Municipality | None
    user: User | None


@dataclass
class _World:
    now: datetime
    organisations: dict[str, Organisation]
    people: dict[str, list[User]]  # the buyers of each buying organisation
    candidates: list[_Candidate]
    cpv: dict[str, CpvCode]


def _world(now: datetime, organisations: dict[str, Organisation]) -> _World:
    people: dict[str, list[User]] = {}
    for email, _first, _last, slug, role in PEOPLE:
        if role in BUYER_ROLES:
            people.setdefault(slug, []).append(User.objects.get(email=email))
    users = {
        membership.organisation_id: membership.user
        for membership in Membership.objects.filter(organisation__kind=Organisation.Kind.FIRM)
        .select_related("user")
        .order_by("-created_at", "-pk")
    }
    firms = (
        Firm.objects.filter(published=True)
        .select_related("organisation", "municipality__region")
        .prefetch_related("cpv_codes")
        .order_by("kvk_number")
    )
    candidates = [
        _Candidate(
            firm=firm,
            codes=frozenset(code.pk for code in firm.cpv_codes.all()),
            municipality=firm.municipality,
            user=users.get(firm.pk),
        )
        for firm in firms
    ]
    codes = {code for template in TENDER_TEMPLATES for code in template.cpv_codes}
    codes |= {code for plan in anchor_plans(timezone.localdate(now)) for code in plan.cpv_codes}
    cpv = CpvCode.objects.in_bulk(codes)
    return _World(now, organisations, people, candidates, cpv)


def _covers(code: str, other: str) -> bool:
    """One CPV code's subtree holds the other (45000000 covers 45442100)."""
    return other.startswith(cpv_prefix(code)) or code.startswith(cpv_prefix(other))


@dataclass(frozen=True)
class _Match:
    candidate: _Candidate
    reason: str


def _matching_firms(
    world: _World, cpv_codes: Sequence[str], near: Municipality, rng: random.Random
) -> list[_Match]:
    """Firms working in the tender's CPV codes, as the invitation assistant would propose them:
    specialists (a shared code) before generalists (a covering code), and among them local
    first (DESIGN §4.1 tiers). Only when nobody does the work, firms of the same CPV division, and
    when there are none of those either (a tiny demo), any firm: an invite-only tender needs one."""
    context = Context(near.code, near.region_id, near.latitude, near.longitude, 25.0)
    divisions = {code[:2] for code in cpv_codes}
    ranked = []
    for candidate in world.candidates:
        if candidate.municipality is None:
            continue
        shared = sorted(candidate.codes.intersection(cpv_codes))
        covered = [c for c in cpv_codes if any(_covers(own, c) for own in candidate.codes)]
        if shared:
            level, what = 0, shared[0]
        elif covered:
            level, what = 1, covered[0]
        elif any(own[:2] in divisions for own in candidate.codes):
            level, what = 2, cpv_codes[0]
        else:  # only chosen when no firm in the demo does this kind of work at all
            level, what = 3, ""
        place = candidate.municipality
        distance = distance_km(
            near.latitude, near.longitude, candidate.firm.latitude, candidate.firm.longitude
        )
        tier = context.tier_of(place.code, place.region_id, distance)
        where = {
            Tier.LOCAL: f"Lokaal · {place.name}",
            Tier.REGION: f"Regio {place.region.name if place.region else place.name}",
            Tier.NEARBY: f"Dichtbij · {round(distance)} km",
            Tier.ELSEWHERE: f"Elders · {place.name}",
        }[tier]
        key = (level, tier, -len(shared), rng.random())
        work = world.cpv[what].label_nl if what else "algemeen"
        ranked.append((key, _Match(candidate, f"{where}; {work}")))
    ranked.sort(key=lambda item: item[0])
    if ranked:
        best = ranked[0][0][0]
        ranked = [item for item in ranked if (item[0][0] < 2 if best < 2 else item[0][0] == best)]
    return [match for _key, match in ranked]


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()


def _not_after(moment: datetime, start: datetime, now: datetime) -> datetime:
    """``moment``, or halfway between ``start`` and now when it would be in the future."""
    return moment if moment <= now else start + (now - start) / 2


def _tender_write(plan: TenderPlan, world: _World, rng: random.Random) -> Tender:
    """Create one planned tender through the services, then its invitations, followers and
    questions."""
    organisation = world.organisations[plan.buyer]
    people = world.people[plan.buyer]
    by = people[plan.contact % len(people)]
    municipality = organisation.municipality
    decided_on = timezone.localdate(plan.published_at or world.now)
    procedure = procedure_proposal(
        municipality=municipality,
        contract_type=plan.contract_type,
        value=plan.value,
        on=decided_on,
    ).procedure
    is_range = plan.value_min is not None
    tender = tender_create(
        buyer=organisation,
        by=by,
        title=plan.title,
        description=plan.description,
        contract_type=plan.contract_type,
        main_cpv=world.cpv[plan.cpv_codes[0]],
        additional_cpv=plan.cpv_codes[1:],
        estimated_value_min=plan.value_min if is_range else plan.value,
        estimated_value_max=plan.value if is_range else None,
        procedure=procedure,
        award_criteria_type=(
            AwardCriteriaType.PRICE_QUALITY if plan.criteria else AwardCriteriaType.LOWEST_PRICE
        ),
        question_deadline=plan.question_deadline,
        quote_deadline=plan.quote_deadline,
        contact_name=by.get_full_name(),
        contact_email=by.email,
        tenderned_reference=(
            plan.tenderned_reference
            if procedure.needs_tenderned and plan.published_at is not None
            else ""
        ),
    )
    if plan.lots:
        lots_set(tender=tender, lots=plan.lots, by=by)
    if plan.criteria:
        award_criteria_set(tender=tender, criteria=plan.criteria, by=by)
    # Not a state change: the demo's history starts before today.
    Tender.objects.filter(pk=tender.pk).update(created_at=plan.created_at)
    # The shortlist comes before publishing, which sends the invitations (drafts keep theirs).
    matches, audience = _invitations_write(tender, plan, world, rng, by)
    if plan.published_at is None:
        return tender
    tender_publish(tender=tender, by=by, now=plan.published_at)
    _participation_write(tender, plan, world, rng, by, matches, audience)
    if plan.state == "cancelled":
        tender_cancel(tender=tender, by=by, reason=plan.cancel_reason)
    elif plan.state == "closed":
        # As the periodic command (advance_tenders) would have done at the deadline.
        tender_close(tender=tender, now=world.now)
    return tender


def _invitations_write(
    tender: Tender, plan: TenderPlan, world: _World, rng: random.Random, by: User
) -> tuple[list, list]:
    """The firms that match the tender, and the shortlist of an invite-only one (written)."""
    matches = _matching_firms(world, plan.cpv_codes, tender.buyer.municipality, rng)
    if not tender.is_invite_only:
        return matches, matches[:12]
    forced = [m for m in matches if m.candidate.firm.kvk_number in plan.must_invite]
    count = 1 if tender.procedure == Procedure.SINGLE else plan.invited
    audience = forced + [m for m in matches if m not in forced]
    audience = audience[: max(count, len(forced))]
    Invitation.objects.bulk_create(
        Invitation(
            tender=tender,
            firm=m.candidate.firm,
            reason=m.reason,
            position=position,
            invited_by=by,
            invited_at=plan.published_at or plan.created_at,
        )
        for position, m in enumerate(audience, start=1)
    )
    return matches, audience


def _participation_write(
    tender: Tender,
    plan: TenderPlan,
    world: _World,
    rng: random.Random,
    by: User,
    matches: list,
    audience: list,
) -> None:
    published_at, now = plan.published_at, world.now
    if tender.is_invite_only:
        followers = [m for m in audience if m.candidate.firm.kvk_number in plan.followed_by]
    else:
        chosen = [m for m in matches if m.candidate.firm.kvk_number in plan.followed_by]
        others = [m for m in audience if m not in chosen]
        followers = chosen + rng.sample(others, min(plan.followers, len(others)))
    Follow.objects.bulk_create(
        Follow(
            tender=tender,
            firm=m.candidate.firm,
            user=m.candidate.user,
            created_at=_not_after(
                published_at + timedelta(hours=rng.randint(2, 72)), published_at, now
            ),
        )
        for m in followers
    )

    askers = followers or audience
    start = published_at + timedelta(hours=1)
    end = min(plan.question_deadline, now) - timedelta(hours=1)
    if not askers or end <= start:
        return
    # Questions asked in time are all answered before a tender closes (DESIGN §4.4).
    must_answer = plan.question_deadline <= now
    asked = sorted(
        (_between(rng, start, end), rng.choice(askers), question, answer, answered)
        for question, answer, answered in plan.questions
    )
    rows = []
    for number, (asked_at, asker, question, answer, answered) in enumerate(asked, start=1):
        row = Question(
            tender=tender,
            number=number,
            firm=asker.candidate.firm,
            asked_by=asker.candidate.user,
            text=question,
            asked_at=asked_at,
        )
        if answered or must_answer:
            answered_at = asked_at + timedelta(hours=rng.randint(4, 72))
            row.answer = answer
            row.answered_by = by
            row.answered_at = _not_after(answered_at, asked_at, now)
            row.published_at = _not_after(
                row.answered_at + timedelta(hours=rng.randint(0, 6)), row.answered_at, now
            )
        rows.append(row)
    Question.objects.bulk_create(rows)


def demo_tenders_seed(
    *,
    count: int,
    seed: int,
    now: datetime,
    organisations: dict[str, Organisation],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Create the planned demo tenders that do not exist yet (a buyer's title is the key), and
    return how many were made."""
    plans = tender_plans(count, seed, now=now)
    existing = set(
        Tender.objects.filter(buyer__slug__in=BUYER_WEIGHTS).values_list("buyer__slug", "title")
    )
    world = _world(now, organisations) if plans else None
    written_before = Message.objects.aggregate(last=Max("pk"))["last"] or 0
    created = []
    for index, plan in enumerate(plans):
        if (plan.buyer, plan.title) not in existing:
            created.append(_tender_write(plan, world, random.Random(f"{seed}:{index}:firms")))
        if progress is not None:
            progress(index + 1)
    # The demo's history (a cancellation, say) reached the firms long ago: nothing to e-mail now.
    Message.objects.filter(
        pk__gt=written_before, topic__startswith="tender:", sent_at__isnull=True
    ).update(sent_at=now)
    return len(created)


def demo_tender_counts(now: datetime) -> dict[str, int]:
    """Tenders by status as a visitor sees them now, with invitations, followers, questions."""
    tenders = Tender.objects.all()
    invite_only = [procedure for procedure in Procedure if procedure.is_invite_only]
    return {
        "tenders": tenders.count(),
        **{
            f"tenders_{status}": tenders.in_status(status, now).count()
            for status in (Status.DRAFT, Status.PUBLISHED, Status.CLOSED, Status.CANCELLED)
        },
        "tenders_invite_only": tenders.filter(procedure__in=invite_only).count(),
        "invitations": Invitation.objects.count(),
        "follows": Follow.objects.count(),
        "questions": Question.objects.count(),
        "questions_answered": Question.objects.published().count(),
        "awards": Award.objects.count(),
        "contracts": Contract.objects.count(),
    }
