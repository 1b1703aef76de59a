"""``import_spend`` (DESIGN §6, issue 14 point 2 and "Bad input"), run on real files."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tenders.models import SpendLine
from tenders.monitor.parsing import parse_amount, parse_date
from tenders.monitor.selectors import monitor_figures

pytestmark = pytest.mark.django_db

HEADER = "date;supplier_kvk;supplier_name;supplier_postcode;amount;description;invoice\n"


def run(path, *extra: str) -> dict:
    out = _Out()
    call_command(
        "import_spend", str(path), "--municipality", "GM0505", "--json", *extra, stdout=out
    )
    return json.loads(out.text)


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


@pytest.fixture
def export(tmp_path, local_firm):
    path = tmp_path / "crediteuren-2025.csv"
    path.write_text(
        HEADER
        + f"2025-03-01;{local_firm.kvk_number};Schilder Dordt;;1.234,56;Schilderwerk;F-1\n"
        + "01-04-2025;12345678;Onbekend KvK BV;3311 AB;€ 1.000;Advies;F-2\n"
        + "2025-05-01;;Nergens BV;;-250,00;Creditnota;F-3\n"
        + "2025-05-02;;;;100,00;Zonder leverancier;F-4\n"
        + "2025-05-03;;Dubbel BV;;10,00;Tweede keer;F-1\n"
        + "2025-13-01;;Datum BV;;10,00;;F-5\n"
        + "2025-06-01;;Zonder factuur;1364;12,50;Koffie;\n"
        + "2025-06-01;;Zonder factuur;1364;12,50;Koffie;\n",
        encoding="utf-8",
    )
    return path


def test_good_lines_in_bad_lines_reported_with_their_line(export, dordrecht):
    report = run(export)

    assert report["created"] == 5
    assert report["updated"] == 0
    assert report["rejected"] == [
        {"line": 5, "reason": "geen leverancier: geef een KvK-nummer, een naam of een postcode"},
        {"line": 6, "reason": "factuurnummer F-1 komt twee keer voor (eerst op regel 2)"},
        {"line": 7, "reason": "datum moet JJJJ-MM-DD of DD-MM-JJJJ zijn: 2025-13-01"},
    ]
    amounts = sorted(SpendLine.objects.values_list("amount", flat=True))
    assert amounts == [
        Decimal("-250.00"),
        Decimal("12.50"),
        Decimal("12.50"),
        Decimal("1000.00"),
        Decimal("1234.56"),
    ]


def test_suppliers_are_placed_by_kvk_then_postcode_else_unknown(export, dordrecht, local_firm):
    report = run(export)

    known = SpendLine.objects.get(invoice="F-1")
    assert known.firm == local_firm
    assert known.supplier_municipality_id == "GM0505"
    by_postcode = SpendLine.objects.get(invoice="F-2")
    assert by_postcode.firm is None
    assert by_postcode.supplier_municipality_id == "GM0505"  # 3311 lies in Dordrecht
    assert {u["supplier"] for u in report["unplaced"]} == {"Nergens BV", "Zonder factuur"}
    figures = monitor_figures(municipality=dordrecht, year=2025)
    assert figures.unknown.value == Decimal("-225.00")
    assert figures.unknown.count == 3
    assert figures.tiers[0].value == Decimal("2234.56")


def test_importing_the_same_file_again_changes_nothing(export):
    run(export)
    again = run(export)

    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 5)
    assert SpendLine.objects.count() == 5


def test_a_changed_invoice_is_updated_not_added(export, tmp_path):
    run(export)
    changed = tmp_path / "correctie.csv"
    changed.write_text(HEADER + "2025-03-01;;Schilder Dordt;;1.300,00;Schilderwerk;F-1\n")

    report = run(changed)

    assert (report["created"], report["updated"]) == (0, 1)
    assert SpendLine.objects.get(invoice="F-1").amount == Decimal("1300.00")


def test_a_dry_run_saves_nothing_and_reports_the_same(export):
    report = run(export, "--dry-run")

    assert report["created"] == 5
    assert len(report["rejected"]) == 3
    assert SpendLine.objects.count() == 0


def test_a_comma_file_with_decimal_points(tmp_path, dordrecht):
    path = tmp_path / "export.csv"
    path.write_text(HEADER.replace(";", ",") + '2025-02-01,,Firma,3311,1234.56,"Werk, groot",\n')

    report = run(path)

    assert report["created"] == 1
    assert SpendLine.objects.get().amount == Decimal("1234.56")
    assert SpendLine.objects.get().description == "Werk, groot"


def test_an_unknown_municipality_is_a_clear_error(export):
    with pytest.raises(CommandError, match="GM9999"):
        call_command("import_spend", str(export), "--municipality", "GM9999")


def test_a_file_that_is_not_utf8_gets_the_import_suppliers_message(tmp_path, reference_data):
    path = tmp_path / "latin1.csv"
    path.write_bytes(HEADER.encode() + "2025-01-01;;Café;;1,00;;\n".encode("latin-1"))

    with pytest.raises(CommandError) as error:
        call_command("import_spend", str(path), "--municipality", "GM0505")

    with pytest.raises(CommandError) as suppliers_error:
        call_command("import_suppliers", str(path))
    assert str(error.value) == str(suppliers_error.value)
    assert "UTF-8" in str(error.value)


def test_the_text_report_lists_rejected_and_unplaced_lines(export):
    out = _Out()
    call_command("import_spend", str(export), "--municipality", "GM0505", stdout=out, stderr=_Out())

    assert "5 nieuw, 0 bijgewerkt, 0 ongewijzigd, 3 afgewezen" in out.text
    assert "regel 5: geen leverancier" in out.text
    assert "regel 4: Nergens BV is niet te plaatsen; telt als Onbekend" in out.text


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.234,56", "1234.56"),
        ("-250,00", "-250.00"),
        ("€ 1.000", "1000.00"),
        ("1234.56", "1234.56"),
        ("250,00-", "-250.00"),
        ("1.234.567", "1234567.00"),
        ("12,5", "12.50"),
        ("€\u00a0-3,10", "-3.10"),
    ],
)
def test_amounts_as_finance_systems_write_them(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["", "abc", "1,234", "1.2.3", "12,345,6", "--5", "1,5,0"])
def test_what_is_no_amount(text):
    assert parse_amount(text) is None


def test_dates_in_both_formats():
    assert parse_date("2025-03-01") == date(2025, 3, 1)
    assert parse_date("01-03-2025") == date(2025, 3, 1)
    assert parse_date("31-02-2025") is None
