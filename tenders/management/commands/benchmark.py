"""Performance figures (DESIGN §6 and §8): ``python manage.py benchmark <search|alerts|pages>``.

``search`` and ``pages`` exist so far; they run in a throwaway database (and Elasticsearch
index), so the developer's data is never touched. Unit tests never time anything: this command
does.
"""

from __future__ import annotations

import io
import json
import logging
import signal
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from suppliers.benchmarks.importing import format_import_report, import_benchmark
from suppliers.benchmarks.search import (
    QUERY_MIX,
    TARGET_GROWTH,
    TARGET_SPEEDUP,
    SearchBenchmarkConfig,
    elasticsearch_check,
    search_benchmark,
)
from tenders.benchmarks.alerts import AlertsBenchmarkConfig, alerts_benchmark
from tenders.benchmarks.pages import (
    BASELINE,
    PAGES,
    TARGET_P95_MS,
    TARGET_RATIO,
    PagesBenchmarkConfig,
    pages_benchmark,
)


class Command(BaseCommand):
    help = (
        "Measure performance. 'search': the supplier index on synthetic firms, every backend "
        "against a naive baseline; 'pages': server time of the public pages against a trivial "
        "view. Median and p95 in ms."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", choices=["search", "alerts", "pages", "import"])
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument(
            "--suppliers",
            type=int,
            default=100_000,
            help="Firms to generate (default 100,000); for 'search' a tenth of them is "
            "measured first.",
        )
        parser.add_argument(
            "--tenders",
            type=int,
            default=10_000,
            help="Tenders to generate for 'pages' (default 10,000).",
        )
        parser.add_argument(
            "--monitor-lines",
            default="10000,100000",
            help="'pages': the sizes (contracts + spend lines of one municipality) at which "
            "/monitor/<gm>/ is measured, comma-separated (default 10000,100000).",
        )
        parser.add_argument(
            "--runs",
            type=int,
            default=30,
            help="Measured runs per query and backend, or rounds of all pages (30).",
        )
        parser.add_argument(
            "--warmup", type=int, default=5, help="Unmeasured warm-up runs before them (5)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--no-elasticsearch",
            action="store_true",
            help="Leave Elasticsearch out even when ELASTICSEARCH_URL is set.",
        )

    def handle(self, *args: object, **options: object) -> None:
        target = options["target"]
        if target == "pages":
            self.pages(options)
            return
        if target == "import":
            self.imports(options)
            return
        if target == "alerts":
            self.alerts(options)
            return
        if options["suppliers"] < 20:
            raise CommandError("--suppliers must be at least 20 (a tenth is measured first).")
        if options["runs"] < 1 or options["warmup"] < 0:
            raise CommandError("--runs must be at least 1 and --warmup at least 0.")
        url = "" if options["no_elasticsearch"] else settings.ELASTICSEARCH_URL
        if url:
            try:
                elasticsearch_check(url)
            except Exception as error:  # noqa: BLE001 - any failure means: cannot benchmark it
                raise CommandError(
                    f"Elasticsearch at {url} did not answer ({error.__class__.__name__}: "
                    f"{error}); start it, or pass --no-elasticsearch."
                ) from error
        verbose = options["verbosity"] >= 1
        config = SearchBenchmarkConfig(
            suppliers=options["suppliers"],
            runs=options["runs"],
            warmup=options["warmup"],
            seed=options["seed"],
            elasticsearch_url=url,
            progress=verbose,
        )
        # A terminated run (a CI timeout, kill) still removes its database and index.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
        # One log line per Elasticsearch request would drown the progress bars.
        logging.getLogger("elastic_transport").setLevel(logging.WARNING)
        # DEBUG keeps every SQL statement in memory and wraps cursors: measure production mode.
        with override_settings(DEBUG=False):
            report = search_benchmark(
                config,
                log=self.stderr.write if verbose else lambda message: None,
            )
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self.stdout.write(format_report(report))

    def imports(self, options: dict) -> None:
        """``benchmark import``: rows/s and peak memory at a tenth of --suppliers and at it."""
        sizes = sorted({max(1, options["suppliers"] // 10), options["suppliers"]})
        verbose = options["verbosity"] >= 1
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
        with override_settings(DEBUG=False):
            report = import_benchmark(
                sizes,
                seed=options["seed"],
                reference_rows=min(1000, sizes[0]),
                log=self.stderr.write if verbose else lambda message: None,
            )
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self.stdout.write(format_import_report(report))

    def alerts(self, options: dict) -> None:
        """``benchmark alerts``: matching one tender against 10,000 and 100,000 subscriptions."""
        verbose = options["verbosity"] >= 1
        config = AlertsBenchmarkConfig(
            runs=options["runs"], warmup=options["warmup"], seed=options["seed"]
        )
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
        with override_settings(DEBUG=False):
            report = alerts_benchmark(config, self.stderr.write if verbose else lambda m: None)
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
            return
        lines = [f"Alert matching benchmark ({report['engine']}, {report['runs']} runs):"]
        for size, row in report["sizes"].items():
            lines.append(
                f"  {int(size):>7,} subscriptions: {row['matched']:,} matched, median "
                f"{row['median_ms']} ms, p95 {row['p95_ms']} ms; naive median "
                f"{row['naive_median_ms']} ms ({row['speedup']}x faster)"
            )
        lines.append(f"  growth of p95 10k -> 100k: {report['growth']}x")
        self.stdout.write("\n".join(lines))

    def pages(self, options: dict) -> None:
        """``benchmark pages``: the public pages against a trivial view."""
        if options["tenders"] < 1 or options["suppliers"] < 1:
            raise CommandError("--tenders and --suppliers must be at least 1.")
        if options["runs"] < 1 or options["warmup"] < 0:
            raise CommandError("--runs must be at least 1 and --warmup at least 0.")
        verbose = options["verbosity"] >= 1
        try:
            monitor_sizes = tuple(int(n) for n in options["monitor_lines"].split(","))
        except ValueError as error:
            raise CommandError("--monitor-lines: whole numbers separated by commas.") from error
        config = PagesBenchmarkConfig(
            monitor_sizes=monitor_sizes,
            tenders=options["tenders"],
            suppliers=options["suppliers"],
            runs=options["runs"],
            warmup=options["warmup"],
            seed=options["seed"],
            progress=verbose,
        )
        # A terminated run (a CI timeout, kill) still removes its database.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
        # DEBUG keeps every SQL statement in memory and wraps cursors: measure production mode.
        with override_settings(DEBUG=False):
            report = pages_benchmark(
                config,
                log=self.stderr.write if verbose else lambda message: None,
            )
            # The association's pages and booklet (issue 13), by command name: tenders never
            # imports cms.
            cms = io.StringIO()
            call_command(
                "benchmark_cms_pages",
                *("--runs", str(options["runs"]), "--cold-runs", str(min(options["runs"], 5))),
                *(["--json"] if options["json"] else []),
                stdout=cms,
                stderr=self.stderr if verbose else io.StringIO(),
            )
        if options["json"]:
            report["cms"] = json.loads(cms.getvalue())
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self.stdout.write(format_pages_report(report))
            self.stdout.write(cms.getvalue())
        failed = {
            name: row["statuses"]
            for name, row in report["pages"].items()
            if set(row["statuses"]) != {"200"}
        }
        if failed:
            raise CommandError(
                "Not every page answered 200, so these figures are not the pages' figures: "
                + "; ".join(f"{name} {statuses}" for name, statuses in failed.items())
            )


def format_pages_report(report: dict) -> str:
    """The pages report as a readable table."""
    counts = report["counts"]
    lines = [
        f"Page benchmark: {report['tenders']:,} tenders ({counts['tenders_public']:,} public, "
        f"{counts['tenders_open_public']:,} of them open), {report['suppliers']:,} firms, "
        f"{report['engine']}, {report['runs']} rounds after {report['warmup']} warm-up rounds, "
        f"seed {report['seed']}.",
        "Server time in ms (django.test.Client in this process: middleware, view, queries, "
        f"template). Ratio: against the trivial view ({BASELINE}), p50/p50 and p95/p95.",
        "",
    ]
    header = (
        f"{'page':<26} {'status':>7} {'matches':>8} {'p50':>9} {'p95':>9} {'x p50':>7} "
        f"{'x p95':>7}  targets"
    )
    lines += [header, "-" * len(header)]
    for page in PAGES:
        row = report["pages"][page.name]
        statuses = ",".join(row["statuses"])
        matches = "" if row.get("matches") is None else f"{row['matches']:,}"
        lines.append(
            f"{page.name:<26} {statuses:>7} {matches:>8} {row['p50_ms']:>9.2f} "
            f"{row['p95_ms']:>9.2f} "
            f"{_number(row['ratio_p50']):>7} {_number(row['ratio_p95']):>7}  "
            f"{_page_targets(row.get('targets'))}"
        )
    lines += [""]
    lines += [f"{page.name}: {report['pages'][page.name]['url']}" for page in PAGES]
    lines += [
        "",
        f"Targets (issue 4, every tender list): p95 <= {TARGET_P95_MS:g} ms and "
        f"<= {TARGET_RATIO:g}x the trivial view's p95. "
        + ("All met." if report["targets_met"] else "Not all met."),
        "Set-up (s): " + ", ".join(f"{k} {v}" for k, v in report["setup_s"].items()),
    ]
    if "monitor" in report:
        lines += ["", *format_monitor_report(report["monitor"])]
    return "\n".join(lines)


def format_monitor_report(monitor: dict) -> list[str]:
    """The monitor part (issue 14): the page at each size, and import_spend's speed."""
    lines = [
        "Monitor /monitor/GM0505/ (warm: cached body; cold: a query string never asked before), "
        "ms, ratio against the trivial view in the same rounds:",
    ]
    for size, row in monitor["sizes"].items():
        for name in ("monitor", "monitor_cold"):
            page = row[name]
            growth = page.get("growth_p95")
            lines.append(
                f"  {int(size):>7,} lines ({row['contracts']:,} contracts) {name:<13} "
                f"p50 {page['p50_ms']:>8.2f} p95 {page['p95_ms']:>8.2f} "
                f"x p95 {_number(page['ratio_p95']):>6}"
                + (f" growth p95 {_number(growth)}" if growth is not None else "")
                + f" (trivial p95 {row['trivial']['p95_ms']:.2f})"
            )
    for run in monitor["imports"]:
        lines.append(
            f"  import_spend {run['lines']:,} lines: {run['seconds']} s, "
            f"{run['lines_per_s']:,} lines/s, peak traced memory {run['peak_memory_mb']} MB"
        )
    targets = monitor["targets"]
    lines.append(
        f"Targets (issue 14): p95 <= {targets['p95_ratio_limit']:g}x trivial at 100k, growth "
        f"<= {targets['growth_limit']:g}x from 10k, import >= {targets['import_lines_per_s']:,} "
        "lines/s."
    )
    return lines


def _page_targets(targets: dict | None) -> str:
    if not targets:
        return ""
    marks = [("p95", targets["p95_met"]), ("ratio", targets["ratio_met"])]
    return " ".join(f"{name} {'met' if met else 'NOT met'}" for name, met in marks)


def format_report(report: dict) -> str:
    """The report as readable tables."""
    small, large = report["suppliers_small"], report["suppliers"]
    lines = [
        f"Supplier search benchmark: {large:,} firms (growth against {small:,}), "
        f"{report['engine']}, {report['runs']} runs after {report['warmup']} warm-up runs, "
        f"seed {report['seed']}.",
        "Times in ms (wall time in this process). Speed-up: baseline p50 / p50. "
        f"Growth: p50 at {large:,} / p50 at {small:,}.",
        "",
    ]
    header = (
        f"{'query':<12} {'backend':<14} {'matches':>8} {'p50':>9} {'p95':>9} "
        f"{'p50 small':>10} {'growth':>7} {'speed-up':>9}  targets"
    )
    lines += [header, "-" * len(header)]
    backends = [*report["results"], "baseline"]
    for query in QUERY_MIX:
        kind = query.kind
        for name in backends:
            row = report["baseline" if name == "baseline" else "results"]
            row = row[kind] if name == "baseline" else row[name][kind]
            lines.append(
                f"{kind:<12} {name:<14} {row['matches']:>8,} {row['p50_ms']:>9.2f} "
                f"{row['p95_ms']:>9.2f} {row['p50_ms_small']:>10.2f} "
                f"{_number(row['growth']):>7} {_number(row.get('speedup_vs_baseline')):>9}  "
                f"{_targets(row.get('targets'))}"
            )
        if "elasticsearch_took_ms" in report:
            took = report["elasticsearch_took_ms"][kind]
            lines.append(
                f"{kind:<12} {'es took':<14} {'':>8} {took['p50_ms']:>9.2f} "
                f"{took['p95_ms']:>9.2f} {took['p50_ms_small']:>10.2f} "
                f"{_number(took['growth']):>7}"
            )
    lines += [
        "",
        "Queries: "
        + "; ".join(
            f"{kind} = {q['text'] or '-'}"
            + (f" + CPV {','.join(q['cpv'])}" if q["cpv"] else "")
            + f" near {q['near']}"
            for kind, q in report["queries"].items()
        ),
        f"Targets (database backend, defined at 100,000 firms): p95 <= 50 ms (selective) or "
        f"<= 150 ms (very common word); >= {TARGET_SPEEDUP:g}x the baseline at p50; p50 growth "
        f"<= {TARGET_GROWTH:g}x from a tenth of the firms.",
        "Set-up (s): " + ", ".join(f"{k} {v}" for k, v in report["setup_s"].items()),
    ]
    return "\n".join(lines)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}x"


def _targets(targets: dict | None) -> str:
    if not targets:
        return ""
    marks = [
        ("p95", targets["p95_met"]),
        ("speed-up", targets["speedup_met"]),
        ("growth", targets["growth_met"]),
    ]
    return " ".join(f"{name} {'met' if met else 'NOT met'}" for name, met in marks)
