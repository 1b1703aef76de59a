"""The one way the product writes CSV files: streamed, in the language of the request."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy

from marketplace.csv_export import csv_download


def test_a_streamed_csv_keeps_the_language_of_its_request():
    with translation.override("en"):
        response = csv_download(
            ["what"], ([gettext_lazy("Tender published")] for _ in range(2)), filename="x.csv"
        )
    translation.activate("nl")  # the thread serves a Dutch request while the file still streams

    text = b"".join(response.streaming_content).decode("utf-8")

    assert text == "what\r\nTender published\r\nTender published\r\n"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_a_csv_for_excel_starts_with_a_byte_order_mark_and_may_use_semicolons():
    response = csv_download(["a", "b"], [["1", "2"]], filename="x.csv", delimiter=";", bom=True)

    assert b"".join(response.streaming_content).decode("utf-8") == "\ufeffa;b\r\n1;2\r\n"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
