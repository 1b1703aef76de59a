"""The e-mails a firm gets about its own quote: the receipt and the withdrawal, through the
outbox. They hold the time, the receipt number and the files' fingerprints — never a price, the
note or a file name, because e-mail is not sealed."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from marketplace.models import User
from marketplace.outbox.services import message_write
from tenders.models import Quote, QuoteFile, Tender
from tenders.notifications import tender_topic


def _notify(*, key: str, user: User, tender: Tender, subject: str, template: str, context: dict):
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(subject) % {"reference": tender.reference}
        body = render_to_string(template, {"tender": tender, **context})
    message_write(key=key, to_user=user, subject=subject, body=body, topic=tender_topic(tender))


def receipt_send(*, quote: Quote, by: User, files: list[QuoteFile]) -> None:
    """The receipt by e-mail: time, receipt number and each file's SHA-256 and size — never a
    price, the note or a file name (e-mail is not sealed)."""
    url = settings.SITE_URL.rstrip("/") + reverse(
        "tenders:quote_receipt", args=[quote.tender_id, quote.receipt_code]
    )
    _notify(
        key=f"quote-receipt:{quote.pk}",
        user=by,
        tender=quote.tender,
        subject=_("%(reference)s: receipt of your quote"),
        template="tenders/email/quote_receipt.txt",
        context={"quote": quote, "files": files, "url": url},
    )


def withdrawal_send(*, quote: Quote, by: User) -> None:
    """The confirmation that the quote is withdrawn, to whoever withdrew it."""
    _notify(
        key=f"quote-withdrawn:{quote.pk}",
        user=by,
        tender=quote.tender,
        subject=_("%(reference)s: your quote is withdrawn"),
        template="tenders/email/quote_withdrawn.txt",
        context={"quote": quote},
    )
