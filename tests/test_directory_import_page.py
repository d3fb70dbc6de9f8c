import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from paliers.directory.models import PendingImport
from paliers.schools.models import School

from .factories import make_world
from .shared_data import ANNUAIRE_VAL_DE_MARNE

ANNUAIRE = ANNUAIRE_VAL_DE_MARNE


@pytest.fixture
def world(db):
    return make_world()


def upload(client, content, name="annuaire.csv", **extra):
    return client.post(reverse("directory:import"), {"file": SimpleUploadedFile(name, content), **extra})


def test_preview_then_apply(client, world):
    client.force_login(world.admin)
    response = upload(client, ANNUAIRE.read_bytes())
    assert response.status_code == 302
    before = School.objects.count()
    review = client.get(response["Location"])
    html = review.content.decode()
    assert "Annuaire de l" in html and "Rien n’a encore été modifié" in html
    assert review.context["summary"]["created"] == 613 - 1  # the world already holds one of them
    # The first 100 one by one, the others said: nothing applying does goes unmentioned.
    # 612 created and 1 updated: 100 listed, 513 said.
    assert "… et 513 autres écoles et établissements créés ou mis à jour, comptés ci-dessus." in html
    assert School.objects.count() == before
    done = client.post(response["Location"])
    assert done.status_code == 200
    assert "L’annuaire est à jour." in done.content.decode()
    assert School.objects.filter(department__code="094").count() == 613 + 1  # and the world's collège
    assert not PendingImport.objects.exists()


def test_another_academys_schools_are_not_imported(client, world):
    client.force_login(world.other_admin)
    review = client.get(upload(client, ANNUAIRE.read_bytes())["Location"])
    html = review.content.decode()
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
