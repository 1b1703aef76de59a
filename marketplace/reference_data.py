"""Loading the reference data in marketplace/reference/ (sources and licences in its README)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import transaction

from marketplace.models import CpvCode, Municipality, Postcode, Region, SbiCode, cpv_prefix

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
BATCH_SIZE = 1000
GROUPING_CODES = {
    # grouping name in the CSV → stable code used in URLs and search filters
    "Drechtsteden (Gemeenschappelijke Regeling Drechtsteden)": ("drechtsteden", "Drechtsteden"),
}


def read_rows(name: str) -> Iterator[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def upsert(model: type, objects: list, unique: list[str], update: list[str]) -> None:
    """Insert or update in bulk, keyed by ``unique``."""
    model.objects.bulk_create(
        objects,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=unique,
        update_fields=update,
    )


def load_regions_and_municipalities() -> None:
    rows = list(read_rows("nl_gemeenten_2025.csv"))
    groupings: dict[str, str] = {}
    grouping_regions: dict[str, Region] = {}
    for row in read_rows("nl_regional_groupings.csv"):
        code, name = GROUPING_CODES.get(row["grouping"], (row["grouping"].lower(), row["grouping"]))
        grouping_regions[code] = Region(code=code, name=name, kind=Region.Kind.GROUPING)
        groupings[row["gm_code"]] = code
    regions = {
        **{
            r["province_code"]: Region(r["province_code"], r["province_name"], "province")
            for r in rows
        },
        **{r["corop_code"]: Region(r["corop_code"], r["corop_name"], "corop") for r in rows},
        **grouping_regions,
    }
    upsert(Region, list(regions.values()), ["code"], ["name", "kind"])

    configured = set(
        Municipality.objects.filter(region_configured=True).values_list("pk", flat=True)
    )
    municipalities = []
    for row in rows:
        code = row["gm_code"]
        # A firm located "in Rotterdam" is in the city, not in the port far west where the area's
        # centroid falls: where the centroid lies outside, use the point known to lie inside.
        inside = row["centroid_inside"] == "true"
        municipalities.append(
            Municipality(
                code=code,
                number=row["gm_number"],
                name=row["name"],
                province_id=row["province_code"],
                corop_id=row["corop_code"],
                region_id=groupings.get(code, row["corop_code"]),
                latitude=float(row["lat"] if inside else row["point_lat"]),
                longitude=float(row["lon"] if inside else row["point_lon"]),
                pin_latitude=float(row["point_lat"]),
                pin_longitude=float(row["point_lon"]),
            )
        )
    fields = ["number", "name", "province", "corop", "latitude", "longitude"]
    fields += ["pin_latitude", "pin_longitude"]
    upsert(Municipality, [m for m in municipalities if m.code in configured], ["code"], fields)
    upsert(
        Municipality,
        [m for m in municipalities if m.code not in configured],
        ["code"],
        [*fields, "region"],
    )


def load_postcodes() -> None:
    postcodes = [
        Postcode(
            code=row["pc4"],
            municipality_id=row["gm_code"],
            place=row["woonplaats"],
            latitude=float(row["lat"]),
            longitude=float(row["lon"]),
        )
        for row in read_rows("nl_pc4_2020_centroids.csv")
    ]
    upsert(Postcode, postcodes, ["code"], ["municipality", "place", "latitude", "longitude"])


def load_cpv_codes() -> None:
    rows = sorted(read_rows("cpv_2008.csv"), key=lambda row: row["code"])
    known: set[str] = set()
    codes = []
    for row in rows:
        code, check_digit = row["code"].split("-")
        prefix = cpv_prefix(code)
        parent = None
        # Walk up the trailing-zero hierarchy to the nearest code that exists.
        for length in range(len(prefix) - 1, 1, -1):
            candidate = prefix[:length].ljust(8, "0")
            if candidate in known:
                parent = candidate
                break
        known.add(code)
        codes.append(
            CpvCode(
                code=code,
                check_digit=check_digit,
                label_nl=row["label_nl"],
                label_en=row["label_en"],
                parent_id=parent,
                level=len(prefix) - 1,
            )
        )
    upsert(CpvCode, codes, ["code"], ["check_digit", "label_nl", "label_en", "parent", "level"])


def load_sbi_codes() -> None:
    codes = [
        SbiCode(
            version=SbiCode.Version.SBI_2008,
            code=row["code_digits"],
            label_nl=row["label_nl"],
            level=row["level"],
            parent_code=row["parent"].replace(".", ""),
        )
        for row in read_rows("sbi_2008.csv")
    ]
    codes += [
        SbiCode(
            version=SbiCode.Version.SBI_2025,
            code=row["code"].replace(".", ""),
            label_nl=row["label_nl"],
            label_en=row["label_en"],
            level=row["level"],
            parent_code=row["parent"].replace(".", ""),
        )
        for row in read_rows("sbi_2025.csv")
    ]
    upsert(SbiCode, codes, ["version", "code"], ["label_nl", "label_en", "level", "parent_code"])


def reference_counts() -> dict[str, int]:
    return {
        "municipalities": Municipality.objects.count(),
        "regions": Region.objects.count(),
        "provinces": Region.objects.filter(kind=Region.Kind.PROVINCE).count(),
        "corop_regions": Region.objects.filter(kind=Region.Kind.COROP).count(),
        "regional_groupings": Region.objects.filter(kind=Region.Kind.GROUPING).count(),
        "postcodes": Postcode.objects.count(),
        "cpv_codes": CpvCode.objects.count(),
        "sbi_2008_codes": SbiCode.objects.filter(version=SbiCode.Version.SBI_2008).count(),
        "sbi_2025_codes": SbiCode.objects.filter(version=SbiCode.Version.SBI_2025).count(),
    }


STEPS = [
    ("regions and municipalities", load_regions_and_municipalities),
    ("postcodes", load_postcodes),
    ("CPV codes", load_cpv_codes),
    ("SBI codes", load_sbi_codes),
]


@transaction.atomic
def reference_data_load(progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Load or refresh all reference data in one transaction; returns the counts.

    ``progress`` is called with each step's label once that step is done."""
    for label, step in STEPS:
        step()
        if progress is not None:
            progress(label)
    return reference_counts()
