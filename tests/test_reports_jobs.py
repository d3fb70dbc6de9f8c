"""The ZIP of a scope's reports: queued by a request, claimed by exactly one process,
built with visible progress, stored in chunks, downloaded; a dead worker's job is taken up."""

import datetime
import io
import threading
import time
import zipfile

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from paliers.reports import jobs, views_scope
from paliers.reports.models import JobState, ReportChunk, ReportJob

from .reports_world import make_reports_world


@pytest.fixture
def world(db):
    return make_reports_world()


def queued(world, user=None):
    return ReportJob.objects.create(campaign=world.campaign, requested_by=user or world.animator, total=1)


def test_a_request_queues_one_job_and_starts_a_thread_once_committed(
    client, world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    started = []
    monkeypatch.setattr(jobs, "start_thread", started.append)
    settings.REPORT_JOBS_IN_WEB_PROCESS = True
    client.force_login(world.animator)
    url = reverse("reports:scope_zip", args=[world.campaign.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.state, job.total, started) == (JobState.QUEUED, 1, [job.pk])
    # Asking again while it runs leads to the same job.
    assert client.post(url)["Location"] == job.get_absolute_url()
    assert ReportJob.objects.count() == 1


def test_a_job_is_claimed_once(world):
    job = queued(world)
    assert jobs.claim(job.pk, "a")
    assert not jobs.claim(job.pk, "b")
    job.refresh_from_db()
    assert (job.state, job.claimed_by) == (JobState.RUNNING, "a")


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_give_the_job_to_one_worker():
    w = make_reports_world()
    job = queued(w)
    winners, answered, barrier = [], [], threading.Barrier(4)

    def try_claim(name):
        try:
            barrier.wait()
            for _ in range(50):
                try:
                    if jobs.claim(job.pk, name):
                        winners.append(name)
                    answered.append(name)
                    break
                except OperationalError:
                    # The test database (SQLite in memory, shared cache) locks tables without
                    # waiting; a file database waits for the lock (timeout): try again.
                    time.sleep(0.02)
        finally:
            connection.close()

    threads = [threading.Thread(target=try_claim, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answered) == 4 and len(winners) == 1


def test_a_stale_job_is_taken_over_and_the_old_worker_stops(world):
    job = queued(world)
    assert jobs.claim(job.pk, "mort")
    later = timezone.now() + jobs.STALE_AFTER + datetime.timedelta(seconds=1)
    assert jobs.needs_worker(ReportJob.objects.get(pk=job.pk), later)
    assert jobs.claim(job.pk, "vivant", now=later)
    with pytest.raises(jobs.Superseded):
        jobs._beat(job.pk, "mort", 1)


def test_building_the_zip(client, world):
    job = queued(world)
    assert jobs.run(job.pk, "test")
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (JobState.DONE, 1, 1)
    assert job.size == sum(len(c) for c in ReportChunk.objects.filter(job=job).values_list("data", flat=True))
    client.force_login(world.animator)
    response = client.get(reverse("reports:job_download", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    content = b"".join(response.streaming_content)
    assert len(content) == job.size == int(response["Content-Length"])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.namelist() == ["00-synthese.pdf", "0940176F-ecole-elementaire-robert-doisneau.pdf"]
        assert archive.read("00-synthese.pdf").startswith(b"%PDF")


def test_the_zip_spans_several_chunks(world, monkeypatch):
    monkeypatch.setattr(jobs, "CHUNK", 10_000)
    job = queued(world)
    jobs.run(job.pk, "test")
    job.refresh_from_db()
    assert ReportChunk.objects.filter(job=job).count() == -(-job.size // 10_000)
    assert zipfile.ZipFile(io.BytesIO(b"".join(jobs.zip_chunks(job)))).testzip() is None


def test_a_failure_is_recorded(world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("pas de police")

    monkeypatch.setattr(jobs, "assessment_report_pdf", broken)
    job = queued(world)
    jobs.run(job.pk, "test")
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "pas de police" in job.error


def test_the_progress_page_with_and_without_javascript(client, world, settings):
    settings.REPORT_JOBS_IN_WEB_PROCESS = False
    job = queued(world)
    ReportJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, done=0, total=3, heartbeat_at=timezone.now()
    )
    client.force_login(world.animator)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "0 rapports prêts sur 3." in page
    assert 'hx-trigger="every 2s"' in page and "Actualiser la page" in page
    fragment = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="progression-lot"') and "<html" not in fragment
    ReportJob.objects.filter(pk=job.pk).update(state=JobState.DONE, done=3, size=2048)
    done = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and "Télécharger l’archive ZIP (2,0" in done


def test_the_page_takes_up_a_job_nobody_runs(client, world, settings, monkeypatch):
    started = []
    monkeypatch.setattr(views_scope, "start_thread", started.append)
    settings.REPORT_JOBS_IN_WEB_PROCESS = True
    job = queued(world)
    ReportJob.objects.filter(pk=job.pk).update(requested_at=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(world.animator)
    client.get(job.get_absolute_url())
    assert started == [job.pk]


def test_another_users_job_is_not_found_and_an_unfinished_one_not_downloadable(client, world):
    job = queued(world)
    client.force_login(world.observer)
    assert client.get(job.get_absolute_url()).status_code == 404
    client.force_login(world.animator)
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 404


def test_the_worker_command_builds_queued_jobs_and_purges_old_ones(world):
    old = queued(world)
    ReportJob.objects.filter(pk=old.pk).update(
        state=JobState.DONE, finished_at=timezone.now() - jobs.KEEP - datetime.timedelta(hours=1)
    )
    job = queued(world)
    out = io.StringIO()
    call_command("run_report_jobs", "--once", stdout=out)
    assert "1 lot(s) de rapports traité(s)." in out.getvalue()
    assert ReportJob.objects.get(pk=job.pk).state == JobState.DONE
    assert not ReportJob.objects.filter(pk=old.pk).exists()
