"""The periodic job (cron or a scheduler, every minute): close due tenders, send what is due,
publish and expire the Wagtail pages whose time has come."""

from __future__ import annotations

import json

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from tenders.notifications import notifications_send
from tenders.services.lifecycle import tenders_close_due


class Command(BaseCommand):
    help = (
        "Close tenders whose quote deadline passed, tell buyers once about tenders that cannot "
        "close because of unanswered questions, send due notifications and publish or expire "
        "scheduled pages. Safe to run "
        "repeatedly and concurrently."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")

    def handle(self, *args: object, **options: object) -> None:
        counts = tenders_close_due()
        counts.update(notifications_send())
        # Wagtail's scheduled publishing (go-live and expiry dates of pages, issue 13).
        call_command("publish_scheduled", verbosity=0)
        if options["json"]:
            self.stdout.write(json.dumps(counts))
        elif options["verbosity"] > 1:
            self.stderr.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
