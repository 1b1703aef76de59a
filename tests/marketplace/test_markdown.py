"""Tender descriptions: Markdown becomes tidy HTML, anything dangerous is dropped."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.markdown import render_markdown
from tests.tenders.factories import TenderFactory


def test_markdown_becomes_html():
    html = render_markdown(
        "Wij zoeken:\n\n- **schilderwerk**\n- *kozijnen*\n\n[Bestek](https://x.example/b)"
    )

    assert "<strong>schilderwerk</strong>" in html
    assert "<em>kozijnen</em>" in html
    assert "<ul>" in html
    assert 'href="https://x.example/b"' in html
    assert 'rel="nofollow noopener"' in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src="https://evil.example/x.png" onerror="alert(1)">',
        "[klik](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">klik</a>',
        "<style>body{display:none}</style>",
        '<iframe src="https://evil.example"></iframe>',
    ],
)
def test_nothing_dangerous_survives(attack):
    html = render_markdown(f"Tekst {attack} tekst")

    for forbidden in ("<script", "onerror", "javascript:", "onclick", "<style", "<iframe", "<img"):
        assert forbidden not in html


@pytest.mark.django_db
def test_the_tender_page_shows_the_description_as_html(client, buyer_org):
    tender = TenderFactory(
        buyer=buyer_org,
        published=True,
        procedure="national",
        tenderned_reference="123456",
        description="Het gaat om **alle** kozijnen.\n\n<script>alert(1)</script>",
    )

    html = client.get(reverse("tenders:detail", args=[tender.pk])).content.decode()

    assert "Het gaat om <strong>alle</strong> kozijnen." in html
    assert "alert(1)</script>" not in html
