"""The association's demo pages (run by seed_demo): speerpunten, news, events, standard pages."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.db import transaction

from cms.demo import cms_demo_seed


class Command(BaseCommand):
    help = "Create the demo page tree where it is missing; never changes a page that exists."

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            counts = cms_demo_seed()
        self.stdout.write(json.dumps(counts))
