"""Import a municipality's finance export into the local-spend monitor (DESIGN §6)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from marketplace.models import Municipality
from suppliers.importing import ImportFileError
from tenders.monitor.importing import spend_import
from tenders.monitor.parsing import count_lines, open_spend_file

UNKNOWN_MUNICIPALITY = gettext_lazy("Unknown municipality code %(code)s: use a code like GM0505.")


class Command(BaseCommand):
    help = (
        "Import spend lines of one municipality from a finance export in UTF-8 with the header "
        "date;supplier_kvk;supplier_name;supplier_postcode;amount;description;invoice (';' or ',' "
        "between columns; dates YYYY-MM-DD or DD-MM-YYYY; amounts like 1.234,56 or 1234.56). A "
        "line with an invoice number replaces the earlier line with that number; importing the "
        "same file again changes nothing. Bad lines are reported with their line number and "
        "skipped; the exit status is non-zero only when the file cannot be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file to import.")
        parser.add_argument(
            "--municipality", required=True, help="The municipality that paid (GM0505)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every line and report, but save nothing."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print only the report, as JSON: created, updated, unchanged, rejected, unplaced.",
        )

    def handle(self, *args: object, **options: object) -> None:
        code = str(options["municipality"]).strip().upper()
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise CommandError(UNKNOWN_MUNICIPALITY % {"code": options["municipality"]})
        path = options["file"]
        quiet = options["json"] or options["verbosity"] < 1
        try:
            with open_spend_file(path) as stream:
                total = count_lines(stream, str(path))
                stream.seek(0)
                with tqdm(
                    total=max(total - 1, 0),
                    unit="line",
                    file=options.get("stderr") or sys.stderr,
                    disable=quiet,
                ) as bar:
                    report = spend_import(
                        municipality=municipality,
                        stream=stream,
                        name=path.name,
                        dry_run=options["dry_run"],
                        progress=lambda n: bar.update(n - bar.n),
                    )
        except ImportFileError as error:
            raise CommandError(str(error)) from error

        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict()))
            return
        summary = _(
            "%(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(rejected)s rejected"
        ) % {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "rejected": len(report.rejected),
        }
        if options["dry_run"]:
            summary = _("Dry run, nothing saved: %(summary)s") % {"summary": summary}
        self.stdout.write(summary)
        for rejection in report.rejected:
            self.stdout.write(_("line %(line)s: %(reason)s") % vars(rejection))
        for unplaced in report.unplaced:
            self.stdout.write(
                _("line %(line)s: %(supplier)s cannot be placed; counted as Unknown") % unplaced
            )
