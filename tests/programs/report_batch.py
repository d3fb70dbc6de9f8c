"""The ZIP of a scope's reports built by real `paliers db_worker` processes, with faults.

1. An animator asks for the ZIP of 16 collèges (a request through Django's test client:
   middleware, views, the request's transaction); the tasks are queued once it commits.
2. A worker starts; once it has built a few reports and holds a task, it gets SIGKILL.
3. Two new workers start: the first puts the dead worker's task back in the queue, both
   finish the batch. The ZIP must list the summary and each school once, in order, each
   PDF equal to the report rendered here, directly, as the ZIP was built before.
4. The académie administrator asks for the same ZIP; a worker whose report rendering fails
   for one school (tests/programs/failing_worker.py) runs it: the batch page must show the
   error in French.
5. The administrator starts it again; a worker (tests/programs/slow_worker.py) told twice
   to stop while it holds a task stops at once and gives the task back to the queue; a
   last worker finishes the batch.

Usage: python tests/programs/report_batch.py (DATABASE_URL: an empty database; PALIERS_VAR_DIR:
a scratch folder). Prints one JSON object of what happened; the test asserts on it.
"""

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paliers.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()
# The pages are rendered here without `collectstatic` (as in tests/conftest.py).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils.text import slugify  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from paliers.accounts.models import User  # noqa: E402
from paliers.reports.assessment_report import assessment_report_pdf  # noqa: E402
from paliers.reports.models import ReportBatch  # noqa: E402
from paliers.reports.scope import scope_assessments  # noqa: E402
from paliers.reports.scope_report import scope_summary_pdf  # noqa: E402
from tests.pages import page_html  # noqa: E402

PALIERS = str(Path(sys.executable).parent / "paliers")
SCHOOLS = 16
DEADLINE = 600


def start_worker(worker_id, program=None):
    command = [sys.executable, str(program)] if program else [PALIERS]
    options = ["--no-reload", "--no-startup-delay", "--interval", "0.2", "--worker-id", worker_id]
    with Path(os.environ["PALIERS_VAR_DIR"], f"{worker_id}.log").open("w") as log:
        return subprocess.Popen(
            [*command, "db_worker", *options], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )


def wait_for(condition, what):
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"délai dépassé : {what}")
        time.sleep(0.1)


def request_zip(user, campaign):
    client = Client()
    client.force_login(user)
    response = client.post(reverse("reports:scope_zip", args=[campaign.pk]))
    assert response.status_code == 302, response.status_code
    return client, ReportBatch.objects.filter(requested_by=user).latest("pk")


def main():
    from report_world import build_world  # collèges with NumEA answers (the benchmark's)

    call_command("migrate", verbosity=0)
    campaign, animator, _ = build_world(SCHOOLS)
    connections.close_all()
    facts = {}

    client, batch = request_zip(animator, campaign)
    facts["queued_after_the_request"] = DBTaskResult.objects.filter(status="READY").count()
    facts["parts"] = batch.parts.count()

    first = start_worker("a-tuer")

    def killable():
        built = batch.parts.filter(built_at__isnull=False).count()
        holds = [r for r in DBTaskResult.objects.filter(status="RUNNING") if r.worker_ids[-1] == "a-tuer"]
        return built >= 3 and holds and first.poll() is None

    wait_for(killable, "le premier processus n’a rien produit")
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    facts["held_when_killed"] = [
        str(r.pk) for r in DBTaskResult.objects.filter(status="RUNNING") if r.worker_ids[-1] == "a-tuer"
    ]
    facts["built_when_killed"] = batch.parts.filter(built_at__isnull=False).count()

    others = [start_worker("second"), start_worker("troisieme")]
    # The batch says « terminé » when its last task has built the ZIP; the worker records that
    # task's success just after: both are waited for.
    wait_for(
        lambda: (
            ReportBatch.objects.get(pk=batch.pk).state in {"termine", "echec"}
            and not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
        ),
        "lot non terminé",
    )
    batch.refresh_from_db()
    facts["state"], facts["error"] = batch.state, batch.error
    facts["attempts_of_the_killed_task"] = [
        DBTaskResult.objects.get(pk=pk).worker_ids for pk in facts["held_when_killed"]
    ]
    facts["task_statuses"] = sorted(set(DBTaskResult.objects.values_list("status", flat=True)))

    for process in others:  # SIGTERM: they stop cleanly
        process.terminate()
        facts.setdefault("worker_exit_codes", []).append(process.wait(60))

    page = client.get(batch.get_absolute_url()).content.decode()
    facts["page_offers_the_download"] = "Télécharger l’archive ZIP" in page
    download = client.get(reverse("reports:job_download", args=[batch.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assessments = list(scope_assessments(animator, campaign))
    facts["zip_names"] = archive.namelist()
    facts["expected_names"] = ["00-synthese.pdf"] + [
        f"{a.school.uai}-{slugify(a.school.name)[:80]}.pdf" for a in assessments
    ]
    expected = [scope_summary_pdf(animator, campaign, assessments=assessments)]
    expected += [assessment_report_pdf(a, animator) for a in assessments]
    facts["same_pdfs"] = [
        archive.read(name) == pdf for name, pdf in zip(archive.namelist(), expected, strict=False)
    ]

    # A failing task, in a worker process.
    admin = User.objects.get(username="dan")
    client, failing = request_zip(admin, campaign)
    broken = start_worker("en-panne", ROOT / "tests" / "programs" / "failing_worker.py")
    wait_for(lambda: ReportBatch.objects.get(pk=failing.pk).state == "echec", "l’échec n’est pas enregistré")
    failing.refresh_from_db()
    facts["failure"] = failing.error
    page = page_html(client.get(failing.get_absolute_url()))
    facts["failure_page"] = [
        sentence in page
        for sentence in ("La préparation des rapports a échoué", failing.error, "Relancer la préparation")
    ]
    broken.terminate()
    facts["worker_exit_codes"].append(broken.wait(60))

    # Started again; a worker told twice to stop mid-task gives its task back to the queue
    # (not a failure: the batch goes on), and another worker finishes the batch.
    response = client.post(reverse("reports:scope_zip", args=[campaign.pk]))
    assert response.status_code == 302, response.status_code
    slow = start_worker("interrompu", ROOT / "tests" / "programs" / "slow_worker.py")

    def held_by_slow():
        return [r for r in DBTaskResult.objects.filter(status="RUNNING") if r.worker_ids[-1] == "interrompu"]

    wait_for(held_by_slow, "le processus lent ne prend aucune tâche")
    [held] = held_by_slow()
    slow.send_signal(signal.SIGTERM)  # « finish your task, then stop »…
    time.sleep(1)
    slow.send_signal(signal.SIGTERM)  # …« stop now »
    facts["interrupted_exit_code"] = slow.wait(60)
    held.refresh_from_db()
    facts["interrupted_task"] = [held.status, held.worker_ids, held.exception_class_path]
    facts["state_after_interruption"] = ReportBatch.objects.get(pk=failing.pk).state
    last = start_worker("dernier")
    wait_for(lambda: ReportBatch.objects.get(pk=failing.pk).state in {"termine", "echec"}, "lot non repris")
    held.refresh_from_db()
    facts["interrupted_task_then"] = held.status
    facts["resumed_state"] = ReportBatch.objects.get(pk=failing.pk).state
    download = client.get(reverse("reports:job_download", args=[failing.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    facts["resumed_zip_names"] = archive.namelist()
    last.terminate()
    facts["worker_exit_codes"].append(last.wait(60))
    print(json.dumps(facts, ensure_ascii=False))


if __name__ == "__main__":
    main()
