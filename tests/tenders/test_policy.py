"""Procedures and thresholds (DESIGN §4.2): EU thresholds by date, policy bands, the proposal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from marketplace.models import AuditEvent, Municipality
from tenders.models import ContractType, EuThreshold, PolicyBand, Procedure
from tenders.policy import (
    BAND_LIMITS_MUST_INCREASE,
    BAND_PROCEDURES_MUST_GET_HEAVIER,
    CRITERIA_ONLY_FOR_PRICE_QUALITY,
    DEFAULT_POLICY_BANDS,
    PROCEDURE_BELOW_LEGAL_MINIMUM,
    PROCEDURE_BELOW_POLICY,
    TENDERNED_REFERENCE_REQUIRED,
    TOP_BAND_HAS_NO_LIMIT,
    WEIGHTS_MUST_ADD_UP_TO_100,
    Band,
    award_criteria_check,
    eu_threshold,
    policy_bands_for,
    procedure_check,
    procedure_proposal,
    tenderned_check,
)
from tenders.services.procurement import policy_band_set

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
IN_2026 = date(2026, 6, 1)
SINGLE, MULTIPLE, NATIONAL, EUROPEAN = (
    Procedure.SINGLE,
    Procedure.MULTIPLE,
    Procedure.NATIONAL,
    Procedure.EUROPEAN,
)


def propose(municipality: Municipality, contract_type: str, value: str, on: date = IN_2026):
    return procedure_proposal(
        municipality=municipality, contract_type=contract_type, value=Decimal(value), on=on
    )


# EU thresholds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contract_type", "on", "amount"),
    [
        (ContractType.SERVICES, date(2025, 12, 31), "221000"),
        (ContractType.SERVICES, date(2026, 1, 1), "216000"),
        (ContractType.SUPPLIES, date(2025, 12, 31), "221000"),
        (ContractType.SUPPLIES, date(2026, 1, 1), "216000"),
        (ContractType.WORKS, date(2025, 12, 31), "5538000"),
        (ContractType.WORKS, date(2026, 1, 1), "5404000"),
        (ContractType.SOCIAL, date(2024, 1, 1), "750000"),
        (ContractType.SOCIAL, date(2027, 12, 31), "750000"),
    ],
)
def test_the_eu_threshold_is_the_one_valid_on_the_day(contract_type, on, amount):
    assert eu_threshold(contract_type, on) == Decimal(amount)


def test_a_day_without_a_known_threshold_says_so_clearly():
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            eu_threshold(ContractType.WORKS, date(2028, 1, 1))

        assert error.value.code == "no_eu_threshold"
        assert error.value.messages == [
            "No EU threshold is known for works on 1 January 2028. Ask the site administrator "
            "to add the current thresholds."
        ]


def test_the_migration_loaded_both_threshold_periods():
    assert EuThreshold.objects.count() == 8
    assert {t.period for t in EuThreshold.objects.all()} == {"2024–2025", "2026–2027"}


# The proposal, at the edges of each band -----------------------------------------------------


@pytest.mark.parametrize(
    ("contract_type", "value", "procedure"),
    [
        (ContractType.SERVICES, "0", SINGLE),
        (ContractType.SERVICES, "49999.99", SINGLE),
        (ContractType.SERVICES, "50000", MULTIPLE),
        (ContractType.SERVICES, "215999.99", MULTIPLE),
        (ContractType.SERVICES, "216000", EUROPEAN),
        (ContractType.SUPPLIES, "49999.99", SINGLE),
        (ContractType.SUPPLIES, "50000", MULTIPLE),
        (ContractType.SUPPLIES, "215999.99", MULTIPLE),
        (ContractType.SUPPLIES, "216000", EUROPEAN),
        (ContractType.WORKS, "149999.99", SINGLE),
        (ContractType.WORKS, "150000", MULTIPLE),
        (ContractType.WORKS, "1499999.99", MULTIPLE),
        (ContractType.WORKS, "1500000", NATIONAL),
        (ContractType.WORKS, "5403999.99", NATIONAL),
        (ContractType.WORKS, "5404000", EUROPEAN),
        (ContractType.SOCIAL, "49999.99", SINGLE),
        (ContractType.SOCIAL, "50000", MULTIPLE),
        (ContractType.SOCIAL, "749999.99", MULTIPLE),
        (ContractType.SOCIAL, "750000", EUROPEAN),
    ],
)
def test_the_proposal_follows_the_default_bands_and_the_law(
    dordrecht, contract_type, value, procedure
):
    proposal = propose(dordrecht, contract_type, value)

    assert proposal.procedure == procedure
    assert proposal.uses_default_policy


def test_the_law_decides_from_the_threshold_and_the_policy_below_it(dordrecht):
    below = propose(dordrecht, ContractType.SERVICES, "215999.99")
    at = propose(dordrecht, ContractType.SERVICES, "216000")

    assert (below.legal_minimum, below.policy_procedure) == (SINGLE, MULTIPLE)
    assert (at.legal_minimum, at.policy_procedure) == (EUROPEAN, MULTIPLE)
    assert at.threshold == Decimal("216000")


@pytest.mark.parametrize(
    ("on", "procedure"), [(date(2025, 12, 31), MULTIPLE), (date(2026, 1, 1), EUROPEAN)]
)
def test_the_same_value_may_cross_the_threshold_at_new_year(dordrecht, on, procedure):
    assert propose(dordrecht, ContractType.SERVICES, "218000", on=on).procedure == procedure


def test_the_proposal_explains_the_law_at_the_threshold(dordrecht):
    with translation.override("en"):
        proposal = propose(dordrecht, ContractType.SERVICES, "216000")

    assert proposal.reasons == [
        f"€{NBSP}216.000 or more for services: the law requires a European open procedure "
        "(EU threshold 2026–2027)."
    ]


def test_the_proposal_explains_the_policy_below_the_threshold(dordrecht):
    with translation.override("en"):
        proposal = propose(dordrecht, ContractType.SERVICES, "40000")

    assert proposal.reasons == [
        f"Below €{NBSP}50.000 your policy asks for a single-quote procedure (one firm invited).",
        "Your municipality has not set its own limits for services, so these are the defaults "
        "based on the VNG model procurement policy.",
        f"Below the EU threshold of €{NBSP}216.000 for services (2026–2027) the law leaves the "
        "procedure to your policy.",
    ]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (
            "500000",
            f"From €{NBSP}150.000 up to €{NBSP}1.500.000 your policy asks for a multiple-quote "
            "procedure (several firms invited).",
        ),
        ("2000000", f"From €{NBSP}1.500.000 your policy asks for a national open procedure."),
    ],
)
def test_the_policy_reason_names_the_band(dordrecht, value, reason):
    with translation.override("en"):
        assert propose(dordrecht, ContractType.WORKS, value).reasons[0] == reason


# A municipality's own bands ------------------------------------------------------------------


OWN_SERVICES_BANDS = [
    Band(SINGLE, Decimal("30000")),
    Band(MULTIPLE, Decimal("100000")),
    Band(NATIONAL, None),
]


def test_a_municipalitys_own_bands_override_the_defaults(buyer, dordrecht, zwijndrecht):
    policy_band_set(
        municipality=dordrecht,
        contract_type=ContractType.SERVICES,
        bands=OWN_SERVICES_BANDS,
        by=buyer,
    )

    assert propose(dordrecht, ContractType.SERVICES, "29999.99").procedure == SINGLE
    assert propose(dordrecht, ContractType.SERVICES, "40000").procedure == MULTIPLE
    assert propose(dordrecht, ContractType.SERVICES, "150000").procedure == NATIONAL
    assert propose(dordrecht, ContractType.SERVICES, "216000").procedure == EUROPEAN
    assert not propose(dordrecht, ContractType.SERVICES, "40000").uses_default_policy
    # Only that contract type and that municipality change.
    assert propose(dordrecht, ContractType.SUPPLIES, "40000").procedure == SINGLE
    assert propose(zwijndrecht, ContractType.SERVICES, "40000").procedure == SINGLE


def test_policy_bands_for_mixes_own_bands_and_defaults(buyer, dordrecht):
    policy_band_set(
        municipality=dordrecht,
        contract_type=ContractType.SERVICES,
        bands=OWN_SERVICES_BANDS,
        by=buyer,
    )

    bands = policy_bands_for(dordrecht)

    assert bands[ContractType.SERVICES] == tuple(OWN_SERVICES_BANDS)
    assert bands[ContractType.WORKS] == DEFAULT_POLICY_BANDS[ContractType.WORKS]


def test_own_bands_do_not_mention_the_defaults(buyer, dordrecht):
    policy_band_set(
        municipality=dordrecht,
        contract_type=ContractType.SERVICES,
        bands=OWN_SERVICES_BANDS,
        by=buyer,
    )

    with translation.override("en"):
        reasons = propose(dordrecht, ContractType.SERVICES, "40000").reasons

    assert reasons[0] == (
        f"From €{NBSP}30.000 up to €{NBSP}100.000 your policy asks for a multiple-quote "
        "procedure (several firms invited)."
    )
    assert not any("defaults" in reason for reason in reasons)


def test_changing_the_policy_is_audited(buyer, buyer_org, dordrecht):
    policy_band_set(
        municipality=dordrecht,
        contract_type=ContractType.SERVICES,
        bands=OWN_SERVICES_BANDS,
        by=buyer,
    )

    event = AuditEvent.objects.get(action="policy.changed")
    assert event.actor == buyer
    assert event.organisation == buyer_org
    assert event.object_id == "GM0505"
    assert event.details["contract_type"] == "services"
    assert event.details["bands"] == [
        ["single", "30000"],
        ["multiple", "100000"],
        ["national", None],
    ]
    assert event.details["previous"] == []


def test_no_bands_restores_the_defaults(buyer, dordrecht):
    policy_band_set(
        municipality=dordrecht,
        contract_type=ContractType.SERVICES,
        bands=OWN_SERVICES_BANDS,
        by=buyer,
    )

    policy_band_set(municipality=dordrecht, contract_type=ContractType.SERVICES, bands=[], by=buyer)

    assert not PolicyBand.objects.filter(municipality=dordrecht).exists()
    assert propose(dordrecht, ContractType.SERVICES, "40000").uses_default_policy


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        (
            [
                Band(SINGLE, Decimal("50000")),
                Band(MULTIPLE, Decimal("50000")),
                Band(NATIONAL, None),
            ],
            BAND_LIMITS_MUST_INCREASE,
        ),
        ([Band(MULTIPLE, Decimal("50000")), Band(SINGLE, None)], BAND_PROCEDURES_MUST_GET_HEAVIER),
        ([Band(SINGLE, Decimal("50000")), Band(MULTIPLE, Decimal("90000"))], TOP_BAND_HAS_NO_LIMIT),
    ],
)
def test_bands_that_make_no_sense_are_refused(buyer, dordrecht, bands, message):
    with pytest.raises(ValidationError) as error:
        policy_band_set(
            municipality=dordrecht, contract_type=ContractType.WORKS, bands=bands, by=buyer
        )

    assert str(message) in error.value.messages
    assert not PolicyBand.objects.exists()


def test_only_a_buyer_administrator_of_the_municipality_sets_its_policy(
    second_buyer, other_buyer, dordrecht
):
    for user in (second_buyer, other_buyer):  # a plain buyer; another municipality's admin
        with pytest.raises(PermissionDenied):
            policy_band_set(
                municipality=dordrecht,
                contract_type=ContractType.SERVICES,
                bands=OWN_SERVICES_BANDS,
                by=user,
            )

    assert not PolicyBand.objects.exists()


# Checking the chosen procedure ---------------------------------------------------------------


def test_procedures_are_ordered_from_light_to_heavy():
    assert [p.rank for p in (SINGLE, MULTIPLE, NATIONAL, EUROPEAN)] == [0, 1, 2, 3]
    assert SINGLE.is_lighter_than("multiple")
    assert not EUROPEAN.is_lighter_than("national")
    assert Procedure.heaviest("national", "single", "multiple") == NATIONAL


def test_lighter_than_the_law_is_refused(dordrecht):
    proposal = propose(dordrecht, ContractType.SERVICES, "300000")

    check = procedure_check(chosen=NATIONAL, proposal=proposal)

    assert check.errors == [PROCEDURE_BELOW_LEGAL_MINIMUM]
    assert not check.ok


def test_lighter_than_the_policy_is_allowed_with_a_warning(dordrecht):
    proposal = propose(dordrecht, ContractType.SERVICES, "60000")

    check = procedure_check(chosen=SINGLE, proposal=proposal)

    assert check.ok
    assert check.warnings == [PROCEDURE_BELOW_POLICY]


@pytest.mark.parametrize("chosen", [MULTIPLE, NATIONAL, EUROPEAN])
def test_the_proposed_or_a_heavier_procedure_is_fine(dordrecht, chosen):
    proposal = propose(dordrecht, ContractType.SERVICES, "60000")

    check = procedure_check(chosen=chosen, proposal=proposal)

    assert (check.errors, check.warnings) == ([], [])


@pytest.mark.parametrize(
    ("procedure", "reference", "needed"),
    [
        (SINGLE, "", False),
        (MULTIPLE, "", False),
        (NATIONAL, "", True),
        (EUROPEAN, "  ", True),
        (EUROPEAN, "412345", False),
    ],
)
def test_open_procedures_need_a_tenderned_reference(procedure, reference, needed):
    problems = tenderned_check(procedure=procedure, tenderned_reference=reference)

    assert problems == ([TENDERNED_REFERENCE_REQUIRED] if needed else [])


@pytest.mark.parametrize(
    ("criteria_type", "weights", "problems"),
    [
        ("lowest_price", [], []),
        ("lowest_price", [100], [CRITERIA_ONLY_FOR_PRICE_QUALITY]),
        ("price_quality", [40, 60], []),
        ("price_quality", [40, 50], [WEIGHTS_MUST_ADD_UP_TO_100]),
        ("price_quality", [], [WEIGHTS_MUST_ADD_UP_TO_100]),
    ],
)
def test_award_criteria_weights_add_up_to_100(criteria_type, weights, problems):
    assert award_criteria_check(criteria_type=criteria_type, weights=weights) == problems
