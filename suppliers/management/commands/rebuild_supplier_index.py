"""Rebuild the supplier index from the database: repairs drift and follows bulk changes."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from suppliers.models import Firm
from suppliers.search import database_backend, get_backend


class Command(BaseCommand):
    help = "Rebuild the supplier search index (database, and Elasticsearch if configured)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--database-only",
            action="store_true",
            help="Rebuild only the database index, even when Elasticsearch is configured.",
        )

    def handle(self, *args: object, **options: object) -> None:
        backends = [database_backend()]
        if not options["database_only"] and get_backend() is not database_backend():
            backends.append(get_backend())
        total = Firm.objects.count()
        for backend in backends:
            with tqdm(
                total=total,
                unit="firm",
                desc=backend.name,
                file=sys.stderr,
                disable=options["verbosity"] < 1,
            ) as bar:
                done = backend.rebuild(progress=lambda n: bar.update(n - bar.n))
            self.stdout.write(f"{backend.name}: {done} firms indexed")
