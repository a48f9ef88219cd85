"""The dependency rule of eventtool/ (.importlinter): layers without import cycles, no streamlit or
app code in the domain, and an import inside a function only where it defers a heavy module."""
import ast
import configparser
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import SQLModel

import eventtool.models  # noqa: F401 - the registry, as every entry point imports it

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "eventtool"
CYCLES_TOOL = ROOT.parent / "shared" / "tools" / "import_cycles.py"
# Package __init__ modules that only describe their package: they import nothing, so they can be in no cycle.
DESCRIPTIONS = {"eventtool", "eventtool.messages", "eventtool.people", "eventtool.results",
                "eventtool.core", "eventtool.events", "eventtool.registration", "eventtool.dayof",
                "eventtool.privacy"}


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts:
            continue  # Alembic's scripts, loaded by Alembic
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def layers(contract: str) -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter", encoding="utf-8")
    section = config[f"importlinter:contract:{contract}"]
    prefix = "".join(f"{c.strip()}." for c in section.get("containers", "").split())
    return {prefix + name.strip() for line in section["layers"].splitlines() if line.strip()
            for name in line.split("|")}


def test_the_import_contracts_are_kept():
    """import-linter counts imports inside functions too: a cycle hidden in one fails here."""
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache", "--no-logo"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_has_its_layer():
    """A module left out of the layers would be free to close a cycle."""
    top = layers("layers")
    missing = [m for m in modules() if m not in DESCRIPTIONS
               and not any(m == layer or m.startswith(layer + ".") for layer in top)]
    # inside each capability package too (a module cycle within a package fails import-linter as well)
    for package in [layer for layer in top if layer.count(".") == 1 and modules()[layer].name == "__init__.py"]:
        inside = layers(package.split(".")[1])
        missing += [m for m in modules() if m.startswith(package + ".")
                    and not any(m == layer or m.startswith(layer + ".") for layer in inside)]
    ui = layers("ui")  # ui/__init__ only re-exports the modules below it
    missing += [f"ui.{p.stem}" for p in (ROOT / "ui").glob("*.py") if p.stem != "__init__" and f"ui.{p.stem}" not in ui]
    assert missing == [], f"add these to a layer in .importlinter: {missing}"


def test_the_table_registry_imports_every_module_with_a_table():
    """A table left out of eventtool/models.py would be missing from Alembic's metadata, and a foreign
    key to it would fail at the first flush in a process that did not happen to import its module."""
    registry = ast.parse((PACKAGE / "models.py").read_text(encoding="utf-8"))
    imported = {f"{node.module}.{alias.name}" for node in ast.walk(registry) if isinstance(node, ast.ImportFrom)
                for alias in node.names}
    with_tables = {name for name, path in modules().items()
                   if "table=True" in path.read_text(encoding="utf-8") and name != "eventtool.models"}
    assert with_tables and with_tables <= imported, sorted(with_tables - imported)
    assert {"registration", "message", "event", "jobseeker", "audit_log", "survey"} <= set(SQLModel.metadata.tables)


def test_package_descriptions_import_nothing():
    for name in DESCRIPTIONS:
        tree = ast.parse(modules()[name].read_text(encoding="utf-8"))
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))], name


def test_an_import_inside_a_function_says_what_it_defers():
    """Function-local imports only defer a heavy module (alembic, the CLI's subcommands), each with a
    comment saying so, on its line or on the comment line just above the imports; in ui/ as well."""
    unexplained = []
    for path in [*modules().values(), *sorted((ROOT / "ui").glob("*.py"))]:
        lines = path.read_text(encoding="utf-8").splitlines()
        for fn in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and not _says_deferred(lines, node.lineno - 1):
                    unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert unexplained == [], "\n".join(unexplained)


def _says_deferred(lines: list[str], i: int) -> bool:
    while i >= 0:
        line = lines[i].strip()
        if "deferred" in line.lower():
            return True
        if not (line.startswith(("import ", "from ", "#")) or line == ""):
            return False
        i -= 1
    return False


@pytest.mark.parametrize("package", ["eventtool", "ui"])
def test_no_import_cycle_by_the_shared_tool(package):
    """The shared tool counts every import statement of every module, the package's own too."""
    if not CYCLES_TOOL.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{CYCLES_TOOL} is missing")
        pytest.skip(f"{CYCLES_TOOL} is not beside this clone")
    result = subprocess.run([sys.executable, str(CYCLES_TOOL), package], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("cycles=0 "), result.stdout
