"""Issue 17.8: PDFs with scripts or automatic actions and HTML/PDF polyglots are refused with a
clear Dutch message; ``check --deploy`` refuses a VAULT_KEY with fewer than 32 random bytes."""

from __future__ import annotations

import secrets

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import translation

from tenders.models import pdf_validate
from tests.tenders.factories_vault import marked_pdf


def with_catalog(extra: bytes) -> bytes:
    """A valid PDF whose catalog carries ``extra``."""
    return marked_pdf().replace(
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>"
    )


def refusal(data: bytes) -> str:
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        pdf_validate(SimpleUploadedFile("offerte.pdf", data, content_type="application/pdf"))
    return " ".join(caught.value.message_dict["file"])


@pytest.mark.parametrize(
    "extra",
    [
        b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        b"/OpenAction 6 0 R /Names << /JavaScript 7 0 R >>",
        b"/AA << /O << /S /Launch /F (calc.exe) >> >>",
        b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>",
    ],
)
def test_a_pdf_with_javascript_or_an_automatic_action_is_refused(extra):
    assert "script of een automatische actie" in refusal(with_catalog(extra))


def test_an_html_pdf_polyglot_is_refused():
    polyglot = marked_pdf().replace(b"%%EOF", b"<html><script>alert(1)</script></html>\n%%EOF")
    assert "een PDF en een webpagina tegelijk" in refusal(polyglot)


def test_ordinary_pdfs_still_pass_also_one_that_opens_at_a_page():
    assert len(pdf_validate(SimpleUploadedFile("a.pdf", marked_pdf()))) == 64
    assert pdf_validate(SimpleUploadedFile("b.pdf", with_catalog(b"/OpenAction [3 0 R /Fit]")))


def deploy_errors(settings, key: str) -> list[str]:
    settings.VAULT_KEY = key
    return [m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("tenders")]


@pytest.mark.parametrize("key", ["y", "geheim-wachtwoord", secrets.token_hex(16), ""])
def test_a_weak_vault_key_fails_check_deploy(settings, key):
    assert deploy_errors(settings, key)


def test_check_deploy_says_how_to_make_a_key(settings):
    settings.VAULT_KEY = "y"
    with pytest.raises(SystemCheckError, match=r"secrets\.token_urlsafe\(32\)"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


@pytest.mark.parametrize(
    "key",
    [secrets.token_urlsafe(32), secrets.token_hex(32), f"{secrets.token_urlsafe(32)},oldkey-xx"],
)
def test_a_strong_key_passes_and_every_key_of_a_rotation_counts(settings, key):
    assert deploy_errors(settings, key) == ([] if "oldkey" not in key else ["tenders.E002"])
