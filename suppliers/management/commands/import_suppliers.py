"""Import firms from a CSV file; each bad row is reported and skipped, never fatal."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from suppliers.importing import (
    ImportFileError,
    ImportInterrupted,
    import_in_batches,
    import_row_by_row,
    read_supplier_file,
)


class Command(BaseCommand):
    help = (
        "Create or update firms (by KvK number) from a CSV file in UTF-8, with a header row of "
        "kvk_number,name,description,postcode,municipality_code,cpv_codes,email,website,employees "
        "in any order (only kvk_number and name are required). Columns are separated by commas "
        "or, as Dutch Excel writes them, semicolons. CPV codes, with or without check digit, are "
        "separated by ';' (quote the cell in a semicolon file), ',' or spaces. municipality_code "
        "(GM0505) is needed only when the postcode is unknown. A missing column keeps a firm's "
        "current value; an empty cell clears it. Bad rows are reported with their line number and "
        "skipped; the exit status is non-zero only when the file cannot be read (or the import is "
        "interrupted: finished batches stay saved, and running it again is safe)."
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
        parser.add_argument(
            "--row-by-row",
            action="store_true",
            help="Import each row in its own transaction (slow; the reference the batch "
            "import is held to).",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            supplier_file = read_supplier_file(options["file"])
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        # tqdm redraws with carriage returns; self.stderr would end every redraw with a newline.
        bar = tqdm(
            total=max(supplier_file.lines - 1, 0),
            unit="line",
            file=options.get("stderr") or sys.stderr,
            disable=options["json"] or options["verbosity"] < 1,
        )
        # A terminated import (kill, a CI timeout) stops like Ctrl-C: after the batch it is in
        # is rolled back, with the report of the batches saved.
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _interrupt) if main else None
        try:
            with bar:
                if options["row_by_row"]:
                    report = import_row_by_row(
                        supplier_file.columns, supplier_file.records, dry_run=options["dry_run"]
                    )
                    bar.update(bar.total - bar.n)
                else:
                    report = import_in_batches(
                        supplier_file.columns,
                        supplier_file.records,
                        dry_run=options["dry_run"],
                        progress=lambda line: bar.update(line - 1 - bar.n),
                    )
        except ImportInterrupted as interrupted:
            done = interrupted.report
            message = _(
                "Interrupted. Lines 2 to %(line)s are saved (%(created)s created, %(updated)s "
                "updated, %(rejected)s rejected); the rest is not. Run the same command again "
                "to finish: firms already imported are updated, never doubled."
            ) % {
                "line": done.saved_through,
                "created": done.created,
                "updated": done.updated,
                "rejected": len(done.rejected),
            }
            if done.saved_through < 2 or options["dry_run"]:
                message = _("Interrupted before anything was saved. Run the command again.")
            raise CommandError(message, returncode=130) from None
        finally:
            if main:
                signal.signal(signal.SIGTERM, previous)

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


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
