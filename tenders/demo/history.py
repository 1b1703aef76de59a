"""The demo's past (issue 5 point 5): tenders of the last two years that were awarded and mostly
completed, with invitations, sealed quotes, a (four-eyes) opening, the award with its ranking and
the contract, so awards show in the open data and feed the local-spend view.

The services refuse dates in the past, so the rows are written directly, but as the services
would have left them, audit trail included. Titles are the key: a second run adds nothing."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from marketplace.geo import distance_km
from marketplace.models import CpvCode, Membership, Organisation, User, cpv_prefix
from suppliers.models import Firm
from suppliers.search.base import Tier
from suppliers.search.query import Context
from tenders.demo.history_outcome import (
    Bidder,
    Timeline,
    change_write,
    event_write,
    outcome_write,
)
from tenders.demo.history_plans import HISTORY, OUTSIDE, HistoryItem
from tenders.demo.people import PEOPLE
from tenders.demo.wording import CRITERIA_SETS
from tenders.models import (
    BUYER_ROLES,
    AwardCriteriaType,
    AwardCriterion,
    Invitation,
    InvitationChange,
    Procedure,
    Status,
    Tender,
    TenderChange,
    reference_prefix,
)
from tenders.policy import procedure_proposal

DEFAULT_HISTORY = max(len(items) for items in HISTORY.values())
TIER_WORDS = {Tier.LOCAL: "Lokaal", Tier.REGION: "Regio", Tier.NEARBY: "Dichtbij"}


def _level(own: frozenset[str], codes: tuple[str, ...]) -> int:
    """How well a firm's CPV codes fit: 0 the same code, 1 one covers the other (45000000 covers
    45442100), 2 only the same division, 3 not at all."""
    if own.intersection(codes):
        return 0
    for code in codes:
        for mine in own:
            if code.startswith(cpv_prefix(mine)) or mine.startswith(cpv_prefix(code)):
                return 1
    return 2 if any(mine[:2] == code[:2] for mine in own for code in codes) else 3


def _bidders(
    item: HistoryItem, buyer: Organisation, firms: list[Firm], users: dict[int, User | None]
) -> list[Bidder]:
    """Firms doing the work (specialists and generalists; only when there are none, firms of the
    same CPV division), nearest tier first, then by KvK number."""
    near = buyer.municipality
    context = Context(near.code, near.region_id, near.latitude, near.longitude, 25.0)
    found = []
    for firm in firms:
        level = _level(firm.codes, item.cpv_codes)
        if firm.municipality is None or level == 3:
            continue
        place = firm.municipality
        distance = distance_km(near.latitude, near.longitude, firm.latitude, firm.longitude)
        tier = context.tier_of(place.code, place.region_id, distance)
        where = TIER_WORDS.get(tier, "Elders")
        found.append((level, Bidder(firm, tier, f"{where} · {place.name}", users.get(firm.pk))))
    best = min((level for level, _bidder in found), default=2)
    return sorted(
        (bidder for level, bidder in found if level <= max(best, 1)),
        key=lambda b: (b.tier, b.firm.kvk_number),
    )


def _pick(bidders: list[Bidder], item: HistoryItem, rng: random.Random, count: int) -> list[Bidder]:
    """``count`` bidders, the intended winner first: of the item's tier when there is one."""
    if not bidders:
        return []
    wanted = [b for b in bidders if b.firm.kvk_number in item.winner_kvk]
    if not wanted:
        if item.winner == OUTSIDE:
            wanted = [b for b in bidders if b.tier >= Tier.NEARBY]
        else:
            wanted = [b for b in bidders if b.tier == Tier[item.winner]]
    winner = rng.choice(wanted or bidders)
    others = [b for b in bidders if b is not winner]
    # The invitation assistant's way: local and regional firms before the rest.
    near = [b for b in others if b.tier <= Tier.REGION]
    rest = [b for b in others if b.tier > Tier.REGION]
    rng.shuffle(near)
    rng.shuffle(rest)
    return [winner, *(near + rest)[: count - 1]]


def _reference(buyer: Organisation, created_at: datetime) -> tuple[str, int]:
    """The buyer's next reference in the year the tender was made (as ``tender_create``)."""
    prefix, year = reference_prefix(buyer.municipality.name), timezone.localdate(created_at).year
    last = Tender.objects.filter(reference__startswith=f"{prefix}-{year}-").aggregate(
        last=Max("reference_number")
    )["last"]
    number = (last or 0) + 1
    return f"{prefix}-{year}-{number:04d}", number


def _tender_write(
    item: HistoryItem,
    buyer: Organisation,
    people: list[User],
    world: dict,
    rng: random.Random,
    line: Timeline,
) -> Tender:
    """The tender as published, its invitations, and then its end: cancelled, or on to the
    quotes (``outcome_write``)."""
    by = people[0]
    procedure = procedure_proposal(
        municipality=buyer.municipality,
        contract_type=item.contract_type,
        value=Decimal(item.value),
        on=timezone.localdate(line.published),
    ).procedure
    reference, number = _reference(buyer, line.created)
    criteria = CRITERIA_SETS[item.criteria] if item.criteria is not None else ()
    tender = Tender.objects.create(
        buyer=buyer,
        reference=reference,
        reference_number=number,
        title=item.title,
        description=item.description,
        contract_type=item.contract_type,
        main_cpv=world["cpv"][item.cpv_codes[0]],
        place_of_performance=buyer.municipality,
        estimated_value_min=Decimal(item.value),
        procedure=procedure,
        award_criteria_type=(
            AwardCriteriaType.PRICE_QUALITY if criteria else AwardCriteriaType.LOWEST_PRICE
        ),
        question_deadline=line.question_deadline,
        quote_deadline=line.deadline,
        contact_name=by.get_full_name(),
        contact_email=by.email,
        tenderned_reference=str(rng.randint(330_000, 394_999)) if procedure.needs_tenderned else "",
        status=Status.PUBLISHED,
        created_by=by,
        created_at=line.created,
        published_at=line.published,
    )
    tender.additional_cpv.set([world["cpv"][code] for code in item.cpv_codes[1:]])
    for position, (name, weight) in enumerate(criteria):
        AwardCriterion.objects.create(tender=tender, name=name, weight=weight, position=position)
    event_write("tender.created", line.created, tender, by=by, reference=reference)
    event_write(
        "tender.published",
        line.published,
        tender,
        by=by,
        procedure=procedure.value,
        quote_deadline=line.deadline.isoformat(),
    )

    candidates = _bidders(item, buyer, world["firms"], world["users"])
    if procedure == Procedure.SINGLE:
        invited = _pick(candidates, item, rng, 1)
    elif procedure == Procedure.MULTIPLE:
        invited = _pick(candidates, item, rng, rng.randint(3, 5))
    else:
        invited = []
    Invitation.objects.bulk_create(
        Invitation(
            tender=tender,
            firm=b.firm,
            kind={Tier.LOCAL: "local", Tier.REGION: "regional", Tier.NEARBY: "nearby"}.get(
                b.tier, "elsewhere"
            ),
            position=position,
            reason=f"{b.reason}; {world['cpv'][item.cpv_codes[0]].label_nl}",
            invited_by=by,
            invited_at=line.published - timedelta(hours=1),
            sent_at=line.published,
        )
        for position, b in enumerate(invited, start=1)
    )
    # The justification, as the assistant and publishing would have written it.
    shortlist = list(tender.invitations.order_by("position"))
    InvitationChange.objects.bulk_create(
        [
            InvitationChange(
                tender=tender,
                action=InvitationChange.Action.PROPOSED,
                firm=invitation.firm,
                reason=invitation.reason,
                by=by,
                at=invitation.invited_at,
            )
            for invitation in shortlist
        ]
        + [
            InvitationChange(
                tender=tender,
                action=InvitationChange.Action.SENT,
                firm=invitation.firm,
                by=by,
                at=invitation.sent_at,
            )
            for invitation in shortlist
        ]
    )
    if invited:
        event_write("invitation.sent", line.published, tender, by=by, firms=len(invited))

    if item.outcome == "cancelled":
        cancelled = line.published + timedelta(days=rng.randint(5, 12), hours=2)
        tender.status, tender.cancelled_at = Status.CANCELLED, cancelled
        tender.cancellation_reason = item.reason
        tender.save(update_fields=["status", "cancelled_at", "cancellation_reason"])
        event_write("tender.cancelled", cancelled, tender, by=by, reason=item.reason)
        change_write(tender, TenderChange.Kind.CANCELLED, item.reason, cancelled, by)
        return tender

    if item.outcome == "unsuccessful":
        bidders = []
    elif invited:
        bidders = invited[: max(1, min(len(invited), rng.randint(2, 4)))]
    else:
        bidders = _pick(candidates, item, rng, rng.randint(2, 4))
    outcome_write(tender, item, bidders, people, rng, line)
    return tender


def _world(buyers: dict[str, Organisation]) -> dict:
    """The demo buyers' people, the published firms (with their CPV codes and a member to submit
    for them) and the CPV codes the history uses."""
    people: dict[str, list[User]] = {}
    for email, _first, _last, slug, role in PEOPLE:
        if role in BUYER_ROLES and slug in buyers:
            people.setdefault(slug, []).append(User.objects.get(email=email))
    users = {
        m.organisation_id: m.user
        for m in Membership.objects.filter(organisation__kind=Organisation.Kind.FIRM)
        .select_related("user")
        .order_by("-created_at", "-pk")
    }
    firms = list(
        Firm.objects.filter(published=True)
        .select_related("organisation", "municipality")
        .prefetch_related("cpv_codes")
        .order_by("kvk_number")
    )
    for firm in firms:
        firm.codes = frozenset(code.pk for code in firm.cpv_codes.all())
    codes = {code for items in HISTORY.values() for item in items for code in item.cpv_codes}
    return {
        "people": people,
        "users": {firm.pk: users.get(firm.organisation_id) for firm in firms},
        "firms": firms,
        "cpv": CpvCode.objects.in_bulk(codes),
    }


def demo_history_seed(
    *, buyers: dict[str, Organisation], seed: int, now: datetime, per_buyer: int = DEFAULT_HISTORY
) -> int:
    """Write the past tenders of each demo municipality that do not exist yet (the buyer's
    title is the key), oldest first; return how many were made."""
    today = timezone.localdate(now)
    existing = set(
        Tender.objects.filter(buyer__in=buyers.values()).values_list("buyer_id", "title")
    )
    world = None
    planned = []
    for slug, items in HISTORY.items():
        for index, item in enumerate(items[:per_buyer]):
            rng = random.Random(f"{seed}:history:{slug}:{index}")
            deadline_day = today - timedelta(days=item.days_ago + rng.randint(-6, 6))
            planned.append((deadline_day, slug, item, rng))
    created = 0
    for deadline_day, slug, item, rng in sorted(planned, key=lambda p: (p[0], p[1])):
        buyer = buyers[slug]
        if (buyer.pk, item.title) in existing:
            continue
        world = world or _world(buyers)
        people = world["people"][slug]
        line = Timeline(rng, deadline_day, four_eyes=len(people) > 1)
        _tender_write(item, buyer, people, world, rng, line)
        created += 1
    return created
