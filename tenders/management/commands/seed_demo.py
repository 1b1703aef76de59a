"""Create the deterministic demo world and print the demo logins."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from marketplace.models import Municipality
from tenders.demo import DEMO_PASSWORD, NAMED_FIRMS, demo_logins, demo_seed


class Command(BaseCommand):
    help = "Create or refresh demo buyers, firms and logins (same --seed, same data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--suppliers", type=int, default=150, help="Generated firms (default 150)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON only.")

    def handle(self, *args: object, **options: object) -> None:
        if not Municipality.objects.exists():
            self.stderr.write("Load the reference data first: python manage.py load_reference_data")
            raise SystemExit(1)
        total = options["suppliers"] + len(NAMED_FIRMS)
        quiet = options["json"] or options["verbosity"] < 1
        with tqdm(total=total, unit="firm", file=sys.stderr, disable=quiet) as bar:
            counts = demo_seed(
                suppliers=options["suppliers"],
                seed=options["seed"],
                progress=lambda n: bar.update(n - bar.n),
            )
        self.stdout.write(json.dumps(counts))
        if options["json"]:
            return
        self.stdout.write(f"\nDemo logins (password: {DEMO_PASSWORD})")
        for email, role in demo_logins():
            self.stdout.write(f"  {email:<30} {role}")
