"""Quick start without anything but Python 3.11+: ``python3 dev.py run`` / ``python3 dev.py test``.

Creates (or updates) a virtual environment in ``.venv`` with the project and its test extras,
then opens the app on the sample store (``run``), runs the whole test suite (``test``), or the
style gate (``lint``). Extra arguments are passed on (e.g. ``python3 dev.py test -m "not slow"``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def ensure_env() -> None:
    """Create the venv and (re)install the project when pyproject.toml changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]})")
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    py = str(BIN / "python")
    print("installing the project and its test tools into .venv ...", flush=True)
    subprocess.run([py, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([py, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(digest)


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command not in ("run", "test", "lint"):
        print(__doc__)
        return 0 if command == "help" else 2
    ensure_env()
    py = str(BIN / "python")
    if command == "run":
        return subprocess.call([py, "-m", "streamlit", "run", str(ROOT / "app.py"), *rest])
    if command == "test":
        return subprocess.call([py, "-m", "pytest", *rest], cwd=ROOT)
    steps = [
        [py, "-m", "ruff", "check", "."],
        [py, "-m", "ruff", "format", "--check", "."],
        [py, "-m", "mypy"],
    ]
    return max(subprocess.call(step, cwd=ROOT) for step in steps)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
