# Shortcuts for dev.py, which needs nothing but Python 3.11+ (see README: Quick start).
PYTHON ?= python3

.PHONY: run test lint plan clean

run:
	$(PYTHON) dev.py run

test:
	$(PYTHON) dev.py test

lint:
	$(PYTHON) dev.py lint

plan:
	$(PYTHON) dev.py test --co -q >/dev/null && .venv/bin/staffing plan sample_data/store --out out/

clean:
	rm -rf .venv out .pytest_cache .mypy_cache .ruff_cache
