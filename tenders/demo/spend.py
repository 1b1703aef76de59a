"""The demo's finance export (issue 14 point 6): three years of Dordrecht's payments to suppliers,
as its financial system would write them, imported through ``import_spend`` so the monitor shows
both sources. Mostly firms of Dordrecht and the Drechtsteden, some from further away, a few
credit notes, a supplier known only by its postcode and one that cannot be placed."""

from __future__ import annotations

import io
import json
import random
import tempfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from marketplace.models import Municipality
from suppliers.models import Firm
from tenders.monitor.importing import COLUMNS
from tenders.monitor.models import SpendLine

DEMO_SPEND_MUNICIPALITY = "GM0505"
DEMO_SPEND_LINES = 240
# Suppliers without a profile here: one placed by its postcode, one that cannot be placed.
UNLISTED = [
    ("", "Drukkerij De Merwede", "3312"),
    ("", "Catering Het Hof", "3311 AB"),
    ("87654321", "Adviesbureau Noord", "9711"),
    ("", "Stichting Buurtwerk", ""),
]


def _dutch_amount(value: Decimal) -> str:
    whole, _dot, cents = f"{abs(value):.2f}".partition(".")
    text = f"{int(whole):,}".replace(",", ".") + "," + cents
    return f"-{text}" if value < 0 else text


def demo_spend_csv(*, seed: int, today: date) -> str:
    """The export as text: ';' between columns, Dutch amounts, both date formats."""
    rng = random.Random(f"{seed}:spend")
    dordrecht = Municipality.objects.get(pk=DEMO_SPEND_MUNICIPALITY)
    firms = list(
        Firm.objects.filter(published=True)
        .select_related("organisation", "municipality")
        .order_by("kvk_number")
    )
    local = [f for f in firms if f.municipality_id == dordrecht.code]
    regional = [
        f for f in firms if f.municipality.region_id == dordrecht.region_id and f not in local
    ]
    others = [f for f in firms if f not in local and f not in regional]
    out = io.StringIO()
    out.write(";".join(COLUMNS) + "\n")
    start = date(today.year - 2, 1, 1)
    span = (today - start).days
    for number in range(1, DEMO_SPEND_LINES + 1):
        day = start + timedelta(days=rng.randint(0, span))
        pool = rng.choices([local, regional, others, UNLISTED], weights=[45, 25, 22, 8])[0]
        pool = pool or others or UNLISTED
        pick = rng.choice(pool)
        if isinstance(pick, Firm):
            kvk, name, postcode = pick.kvk_number, pick.name, pick.postcode
        else:
            kvk, name, postcode = pick
        amount = Decimal(rng.choice([180, 450, 900, 1800, 4200, 9500, 24000])) * Decimal(
            rng.uniform(0.6, 1.4)
        )
        amount = amount.quantize(Decimal("0.01"))
        if rng.random() < 0.04:
            amount = -amount / 4  # a credit note
        when = day.isoformat() if number % 3 else day.strftime("%d-%m-%Y")
        description = rng.choice(
            ["Onderhoud", "Levering", "Advieswerk", "Schilderwerk", "Catering", "Drukwerk"]
        )
        invoice = f"DORD-{day.year}-{number:04d}"
        out.write(
            ";".join(
                [
                    when,
                    kvk,
                    name,
                    postcode,
                    _dutch_amount(amount.quantize(Decimal("0.01"))),
                    description,
                    invoice,
                ]
            )
            + "\n"
        )
    return out.getvalue()


def demo_spend_seed(*, seed: int, now: datetime) -> int:
    """Import the demo export for Dordrecht through ``import_spend``; returns how many spend
    lines Dordrecht has (the same on every run: the invoice numbers are the keys)."""
    text = demo_spend_csv(seed=seed, today=timezone.localdate(now))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dordrecht-crediteuren-demo.csv"
        path.write_text(text, encoding="utf-8")
        out = io.StringIO()
        call_command(
            "import_spend",
            str(path),
            "--municipality",
            DEMO_SPEND_MUNICIPALITY,
            "--json",
            stdout=out,
        )
    json.loads(out.getvalue())
    return SpendLine.objects.filter(municipality_id=DEMO_SPEND_MUNICIPALITY).count()
