"""Settings shared by the whole suite.

Hypothesis runs the same examples on every machine: the ``deterministic`` profile, loaded by
default, derives each test's examples from the test itself (``derandomize``) and neither reads
nor writes the local example database, so a property test that fails in CI fails the same way
in a fresh clone, and ``print_blob`` prints the line that replays the failing example. It sets
no deadline: a deadline is a wall-clock timing (timings are for ``bench/``), which a loaded
runner misses and an idle one meets, the opposite of reproducible.

To hunt for new failing examples locally, run with ``HYPOTHESIS_PROFILE=explore`` (or
``pytest --hypothesis-profile explore``): random examples, the example database and
Hypothesis's default deadline, as each test sets them.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile(
    "deterministic", derandomize=True, database=None, deadline=None, print_blob=True
)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))
