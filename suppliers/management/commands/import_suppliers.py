"""Import firms from a CSV file; each bad row is reported and skipped, never fatal."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from suppliers.importing import ImportFileError, import_records, read_supplier_file


class Command(BaseCommand):
    help = (
        "Create or update firms (by KvK number) from a CSV file in UTF-8, with a header row of "
        "kvk_number,name,description,postcode,municipality_code,cpv_codes,email,website,employees "
        "in any order (only kvk_number and name are required). Columns are separated by commas "
        "or, as Dutch Excel writes them, semicolons. CPV codes, with or without check digit, are "
        "separated by ';' (quote the cell in a semicolon file), ',' or spaces. municipality_code "
        "(GM0505) is needed only when the postcode is unknown. A missing column keeps a firm's "
        "current value; an empty cell clears it. Bad rows are reported with their line number and "
        "skipped; the exit status is non-zero only when the file cannot be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and report what would happen, but save nothing.",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print only the report, as JSON: created, updated and rejected (line, reason).",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            supplier_file = read_supplier_file(options["file"])
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        # tqdm redraws with carriage returns; self.stderr would end every redraw with a newline.
        records = tqdm(
            supplier_file.records,
            unit="row",
            file=options.get("stderr") or sys.stderr,
            disable=options["json"] or options["verbosity"] < 1,
        )
        with records:
            report = import_records(supplier_file.columns, records, dry_run=options["dry_run"])

        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict()))
            return
        summary = _("%(created)s created, %(updated)s updated, %(rejected)s rejected") % {
            "created": report.created,
            "updated": report.updated,
            "rejected": len(report.rejected),
        }
        if options["dry_run"]:
            summary = _("Dry run, nothing saved: %(summary)s") % {"summary": summary}
        self.stdout.write(summary)
        for rejection in report.rejected:
            self.stdout.write(_("line %(line)s: %(reason)s") % vars(rejection))
