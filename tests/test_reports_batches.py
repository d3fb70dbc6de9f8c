"""The ZIP of a scope's reports on Django's Tasks API, in this process: the request fixes
the batch and queues its tasks once committed; the tasks build each report once, then the
ZIP; progress, failure in French, download. Real worker processes: test_workers_processes.py."""

import datetime
import io
import zipfile

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from paliers.assessments.models import Assessment
from paliers.reports import batches, tasks
from paliers.reports.assessment_report import assessment_report_pdf
from paliers.reports.models import ReportBatch, ReportChunk, ReportPart
from paliers.reports.scope import scope_assessments
from paliers.reports.scope_report import scope_summary_pdf
from paliers.workers.inline import run_ready_tasks
from paliers.workers.models import WorkState
from paliers.workers.tracking import MAX_ATTEMPTS

from .reports_world import make_reports_world

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")


@pytest.fixture
def world(db):
    return make_reports_world()


def request_zip(client, world, user=None):
    client.force_login(user or world.animator)
    return client.post(reverse("reports:scope_zip", args=[world.campaign.pk]))


def zip_of(client, batch):
    response = client.get(reverse("reports:job_download", args=[batch.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    content = b"".join(response.streaming_content)
    assert len(content) == batch.size == int(response["Content-Length"])
    return zipfile.ZipFile(io.BytesIO(content))


def test_the_request_queues_its_tasks_once_committed(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = request_zip(client, world)
    batch = ReportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    # Nothing queued before the commit: a worker could not see the batch yet.
    assert len(callbacks) == 1 and not DBTaskResult.objects.exists()
    callbacks[0]()
    queued = DBTaskResult.objects.order_by("args_kwargs")
    assert [(r.task_path, r.args_kwargs["args"]) for r in queued] == [
        ("paliers.reports.tasks.build_report_group", [batch.pk, 0]),
        ("paliers.reports.tasks.build_report_group", [batch.pk, 1]),
    ]
    assert (batch.state, batch.total) == (WorkState.QUEUED, 2)
    assert list(batch.parts.order_by("position").values_list("name", "group")) == [
        ("00-synthese.pdf", 0),
        ("0940176F-ecole-elementaire-robert-doisneau.pdf", 1),
    ]


def test_a_rolled_back_request_queues_nothing(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        batches.request_batch(world.animator, world.campaign, tasks.enqueue_groups)
        raise RuntimeError
    assert not ReportBatch.objects.exists() and not DBTaskResult.objects.exists()


def test_asking_again_while_it_runs_leads_to_the_same_batch(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = request_zip(client, world)["Location"]
        again = request_zip(client, world)["Location"]
    assert first == again and ReportBatch.objects.count() == 1 and DBTaskResult.objects.count() == 2


def test_the_tasks_build_the_same_zip_as_the_reports_one_by_one(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request_zip(client, world)
    results = run_ready_tasks()
    assert [r.status for r in results] == ["SUCCESSFUL"] * 3  # two groups, then the assembly
    assert results[-1].task_path == "paliers.reports.tasks.assemble_report_zip"
    batch = ReportBatch.objects.get()
    assert (batch.state, batch.done, batch.total) == (WorkState.DONE, 2, 2)
    assert batch.size == sum(
        len(c) for c in ReportChunk.objects.filter(batch=batch).values_list("data", flat=True)
    )
    assessments = list(scope_assessments(world.animator, world.campaign))
    with zip_of(client, batch) as archive:
        assert archive.namelist() == ["00-synthese.pdf", "0940176F-ecole-elementaire-robert-doisneau.pdf"]
        assert archive.read("00-synthese.pdf") == scope_summary_pdf(
            world.animator, world.campaign, assessments=assessments
        )
        assert archive.read("0940176F-ecole-elementaire-robert-doisneau.pdf") == assessment_report_pdf(
            assessments[0], world.animator
        )
    # The PDFs are in the ZIP now: the parts keep their place, not their bytes.
    assert not ReportPart.objects.filter(pdf__isnull=False).exists()


def test_a_task_run_again_duplicates_nothing(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_zip(client, world)
    run_ready_tasks()
    batch = ReportBatch.objects.get()
    built = dict(batch.parts.values_list("pk", "built_at"))
    tasks.build_report_group.enqueue(batch.pk, 1)
    tasks.assemble_report_zip.enqueue(batch.pk)
    assert [r.status for r in run_ready_tasks()] == ["SUCCESSFUL", "SUCCESSFUL"]
    assert dict(batch.parts.values_list("pk", "built_at")) == built
    assert ReportBatch.objects.get().size == batch.size and ReportChunk.objects.count() == 1


def test_the_assembly_is_queued_once_when_two_groups_finish_together(world):
    batch = batches.request_batch(world.animator, world.campaign, lambda *args: None)
    ReportPart.objects.filter(batch=batch).update(built_at=timezone.now(), pdf=b"%PDF")
    assert batches.claim_assembly(batch.pk) and not batches.claim_assembly(batch.pk)


def test_the_zip_spans_several_chunks(client, world, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(batches, "CHUNK", 10_000)
    with django_capture_on_commit_callbacks(execute=True):
        request_zip(client, world)
    run_ready_tasks()
    batch = ReportBatch.objects.get()
    assert ReportChunk.objects.filter(batch=batch).count() == -(-batch.size // 10_000)
    assert zip_of(client, batch).testzip() is None


def test_a_failing_task_shows_its_error_in_french_and_the_batch_starts_again(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("police introuvable")

    monkeypatch.setattr(batches, "assessment_report_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        request_zip(client, world)
    results = {r.args_kwargs["args"][1]: r for r in run_ready_tasks()}
    assert (results[0].status, results[1].status) == ("SUCCESSFUL", "FAILED")
    assert "RuntimeError: police introuvable" in results[1].traceback  # for the administrators
    batch = ReportBatch.objects.get()
    assert batch.state == WorkState.FAILED
    assert batch.error == "Erreur inattendue (RuntimeError) : police introuvable"
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "La préparation des rapports a échoué" in page and "police introuvable" in page
    assert "Relancer la préparation" in page and "hx-trigger" not in page
    # Starting again goes on with the same batch: the summary, built, is not made again.
    monkeypatch.undo()
    summary_built = batch.parts.get(position=0).built_at
    with django_capture_on_commit_callbacks(execute=True):
        assert request_zip(client, world)["Location"] == batch.get_absolute_url()
    assert [r.args_kwargs["args"] for r in run_ready_tasks()] == [[batch.pk, 1], [batch.pk]]
    batch.refresh_from_db()
    assert (batch.state, batch.error, batch.parts.get(position=0).built_at) == ("termine", "", summary_built)
    assert zip_of(client, batch).namelist() == [
        "00-synthese.pdf",
        "0940176F-ecole-elementaire-robert-doisneau.pdf",
    ]


def test_a_task_whose_workers_died_too_often_fails_instead_of_killing_another(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request_zip(client, world)
    DBTaskResult.objects.update(worker_ids=[f"mort-{n}" for n in range(MAX_ATTEMPTS)])
    run_ready_tasks()
    batch = ReportBatch.objects.get()
    assert batch.state == WorkState.FAILED and "interrompu 3 fois" in batch.error
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"FAILED"}


def test_the_progress_page_with_and_without_javascript(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_zip(client, world)
    batch = ReportBatch.objects.get()
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "En attente de préparation" in page
    assert 'hx-trigger="every 2s"' in page and "Actualiser la page" in page
    ReportBatch.objects.filter(pk=batch.pk).update(state=WorkState.RUNNING)
    batch.parts.filter(position=0).update(built_at=timezone.now(), pdf=b"%PDF")
    fragment = client.get(batch.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="progression-lot"') and "<html" not in fragment
    assert "1 document prêt sur 2" in fragment and '<progress class="paliers-progress"' in fragment
    assert 'max="2"' in fragment and 'value="1"' in fragment
    ReportBatch.objects.filter(pk=batch.pk).update(state=WorkState.DONE, size=2048)
    done = client.get(batch.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and "Télécharger l’archive ZIP (2,0" in done
    assert "1 rapport et la synthèse" in done


def test_a_batch_nobody_takes_says_so(client, world):
    batch = batches.request_batch(world.animator, world.campaign, lambda *args: None)
    client.force_login(world.animator)
    assert "Aucun processus de travail" not in client.get(batch.get_absolute_url()).content.decode()
    ReportBatch.objects.filter(pk=batch.pk).update(queued_at=timezone.now() - datetime.timedelta(minutes=2))
    assert "Aucun processus de travail" in client.get(batch.get_absolute_url()).content.decode()


def test_another_users_batch_is_not_found_and_an_unfinished_one_not_downloadable(client, world):
    batch = batches.request_batch(world.animator, world.campaign, lambda *args: None)
    client.force_login(world.observer)
    assert client.get(batch.get_absolute_url()).status_code == 404
    client.force_login(world.animator)
    assert client.get(reverse("reports:job_download", args=[batch.pk])).status_code == 404


def test_a_deleted_assessment_or_batch_leaves_the_tasks_with_nothing_to_do(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.request_batch(world.animator, world.campaign, tasks.enqueue_groups)
    Assessment.objects.filter(pk=world.assessment.pk).delete()  # its part goes with it
    run_ready_tasks()
    with zipfile.ZipFile(io.BytesIO(b"".join(batches.zip_chunks(batch)))) as archive:
        assert archive.namelist() == ["00-synthese.pdf"]
    with django_capture_on_commit_callbacks(execute=True):
        other = batches.request_batch(world.animator, world.numea_campaign, tasks.enqueue_groups)
    other.delete()
    assert {r.status for r in run_ready_tasks()} == {"SUCCESSFUL"}


def test_old_batches_are_purged_every_day(world):
    old = batches.request_batch(world.animator, world.campaign, lambda *args: None)
    ReportBatch.objects.filter(pk=old.pk).update(
        state=WorkState.DONE, finished_at=timezone.now() - batches.KEEP - datetime.timedelta(hours=1)
    )
    tasks.purge_report_batches.enqueue("2026-01-01")
    [result] = run_ready_tasks()
    assert result.return_value == 3  # the batch and its two parts
    assert not ReportBatch.objects.exists()
