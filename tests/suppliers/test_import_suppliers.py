"""Importing firms from a CSV file with ``manage.py import_suppliers`` (DESIGN §6)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from marketplace.models import AuditEvent, Municipality
from suppliers.models import Firm

HEADER = "kvk_number,name,description,postcode,municipality_code,cpv_codes,email,website,employees"
GOOD_1 = "11111111,Schildersbedrijf Kwast,Binnen en buiten,3311 AB,,45442100,,,3"
GOOD_2 = "22222222,Bouwbedrijf Dijk,,3331,,45000000,,,"


@pytest.fixture(autouse=True)
def _english():
    """Assert on the English source text, whatever the Dutch catalogue says."""
    with translation.override("en"):
        yield


def write(tmp_path: Path, *lines: str, encoding: str = "utf-8", name: str = "firms.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def run(path: Path, *options: str) -> str:
    stdout = io.StringIO()
    call_command("import_suppliers", str(path), *options, stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def run_json(path: Path, *options: str) -> dict:
    return json.loads(run(path, "--json", *options))


def firm_by_kvk(kvk_number: str) -> Firm:
    return Firm.objects.select_related("organisation", "municipality").get(kvk_number=kvk_number)


def cpv_codes(kvk_number: str) -> list[str]:
    return sorted(firm_by_kvk(kvk_number).cpv_codes.values_list("pk", flat=True))


def test_good_rows_create_firms_located_by_their_postcode(reference_data, tmp_path):
    path = write(
        tmp_path,
        HEADER,
        "12345678,Schildersbedrijf Kwast,Schilderwerk binnen en buiten,3311ab,,"
        "45442100-8;45442110,info@kwast.example,https://kwast.example,4",
        "87654321,Bouwbedrijf Dijk,,3331,,45000000,,www.dijk.example,",
    )

    output = run(path)

    assert output.splitlines() == ["2 created, 0 updated, 0 rejected"]
    kwast = firm_by_kvk("12345678")
    assert kwast.name == "Schildersbedrijf Kwast"
    assert kwast.description == "Schilderwerk binnen en buiten"
    assert kwast.postcode == "3311 AB"
    assert kwast.municipality.name == "Dordrecht"
    assert kwast.place == "Dordrecht"
    assert cpv_codes("12345678") == ["45442100", "45442110"]
    assert (kwast.email, kwast.website, kwast.employees) == (
        "info@kwast.example",
        "https://kwast.example",
        4,
    )
    dijk = firm_by_kvk("87654321")
    assert dijk.municipality.name == "Zwijndrecht"
    assert dijk.website == "https://www.dijk.example"
    assert dijk.employees is None
    assert cpv_codes("87654321") == ["45000000"]


def test_importing_the_same_kvk_number_again_updates_the_firm(reference_data, tmp_path):
    run(write(tmp_path, HEADER, GOOD_1))

    output = run(write(tmp_path, HEADER, GOOD_1.replace("Kwast", "De Kwast & Zn")))

    assert output.splitlines() == ["0 created, 1 updated, 0 rejected"]
    assert Firm.objects.filter(kvk_number="11111111").count() == 1
    assert firm_by_kvk("11111111").name == "Schildersbedrijf De Kwast & Zn"


def test_an_update_keeps_what_the_file_does_not_mention(reference_data, tmp_path, firm_user):
    existing = Firm.objects.get(organisation__memberships__user=firm_user)
    existing.street, existing.house_number, existing.phone = "Voorstraat", "12", "078 123 4567"
    existing.postcode = "3311 AB"
    existing.save()
    existing.cpv_codes.set(["45442100"])

    result = run_json(write(tmp_path, "name,kvk_number", f"De Kwast,{existing.kvk_number}"))

    assert result == {"created": 0, "updated": 1, "rejected": []}
    existing = firm_by_kvk(existing.kvk_number)
    assert existing.name == "De Kwast"
    assert (existing.street, existing.house_number, existing.postcode) == (
        "Voorstraat",
        "12",
        "3311 AB",
    )
    assert existing.phone == "078 123 4567"
    assert existing.municipality.name == "Dordrecht"
    assert cpv_codes(existing.kvk_number) == ["45442100"]
    assert existing.organisation.memberships.filter(user=firm_user).exists()


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        ("1234567,Te Kort,,3311,,,,,", "KvK number must have exactly 8 digits: 1234567"),
        ("1234567a,Letter,,3311,,,,,", "KvK number must have exactly 8 digits: 1234567a"),
        (",Zonder Nummer,,3311,,,,,", "missing KvK number"),
        ("33333333,,,3311,,,,,", "missing name"),
        ("33333333,Onbekend,,3311,,99999999,,,", "unknown CPV code 99999999"),
        (
            "33333333,Onbekend,,3311,,45442100;99999999;88888888,,,",
            "unknown CPV codes 99999999, 88888888",
        ),
        ("33333333,Raar,,3311,,4544-2100,,,", "invalid CPV code 4544-2100"),
        ("33333333,Nergens,,,,,,,", "missing postcode and municipality code"),
        ("33333333,Almere,,1364 AB,,,,,", "unknown postcode 1364 AB and no municipality code"),
        ("33333333,Verzonnen,,3311,GM9999,,,,", "unknown municipality code GM9999"),
        ("33333333,Vijf Cijfers,,33111,,,,,", "invalid postcode 33111"),
        ("33333333,Te Weinig,3311,,", "wrong number of columns: 5 instead of 9"),
        ("33333333,Te Veel,,3311,,,,,,,", "wrong number of columns: 11 instead of 9"),
        ("33333333,Min,,3311,,,,,-3", "employees must be a whole number of 0 or more: -3"),
        ("33333333,Half,,3311,,,,,2.5", "employees must be a whole number of 0 or more: 2.5"),
        ("33333333,Woord,,3311,,,,,twaalf", "employees must be a whole number of 0 or more"),
        ("33333333,Post,,3311,,,info@,,", "invalid e-mail address info@"),
        ("33333333,Web,,3311,,,,geen website,", "invalid website geen website"),
        ("33333333,Ftp,,3311,,,,ftp://files.example,", "invalid website ftp://files.example"),
        (
            f"33333333,Lang,,3311,,,,https://lang.example/{'pad/' * 50},",
            "website: Ensure this value has at most 200 characters",
        ),
        ('33333333,"Open "quote,,3311,,,,,', "malformed CSV"),
    ],
)
def test_a_bad_row_is_rejected_with_its_line_and_the_good_rows_around_it_are_imported(
    reference_data, tmp_path, bad_row, reason
):
    result = run_json(write(tmp_path, HEADER, GOOD_1, bad_row, GOOD_2))

    assert result["created"] == 2
    assert [r["line"] for r in result["rejected"]] == [3]
    assert reason in result["rejected"][0]["reason"]
    assert set(Firm.objects.values_list("kvk_number", flat=True)) == {"11111111", "22222222"}


def test_a_row_with_several_problems_names_them_all(reference_data, tmp_path):
    result = run_json(write(tmp_path, HEADER, "33333333,,,,GM9999,99999999,info@,,veel"))

    assert result["rejected"] == [
        {
            "line": 2,
            "reason": "missing name; unknown municipality code GM9999; "
            "unknown CPV code 99999999; invalid e-mail address info@; "
            "employees must be a whole number of 0 or more: veel",
        }
    ]


def test_a_repeated_kvk_number_is_rejected_naming_the_first_line(reference_data, tmp_path):
    path = write(tmp_path, HEADER, GOOD_1, GOOD_2, GOOD_1.replace("Kwast", "Kwast Twee"))

    result = run_json(path)

    assert result == {
        "created": 2,
        "updated": 0,
        "rejected": [{"line": 4, "reason": "duplicate KvK number 11111111 (first on line 2)"}],
    }
    assert firm_by_kvk("11111111").name == "Schildersbedrijf Kwast"


def test_rejections_are_listed_one_per_line_after_the_summary(reference_data, tmp_path):
    path = write(
        tmp_path, HEADER, GOOD_1, "33333333,Onbekend,,3311,,99999999,,,", ",Niemand,,,,,,,"
    )

    output = run(path)

    assert output.splitlines() == [
        "1 created, 0 updated, 2 rejected",
        "line 3: unknown CPV code 99999999",
        "line 4: missing KvK number; missing postcode and municipality code",
    ]


def test_a_file_of_only_bad_rows_is_still_read(reference_data, tmp_path):
    result = run_json(write(tmp_path, HEADER, ",Niemand,,3311,,,,,", "x,,,,,,,,"))

    assert result["created"] == 0
    assert [r["line"] for r in result["rejected"]] == [2, 3]


def test_blank_lines_and_rows_of_empty_cells_are_skipped(reference_data, tmp_path):
    path = write(tmp_path, HEADER, "", GOOD_1, ",,,,,,,,", " , ,", "33333333,,,3311,,,,,")

    assert run_json(path) == {
        "created": 1,
        "updated": 0,
        "rejected": [{"line": 6, "reason": "missing name"}],
    }


def test_a_file_with_a_byte_order_mark_is_read(reference_data, tmp_path):
    path = write(tmp_path, HEADER, GOOD_1, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    assert run_json(path) == {"created": 1, "updated": 0, "rejected": []}


def test_a_semicolon_file_accepts_cpv_codes_separated_by_commas_spaces_or_quoted_semicolons(
    reference_data, tmp_path
):
    path = write(
        tmp_path,
        HEADER.replace(",", ";"),
        "11111111;Schilder, Glas & Zn;Verf, glas;3311;GM0505;45442100,45000000;;;2",
        '22222222;Bouwbedrijf Dijk;;3331;;"45442100-8;45000000-7";;;',
        "33333333;Spatie;;3312;;45442100 45442110;;;",
        encoding="utf-8-sig",
    )

    assert run_json(path) == {"created": 3, "updated": 0, "rejected": []}
    assert firm_by_kvk("11111111").name == "Schilder, Glas & Zn"
    assert firm_by_kvk("11111111").description == "Verf, glas"
    assert cpv_codes("11111111") == ["45000000", "45442100"]
    assert cpv_codes("22222222") == ["45000000", "45442100"]
    assert cpv_codes("33333333") == ["45442100", "45442110"]


def test_a_semicolon_inside_an_unquoted_cell_shifts_the_columns_and_is_rejected(
    reference_data, tmp_path
):
    path = write(
        tmp_path,
        HEADER.replace(",", ";"),
        "11111111;Schilder;;3311;;45442100;45000000;;;",
    )

    result = run_json(path)

    assert result["rejected"] == [{"line": 2, "reason": "wrong number of columns: 10 instead of 9"}]


def test_line_numbers_count_physical_lines_when_descriptions_span_several(reference_data, tmp_path):
    path = write(
        tmp_path,
        HEADER,
        '11111111,Kwast,"Schilderwerk, binnen\nen buiten,\n""netjes""",3311,,,,,',
        "33333333,Onbekend,,3311,,99999999,,,",
        '22222222,Dijk,"Bouw\r\nen sloop",3331,,,,,',
        "",
        "44444444,,,3311,,,,,",
    )

    result = run_json(path)

    assert result["rejected"] == [
        {"line": 5, "reason": "unknown CPV code 99999999"},
        {"line": 9, "reason": "missing name"},
    ]
    assert firm_by_kvk("11111111").description == 'Schilderwerk, binnen\nen buiten,\n"netjes"'
    assert firm_by_kvk("22222222").description == "Bouw\r\nen sloop"


def test_columns_may_come_in_any_order_and_optional_ones_may_be_left_out(reference_data, tmp_path):
    path = write(tmp_path, " Postcode ,NAME,kvk_number", "3311,Kwast,11111111")

    assert run_json(path) == {"created": 1, "updated": 0, "rejected": []}
    assert firm_by_kvk("11111111").municipality.code == "GM0505"


def test_a_postcode_missing_from_the_reference_data_falls_back_to_the_municipality(
    reference_data, tmp_path
):
    almere = Municipality.objects.get(pk="GM0034")
    path = write(tmp_path, HEADER, "55555555,Almeerse Aannemer,,1364 AB,GM0034,45000000,,,")

    assert run_json(path) == {"created": 1, "updated": 0, "rejected": []}
    almeerse = firm_by_kvk("55555555")
    assert almeerse.municipality == almere
    assert almeerse.postcode == "1364 AB"
    assert almeerse.postcode_area is None
    assert (almeerse.latitude, almeerse.longitude) == (almere.latitude, almere.longitude)


def test_the_municipality_code_given_wins_over_the_postcodes(reference_data, tmp_path):
    run(write(tmp_path, HEADER, "11111111,Grensgeval,,3311,gm0642,,,,"))

    assert firm_by_kvk("11111111").municipality.name == "Zwijndrecht"


def test_dutch_accented_names_survive(reference_data, tmp_path):
    path = write(
        tmp_path,
        HEADER,
        "11111111,Café Ëlsa & Zoë,Crème brûlée en croûtons,3311,,,,,",
        "22222222,Schildersbedrijf Één,Geïnteresseerd in ‘duurzaam’,3331,,,,,",
    )

    run(path)

    assert firm_by_kvk("11111111").name == "Café Ëlsa & Zoë"
    assert firm_by_kvk("11111111").description == "Crème brûlée en croûtons"
    assert firm_by_kvk("22222222").name == "Schildersbedrijf Één"
    assert firm_by_kvk("22222222").description == "Geïnteresseerd in ‘duurzaam’"


def test_a_dry_run_reports_what_would_happen_but_writes_nothing(reference_data, tmp_path, firm):
    events_before = AuditEvent.objects.count()
    path = write(
        tmp_path,
        HEADER,
        GOOD_1,
        f"{firm.kvk_number},Nieuwe Naam,,3311,,,,,",
        "33333333,Onbekend,,3311,,99999999,,,",
    )

    output = run(path, "--dry-run")

    assert output.splitlines() == [
        "Dry run, nothing saved: 1 created, 1 updated, 1 rejected",
        "line 4: unknown CPV code 99999999",
    ]
    assert not Firm.objects.filter(kvk_number="11111111").exists()
    assert Firm.objects.get(pk=firm.pk).name == "Schildersbedrijf De Kwast"
    assert AuditEvent.objects.count() == events_before


def test_a_dry_run_with_json_gives_the_same_counts(reference_data, tmp_path):
    path = write(tmp_path, HEADER, GOOD_1, GOOD_2)

    assert run_json(path, "--dry-run") == {"created": 2, "updated": 0, "rejected": []}
    assert not Firm.objects.exists()


def test_a_dry_run_leaves_the_search_index_alone(
    reference_data, tmp_path, django_capture_on_commit_callbacks
):
    path = write(tmp_path, HEADER, GOOD_1, GOOD_2)

    with django_capture_on_commit_callbacks() as dry_callbacks:
        run(path, "--dry-run")
    with django_capture_on_commit_callbacks() as real_callbacks:
        run(path)

    assert dry_callbacks == []
    assert real_callbacks


def test_json_output_is_exactly_the_contract_and_nothing_else(reference_data, tmp_path):
    path = write(tmp_path, HEADER, GOOD_1, "33333333,,,3311,,,,,")
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("import_suppliers", str(path), "--json", stdout=stdout, stderr=stderr)

    assert json.loads(stdout.getvalue()) == {
        "created": 1,
        "updated": 0,
        "rejected": [{"line": 3, "reason": "missing name"}],
    }
    assert stderr.getvalue() == ""


def test_the_progress_bar_goes_to_stderr_unless_quiet(reference_data, tmp_path):
    path = write(tmp_path, HEADER, GOOD_1)
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("import_suppliers", str(path), stdout=stdout, stderr=stderr)
    assert "1/1" in stderr.getvalue()
    assert "1/1" not in stdout.getvalue()

    quiet = io.StringIO()
    call_command("import_suppliers", str(path), verbosity=0, stdout=io.StringIO(), stderr=quiet)
    assert quiet.getvalue() == ""


@pytest.mark.parametrize(
    ("contents", "message"),
    [
        (b"", "has no header row"),
        (b"\n11111111,Kwast\n", "has no header row"),
        (b"kvk_number,naam\n", "Unknown column(s) in the header: “naam”"),
        ("kvk_number,name\n11111111,Caf\xe9\n".encode("cp1252"), "is not UTF-8 (line 2)"),
        (
            b"kvk_number,description\n11111111,x\n",
            "Required column(s) missing from the header: “name”",
        ),
        (b"kvk_number,name,name\n", "Column(s) named twice in the header: “name”"),
        (b"kvk_number\tname\n11111111\tKwast\n", "Unknown column(s) in the header"),
        (b'"kvk_number"x,name\n', "The header row of"),
    ],
)
def test_a_file_that_cannot_be_read_stops_with_a_clear_message(
    reference_data, tmp_path, contents, message
):
    path = tmp_path / "firms.csv"
    path.write_bytes(contents)

    with pytest.raises(CommandError) as raised:
        run(path)

    assert message in str(raised.value)
    assert not Firm.objects.exists()


def test_a_missing_file_stops_with_a_clear_message(reference_data, tmp_path):
    with pytest.raises(CommandError, match="Cannot open .*nope.csv: No such file or directory"):
        run(tmp_path / "nope.csv")
