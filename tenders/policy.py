"""Procurement rules that only read: EU thresholds, policy bands, the proposed procedure, and
whether a draft tender is ready to publish (DESIGN §4.2). Nothing here writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace import formats
from marketplace.models import Municipality
from tenders.models import (
    POLICY_LIMIT_NOT_POSITIVE,
    QUESTION_DEADLINE_NOT_BEFORE_QUOTE_DEADLINE,
    AwardCriteriaType,
    ContractType,
    EuThreshold,
    PolicyBand,
    Procedure,
    Tender,
)

NO_EU_THRESHOLD = _(
    "No EU threshold is known for %(contract_type)s on %(date)s. Ask the site administrator "
    "to add the current thresholds."
)
PROCEDURE_BELOW_LEGAL_MINIMUM = _(
    "At this value the law requires a European open procedure; a lighter procedure is not allowed."
)
PROCEDURE_BELOW_POLICY = _(
    "Your policy asks for a heavier procedure at this value. You may choose this one, but "
    "explain why."
)
JUSTIFICATION_REQUIRED = _("Explain why you choose a lighter procedure than your policy asks for.")
TENDERNED_REFERENCE_REQUIRED = _(
    "Open procedures must also be announced on TenderNed: enter the TenderNed reference first."
)
TITLE_REQUIRED = _("Give the tender a title.")
MAIN_CPV_REQUIRED = _("Choose the main CPV code.")
PLACE_REQUIRED = _("Choose the place of performance.")
VALUE_REQUIRED = _("Enter the estimated value.")
PROCEDURE_REQUIRED = _("Choose a procedure.")
CONTACT_REQUIRED = _("Enter a contact e-mail address.")
QUOTE_DEADLINE_REQUIRED = _("Set the deadline for quotes.")
QUOTE_DEADLINE_PASSED = _("The deadline for quotes must be in the future.")
QUESTION_DEADLINE_REQUIRED = _("Set the deadline for questions.")
QUESTION_DEADLINE_PASSED = _("The deadline for questions must be in the future.")
AWARD_CRITERIA_TYPE_REQUIRED = _(
    "Choose how quotes will be judged: lowest price or best price-quality ratio."
)
INVITATIONS_REQUIRED = _(
    "Invite at least one firm: only invited firms can see an invite-only tender and quote."
)
SINGLE_INVITES_ONE = _("A single-quote procedure invites exactly one firm.")
WEIGHTS_MUST_ADD_UP_TO_100 = _("The weights of the award criteria must add up to 100.")
CRITERIA_ONLY_FOR_PRICE_QUALITY = _(
    "Weighted criteria belong to a price-quality award: remove them or choose price-quality."
)
BAND_LIMIT_REQUIRED = _("Every band but the last needs an upper limit.")
TOP_BAND_HAS_NO_LIMIT = _(
    "Leave the upper limit of the last band empty: it covers every higher value."
)
BAND_LIMITS_MUST_INCREASE = _("Each band's upper limit must be higher than the one below it.")
BAND_PROCEDURES_MUST_GET_HEAVIER = _(
    "Each band must ask for a heavier procedure than the band below it."
)

LAW_REQUIRES_EUROPEAN = _(
    "%(threshold)s or more for %(contract_type)s: the law requires a European open procedure "
    "(EU threshold %(period)s)."
)
LAW_LEAVES_IT_TO_POLICY = _(
    "Below the EU threshold of %(threshold)s for %(contract_type)s (%(period)s) the law leaves "
    "the procedure to your policy."
)
POLICY_ASKS_FOR = _("%(range)s your policy asks for %(procedure)s.")
RANGE_BELOW = _("Below %(limit)s")
RANGE_BETWEEN = _("From %(low)s up to %(limit)s")
RANGE_FROM = _("From %(low)s")
RANGE_ANY = _("At any value")
DEFAULT_POLICY_USED = _(
    "Your municipality has not set its own limits for %(contract_type)s, so these are the "
    "defaults based on the VNG model procurement policy."
)
PROCEDURE_PHRASES = {
    Procedure.SINGLE: _("a single-quote procedure (one firm invited)"),
    Procedure.MULTIPLE: _("a multiple-quote procedure (several firms invited)"),
    Procedure.NATIONAL: _("a national open procedure"),
    Procedure.EUROPEAN: _("a European open procedure"),
}


def band_range_text(low: Decimal | None, limit: Decimal | None) -> str | None:
    """The values a policy band covers ("Van € 50.000 tot € 216.000"); None for every value."""
    if low is None and limit is None:
        return None
    if low is None:
        return gettext(RANGE_BELOW) % {"limit": formats.euro(limit)}
    if limit is None:
        return gettext(RANGE_FROM) % {"low": formats.euro(low)}
    return gettext(RANGE_BETWEEN) % {"low": formats.euro(low), "limit": formats.euro(limit)}


# Thresholds and policy bands --------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """Below ``max_value`` (excl. VAT) ``procedure`` will do; None covers every higher value."""

    procedure: Procedure
    max_value: Decimal | None


# The limits most municipalities fill into the VNG Model Inkoop- en aanbestedingsbeleid (the
# model leaves the amounts to each council; these are the common choices, in line with the Gids
# Proportionaliteit): supplies and services single-quote below € 50.000, multiple-quote above;
# works single-quote below € 150.000, multiple-quote up to € 1.500.000, national open above;
# social and other specific services as supplies and services. The top band has no limit: from
# the EU threshold (dated data, EuThreshold) the law requires a European procedure anyway.
DEFAULT_POLICY_BANDS: dict[str, tuple[Band, ...]] = {
    ContractType.WORKS: (
        Band(Procedure.SINGLE, Decimal("150000")),
        Band(Procedure.MULTIPLE, Decimal("1500000")),
        Band(Procedure.NATIONAL, None),
    ),
    ContractType.SUPPLIES: (
        Band(Procedure.SINGLE, Decimal("50000")),
        Band(Procedure.MULTIPLE, None),
    ),
    ContractType.SERVICES: (
        Band(Procedure.SINGLE, Decimal("50000")),
        Band(Procedure.MULTIPLE, None),
    ),
    ContractType.SOCIAL: (
        Band(Procedure.SINGLE, Decimal("50000")),
        Band(Procedure.MULTIPLE, None),
    ),
}


def eu_threshold_in_force(contract_type: str, on: date) -> EuThreshold:
    """The EU threshold row valid on ``on``; a ValidationError when none is known."""
    threshold = (
        EuThreshold.objects.filter(
            contract_type=contract_type, valid_from__lte=on, valid_to__gte=on
        )
        .order_by("-valid_from")
        .first()
    )
    if threshold is None:
        raise ValidationError(
            NO_EU_THRESHOLD,
            code="no_eu_threshold",
            params={
                "contract_type": _contract_type_phrase(contract_type),
                "date": formats.day(on),
            },
        )
    return threshold


def eu_threshold(contract_type: str, on: date) -> Decimal:
    """The EU threshold (excl. VAT) for this contract type on this date."""
    return eu_threshold_in_force(contract_type, on).amount


def own_policy_bands(municipality: Municipality) -> dict[str, tuple[Band, ...]]:
    """The bands the municipality set itself, per contract type (others are absent)."""
    own: dict[str, list[Band]] = {}
    for row in PolicyBand.objects.filter(municipality=municipality):
        own.setdefault(row.contract_type, []).append(Band(Procedure(row.procedure), row.max_value))
    return {
        contract_type: tuple(sorted(bands, key=_band_order)) for contract_type, bands in own.items()
    }


def policy_bands_for(municipality: Municipality) -> dict[str, tuple[Band, ...]]:
    """Every contract type's bands: the municipality's own, else the defaults."""
    return {**DEFAULT_POLICY_BANDS, **own_policy_bands(municipality)}


def policy_bands_check(bands: Sequence[Band]) -> list[str]:
    """What is wrong with one contract type's bands, lowest first (an empty list: nothing)."""
    errors = []
    limits = [band.max_value for band in bands[:-1]]
    if any(limit is None for limit in limits):
        errors.append(BAND_LIMIT_REQUIRED)
    if bands and bands[-1].max_value is not None:
        errors.append(TOP_BAND_HAS_NO_LIMIT)
    limits = [limit for limit in limits if limit is not None]
    if any(limit <= 0 for limit in limits):
        errors.append(POLICY_LIMIT_NOT_POSITIVE)
    if any(lower >= higher for lower, higher in pairwise(limits)):
        errors.append(BAND_LIMITS_MUST_INCREASE)
    ranks = [Procedure(band.procedure).rank for band in bands]
    if any(lower >= higher for lower, higher in pairwise(ranks)):
        errors.append(BAND_PROCEDURES_MUST_GET_HEAVIER)
    return errors


def _band_order(band: Band) -> tuple[bool, Decimal]:
    return (band.max_value is None, band.max_value or Decimal(0))


def _contract_type_phrase(contract_type: str) -> str:
    return str(ContractType(contract_type).label).lower()


# The proposal -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """The procedure Dichtbij proposes for a value, with the law's and the policy's share."""

    procedure: Procedure
    legal_minimum: Procedure
    policy_procedure: Procedure
    threshold: Decimal
    uses_default_policy: bool
    reasons: list[str] = field(default_factory=list)


def procedure_proposal(
    *, municipality: Municipality, contract_type: str, value: Decimal, on: date
) -> Proposal:
    """The heavier of what the law requires and what the municipality's policy asks for."""
    threshold = eu_threshold_in_force(contract_type, on)
    type_phrase = _contract_type_phrase(contract_type)
    own = own_policy_bands(municipality).get(contract_type)
    bands = own or DEFAULT_POLICY_BANDS[contract_type]
    low, band = _band_for(bands, value)
    at_or_above = value >= threshold.amount
    legal_minimum = Procedure.EUROPEAN if at_or_above else Procedure.SINGLE
    procedure = Procedure.heaviest(legal_minimum, band.procedure)
    law_params = {
        "threshold": formats.euro(threshold.amount),
        "contract_type": type_phrase,
        "period": threshold.period,
    }
    if at_or_above:
        reasons = [gettext(LAW_REQUIRES_EUROPEAN) % law_params]
    else:
        reasons = [_policy_reason(low, band)]
        if own is None:
            reasons.append(gettext(DEFAULT_POLICY_USED) % {"contract_type": type_phrase})
        reasons.append(gettext(LAW_LEAVES_IT_TO_POLICY) % law_params)
    return Proposal(
        procedure=procedure,
        legal_minimum=legal_minimum,
        policy_procedure=band.procedure,
        threshold=threshold.amount,
        uses_default_policy=own is None,
        reasons=reasons,
    )


def _band_for(bands: Sequence[Band], value: Decimal) -> tuple[Decimal | None, Band]:
    """The band a value falls in and that band's lower limit (None for the first band)."""
    low = None
    for band in bands:
        if band.max_value is None or value < band.max_value:
            return low, band
        low = band.max_value
    return low, bands[-1]  # a policy always ends with an open band; stay safe if it does not


def _policy_reason(low: Decimal | None, band: Band) -> str:
    range_text = band_range_text(low, band.max_value) or gettext(RANGE_ANY)
    return gettext(POLICY_ASKS_FOR) % {
        "range": range_text,
        "procedure": gettext(PROCEDURE_PHRASES[band.procedure]),
    }


@dataclass(frozen=True)
class ProcedureCheck:
    """What is wrong with a chosen procedure: errors refuse it, warnings need a justification."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def procedure_check(*, chosen: str, proposal: Proposal) -> ProcedureCheck:
    """Lighter than the law requires is refused; lighter than the policy asks for is a warning."""
    procedure = Procedure(chosen)
    if procedure.is_lighter_than(proposal.legal_minimum):
        return ProcedureCheck(errors=[PROCEDURE_BELOW_LEGAL_MINIMUM])
    if procedure.is_lighter_than(proposal.policy_procedure):
        return ProcedureCheck(warnings=[PROCEDURE_BELOW_POLICY])
    return ProcedureCheck()


def tenderned_check(*, procedure: str, tenderned_reference: str) -> list[str]:
    """National and European procedures are also announced on TenderNed: its reference first."""
    if procedure and Procedure(procedure).needs_tenderned and not tenderned_reference.strip():
        return [TENDERNED_REFERENCE_REQUIRED]
    return []


def award_criteria_check(*, criteria_type: str, weights: Sequence[int]) -> list[str]:
    """Lowest price takes no criteria; price-quality takes criteria whose weights add up to 100."""
    if not criteria_type:
        return [AWARD_CRITERIA_TYPE_REQUIRED]
    if criteria_type == AwardCriteriaType.LOWEST_PRICE:
        return [CRITERIA_ONLY_FOR_PRICE_QUALITY] if weights else []
    if sum(weights) != 100:
        return [WEIGHTS_MUST_ADD_UP_TO_100]
    return []


# Ready to publish? ------------------------------------------------------------------------------


def tender_publication_check(*, tender: Tender, now: datetime | None = None) -> dict[str, list]:
    """Everything that stops this draft from being published, per field ({} when ready)."""
    now = now or timezone.now()
    problems: dict[str, list] = {}

    def add(field_name: str, *messages: object) -> None:
        problems.setdefault(field_name, []).extend(messages)

    if not tender.title.strip():
        add("title", TITLE_REQUIRED)
    if tender.main_cpv_id is None:
        add("main_cpv", MAIN_CPV_REQUIRED)
    if tender.place_of_performance_id is None:
        add("place_of_performance", PLACE_REQUIRED)
    if not tender.contact_email:
        add("contact_email", CONTACT_REQUIRED)

    if tender.quote_deadline is None:
        add("quote_deadline", QUOTE_DEADLINE_REQUIRED)
    elif tender.quote_deadline <= now:
        add("quote_deadline", QUOTE_DEADLINE_PASSED)
    if tender.question_deadline is None:
        add("question_deadline", QUESTION_DEADLINE_REQUIRED)
    elif tender.quote_deadline and tender.question_deadline >= tender.quote_deadline:
        add("question_deadline", QUESTION_DEADLINE_NOT_BEFORE_QUOTE_DEADLINE)
    elif tender.question_deadline <= now:
        add("question_deadline", QUESTION_DEADLINE_PASSED)

    weights = list(tender.award_criteria.values_list("weight", flat=True)) if tender.pk else []
    if messages := award_criteria_check(criteria_type=tender.award_criteria_type, weights=weights):
        add("award_criteria_type", *messages)

    value = tender.estimated_value
    if value is None:
        add("estimated_value_min", VALUE_REQUIRED)
    if not tender.procedure:
        add("procedure", PROCEDURE_REQUIRED)
    elif value is not None:
        try:
            proposal = procedure_proposal(
                municipality=tender.buyer.municipality,
                contract_type=tender.contract_type,
                value=value,
                on=timezone.localdate(now),
            )
        except ValidationError as error:
            add("procedure", *error.messages)
        else:
            check = procedure_check(chosen=tender.procedure, proposal=proposal)
            if check.errors:
                add("procedure", *check.errors)
            elif check.warnings and not tender.procedure_justification.strip():
                add("procedure_justification", JUSTIFICATION_REQUIRED)
    if messages := tenderned_check(
        procedure=tender.procedure, tenderned_reference=tender.tenderned_reference
    ):
        add("tenderned_reference", *messages)
    if tender.is_invite_only:
        invited = tender.invitations.count() if tender.pk else 0
        if invited == 0:
            add("invitations", INVITATIONS_REQUIRED)
        elif tender.procedure == Procedure.SINGLE and invited != 1:
            add("invitations", SINGLE_INVITES_ONE)
    return problems
