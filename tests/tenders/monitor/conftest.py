from __future__ import annotations

import pytest

from marketplace.models import Municipality
from tests.factories import FirmFactory


def _firm(name: str, code: str, employees: int | None = None):
    municipality = Municipality.objects.get(pk=code)
    return FirmFactory(organisation__name=name, municipality=municipality, employees=employees)


@pytest.fixture
def local_firm(reference_data):
    """A painter in Dordrecht (10 people)."""
    return _firm("Schilder Dordt", "GM0505", 10)


@pytest.fixture
def regional_firm(reference_data):
    """A builder in Zwijndrecht, in the Drechtsteden (300 people)."""
    return _firm("Bouw Zwijndrecht", "GM0642", 300)


@pytest.fixture
def nearby_firm(reference_data):
    """An installer in Ridderkerk: not in the Drechtsteden, within 25 km of Dordrecht."""
    return _firm("Installatie Ridderkerk", "GM0597")


@pytest.fixture
def distant_firm(reference_data):
    """A consultant in Groningen."""
    return _firm("Advies Groningen", "GM0014", 40)
