"""The monitor's part of ``benchmark pages`` (issue 14): ``/monitor/<gm>/`` with 10,000 and then
100,000 contracts + spend lines for one municipality, against the trivial view, and
``import_spend``'s speed and memory on the spend lines it imports to get there.

A tenth of the lines are contracts on the platform (tender, quote, award and contract written in
bulk, as ``tenders.benchmarks.tenders`` writes tenders); the rest is a generated finance export
imported through ``spend_import``, the code behind ``import_spend``."""

from __future__ import annotations

import random
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db.models import Model
from django.utils import timezone

from marketplace.models import Municipality, Organisation, User
from suppliers.models import Firm
from tenders.models import Award, Contract, Quote, Status, Tender
from tenders.monitor.importing import COLUMNS, spend_import
from tenders.monitor.models import SpendLine

MONITOR_CODE = "GM0505"
MONITOR_SIZES = (10_000, 100_000)
CONTRACT_SHARE = 0.1
BATCH = 2000
MONITOR_MODELS: tuple[type[Model], ...] = (Tender, Quote, Award, Contract, SpendLine)


class MonitorGenerator:
    """Lines for one municipality, grown to a size; deterministic for a seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}:monitor")
        self.municipality = Municipality.objects.get(pk=MONITOR_CODE)
        self.buyer = Organisation.objects.filter(
            kind=Organisation.Kind.BUYER, municipality=self.municipality
        ).first() or Organisation.objects.create(
            name="Gemeente Dordrecht",
            slug="benchmark-monitor-dordrecht",
            kind=Organisation.Kind.BUYER,
            municipality=self.municipality,
        )
        self.user = User.objects.create_user("monitor-benchmark@dichtbij.example")
        firms = list(
            Firm.objects.order_by("kvk_number").values_list("pk", "kvk_number", "postcode")
        )
        self.firms = self.rng.sample(firms, min(len(firms), 3000))
        self.template = Tender.objects.order_by("pk").first()
        self.today = timezone.localdate()
        self.contracts = 0
        self.spend_lines = 0
        self.imports: list[dict] = []

    def _day(self) -> date:
        return self.today - timedelta(days=self.rng.randint(0, 4 * 365))

    def grow(self, total: int, bar) -> None:
        """Add contracts and imported lines until there are ``total`` lines."""
        contracts = int(total * CONTRACT_SHARE) - self.contracts
        for start in range(0, contracts, BATCH):
            self._contracts(min(BATCH, contracts - start))
            bar.update(min(BATCH, contracts - start))
        lines = total - int(total * CONTRACT_SHARE) - self.spend_lines
        self._import(lines, bar)

    def _contracts(self, count: int) -> None:
        fields = {
            f.attname: getattr(self.template, f.attname)
            for f in Tender._meta.concrete_fields
            if not f.primary_key
        }
        tenders = []
        for _index in range(count):
            self.contracts += 1
            tenders.append(
                Tender(
                    **{
                        **fields,
                        "buyer_id": self.buyer.pk,
                        "reference": f"MON-{self.contracts:07d}",
                        "reference_number": self.contracts,
                        "status": Status.COMPLETED,
                        "cancelled_at": None,
                        "cancellation_reason": "",
                    }
                )
            )
        Tender.objects.bulk_create(tenders)
        picks = [self.rng.choice(self.firms) for _tender in tenders]
        quotes = Quote.objects.bulk_create(
            Quote(tender_id=t.pk, firm_id=firm[0], receipt_code=f"MON{t.pk:012d}")
            for t, firm in zip(tenders, picks, strict=True)
        )
        values = [Decimal(self.rng.randint(5_000, 900_000)) for _tender in tenders]
        awards = Award.objects.bulk_create(
            Award(
                tender_id=t.pk,
                quote_id=q.pk,
                firm_id=q.firm_id,
                value=v,
                motivation="Laagste prijs.",
                decided_by_id=self.user.pk,
            )
            for t, q, v in zip(tenders, quotes, values, strict=True)
        )
        Contract.objects.bulk_create(
            Contract(
                tender_id=a.tender_id,
                award_id=a.pk,
                firm_id=a.firm_id,
                value=a.value,
                start_date=(day := self._day()),
                signed_on=day,
                recorded_by_id=self.user.pk,
            )
            for a in awards
        )

    def _import(self, count: int, bar) -> None:
        """Write a finance export of ``count`` lines and import it, timed and traced."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "export.csv"
            with path.open("w", encoding="utf-8") as out:
                out.write(";".join(COLUMNS) + "\n")
                for _index in range(count):
                    self.spend_lines += 1
                    roll = self.rng.random()
                    if roll < 0.85:
                        _pk, kvk, postcode = self.rng.choice(self.firms)
                        name = ""
                    elif roll < 0.97:
                        kvk, name, postcode = "", f"Leverancier {self.rng.randint(1, 900)}", ""
                        postcode = f"{self.rng.randint(1000, 9999)}"
                    else:
                        kvk, name, postcode = "", f"Onbekend {self.rng.randint(1, 50)}", ""
                    cents = self.rng.randint(-5_000, 2_500_000)
                    amount = f"{cents // 100:,}".replace(",", ".") + f",{abs(cents) % 100:02d}"
                    out.write(
                        f"{self._day().isoformat()};{kvk};{name};{postcode};{amount};"
                        f"Levering;BM-{self.spend_lines:08d}\n"
                    )
            started = time.perf_counter()
            with path.open("rb") as stream:
                report = spend_import(municipality=self.municipality, stream=stream, name=path.name)
            seconds = time.perf_counter() - started
            # Memory apart (tracing slows Python down): a dry re-run does the same reading,
            # parsing and look-ups batch by batch, and writes nothing.
            tracemalloc.start()
            with path.open("rb") as stream:
                spend_import(
                    municipality=self.municipality, stream=stream, name=path.name, dry_run=True
                )
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            bar.update(count)
        self.imports.append(
            {
                "lines": count,
                "created": report.created,
                "rejected": len(report.rejected),
                "seconds": round(seconds, 2),
                "lines_per_s": round(count / seconds) if seconds else None,
                "peak_memory_mb": round(peak / 1e6, 1),
            }
        )


def measure_monitor(measure, config, disable: bool, progress_bar, analyse) -> dict:
    """Grow the lines to each size, then measure the monitor page (warm: cached; cold: a query
    string never asked before) against the trivial view. ``measure(urls, bar)`` is the page
    benchmark's own measuring loop."""
    generator = MonitorGenerator(config.seed)
    sizes = {}
    for size in config.monitor_sizes:
        with progress_bar(size, f"monitor {size:,}", disable, unit="line") as bar:
            bar.update(generator.contracts + generator.spend_lines)
            generator.grow(size, bar)
        analyse()
        urls = {
            "trivial": "/benchmark/trivial/",
            "monitor": f"/monitor/{MONITOR_CODE}/",
            "monitor_cold": f"/monitor/{MONITOR_CODE}/",
        }
        with progress_bar(config.warmup + config.runs, "measure", disable, unit="round") as bar:
            samples = measure(urls, bar)
        sizes[size] = {
            "contracts": generator.contracts,
            "spend_lines": generator.spend_lines,
            "samples": samples,
        }
    return {"sizes": sizes, "imports": generator.imports}
