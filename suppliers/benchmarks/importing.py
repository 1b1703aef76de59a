"""``benchmark import``: rows per second and peak memory of ``import_suppliers`` (issue 12).

In a throwaway database: a CSV file of generated firms (the search benchmark's firms, one row
in a hundred bad) is imported in batches at each size, then once more (every row an update);
the row-by-row reference runs on the first rows in the same run, for the ratio; then
``rebuild_supplier_index``'s database backend is timed over every firm.
"""

from __future__ import annotations

import csv
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection

from marketplace.reference_data import reference_data_load
from suppliers.benchmarks.firms import FirmGenerator
from suppliers.benchmarks.measuring import throwaway_database, vacuum_analyse
from suppliers.importing import import_in_batches, import_row_by_row, read_supplier_file
from suppliers.importing.rows import COLUMNS
from suppliers.search import database_backend

BAD_EVERY = 100
TARGET_ROWS_PER_S = 2000
TARGET_REBUILD_PER_S = 5000


def write_file(path: Path, generator: FirmGenerator, rows: int) -> None:
    """``rows`` generated firms as an import file; every hundredth row has a bad postcode."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number in range(rows):
            spec = generator._spec(number)
            postcode = "99999" if number % BAD_EVERY == BAD_EVERY - 1 else spec["postcode"]
            writer.writerow(
                [
                    spec["kvk_number"],
                    spec["name"],
                    spec["description"],
                    postcode,
                    "",
                    ";".join(spec["cpv_codes"]),
                    "",
                    "",
                    spec["employees"],
                ]
            )


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def timed_import(importer, path: Path) -> dict:
    supplier_file = read_supplier_file(path)
    started = time.perf_counter()
    report = importer(supplier_file.columns, supplier_file.records)
    seconds = time.perf_counter() - started
    rows = report.created + report.updated + len(report.rejected)
    return {
        "rows": rows,
        "created": report.created,
        "updated": report.updated,
        "rejected": len(report.rejected),
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "peak_rss_mb": peak_rss_mb(),
    }


def import_benchmark(
    sizes: list[int], *, seed: int, reference_rows: int, log: Callable[[str], None]
) -> dict:
    """Import files of these sizes (each into an empty firm table, then again as updates)."""
    report: dict = {"sizes": {}, "engine": connection.vendor}
    with throwaway_database(log), tempfile.TemporaryDirectory() as folder:
        reference_data_load()
        generator = FirmGenerator(max(sizes) + reference_rows, seed)
        report["start_rss_mb"] = peak_rss_mb()
        offset_kvk = generator.kvk_numbers
        for size in sizes:
            path = Path(folder) / f"firms-{size}.csv"
            generator.kvk_numbers = offset_kvk[:size]
            write_file(path, generator, size)
            log(f"Importing {size:,} rows in batches…")
            created = timed_import(import_in_batches, path)
            log(f"  {created['rows_per_s']:,} rows/s; again, as updates…")
            updated = timed_import(import_in_batches, path)
            report["sizes"][size] = {"new": created, "again": updated}
            vacuum_analyse()
        log(f"Row by row, {reference_rows:,} new rows, for the ratio…")
        path = Path(folder) / "firms-reference.csv"
        generator.kvk_numbers = offset_kvk[-reference_rows:]
        write_file(path, generator, reference_rows)
        report["row_by_row"] = timed_import(import_row_by_row, path)
        log("Rebuilding the database index…")
        started = time.perf_counter()
        firms = database_backend().rebuild()
        seconds = time.perf_counter() - started
        report["rebuild"] = {
            "firms": firms,
            "seconds": round(seconds, 2),
            "firms_per_s": round(firms / seconds),
        }
    largest = report["sizes"][max(sizes)]["new"]["rows_per_s"]
    report["ratio_batches_to_row_by_row"] = round(largest / report["row_by_row"]["rows_per_s"], 1)
    report["targets"] = {
        "rows_per_s": TARGET_ROWS_PER_S,
        "rebuild_firms_per_s": TARGET_REBUILD_PER_S,
        "met": largest >= TARGET_ROWS_PER_S
        and report["rebuild"]["firms_per_s"] >= TARGET_REBUILD_PER_S,
    }
    return report


def format_import_report(report: dict) -> str:
    lines = [f"Import benchmark on {report['engine']} (start RSS {report['start_rss_mb']} MB)."]
    lines.append(
        f"{'rows':>9} {'kind':<8} {'seconds':>8} {'rows/s':>8} {'rejected':>9} {'peak RSS MB':>12}"
    )
    for size, runs in report["sizes"].items():
        for kind, run in runs.items():
            lines.append(
                f"{int(size):>9,} {kind:<8} {run['seconds']:>8} {run['rows_per_s']:>8,} "
                f"{run['rejected']:>9,} {run['peak_rss_mb']:>12}"
            )
    ref = report["row_by_row"]
    lines.append(
        f"Row by row (reference): {ref['rows']:,} rows, {ref['rows_per_s']:,} rows/s; batches are "
        f"{report['ratio_batches_to_row_by_row']}x faster."
    )
    rebuild = report["rebuild"]
    lines.append(
        f"rebuild_supplier_index (database): {rebuild['firms']:,} firms in {rebuild['seconds']} s, "
        f"{rebuild['firms_per_s']:,} firms/s."
    )
    targets = report["targets"]
    lines.append(
        f"Targets: >= {targets['rows_per_s']:,} rows/s at the largest size, rebuild >= "
        f"{targets['rebuild_firms_per_s']:,} firms/s: "
        + ("met." if targets["met"] else "not all met.")
    )
    return "\n".join(lines)
