"""``seed_demo`` feeds the monitor (issue 14 point 6): the history's contracts for the demo
municipalities and Dordrecht's finance export imported through ``import_spend``."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tenders.models import SpendLine
from tenders.monitor.selectors import monitor_figures

pytestmark = pytest.mark.django_db


def seed_demo() -> dict:
    stdout = StringIO()
    call_command(
        "seed_demo", "--suppliers", "60", "--tenders", "0", "--seed", "7", "--json", stdout=stdout
    )
    return json.loads(stdout.getvalue())


def test_dordrecht_shows_both_sources_and_a_believable_mix(client, reference_data, dordrecht):
    counts = seed_demo()

    assert counts["spend_lines"] == SpendLine.objects.filter(municipality=dordrecht).count() > 200
    figures = monitor_figures(municipality=dordrecht)
    assert figures.sources["platform"].count > 0
    assert figures.sources["imported"].count > 0
    tiers = [row.count for row in figures.tiers]
    assert tiers[0] > 0 and sum(tiers[1:]) > 0  # local and not only local
    assert len(figures.years) >= 2
    assert sum(row.cells[None].count for row in figures.trend) > 0  # "Onbekend" shows too
    overview = client.get("/monitor/").content.decode()
    for name in ("Dordrecht", "Zwijndrecht", "Papendrecht", "Sliedrecht"):
        assert name in overview


def test_seeding_again_imports_nothing_twice(reference_data, dordrecht):
    first = seed_demo()
    amounts = sorted(SpendLine.objects.values_list("invoice", "amount"))

    again = seed_demo()

    assert again["spend_lines"] == first["spend_lines"]
    assert sorted(SpendLine.objects.values_list("invoice", "amount")) == amounts
