"""Reading an import file as a stream: constant memory, whatever the file's size.

The file is read twice, both times line by line: a first pass checks that it is UTF-8 and counts
its lines (for the progress bar), so that a file that is not UTF-8 is refused before anything is
written; the second pass yields the CSV records one by one. A physical line longer than
``LINE_LIMIT`` is never held in memory: it is skipped and its record rejected with its line.
"""

from __future__ import annotations

import codecs
import csv
import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from suppliers.importing.rows import COLUMNS, REQUIRED_COLUMNS, Record

CHUNK = 1 << 20  # bytes read at a time by the first pass
LINE_LIMIT = 1 << 20  # a longer physical line is not read (a firm's row is a few hundred bytes)
BOM = codecs.BOM_UTF8

CANNOT_OPEN = _("Cannot open %(path)s: %(error)s.")
NOT_UTF8 = _("%(path)s is not UTF-8 (line %(line)s); save it as “CSV UTF-8”.")
NO_HEADER = _("%(path)s has no header row on line 1.")
BAD_HEADER = _("The header row of %(path)s cannot be read: %(error)s.")
UNKNOWN_COLUMNS = _(
    "Unknown column(s) in the header: %(columns)s. Expected %(expected)s, "
    "separated by commas or semicolons."
)
DUPLICATE_COLUMNS = _("Column(s) named twice in the header: %(columns)s.")
MISSING_COLUMNS = _("Required column(s) missing from the header: %(columns)s.")
MALFORMED_RECORD = _("malformed CSV: %(error)s")
LINE_TOO_LONG = _("line %(line)s is longer than %(limit)s MB and was not read")


class ImportFileError(Exception):
    """The file cannot be read at all: missing, not UTF-8, or without a usable header."""


@dataclass(frozen=True)
class SupplierFile:
    """A readable import file: its columns in file order, its lines, and its records."""

    columns: tuple[str, ...]
    lines: int  # physical lines, the header included
    records: Iterable[Record]


def read_supplier_file(path: Path) -> SupplierFile:
    """Open an import file (UTF-8, with or without BOM) for streaming; raises ImportFileError
    when it cannot be read at all. The records are read as they are iterated."""
    lines = _checked_line_count(path)
    try:
        handle = path.open("rb")
    except OSError as error:
        raise ImportFileError(CANNOT_OPEN % {"path": path, "error": error.strerror}) from error
    physical = _physical_lines(handle, skipped := deque())
    header_line = next(physical, "")
    if not header_line.strip() or skipped:
        handle.close()
        raise ImportFileError(NO_HEADER % {"path": path})
    try:
        columns, delimiter = parse_header(header_line, name=str(path))
    except ImportFileError:
        handle.close()
        raise
    return SupplierFile(columns, lines, _closing(handle, _records(physical, skipped, delimiter)))


def parse_supplier_csv(text: str, *, name: str = "the file") -> SupplierFile:
    """Records of CSV text in memory (tests, small uploads), read as a file is."""
    physical = iter(text.splitlines(keepends=True))
    header_line = next(physical, "")
    if not header_line.strip():
        raise ImportFileError(NO_HEADER % {"path": name})
    columns, delimiter = parse_header(header_line, name=name)
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    return SupplierFile(columns, lines, list(_records(physical, deque(), delimiter)))


def parse_header(header_line: str, *, name: str) -> tuple[tuple[str, ...], str]:
    """The columns of a header line, and the delimiter it shows."""
    # Dutch Excel writes ";" where the rest of the world writes ",": the header decides.
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    try:
        header = next(csv.reader([header_line], delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise ImportFileError(BAD_HEADER % {"path": name, "error": error}) from error
    columns = tuple(cell.strip().lower() for cell in header)
    _check_columns(columns)
    return columns, delimiter


def _checked_line_count(path: Path) -> int:
    """The file's physical lines; ImportFileError when it is unreadable or not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = 0
    last = b""
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    line = newlines + chunk[: max(error.start, 0)].count(b"\n") + 1
                    raise ImportFileError(NOT_UTF8 % {"path": path, "line": line}) from error
                newlines += chunk.count(b"\n")
                last = chunk[-1:]
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as error:
                raise ImportFileError(NOT_UTF8 % {"path": path, "line": newlines + 1}) from error
    except OSError as error:
        raise ImportFileError(CANNOT_OPEN % {"path": path, "error": error.strerror}) from error
    return newlines + (1 if last and last != b"\n" else 0)


def _physical_lines(handle, skipped: deque[int]) -> Iterator[str]:
    """The file's lines as text (NFC); a line over ``LINE_LIMIT`` bytes is read past in chunks,
    its number put in ``skipped`` and an empty line yielded in its place."""
    number = 0
    while line := handle.readline(LINE_LIMIT):
        number += 1
        if number == 1 and line.startswith(BOM):
            line = line[len(BOM) :]
        if len(line) >= LINE_LIMIT and not line.endswith(b"\n"):
            while (rest := handle.readline(LINE_LIMIT)) and not rest.endswith(b"\n"):
                pass
            skipped.append(number)
            line = b"\n"
        yield unicodedata.normalize("NFC", line.decode("utf-8"))


def _records(physical: Iterator[str], skipped: deque[int], delimiter: str) -> Iterator[Record]:
    """Split the lines after the header into records, each with the lines it spans."""
    reader = csv.reader(physical, delimiter=delimiter, strict=True)
    while True:
        # line_num counts the lines read so far (the header is line 1, read before the reader);
        # a quoted cell may span several of them.
        line = reader.line_num + 2
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            yield Record(line, error=MALFORMED_RECORD % {"error": error}, end=reader.line_num + 1)
            continue
        end = reader.line_num + 1
        too_long = []
        while skipped and skipped[0] <= end:
            too_long.append(skipped.popleft())
        if too_long:
            limit = LINE_LIMIT // (1 << 20)
            yield Record(line, error=LINE_TOO_LONG % {"line": too_long[0], "limit": limit}, end=end)
        elif any(cell.strip() for cell in cells):
            yield Record(line, tuple(cells), end=end)
        else:
            yield Record(line, end=end, blank=True)


def _closing(handle, records: Iterator[Record]) -> Iterator[Record]:
    with handle:
        yield from records


def _check_columns(columns: Sequence[str]) -> None:
    """Refuse a header with unknown, repeated or missing required columns."""
    unknown = [column for column in columns if column not in COLUMNS]
    if unknown:
        raise ImportFileError(
            UNKNOWN_COLUMNS % {"columns": _quoted(unknown), "expected": ", ".join(COLUMNS)}
        )
    repeated = sorted({column for column in columns if columns.count(column) > 1})
    if repeated:
        raise ImportFileError(DUPLICATE_COLUMNS % {"columns": _quoted(repeated)})
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ImportFileError(MISSING_COLUMNS % {"columns": _quoted(missing)})


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)
