"""What every benchmark shares: a throwaway database, progress bars, percentiles and ratios.

A benchmark never touches the developer's data: it runs in a throwaway database created the way
Django's test runner does it (a temporary file for SQLite, ``benchmark_<name>_<pid>`` on
PostgreSQL), removed at the end, also after an error, Ctrl-C or (with the command's handler)
SIGTERM.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection
from tqdm import tqdm

from suppliers.benchmarks.firms import FIRM_MODELS

# Isolation ---------------------------------------------------------------------------------------


@contextmanager
def throwaway_database(log: Callable[[str], None]) -> Iterator[str]:
    """Switch the default connection to a new, migrated database; drop it afterwards."""
    settings_dict = connection.settings_dict
    old_name = settings_dict["NAME"]
    old_test_name = settings_dict["TEST"].get("NAME")
    folder = None
    if connection.vendor == "sqlite":
        # A file, not :memory:, so that it behaves like the real thing.
        folder = tempfile.mkdtemp(prefix="dichtbij-benchmark-")
        name = os.path.join(folder, "benchmark.sqlite3")
    else:
        name = f"benchmark_{old_name}_{os.getpid()}"
    settings_dict["TEST"]["NAME"] = name
    log(f"Creating the throwaway database {name} (migrations take a while)…")
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        yield name
    finally:
        # Only ever drop the throwaway database, never the one we started with.
        if settings_dict["NAME"] == name != old_name:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        settings_dict["TEST"]["NAME"] = old_test_name
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def vacuum_analyse(models=FIRM_MODELS) -> None:
    """PostgreSQL: what autovacuum would have done by the time anyone searches or browses."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(m._meta.db_table for m in models)}")


# Measuring ---------------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def progress_bar(
    total: int, desc: str, disable: bool, *, initial: int = 0, unit: str = "firm"
) -> tqdm:
    # On sys.stderr itself: Django's self.stderr wrapper would add a newline to every refresh.
    return tqdm(
        total=total, initial=initial, unit=unit, desc=desc, file=sys.stderr, disable=disable
    )


def ms(values_ns: Sequence[int], share: float) -> float:
    return round(percentile(values_ns, share) / 1e6, 3)


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 2) if denominator > 0 else None
