"""ARCHITECTURE.md's dependency rule, read from its table and checked against the imports:
an app imports `core`, `workers` and the apps its row names, each listed above it."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROW = re.compile(r"^\| `paliers\.(\w+)` \|.*\| (.*) \|$", re.MULTILINE)
BELOW_EVERY_APP = {"core", "workers"}  # any app may use them (ARCHITECTURE.md says why)


def table():
    """[(app, the apps its row says it depends on)], in the table's order."""
    rows = ROW.findall((ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    return [(app, set(re.findall(r"`(\w+)`", depends))) for app, depends in rows]


def imported_apps(app):
    """{other app: a file that imports it} for the Python files of `app` (migrations aside)."""
    found = {}
    for path in sorted((ROOT / "paliers" / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                parts = module.split(".")
                if parts[0] == "paliers" and len(parts) > 1 and parts[1] != app:
                    found.setdefault(parts[1], path.relative_to(ROOT))
    return found


def test_every_app_has_its_row():
    apps = {path.parent.name for path in (ROOT / "paliers").glob("*/apps.py")}
    assert {app for app, _ in table()} == apps


def test_each_app_imports_only_the_apps_its_row_names_and_lists_above_it():
    rows = table()
    order = [app for app, _ in rows]
    faults = []
    for position, (app, declared) in enumerate(rows):
        for other, path in imported_apps(app).items():
            if other not in order or other in BELOW_EVERY_APP:
                continue
            if order.index(other) > position:
                faults.append(f"{path} : {app} importe {other}, listé plus bas")
            elif app != "api" and other not in declared:  # the API's row: "the apps it serves"
                faults.append(f"{path} : {app} importe {other}, absent de sa ligne")
    assert not faults, "\n".join(faults)
