"""The batch import (issue 12): the same report and the same database as row by row, a stream
read in constant memory, and an interruption that keeps what was saved."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation

from marketplace.models import AuditEvent, Organisation, SbiCode
from suppliers.importing import (
    ImportInterrupted,
    import_in_batches,
    import_row_by_row,
    read_supplier_file,
)
from suppliers.models import Firm
from suppliers.search import SearchQuery, search_firms
from tests.factories import FirmFactory

HEADER = "kvk_number,name,description,postcode,municipality_code,cpv_codes,email,website,employees"
LONG_EMAIL = "info@" + ".".join(["b" * 60] * 5) + ".nl"  # a valid address, over 254 characters


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "firms.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def mixed_file(tmp_path: Path, known: Firm) -> Path:
    """New firms (several of one name), updates, and bad rows of every kind, over batches."""
    rows = [HEADER]
    for i in range(7):
        rows.append(f"1000000{i},Schildersbedrijf Kwast,Verf,3311 AB,,45442100,,,{i}")
    rows += [
        f"{known.kvk_number},De Kwast Nieuw,Nieuwe tekst,3331,,45000000;45442100,,kwast.example,",
        "20000001,Bouwbedrijf Dijk,,,GM0505,45000000,,,",
        "20000001,Bouwbedrijf Dijk Twee,,3311,,,,,",  # repeated KvK number
        "20000002,,,3311,,,,,",  # missing name
        "20000003,Onbekend,,3311,,99999999,,,",
        f"20000004,Te Lang,,3311,,,{LONG_EMAIL},,",  # refused by the model's checks
        '20000005,"Open "quote,,3311,,,,,',
        "",
        "20000006,Almere,,1364 AB,GM0034,,,,",
        "20000007,Café Één,Schilderwerk,3311,,,,,12",
    ]
    return write(tmp_path, *rows)


def snapshot(since: int) -> dict:
    """What a user or the audit trail can see of the firms, without database ids."""
    firms = {}
    for firm in Firm.objects.select_related("organisation").order_by("kvk_number"):
        firms[firm.kvk_number] = {
            "name": firm.organisation.name,
            "slug": firm.organisation.slug,
            **{
                name: getattr(firm, name)
                for name in (
                    "description street house_number postcode place postcode_area_id "
                    "municipality_id latitude longitude employees website email phone "
                    "open_to_partnerships published establishment_number"
                ).split()
            },
            "cpv": sorted(firm.cpv_codes.values_list("pk", flat=True)),
            "sbi": sorted(firm.sbi_codes.values_list("code", flat=True)),
        }
    events = [
        (e.action, e.object_type, e.object_repr, e.details, e.organisation.slug, e.actor_id)
        for e in AuditEvent.objects.filter(pk__gt=since).select_related("organisation")
    ]
    return {"firms": firms, "events": events, "organisations": Organisation.objects.count()}


def imported(importer, path: Path, since: int, **options) -> tuple[dict, dict]:
    """An import's report and what it left, then rolled back."""
    with transaction.atomic():
        supplier_file = read_supplier_file(path)
        report = importer(supplier_file.columns, supplier_file.records, **options)
        contents = snapshot(since)
        transaction.set_rollback(True)
    return report.as_dict(), contents


def test_batches_give_the_same_report_and_database_as_row_by_row(reference_data, tmp_path, firm):
    firm.sbi_codes.set(SbiCode.objects.all()[:1])
    FirmFactory(
        organisation__name="Schildersbedrijf Kwast", organisation__slug="schildersbedrijf-kwast-3"
    )
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    path = mixed_file(tmp_path, firm)

    reference = imported(import_row_by_row, path, since)
    for batch_size in (1, 3, 1000):
        assert imported(import_in_batches, path, since, batch_size=batch_size) == reference

    report, contents = reference
    assert (report["created"], report["updated"]) == (10, 1), report
    assert [r["line"] for r in report["rejected"]] == [11, 12, 13, 14, 15]
    assert "email: Ensure this value has at most 254 characters" in report["rejected"][3]["reason"]
    slugs = [contents["firms"][f"1000000{i}"]["slug"] for i in range(7)]
    assert slugs[:4] == [
        "schildersbedrijf-kwast",
        "schildersbedrijf-kwast-2",
        "schildersbedrijf-kwast-4",
        "schildersbedrijf-kwast-5",
    ]
    assert contents["firms"][firm.kvk_number]["sbi"] != []  # kept: the file does not name them


def test_a_dry_run_in_batches_reports_the_same_and_writes_nothing(reference_data, tmp_path, firm):
    path = mixed_file(tmp_path, firm)
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    before = snapshot(since)
    reference, _ = imported(import_row_by_row, path, since)

    report, after = imported(import_in_batches, path, since, dry_run=True, batch_size=3)

    assert report == reference
    assert after == before


def test_each_batch_is_searchable_once_committed(
    reference_data, tmp_path, django_capture_on_commit_callbacks
):
    path = write(
        tmp_path, HEADER, *(f"3000000{i},Glazenwasser {i},Ramen,3311,,,,," for i in range(5))
    )
    supplier_file = read_supplier_file(path)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_in_batches(supplier_file.columns, supplier_file.records, batch_size=2)

    assert len(callbacks) == 3  # one index update per batch, not per row
    assert search_firms(SearchQuery(text="glazenwasser")).count == 5


def test_a_ten_megabyte_field_is_rejected_with_its_line_in_constant_memory(
    reference_data, tmp_path
):
    path = tmp_path / "firms.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER + "\n40000001,Eerste,,3311,,,,,\n")
        handle.write("40000002,Reus," + "x" * 10_000_000 + ",3311,,,,,\n")
        handle.write("40000003,Derde,,3311,,,,,\n")

    tracemalloc.start()
    records = list(read_supplier_file(path).records)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5_000_000  # the file is over 10 MB

    result = call_json(path)
    assert result["created"] == 2
    assert result["rejected"] == [
        {"line": 3, "reason": "line 3 is longer than 1 MB and was not read"}
    ]
    assert [r.line for r in records] == [2, 3, 4]


def call_json(path: Path) -> dict:
    import json

    stdout = io.StringIO()
    call_command("import_suppliers", str(path), "--json", stdout=stdout, stderr=io.StringIO())
    return json.loads(stdout.getvalue())


def interrupted_after(records, count: int):
    for number, record in enumerate(records):
        if number == count:
            raise KeyboardInterrupt
        yield record


def test_an_interrupted_import_keeps_finished_batches_and_can_be_run_again(
    reference_data, tmp_path
):
    path = write(tmp_path, HEADER, *(f"5000000{i},Hovenier {i},Tuinen,3311,,,,," for i in range(7)))
    supplier_file = read_supplier_file(path)

    with pytest.raises(ImportInterrupted) as raised:
        import_in_batches(
            supplier_file.columns, interrupted_after(supplier_file.records, 5), batch_size=2
        )

    assert raised.value.report.saved_through == 5  # lines 2–5: two batches of two
    assert sorted(Firm.objects.values_list("kvk_number", flat=True)) == [
        f"5000000{i}" for i in range(4)
    ]
    assert call_json(path) == {"created": 3, "updated": 4, "rejected": []}
    assert Firm.objects.count() == 7


def test_the_command_says_how_to_resume_after_an_interruption(
    reference_data, tmp_path, monkeypatch
):
    path = write(tmp_path, HEADER, "60000001,Eerste,,3311,,,,,")

    def interrupted(columns, records, **options):
        report = import_in_batches(columns, records, **options)
        raise ImportInterrupted(report)

    monkeypatch.setattr(
        "suppliers.management.commands.import_suppliers.import_in_batches", interrupted
    )
    with pytest.raises(CommandError) as raised:
        call_command("import_suppliers", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    assert raised.value.returncode == 130
    assert "Lines 2 to 2 are saved (1 created" in str(raised.value)
    assert "Run the same command again" in str(raised.value)
