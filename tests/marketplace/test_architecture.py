"""The architecture of DESIGN §3, read from the code: imports point down the table of apps
(cms → tenders → suppliers → marketplace), and demo data and benchmarks are tools that no product
module imports."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("marketplace", "suppliers", "tenders", "cms")
# What each app may import besides itself (DESIGN §3).
MAY_IMPORT = {
    "marketplace": set(),
    "suppliers": {"marketplace"},
    "tenders": {"marketplace", "suppliers"},
    "cms": {"marketplace", "suppliers", "tenders"},
}
# The project's configuration names every app: that is assembly, not code.
PROJECT_CONFIGURATION = {"marketplace/settings.py", "marketplace/urls.py"}
TOOL_PACKAGES = {"demo", "benchmarks"}
# Commands are entry points: these run the tools.
TOOL_ENTRY_POINTS = {
    "tenders/management/commands/benchmark.py",
    "tenders/management/commands/seed_demo.py",
    "cms/management/commands/seed_cms_demo.py",
    "cms/management/commands/benchmark_cms_pages.py",
}


@dataclass(frozen=True)
class Import:
    path: str  # the importing file, relative to the repository
    line: int
    module: str  # the dotted name imported

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.module}"


def imports_of(path: Path) -> list[Import]:
    """Every module a file imports, at any depth (inside functions too), relative ones resolved."""
    relative = path.relative_to(ROOT).as_posix()
    package = list(path.parent.relative_to(ROOT).parts)  # also for an __init__.py
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=relative)):
        if isinstance(node, ast.Import):
            found += [Import(relative, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append(Import(relative, node.lineno, base))
            # "from tenders import demo" imports the package tenders.demo.
            found += [Import(relative, node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def app_files() -> list[Path]:
    return sorted(path for app in APPS for path in (ROOT / app).rglob("*.py"))


def is_tool(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return len(parts) > 2 and parts[1] in TOOL_PACKAGES


def imports_a_tool(module: str) -> bool:
    parts = module.split(".")
    return parts[0] in APPS and len(parts) > 1 and parts[1] in TOOL_PACKAGES


def test_the_check_reads_every_app_and_sees_the_tools_being_imported():
    files = {path.relative_to(ROOT).as_posix() for path in app_files()}
    imported = {
        found.module for found in imports_of(ROOT / "tenders/management/commands/benchmark.py")
    }

    assert {"marketplace/models.py", "suppliers/models.py", "cms/models.py"} <= files
    assert "tenders.benchmarks.pages" in imported


def test_no_product_module_imports_demo_data_or_benchmarks():
    offending = [
        found
        for path in app_files()
        if not is_tool(path) and path.relative_to(ROOT).as_posix() not in TOOL_ENTRY_POINTS
        for found in imports_of(path)
        if imports_a_tool(found.module)
    ]

    assert not offending, "\n".join(map(str, offending))


def test_imports_point_down_the_table_of_apps():
    offending: dict[tuple[str, int], Import] = {}
    for path in app_files():
        relative = path.relative_to(ROOT).as_posix()
        if relative in PROJECT_CONFIGURATION:
            continue
        app = relative.split("/")[0]
        for found in imports_of(path):
            target = found.module.split(".")[0]
            if target in APPS and target != app and target not in MAY_IMPORT[app]:
                offending.setdefault((found.path, found.line), found)  # one line, one report

    assert not offending, "\n".join(map(str, offending.values()))
