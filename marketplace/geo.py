"""Where things are: resolving addresses to municipalities and locations, and distances."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from marketplace.models import Municipality, Postcode

POSTCODE_RE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})?\s*$")
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Location:
    """A resolved establishment: its municipality, coordinates and the postcode area if known."""

    municipality: Municipality
    latitude: float
    longitude: float
    postcode_area: Postcode | None


def normalise_postcode(value: str) -> str | None:
    """'3311ab' → '3311 AB', '3311' → '3311'; None when it is no Dutch postcode."""
    match = POSTCODE_RE.match(value or "")
    if not match:
        return None
    digits, letters = match.groups()
    if digits.startswith("0"):
        return None
    return f"{digits} {letters.upper()}" if letters else digits


def resolve_location(postcode: str, municipality: Municipality | None = None) -> Location | None:
    """Locate an establishment (DESIGN §4.1): the postcode's centroid, else the municipality's.

    The municipality given wins over the postcode's; an unknown postcode is never an error when
    the municipality is known. None when neither is known.
    """
    normalised = normalise_postcode(postcode)
    area = None
    if normalised:
        area = Postcode.objects.select_related("municipality").filter(pk=normalised[:4]).first()
    return location_of(area, municipality)


def location_of(area: Postcode | None, municipality: Municipality | None) -> Location | None:
    """The rule of ``resolve_location`` once the postcode area is looked up (an import looks
    them up in bulk): the area's centroid, else the municipality's; None when neither."""
    if area is not None:
        return Location(municipality or area.municipality, area.latitude, area.longitude, area)
    if municipality is not None:
        return Location(municipality, municipality.latitude, municipality.longitude, None)
    return None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def unit_vector(latitude: float, longitude: float) -> tuple[float, float, float]:
    """A point on the unit sphere: squared chord lengths order places exactly like great-circle
    distances, with arithmetic any SQL engine can do."""
    lat, lon = math.radians(latitude), math.radians(longitude)
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


def chord_squared_for_km(km: float) -> float:
    """The squared chord between unit vectors of places ``km`` apart on the earth's surface."""
    return (2 * math.sin(km / (2 * EARTH_RADIUS_KM))) ** 2


def km_for_chord_squared(chord_squared: float) -> float:
    """The great-circle distance of a squared chord between unit vectors."""
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(max(chord_squared, 0.0)) / 2))
