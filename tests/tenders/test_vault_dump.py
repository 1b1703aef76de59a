"""A database dump taken before the deadline holds no quote price, note, file or file name in
clear text (issue 5, "Done when"): Django's dumpdata, every table read with raw SQL, every file
under PRIVATE_STORAGE_ROOT, and — on PostgreSQL — a real ``pg_dump``."""

from __future__ import annotations

import base64
import binascii
import json
import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tests.tenders.factories_vault import (
    PDF_MARKER,
    SECRET_NOTE,
    SECRET_PRICE_TEXTS,
    marked_pdf,
    open_tender,
    pdf_upload,
    send_quote,
)

PG_DUMP = Path("/usr/lib/postgresql/15/bin/pg_dump")
SECRETS = (*SECRET_PRICE_TEXTS, SECRET_NOTE, PDF_MARKER, "KLUISNAAM")
# Public on the tender page: a dump that did not hold these would prove nothing.
PUBLIC_TITLE = "Schilderwerk stadhuis Zichtbaar-3317"


def leaks(blob: bytes) -> list[str]:
    """The secrets in ``blob``: as text, and as hex (how bytea and blobs are dumped)."""
    lowered = blob.lower()
    return [
        secret
        for secret in SECRETS
        if secret.encode() in blob or secret.encode().hex().encode() in lowered
    ]


def decoded(value: str) -> bytes:
    """A dumped string, and if it is base64 (how dumpdata writes binary fields) its bytes too."""
    raw = value.encode()
    try:
        return raw + base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return raw


def walk(value) -> list[str]:
    if isinstance(value, dict):
        return [found for item in value.values() for found in walk(item)]
    if isinstance(value, list):
        return [found for item in value for found in walk(item)]
    return leaks(decoded(value)) if isinstance(value, str) else []


def as_bytes(value) -> bytes:
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if isinstance(value, memoryview):
        return value.tobytes()
    return str(value).encode()


@pytest.fixture
def sealed_quotes(buyer_org, firm, firm_user, other_firm, other_firm_user, private_root):
    """Two committed quotes (one with two PDFs, one replaced) before the deadline."""
    tender = open_tender(buyer_org, title=PUBLIC_TITLE)
    send_quote(tender, firm, firm_user)
    send_quote(tender, firm, firm_user, files=[pdf_upload(), pdf_upload("KLUISNAAM-2.pdf")])
    send_quote(tender, other_firm, other_firm_user)
    return tender


@pytest.mark.django_db(transaction=True)
def test_a_dump_before_the_deadline_holds_no_quote_contents(sealed_quotes, private_root):
    out = StringIO()
    call_command("dumpdata", "--natural-foreign", stdout=out)
    dump = out.getvalue()
    assert PUBLIC_TITLE in dump
    assert walk(json.loads(dump)) == []

    rows_read = 0
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                rows_read += 1
                for value in row:
                    assert leaks(as_bytes(value)) == [], table
    assert rows_read > 100

    files = [path for path in private_root.rglob("*") if path.is_file()]
    assert len(files) == 3  # 2 + 1; the replaced quote's file went when that was committed
    for path in files:
        assert leaks(path.read_bytes()) == [] and leaks(path.name.encode()) == []
    assert leaks(marked_pdf()) == [PDF_MARKER]  # the check would see the PDF in clear

    if connection.vendor == "postgresql":
        assert PG_DUMP.exists(), "PostgreSQL 15's pg_dump is preinstalled on these machines"
        dumped = pg_dump()
        assert PUBLIC_TITLE.encode() in dumped
        assert leaks(dumped) == []


def pg_dump() -> bytes:
    """A real ``pg_dump`` (plain SQL) of the test database."""
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = [str(PG_DUMP), "--no-owner", "--format=plain", "--dbname", settings["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [flag, str(settings[key])]
    assert shutil.which(command[0])
    return subprocess.run(command, env=env, check=True, capture_output=True, timeout=120).stdout
