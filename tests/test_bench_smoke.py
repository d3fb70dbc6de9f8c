"""Every benchmark script runs at a tiny size (`--smoke`), so that a refactoring cannot leave
one broken until the next measurement. Nothing about time is asserted: the figures are
measured by running the scripts at full size (bench/README.md).

Marked `bench`: `make test` runs these once (`make test-bench`), not in both database runs;
each script makes its own throw-away database (scale_out.py its own PostgreSQL server)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
# A module the scripts import (no `__main__`) is exercised through them.
SCRIPTS = sorted(p.name for p in BENCH.glob("*.py") if 'if __name__ == "__main__":' in p.read_text())


def test_every_script_is_listed():
    assert len(SCRIPTS) >= 7, SCRIPTS


@pytest.mark.bench
@pytest.mark.parametrize("script", SCRIPTS)
def test_runs_at_a_tiny_size(script):
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PALIERS_VAR_DIR"}}
    done = subprocess.run(
        [sys.executable, str(BENCH / script), "--smoke"],
        cwd=BENCH.parent, env=environment, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, f"{script} --smoke:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert done.stdout.strip(), f"{script} printed no figure"
