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


def service_modules() -> list[Path]:
    """Every module that holds services: ``services.py`` or a module of a ``services/`` package,
    except the guards the services share (``services/guards.py``)."""
    return [
        path
        for path in app_files()
        if not is_tool(path)
        and path.name not in {"__init__.py", "guards.py"}
        and (path.name == "services.py" or path.parent.name == "services")
    ]


def positional_services(path: Path) -> list[str]:
    """The public functions of a service module that take positional arguments."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    shown = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    return [
        f"{shown}:{node.lineno} {node.name}"
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and not node.name.startswith("_")
        and (node.args.posonlyargs or node.args.args or node.args.vararg)
    ]


def test_services_take_keyword_arguments_only():
    """A service is a state change called as ``<noun>_<verb>(*, ...)`` (DESIGN §3); a function
    with positional arguments in a service module is a read or a helper that belongs elsewhere."""
    modules = service_modules()
    assert {"tenders/services/quotes.py", "suppliers/services.py"} <= {
        path.relative_to(ROOT).as_posix() for path in modules
    }
    offenders = [name for path in modules for name in positional_services(path)]
    assert offenders == [], "\n".join(offenders)


def test_the_service_check_sees_a_positional_function(tmp_path):
    module = tmp_path / "services.py"
    module.write_text("def firm_of(user):\n    return None\n\ndef _helper(x):\n    return x\n")
    assert [name.rsplit(" ", 1)[1] for name in positional_services(module)] == ["firm_of"]
