"""Every CSV file the product writes goes out through here: one streamed download, and the guard
that keeps a spreadsheet from running a cell as a formula."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence

from django.http import StreamingHttpResponse
from django.utils import translation

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# Excel reads a UTF-8 file as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"


class _Echo:
    """A file that hands back what is written to it, so that csv.writer returns each line."""

    def write(self, value: str) -> str:
        return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number ("-250,00", "+31") is no formula: a credit note stays a number.
PLAIN_NUMBER = re.compile(r"^[+-]?[0-9][0-9.,]*$")


def spreadsheet_safe(value: object) -> object:
    """Keep a spreadsheet from running a cell as a formula (CSV injection): a text that starts
    like a formula gets a leading apostrophe; numbers and other values pass unchanged."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS and not PLAIN_NUMBER.match(value):
        return f"'{value}"
    return value


def csv_download(
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    filename: str,
    delimiter: str = ",",
    bom: bool = False,
) -> StreamingHttpResponse:
    """A CSV attachment, written row by row while it is sent; every cell through
    ``spreadsheet_safe``, whoever wrote the text in it."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    language = translation.get_language()

    def lines() -> Iterator[str]:
        # Streaming runs after the view returned: the labels keep the request's language.
        with translation.override(language):
            yield (BOM if bom else "") + writer.writerow(header)
            for row in rows:
                yield writer.writerow([spreadsheet_safe(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
