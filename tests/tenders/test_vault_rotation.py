"""Rotating VAULT_KEY: ``rotate_vault_key`` re-seals every quote with the first key, after which
the old key can go (DESIGN §4.5, issue 5 item 2)."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from tenders import vault
from tenders.selectors.vault import quote_contents, quote_file_content, quote_file_name
from tenders.services.opening import vault_open_request
from tests.tenders.factories_vault import (
    SECRET_FILE_NAME,
    SECRET_NOTE,
    after_deadline,
    marked_pdf,
    open_tender,
    send_quote,
)

pytestmark = pytest.mark.django_db

OLD, NEW = "old-secret-" + "o" * 40, "new-secret-" + "n" * 40


def rotate() -> dict[str, int]:
    out = StringIO()
    call_command("rotate_vault_key", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_after_rotation_the_new_key_alone_opens_every_quote(
    buyer_org, buyer, firm, firm_user, dordrecht, private_root
):
    tender = open_tender(buyer_org, four_eyes_opening=False)
    with override_settings(VAULT_KEY=OLD):
        quote = send_quote(tender, firm, firm_user)
    quote_file = quote.files.get()
    with override_settings(VAULT_KEY=NEW), pytest.raises(vault.VaultKeyError):
        vault.unseal(bytes(quote.sealed))

    with override_settings(VAULT_KEY=f"{NEW},{OLD}"):
        counts = rotate()

    assert counts == {"quotes": 1, "file_names": 1, "files": 1, "missing_files": 0}
    quote.refresh_from_db()
    quote_file.refresh_from_db()
    with override_settings(VAULT_KEY=NEW), after_deadline(tender):
        vault_open_request(tender=tender, by=buyer)
        contents = quote_contents(quote)
        assert contents.total == Decimal("48213.77") and contents.note == SECRET_NOTE
        assert quote_file_name(quote_file) == SECRET_FILE_NAME
        assert quote_file_content(quote_file) == marked_pdf()
    with override_settings(VAULT_KEY=OLD), pytest.raises(vault.VaultKeyError):
        vault.unseal(bytes(quote.sealed))


def test_rotation_skips_the_removed_contents_of_replaced_quotes(
    buyer_org, firm, firm_user, django_capture_on_commit_callbacks
):
    tender = open_tender(buyer_org)
    with django_capture_on_commit_callbacks(execute=True):
        send_quote(tender, firm, firm_user)
        send_quote(tender, firm, firm_user)

    counts = rotate()

    assert counts == {"quotes": 1, "file_names": 1, "files": 1, "missing_files": 0}
