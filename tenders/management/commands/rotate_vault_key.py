"""Re-seal every sealed quote with the first key of VAULT_KEY, so that older keys can be dropped.

Rotate like this: put a new secret in front (``VAULT_KEY=new,old``), run this command, then remove
the old secret (``VAULT_KEY=new``). Safe to run again: a value already sealed with the first key is
simply sealed afresh.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from tqdm import tqdm

from tenders import vault
from tenders.models import Quote, QuoteFile


def _rewrite(path: Path, data: bytes) -> None:
    """Replace a file's bytes in one step (a crash leaves the old or the new file, never half)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".rotate-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = "Re-seal every quote's contents, file names and files with the first key of VAULT_KEY."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")

    def handle(self, *args: object, **options: object) -> None:
        counts = {"quotes": 0, "file_names": 0, "files": 0, "missing_files": 0}
        quote_ids = list(Quote.objects.exclude(sealed=b"").values_list("pk", flat=True))
        file_ids = list(QuoteFile.objects.values_list("pk", flat=True))
        with tqdm(
            total=len(quote_ids) + len(file_ids),
            unit="item",
            desc="vault",
            file=sys.stderr,
            disable=options["verbosity"] < 1 or options["json"],
        ) as bar:
            for pk in quote_ids:
                with transaction.atomic():
                    quote = Quote.objects.select_for_update().get(pk=pk)
                    if quote.sealed:
                        quote.sealed = vault.rotate(quote.sealed)
                        quote.save(update_fields=["sealed"])
                        counts["quotes"] += 1
                bar.update(1)
            for pk in file_ids:
                self._rotate_file(pk, counts)
                bar.update(1)
        if options["json"]:
            self.stdout.write(json.dumps(counts))
        else:
            self.stdout.write(
                f"{counts['quotes']} quotes, {counts['file_names']} file names and "
                f"{counts['files']} files re-sealed; {counts['missing_files']} files missing"
            )

    def _rotate_file(self, pk: int, counts: dict[str, int]) -> None:
        with transaction.atomic():
            quote_file = QuoteFile.objects.select_for_update().get(pk=pk)
            if quote_file.sealed_name:
                quote_file.sealed_name = vault.rotate(quote_file.sealed_name)
                quote_file.save(update_fields=["sealed_name"])
                counts["file_names"] += 1
            name = quote_file.file.name
            storage = quote_file.file.storage
            if not name or not storage.exists(name):
                # Replaced and withdrawn quotes have their files removed on purpose.
                counts["missing_files"] += quote_file.quote.status == Quote.Status.SUBMITTED
                return
            path = Path(storage.path(name))
            _rewrite(path, vault.rotate(path.read_bytes()))
            counts["files"] += 1
