"""Create the deterministic demo world and print the demo logins."""

from __future__ import annotations

import io
import json
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from marketplace.models import Municipality
from suppliers.demo.firms import NAMED_FIRMS
from tenders import caching
from tenders.demo import (
    DEFAULT_HISTORY,
    DEFAULT_TENDERS,
    DEMO_PASSWORD,
    demo_logins,
    demo_seed,
)


class Command(BaseCommand):
    help = "Create or refresh demo buyers, firms, tenders and logins (same --seed, same data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--suppliers", type=int, default=150, help="Generated firms (default 150)."
        )
        parser.add_argument(
            "--tenders",
            type=int,
            default=DEFAULT_TENDERS,
            help=f"Demo tenders of the four demo municipalities (default {DEFAULT_TENDERS}).",
        )
        parser.add_argument(
            "--history",
            type=int,
            default=DEFAULT_HISTORY,
            help="Past (awarded, completed) tenders per demo municipality "
            f"(default {DEFAULT_HISTORY}; 0 for none).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON only.")

    def handle(self, *args: object, **options: object) -> None:
        if not Municipality.objects.exists():
            self.stderr.write("Load the reference data first: python manage.py load_reference_data")
            raise SystemExit(1)
        if options["suppliers"] < 0 or options["tenders"] < 0 or options["history"] < 0:
            raise CommandError("--suppliers, --tenders and --history cannot be negative.")
        total = options["suppliers"] + len(NAMED_FIRMS)
        quiet = options["json"] or options["verbosity"] < 1
        with (
            tqdm(total=total, unit="firm", file=sys.stderr, disable=quiet) as firms_bar,
            tqdm(
                total=options["tenders"], unit="tender", file=sys.stderr, disable=quiet
            ) as tenders_bar,
        ):
            counts = demo_seed(
                suppliers=options["suppliers"],
                seed=options["seed"],
                tenders=options["tenders"],
                history=options["history"],
                progress=lambda n: firms_bar.update(n - firms_bar.n),
                tender_progress=lambda n: tenders_bar.update(n - tenders_bar.n),
            )
        # The demo writes most rows directly, past the services: forget the cached tender lists.
        caching.list_changed()
        # The association's pages (cms), by command name: tenders never imports cms.
        pages = io.StringIO()
        call_command("seed_cms_demo", stdout=pages)
        counts.update(json.loads(pages.getvalue()))
        self.stdout.write(json.dumps(counts))
        if options["json"]:
            return
        self.stdout.write(f"\nDemo logins (password: {DEMO_PASSWORD})")
        for email, role in demo_logins():
            self.stdout.write(f"  {email:<30} {role}")
