"""The assistant's reasons, in plain Dutch: where a firm is, which rule chose it, rotation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from suppliers.search import Tier

if TYPE_CHECKING:
    from tenders.assistant.candidates import Candidate

LOCAL_REASON = _("Local · %(place)s")
REGION_REASON = _("Region %(region)s · %(place)s")
NEARBY_REASON = _("Nearby · %(place)s, %(distance)s km")
ELSEWHERE_REASON = _("Elsewhere · %(place)s")
NEWCOMER_REASON = _("Newcomer: not invited in the last 24 months")
ALSO_NEWCOMER = _("also the newcomer: not invited in the last 24 months")
BROADENED_REASON = _("too few firms for the exact CPV code, found with %(broader)s")


def rotation_note(candidate: Candidate, *, division: str, taken: bool) -> str:
    params = {"count": candidate.invitations_12m, "division": division}
    if taken:
        text = ngettext(
            "Rotation: already invited %(count)s time in 12 months for this kind of work "
            "(CPV %(division)s), but no other firm this close is left",
            "Rotation: already invited %(count)s times in 12 months for this kind of work "
            "(CPV %(division)s), but no other firm this close is left",
            candidate.invitations_12m,
        )
    else:
        text = ngettext(
            "Passed over this time (rotation): already invited %(count)s time in 12 months "
            "for this kind of work (CPV %(division)s)",
            "Passed over this time (rotation): already invited %(count)s times in 12 months "
            "for this kind of work (CPV %(division)s)",
            candidate.invitations_12m,
        )
    return text % params


def where(candidate: Candidate) -> str:
    hit = candidate.hit
    place = hit.municipality_name
    if candidate.tier == Tier.LOCAL:
        return gettext(LOCAL_REASON) % {"place": place}
    if candidate.tier == Tier.REGION:
        return gettext(REGION_REASON) % {"region": hit.region_name, "place": place}
    if candidate.tier == Tier.NEARBY:
        distance = f"{hit.distance_km:.0f}" if hit.distance_km is not None else "?"
        return gettext(NEARBY_REASON) % {"place": place, "distance": distance}
    return gettext(ELSEWHERE_REASON) % {"place": place}


def reason_text(
    candidate: Candidate,
    headline: str,
    *,
    stands_in_for_local: bool,
    fills_newcomer_slot: bool,
    broadened_to: str,
) -> str:
    """ "Lokaal · Dordrecht — Schilderwerk (45442100)", the rule that chose it first."""
    if stands_in_for_local:
        # "Regio Drechtsteden: minder dan 2 lokale bedrijven · Zwijndrecht": the region is said.
        text = f"{headline} · {candidate.hit.municipality_name}"
    elif headline:
        text = f"{headline} · {where(candidate)}"
    else:
        text = where(candidate)
    if candidate.cpv_code:
        label = f"{candidate.cpv_label} " if candidate.cpv_label else ""
        text += f" — {label}({candidate.cpv_code})"
    if fills_newcomer_slot:
        text += f" · {gettext(ALSO_NEWCOMER)}"
    if candidate.broadened:
        text += " · " + gettext(BROADENED_REASON) % {"broader": broadened_to}
    return text


def local_shortfall(candidate: Candidate, min_local: int) -> str:
    note = ngettext(
        "Region %(region)s: fewer than %(count)s local firm",
        "Region %(region)s: fewer than %(count)s local firms",
        min_local,
    )
    return note % {"region": candidate.hit.region_name, "count": min_local}
