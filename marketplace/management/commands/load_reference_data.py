"""Load municipalities, regions, postcodes, CPV and SBI codes; safe to run again."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from marketplace.reference_data import STEPS, reference_data_load


class Command(BaseCommand):
    help = "Load or refresh the reference data (idempotent) and print the counts as JSON."

    def handle(self, *args: object, **options: object) -> None:
        with tqdm(
            total=len(STEPS), unit="step", file=sys.stderr, disable=options["verbosity"] < 1
        ) as bar:

            def progress(label: str) -> None:
                bar.set_postfix_str(label)
                bar.update(1)

            counts = reference_data_load(progress=progress)
        self.stdout.write(json.dumps(counts))
