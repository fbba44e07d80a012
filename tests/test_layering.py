"""The layers of PRODUCT.md: forecasts/ and solver/ are independent libraries, and no library
imports streamlit (only app.py and its pages in ui/ do)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "forecasts": {"staffing", "solver", "streamlit"},
    "solver": {"staffing", "forecasts", "streamlit"},
    "staffing": {"streamlit"},
}


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_respect_layers(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no sources found for {package}"
    offenders = {
        str(f.relative_to(ROOT)): sorted(_imported_roots(f) & FORBIDDEN[package]) for f in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_app_calls_only_staffing() -> None:
    """PRODUCT.md: app.py only calls ``staffing``; slot grids and solver types stay behind it."""
    assert _imported_roots(ROOT / "app.py") & {"solver", "forecasts"} == set()


def test_ui_pages_call_only_staffing() -> None:
    """The pages app.py routes to (``ui/``) are held to the same rule as app.py itself."""
    files = sorted((ROOT / "ui").rglob("*.py"))
    assert files, "no sources found for ui"
    offenders = {
        str(f.relative_to(ROOT)): sorted(_imported_roots(f) & {"solver", "forecasts"})
        for f in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_libraries_import_without_streamlit() -> None:
    code = (
        "import sys, forecasts, solver, staffing, staffing.pipeline, staffing.cli; "
        "bad = [m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_statsmodels_loads_only_when_forecasting() -> None:
    """Importing the pipeline, the app's library calls or the forecasts' names does not load
    statsmodels (about a second of the app's first page); fitting a forecast does."""
    code = (
        "import sys, forecasts, staffing.pipeline, staffing.cli; "
        "from forecasts import CHANNEL, Calendar; "
        "before = 'statsmodels' in sys.modules; "
        "forecasts.fit_forecast; "
        "print(before, 'statsmodels' in sys.modules); "
        "sys.exit(0 if (not before and 'statsmodels' in sys.modules) else 1)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
