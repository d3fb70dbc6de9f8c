"""Tenant isolation in the directory import: an académie administrator's file may create or
change only the districts, départements and académies of their académie (anything else is a
line-level rejection), the preview lists every change applying makes — renames included —
and applying makes no other (a directory changed since the preview stops it)."""

from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from paliers.directory.models import PendingImport
from paliers.schools.importing import PlanChanged, import_schools
from paliers.schools.models import Academy, Department, District, DistrictKind, School
from paliers.workers.inline import run_ready_tasks

from .factories import make_world
from .pages import page_html
from .test_import_schools import directory_state

HEADER = (
    "numero_uai;appellation_officielle;code_departement;libelle_departement;code_academie;libelle_academie;"
    "code_circonscription;nom_circonscription"
)
OUTSIDE = "hors des académies que vous administrez"
COLLEGE = "0941001C"  # the world's collège (make_world)
CRETEIL = "094;Val-de-Marne;24;Créteil"
RENAMED = "094;Val de Marne;24;Créteil (nouveau nom)"


@pytest.fixture
def world(db):
    w = make_world()
    # A circonscription of Versailles, whose animator sees the schools attached to it.
    w.versailles_district = District.objects.create(
        department=w.yvelines,
        kind=DistrictKind.CIRCONSCRIPTION,
        code="0780123A",
        name="Circonscription de Poissy",
    )
    return w


def csv_file(tmp_path, *rows, name="annuaire.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_school_cannot_join_or_rename_another_academys_district(world, tmp_path):
    """The attack: Créteil's administrator attaches their école to Versailles's circonscription
    (matched by its code) and renames it; Versailles's animator then sees the école."""
    path = csv_file(
        tmp_path,
        f"0940176F;École Robert Doisneau;{CRETEIL};0780123A;Circonscription de Créteil-Poissy",
        f"{COLLEGE};Collège Francine Fromond;{CRETEIL};0940927X;Circonscription de Fresnes",
    )
    before = directory_state()
    summary = import_schools(path, academies=["24"])
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (
            2,
            "UAI 0940176F : circonscription du 1er degré « 0780123A » de l'académie « Versailles » (25), "
            + OUTSIDE,
        )
    ]
    assert not summary.applied and directory_state() == before  # all or nothing
    kept = import_schools(path, academies=["24"], skip_invalid=True)
    assert kept.applied and len(kept.rejected) == 1
    world.versailles_district.refresh_from_db()
    assert world.versailles_district.name == "Circonscription de Poissy"
    assert not world.versailles_district.schools.exists()
    assert world.college.districts.get().code == "0940927X"  # the valid line went in
    # The same file, imported by a technical administrator (every académie): allowed.
    assert import_schools(path).applied
    assert world.versailles_district.schools.get() == world.ecole


def test_the_preview_lists_every_change_of_places_and_applying_makes_no_other(world, tmp_path):
    path = csv_file(
        tmp_path,
        # Renames the académie and the département, creates a circonscription, renames Fresnes.
        f"0940176F;École Robert Doisneau;{RENAMED};0940999K;Circonscription de Vitry",
        f"{COLLEGE};Collège Francine Fromond;{RENAMED};0940927X;Fresnes (renommée)",
    )
    preview = import_schools(path, dry_run=True, academies=["24"])
    assert preview.places == [
        "académie 24 renommée : « Créteil » → « Créteil (nouveau nom) »",
        "département 094 renommé : « Val-de-Marne » → « Val de Marne »",
        "circonscription du 1er degré « Circonscription de Vitry » créée (0940999K, département 094)",
        "circonscription du 1er degré 0940927X renommée : « Circonscription de Fresnes » → "
        "« Fresnes (renommée) »",
    ]
    before = directory_state()
    applied = import_schools(path, academies=["24"], expected=preview.fingerprint)
    assert applied.applied and applied.places == preview.places
    after = directory_state()
    # Exactly what the preview said: one académie, one département, one district renamed,
    # one district created, the two schools' districts (and nothing else anywhere).
    assert Academy.objects.get(code="24").name == "Créteil (nouveau nom)"
    assert Academy.objects.get(code="25").name == "Versailles"
    assert Department.objects.get(code="094").name == "Val de Marne"
    changed = {name: set(after[name]) ^ set(before[name]) for name in before}
    assert len(changed["Academy"]) == len(changed["Department"]) == 2  # one row, before and after
    assert len(changed["District"]) == 3  # Fresnes before and after, Vitry created
    assert {row[0] for row in changed["School"]} == {world.ecole.pk, world.college.pk}


def test_applying_writes_what_the_preview_showed_or_nothing(
    client, world, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    path = csv_file(
        tmp_path,
        "0940176F;École Robert Doisneau;094;Val-de-Marne;24;Créteil;0940927X;Circonscription de Fresnes",
    )
    upload = client.post(
        reverse("directory:import"), {"file": SimpleUploadedFile("a.csv", path.read_bytes())}
    )
    review = page_html(client.get(upload["Location"]))
    assert "Circonscription de Fresnes" not in review  # nothing to change on places
    # Meanwhile, someone renames the circonscription: applying would rename it back, unseen.
    District.objects.filter(code="0940927X").update(name="Circonscription de Fresnes-Rungis")
    before = directory_state()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(upload["Location"])
    [result] = run_ready_tasks()  # the background task finds the plan changed: writes nothing
    assert result.status == "SUCCESSFUL", result.traceback
    # The progress region, refreshed by htmx, sends the page back to the new preview.
    polled = client.get(upload["Location"], headers={"HX-Request": "true"})
    assert polled["HX-Redirect"] == upload["Location"]
    html = unescape(page_html(client.get(upload["Location"])))
    assert "L’annuaire a changé depuis l’aperçu : rien n’a été modifié." in html
    assert "« Circonscription de Fresnes-Rungis » → « Circonscription de Fresnes »" in html
    assert directory_state() == before and PendingImport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(upload["Location"])  # the new preview, seen: now it applies
    [result] = run_ready_tasks()
    assert result.status == "SUCCESSFUL", result.traceback
    done = page_html(client.get(upload["Location"]))
    assert "Import appliqué : l’annuaire est à jour." in done
    assert District.objects.get(code="0940927X").name == "Circonscription de Fresnes"


def test_the_upload_page_shows_the_rejection_on_its_line(client, world, tmp_path):
    client.force_login(world.admin)
    path = csv_file(tmp_path, f"0940176F;École Robert Doisneau;{CRETEIL};0780123A;Poissy reprise")
    upload = client.post(
        reverse("directory:import"), {"file": SimpleUploadedFile("a.csv", path.read_bytes())}
    )
    html = unescape(page_html(client.get(upload["Location"])))
    rejection = "UAI 0940176F : circonscription du 1er degré « 0780123A » de l'académie « Versailles » (25)"
    assert f"ligne 2 : {rejection}" in html
    assert "Appliquer l’import" not in html


def test_a_plan_changed_error_names_the_new_preview(world, tmp_path):
    path = csv_file(tmp_path, "0940176F;École Robert Doisneau (renommée);094;Val-de-Marne;24;Créteil;;")
    preview = import_schools(path, dry_run=True, academies=["24"])
    School.objects.filter(uai="0940176F").update(name="Autre nom")
    with pytest.raises(PlanChanged) as raised:
        import_schools(path, academies=["24"], expected=preview.fingerprint)
    assert raised.value.summary.preview[0]["changes"] == [
        "nom : Autre nom → École Robert Doisneau (renommée)"
    ]
    assert School.objects.get(uai="0940176F").name == "Autre nom"
