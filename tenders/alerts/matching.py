"""Which subscriptions a tender matches, asked from the tender side (DESIGN §4.8).

One query finds them: indexed lookups of the tender's CPV prefixes and words, its place and
regions, a radius as a sum of squares of unit vectors (marketplace/geo.py), procedure and value.
The reasons are then written for the few subscriptions that matched.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from marketplace.geo import unit_vector
from marketplace.models import Region, cpv_prefix
from suppliers.search.query import cpv_subtree
from suppliers.search.text import words
from tenders.alerts.models import Subscription, SubscriptionCpv, SubscriptionKeyword
from tenders.models import Tender

MIN_KEYWORD_LENGTH = 3


def cpv_prefixes_of(code: str) -> set[str]:
    """Every subtree prefix a CPV code lies under: '45442100' → {'45', '454', '4544', '45442',
    '454421'} (a subscription's subtree is stored by its significant prefix)."""
    prefix = cpv_prefix(code)
    return {prefix[:length] for length in range(2, len(prefix) + 1)}


def keyword_prefixes_of(found: set[str]) -> set[str]:
    """A keyword matches a word it starts ("schilder" finds "schilderwerk", DESIGN §4.1)."""
    return {word[:length] for word in found for length in range(MIN_KEYWORD_LENGTH, len(word) + 1)}


@dataclass(frozen=True)
class TenderFacts:
    cpv_codes: tuple[str, ...]
    words: frozenset[str]
    municipality_code: str
    region_codes: tuple[str, ...]
    vector: tuple[float, float, float]
    procedure: str
    value_low: object
    value_high: object

    @classmethod
    def of(cls, tender: Tender) -> TenderFacts:
        place = tender.place_of_performance
        codes = [tender.main_cpv_id, *tender.additional_cpv.values_list("code", flat=True)]
        text = f"{tender.title} {tender.description} {tender.reference}"
        low = tender.estimated_value_min
        high = tender.estimated_value_max if tender.estimated_value_max is not None else low
        return cls(
            cpv_codes=tuple(dict.fromkeys(code for code in codes if code)),
            words=frozenset(words(text)),
            municipality_code=place.code,
            region_codes=(place.region_id, place.corop_id, place.province_id),
            vector=unit_vector(place.latitude, place.longitude),
            procedure=tender.procedure,
            value_low=low,
            value_high=high,
        )


def matching_subscriptions(tender: Tender, facts: TenderFacts | None = None) -> QuerySet:
    """The active subscriptions this tender matches: one query, indexed from the tender's side."""
    facts = facts or TenderFacts.of(tender)
    prefixes = set().union(*(cpv_prefixes_of(code) for code in facts.cpv_codes))
    by_cpv = SubscriptionCpv.objects.filter(prefix__in=prefixes).values("subscription_id")
    tokens = keyword_prefixes_of(set(facts.words))
    by_word = SubscriptionKeyword.objects.filter(word__in=tokens).values("subscription_id")
    x, y, z = facts.vector
    chord = (F("near_x") - x) * (F("near_x") - x) + (F("near_y") - y) * (F("near_y") - y)
    chord += (F("near_z") - z) * (F("near_z") - z)
    anywhere = Q(municipality__isnull=True, region__isnull=True, near__isnull=True)
    place = (
        anywhere
        | Q(municipality_id=facts.municipality_code)
        | Q(region_id__in=facts.region_codes)
        | Q(near__isnull=False, near_chord_squared__gte=chord)
    )
    query = (
        Subscription.objects.filter(paused=False)
        .filter(Q(has_cpv=False) | Q(pk__in=by_cpv))
        .filter(Q(has_keywords=False) | Q(pk__in=by_word))
        .filter(place)
        .filter(Q(procedures="") | Q(procedures__contains=f",{facts.procedure},"))
    )
    if facts.value_high is not None:
        query = query.filter(Q(value_min__isnull=True) | Q(value_min__lte=facts.value_high))
    if facts.value_low is not None:
        query = query.filter(Q(value_max__isnull=True) | Q(value_max__gte=facts.value_low))
    return query


def match_reasons(subscription: Subscription, facts: TenderFacts) -> list[str]:
    """Why it matched, in plain words: 'CPV 45442100 valt onder 45440000', 'trefwoord: schilder',
    'in de Drechtsteden'."""
    reasons: list[str] = []
    for entry in subscription.cpvs.all():
        for code in facts.cpv_codes:
            if code.startswith(entry.prefix):
                if code == cpv_subtree(entry.code):
                    reasons.append(_("CPV %(code)s") % {"code": code})
                else:
                    reasons.append(
                        _("CPV %(code)s falls under %(subtree)s")
                        % {"code": code, "subtree": entry.code}
                    )
                break
    for keyword in subscription.keywords.all():
        if any(word.startswith(keyword.word) for word in facts.words):
            reasons.append(_("keyword: %(word)s") % {"word": keyword.word})
    reasons.extend(_place_reasons(subscription, facts))
    return reasons


def _place_reasons(subscription: Subscription, facts: TenderFacts) -> list[str]:
    if subscription.municipality_id == facts.municipality_code:
        return [_("in %(place)s") % {"place": subscription.municipality.name}]
    if subscription.region_id and subscription.region_id in facts.region_codes:
        region = subscription.region
        if region.kind == Region.Kind.GROUPING:
            return [_("in the %(region)s") % {"region": region.name}]
        return [_("in %(place)s") % {"place": region.name}]
    if subscription.near_id:
        return [
            _("within %(km)s km of %(place)s")
            % {"km": f"{subscription.radius_km:g}", "place": subscription.near.name}
        ]
    return []
