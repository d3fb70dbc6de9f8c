"""The rules of background work: the worker command, who is alive, the rescue of a dead
worker's tasks, messages in French, progress, daily tasks — and no thread anywhere."""

import ast
import datetime
import io
import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, get_commands
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from paliers.assessments.aggregate_models import AssessmentSummary
from paliers.reports.tasks import purge_report_batches
from paliers.schools.import_formats import ImportFileError
from paliers.workers import processes
from paliers.workers.daily import daily_tasks
from paliers.workers.inline import run_ready_tasks
from paliers.workers.models import WorkerProcess
from paliers.workers.tracking import Abandoned, Progress, french_message

from .reports_world import make_reports_world

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")

ROOT = Path(__file__).resolve().parent.parent


def test_paliers_db_worker_is_the_rescuing_worker():
    assert get_commands()["db_worker"] == "paliers.workers"


def thread_starts(tree):
    """Calls that start a thread: threading.Thread/Timer, executors and pools of threads,
    _thread.start_new_thread — however they were imported."""
    starters = {"Thread", "Timer", "ThreadPoolExecutor", "ThreadPool", "start_new_thread", "start_new"}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in starters:
                found.append(node.lineno)
        if isinstance(node, ast.ImportFrom) and node.module in {"threading", "_thread", "concurrent.futures"}:
            found += [node.lineno for alias in node.names if alias.name in starters]
    return found


def test_no_module_of_paliers_starts_a_thread():
    offenders = {}
    for path in sorted((ROOT / "paliers").rglob("*.py")):
        lines = thread_starts(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            offenders[str(path.relative_to(ROOT))] = lines
    assert offenders == {}
    # The check sees what it is meant to see.
    assert thread_starts(ast.parse("import threading\nthreading.Thread(target=print).start()")) == [2]
    assert thread_starts(ast.parse("from concurrent.futures import ThreadPoolExecutor")) == [1]


def test_importing_every_module_of_paliers_starts_no_thread():
    import threading

    before = {thread.ident for thread in threading.enumerate()}
    program = (
        "import django, importlib, pkgutil, threading, paliers; django.setup(); "
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(paliers.__path__, 'paliers.') "
        "if '.migrations.' not in m.name]; print(threading.active_count())"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "paliers.settings"}
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", program],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "1"
    assert {thread.ident for thread in threading.enumerate()} == before


def worker(worker_id, **fields):
    values = {
        "host": processes.HOST,
        "pid": os.getpid(),
        "process_start": processes.process_start(os.getpid()),
        "seen_at": timezone.now(),
    }
    return WorkerProcess.objects.create(worker_id=worker_id, **{**values, **fields})


def dead_pid():
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_who_is_alive(db):
    now = timezone.now()
    assert processes.alive(worker("moi"), now)
    assert not processes.alive(worker("fini", pid=dead_pid()), now)
    # The same PID, another program: its start time differs.
    assert not processes.alive(worker("recycle", process_start="1"), now)
    assert processes.alive(worker("ailleurs", host="autre-machine"), now)
    stale = now - processes.STALE_AFTER - datetime.timedelta(seconds=1)
    assert not processes.alive(worker("muet", host="autre-machine", seen_at=stale), now)


def running(worker_id, started_at=None):
    result = DBTaskResult.objects.get(pk=purge_report_batches.enqueue("2026-01-01").id)
    result.claim(worker_id)
    if started_at:
        DBTaskResult.objects.filter(pk=result.pk).update(started_at=started_at)
    return result.pk


def test_the_tasks_of_dead_workers_go_back_to_the_queue(db):
    long_ago = timezone.now() - processes.STALE_AFTER - datetime.timedelta(minutes=1)
    worker("vivant")
    worker("tue", pid=dead_pid())
    kept = [running("vivant"), running("inconnu-recent")]
    lost = [running("tue"), running("inconnu-ancien", started_at=long_ago)]
    assert sorted(processes.rescue_lost_tasks()) == sorted(lost)
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert [statuses[pk] for pk in lost] == ["READY", "READY"]
    assert [statuses[pk] for pk in kept] == ["RUNNING", "RUNNING"]
    assert set(WorkerProcess.objects.values_list("worker_id", flat=True)) == {"vivant"}
    # Run again, a task keeps the trace of its attempts.
    [again] = [r for r in run_ready_tasks() if r.pk == lost[0]]
    assert again.status == "SUCCESSFUL" and again.worker_ids == ["tue", "ce-processus"]


def test_registering_beating_and_leaving(db):
    processes.register("w1")
    try:
        row = WorkerProcess.objects.get(worker_id="w1")
        assert (row.host, row.pid) == (processes.HOST, os.getpid()) and row.process_start
        WorkerProcess.objects.update(seen_at=timezone.now() - datetime.timedelta(hours=1))
        processes.beat()  # not due yet: the last beat was at registration
        assert WorkerProcess.objects.get().seen_at < timezone.now() - datetime.timedelta(minutes=59)
        processes.current["beaten_at"] -= processes.BEAT_EVERY
        processes.beat()
        assert WorkerProcess.objects.get().seen_at > timezone.now() - datetime.timedelta(minutes=1)
    finally:
        processes.unregister()
    assert not WorkerProcess.objects.exists() and processes.current["worker_id"] is None


def test_messages_in_french():
    assert french_message(ImportFileError("colonne UAI introuvable")) == "colonne UAI introuvable"
    assert french_message(Abandoned("interrompu 3 fois")) == "interrompu 3 fois"
    assert french_message(ZeroDivisionError("division by zero")) == (
        "Erreur inattendue (ZeroDivisionError) : division by zero"
    )
    assert french_message(KeyError()) == "Erreur inattendue (KeyError)"


def test_progress_is_written_at_most_once_a_second_and_at_the_end(db):
    w = make_reports_world()
    from paliers.reports.batches import request_batch
    from paliers.reports.models import ReportBatch

    batch = request_batch(w.animator, w.campaign, lambda *args: None)
    progress = Progress(ReportBatch, batch.pk)
    progress(1, 10)
    progress(2, 10)
    assert ReportBatch.objects.values_list("done", "total").get(pk=batch.pk) == (1, 10)
    progress(10, 10)
    assert ReportBatch.objects.values_list("done", "total").get(pk=batch.pk) == (10, 10)


def test_the_daily_tasks():
    names = {task.module_path for task in daily_tasks()}
    assert names == {
        "paliers.objectives.tasks.send_objective_reminders",
        "paliers.reports.tasks.purge_report_batches",
        "paliers.directory.tasks.purge_pending_imports",
        "paliers.assessments.tasks.campaign_day",  # the campaigns' close and reminders
    }


@pytest.fixture
def small_world(db):
    return make_reports_world()


def test_rebuild_aggregates_is_queued_or_run_here(small_world):
    AssessmentSummary.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_aggregates", stdout=out)
    assert "Recalcul des agrégats mis en file (tâche" in out.getvalue()
    assert not AssessmentSummary.objects.exists()
    [result] = run_ready_tasks()
    assert (result.status, result.return_value) == ("SUCCESSFUL", AssessmentSummary.objects.count())
    AssessmentSummary.objects.all().delete()
    call_command("rebuild_aggregates", "--now", stdout=out)
    assert f"Agrégats recalculés pour {AssessmentSummary.objects.count()} positionnements" in out.getvalue()


def test_watching_the_queue_and_retrying_a_failed_task(
    small_world, monkeypatch, django_capture_on_commit_callbacks
):
    from paliers.reports import batches
    from paliers.reports.models import ReportBatch
    from paliers.reports.tasks import enqueue_groups

    def broken(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(batches, "assessment_report_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.request_batch(small_world.animator, small_world.campaign, enqueue_groups)
    run_ready_tasks()
    worker("w-actif")
    out = io.StringIO()
    call_command("tasks", stdout=out)
    text = out.getvalue()
    assert "Processus de travail : 1 actif(s)" in text and "w-actif" in text
    assert "build_report_group : 1 réussies, 1 en échec" in text
    out = io.StringIO()
    call_command("tasks", "--failed", stdout=out)
    [failed] = DBTaskResult.objects.filter(status="FAILED")
    assert f"{failed.pk}  build_report_group [{batch.pk}, 1]" in out.getvalue()
    assert "RuntimeError: disque plein" in out.getvalue()
    monkeypatch.undo()
    out = io.StringIO()
    call_command("retry_task", str(failed.pk), stdout=out)
    assert out.getvalue() == "1 tâche(s) remise(s) en file.\n"
    assert ReportBatch.objects.get().state == "en_attente"  # the page waits again
    assert [r.status for r in run_ready_tasks()] == ["SUCCESSFUL", "SUCCESSFUL"]  # the group, the assembly
    assert ReportBatch.objects.get().state == "termine"
    with pytest.raises(CommandError):
        call_command("retry_task")
