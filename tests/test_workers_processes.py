"""Background work in real worker processes, on the test run's database engine (a SQLite
file, or a database of the throw-away PostgreSQL server): a request queues the ZIP's tasks
once committed; a worker killed with SIGKILL mid-batch loses nothing, new workers finish
it, the ZIP holds each school once and the same PDFs as rendered directly; a task failing
in a worker shows its error in French; a worker told twice to stop gives its task back to
the queue. The program: tests/programs/report_batch.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

from .scratch_databases import scratch_databases

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "tests" / "programs" / "report_batch.py"


def test_a_batch_survives_a_killed_worker_and_shows_a_failure(tmp_path, db):
    with scratch_databases(tmp_path, 1) as (url,):
        env = {**os.environ, "DATABASE_URL": url, "PALIERS_VAR_DIR": str(tmp_path)}
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        result = subprocess.run(
            [sys.executable, str(PROGRAM)], env=env, capture_output=True, text=True, cwd=ROOT,
            check=False, timeout=1500,
        )  # fmt: skip
    logs = "\n".join(path.read_text()[-1500:] for path in tmp_path.glob("*.log"))
    assert result.returncode == 0, result.stdout + result.stderr[-3000:] + logs
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    # Queued by the request, once committed: one task per group (the summary, 8 of 2 schools).
    assert facts["parts"] == 17 and facts["queued_after_the_request"] == 9
    # Killed while holding a task, after some reports and before the end.
    assert len(facts["held_when_killed"]) == 1 and 3 <= facts["built_when_killed"] < 17
    [attempts] = facts["attempts_of_the_killed_task"]
    assert attempts[0] == "a-tuer" and attempts[1] in {"second", "troisieme"}
    assert (facts["state"], facts["error"], facts["task_statuses"]) == ("termine", "", ["SUCCESSFUL"])
    assert facts["page_offers_the_download"]
    # The ZIP: the summary then each school once, in order, the PDFs rendered directly.
    assert facts["zip_names"] == facts["expected_names"] and len(set(facts["zip_names"])) == 17
    assert facts["same_pdfs"] == [True] * 17
    # The failure, in French, on the requester's page.
    assert facts["failure"] == "Erreur inattendue (OSError) : Plus de place sur le disque"
    assert facts["failure_page"] == [True, True, True]
    # Started again; a worker stopped twice mid-task: its task back in the queue, not failed.
    assert facts["interrupted_exit_code"] == 1
    status, worker_ids, exception = facts["interrupted_task"]
    assert (status, worker_ids[-1], exception) == ("READY", "interrompu", "")
    assert facts["state_after_interruption"] == "en_cours"
    assert (facts["interrupted_task_then"], facts["resumed_state"]) == ("SUCCESSFUL", "termine")
    assert facts["resumed_zip_names"] == facts["expected_names"]
    assert facts["worker_exit_codes"] == [0, 0, 0, 0]  # SIGTERM: a clean stop
