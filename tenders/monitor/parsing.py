"""Reading a finance export: the file (UTF-8 checked and its lines counted a chunk at a time)
and the values finance systems write (Dutch and plain amounts, dates in both orders)."""

from __future__ import annotations

import codecs
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO

from suppliers.importing import CANNOT_OPEN, NOT_UTF8, ImportFileError

CHUNK_SIZE = 1 << 20
DIGITS_RE = re.compile(r"^[0-9][0-9.,]*$")
THOUSANDS_RE = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$|^[0-9]{1,3}(,[0-9]{3}){2,}$")
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DUTCH_DATE_RE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
KVK_RE = re.compile(r"^[0-9]{8}$")
CENT = Decimal("0.01")


def parse_amount(text: str) -> Decimal | None:
    """An amount as finance systems write it: '1.234,56', '-250,00', '€ 1.000', '1234.56',
    '250,00-'; None when it is not one. The last '.' or ',' is the decimal mark, unless every
    group after a mark has three digits ('1.000' is a thousand: euros have two decimals)."""
    value = text.replace("€", "").replace("\u00a0", "").replace(" ", "")
    negative = False
    if value[:1] in ("+", "-"):
        negative, value = value[0] == "-", value[1:]
    elif value.endswith("-"):
        negative, value = True, value[:-1]
    if not DIGITS_RE.match(value):
        return None
    if THOUSANDS_RE.match(value):
        whole, cents = value.replace(".", "").replace(",", ""), ""
    else:
        position = max(value.rfind("."), value.rfind(","))
        whole, cents = (value[:position], value[position + 1 :]) if position >= 0 else (value, "")
        if position >= 0:
            mark = value[position]
            grouping = "," if mark == "." else "."
            if mark in whole or len(cents) > 2 or not cents:
                return None
            whole = whole.replace(grouping, "")
    if not whole.isdigit():
        return None
    amount = Decimal(f"{whole}.{cents or '0'}").quantize(CENT)
    return -amount if negative else amount


def parse_date(text: str) -> date | None:
    """'2025-03-01' or '01-03-2025' (also with '/' or '.'); None when it is no date."""
    value = text.strip()
    if match := ISO_DATE_RE.match(value):
        year, month, day = match.groups()
    elif match := DUTCH_DATE_RE.match(value):
        day, month, year = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def count_lines(stream: IO[bytes], name: str) -> int:
    """Check that the file is UTF-8 (the message of ``import_suppliers`` when not) and count its
    lines, a chunk at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    while chunk := stream.read(CHUNK_SIZE):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as error:
            line = lines + chunk[: error.start].count(b"\n") + 1
            raise ImportFileError(NOT_UTF8 % {"path": name, "line": line}) from error
        lines += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise ImportFileError(NOT_UTF8 % {"path": name, "line": lines + 1}) from error
    return lines


def open_spend_file(path: Path) -> IO[bytes]:
    """Open a finance export for ``spend_import``; ImportFileError when it cannot be opened."""
    try:
        return path.open("rb")
    except OSError as error:
        raise ImportFileError(CANNOT_OPEN % {"path": path, "error": error.strerror}) from error
