import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from paliers.audit.models import AuditEvent, EventKind
from paliers.directory.models import PendingImport
from paliers.schools.models import School
from paliers.workers.inline import run_ready_tasks

from .factories import make_world
from .pages import page_html
from .shared_data import ANNUAIRE_VAL_DE_MARNE

ANNUAIRE = ANNUAIRE_VAL_DE_MARNE


@pytest.fixture
def world(db):
    return make_world()


def upload(client, content, name="annuaire.csv", **extra):
    return client.post(reverse("directory:import"), {"file": SimpleUploadedFile(name, content), **extra})


def test_preview_then_apply_by_a_background_task(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.admin)
    response = upload(client, ANNUAIRE.read_bytes())
    assert response.status_code == 302
    before = School.objects.count()
    review = client.get(response["Location"])
    html = page_html(review)
    assert "Annuaire de l" in html and "Rien n’a encore été modifié" in html
    assert review.context["summary"]["created"] == 613 - 1  # the world already holds one of them
    # The first 100 one by one, the others said: nothing applying does goes unmentioned.
    # 612 created and 1 updated: 100 listed, 513 said.
    assert "… et 513 autres écoles et établissements créés ou mis à jour, comptés ci-dessus." in html
    assert School.objects.count() == before
    with django_capture_on_commit_callbacks() as callbacks:
        applied = client.post(response["Location"])
    assert applied.status_code == 302 and applied["Location"] == response["Location"]
    assert not DBTaskResult.objects.exists()  # queued once the request's transaction commits
    for callback in callbacks:
        callback()
    waiting = page_html(client.get(response["Location"]))
    assert "En attente d’un processus de travail" in waiting and 'hx-trigger="every 2s"' in waiting
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"])  # a second click queues nothing more
    assert DBTaskResult.objects.count() == 1
    [result] = run_ready_tasks()
    assert result.status == "SUCCESSFUL", result.traceback
    assert School.objects.filter(department__code="094").count() == 613 + 1  # and the world's collège
    done = page_html(client.get(response["Location"]))
    assert "Import appliqué : l’annuaire est à jour." in done and "hx-trigger" not in done
    assert "Créations : 612" in done
    pending = PendingImport.objects.get()
    assert (pending.state, pending.done, pending.total, bytes(pending.content)) == ("termine", 613, 613, b"")
    assert AuditEvent.objects.filter(kind=EventKind.IMPORT, user=world.admin).count() == 1


def test_reading_progress_then_a_failure_shown_in_french(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.admin)
    location = upload(client, ANNUAIRE.read_bytes())["Location"]
    pending = PendingImport.objects.get()
    PendingImport.objects.filter(pk=pending.pk).update(
        queued_at=timezone.now(), state="en_cours", done=1000, total=4000
    )
    fragment = page_html(client.get(location, headers={"HX-Request": "true"}))
    assert fragment.lstrip().startswith('<div id="progression-import"')
    assert "Lecture du fichier : 1000 lignes sur 4000." in fragment and 'value="1000"' in fragment
    # The directory changed since the preview: rows are rejected now, nothing is imported.
    PendingImport.objects.filter(pk=pending.pk).update(
        queued_at=None, state="en_attente", content=b"nom\nx\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(location)
    [result] = run_ready_tasks()
    assert result.status == "FAILED"
    page = page_html(client.get(location))
    assert "L’import n’a pas été appliqué" in page and "colonne UAI introuvable" in page


def test_another_academys_schools_are_not_imported(client, world):
    client.force_login(world.other_admin)
    review = client.get(upload(client, ANNUAIRE.read_bytes())["Location"])
    html = page_html(review)
    assert "hors des académies que vous administrez" in html
    assert "Appliquer l’import" not in html
    assert not School.objects.filter(uai="0940198E").exists()


def test_an_unreadable_file_is_refused_with_its_reason(client, world):
    client.force_login(world.admin)
    response = upload(client, b"nom,ville\nx,y\n")
    assert response.status_code == 200
    assert "colonne UAI introuvable" in " ".join(response.context["form"].errors["file"])
    assert not PendingImport.objects.exists()


def test_a_pending_import_belongs_to_whoever_uploaded_it(client, world, django_user_model):
    client.force_login(world.admin)
    location = upload(client, ANNUAIRE.read_bytes())["Location"]
    colleague = django_user_model.objects.create_user("dan2")
    colleague.memberships.create(role="academy_admin", academy=world.creteil)
    client.force_login(colleague)
    assert client.get(location).status_code == 404
