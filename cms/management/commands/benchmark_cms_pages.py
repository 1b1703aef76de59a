"""The cms part of ``benchmark pages``: the speerpunten pages and the booklet (issue 13)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from cms.benchmarks.pages import cms_pages_benchmark, format_cms_report


class Command(BaseCommand):
    help = "Server time of /speerpunten/, a speerpunt with three live figures and the booklet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=30, help="Measured runs per page (30).")
        parser.add_argument("--cold-runs", type=int, default=5, help="Cold booklet builds (5).")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: object, **options: object) -> None:
        if options["runs"] < 1 or options["cold_runs"] < 1:
            raise CommandError("--runs and --cold-runs must be at least 1.")
        # DEBUG keeps every SQL statement in memory: measure production mode.
        with override_settings(DEBUG=False):
            report = cms_pages_benchmark(
                runs=options["runs"],
                cold_runs=options["cold_runs"],
                log=lambda line: self.stderr.write(line),
            )
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self.stdout.write(format_cms_report(report))
