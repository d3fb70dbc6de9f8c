"""A directory file made to break the import: texts longer than their columns (PostgreSQL
refuses them, SQLite does not) and a NUL byte far into the file. Each is a French message on
its line — or the file refused — and nothing is written; never a server error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from paliers.schools.import_formats import ImportFileError
from paliers.schools.importing import import_schools
from paliers.workers.inline import run_ready_tasks

from .factories import make_world
from .pages import page_html
from .test_import_schools import directory_state

HEADER = (
    "numero_uai;appellation_officielle;code_departement;libelle_departement;code_academie;libelle_academie;"
    "code_circonscription;nom_circonscription;code_postal;code_commune;libelle_commune"
)
ROW = [
    "0940176F", "École Robert Doisneau", "094", "Val-de-Marne", "24", "Créteil", "0940927X",
    "Circonscription de Fresnes", "94260", "94034", "Fresnes",
]  # fmt: skip
TOO_LONG = [
    (1, "N" * 301, "nom trop long (301 caractères, 300 au plus)"),
    (2, "9" * 4, "code du département trop long (4 caractères, 3 au plus)"),
    (3, "D" * 101, "nom du département trop long (101 caractères, 100 au plus)"),
    (4, "2" * 4, "code de l'académie trop long (4 caractères, 3 au plus)"),
    (5, "A" * 101, "nom de l'académie trop long (101 caractères, 100 au plus)"),
    (6, "Z" * 121, "code du district trop long (121 caractères, 120 au plus)"),
    (7, "C" * 201, "nom du district trop long (201 caractères, 200 au plus)"),
    (8, "1" * 6, "code postal trop long (6 caractères, 5 au plus)"),
    (9, "1" * 6, "code commune trop long (6 caractères, 5 au plus)"),
    (10, "F" * 151, "commune trop long (151 caractères, 150 au plus)"),
]


@pytest.fixture
def world(db):
    return make_world()


def csv_bytes(*rows):
    return ("\n".join([HEADER, *(";".join(row) for row in rows)]) + "\n").encode()


@pytest.mark.parametrize(("column", "value", "reason"), TOO_LONG)
def test_a_text_longer_than_its_column_is_refused_on_its_line(world, tmp_path, column, value, reason):
    row = list(ROW)
    row[column] = value
    path = tmp_path / "annuaire.csv"
    path.write_bytes(csv_bytes(["0941001C", "Collège", *ROW[2:]], row))
    before = directory_state()
    summary = import_schools(path, academies=None if column in (4, 5) else ["24"])
    assert [(r.line, r.reason) for r in summary.rejected] == [(3, f"UAI 0940176F : {reason}")]
    assert not summary.applied and directory_state() == before


def test_the_import_page_shows_it_and_applying_writes_nothing(world, django_capture_on_commit_callbacks):
    """Through the pages, as an académie administrator would: the preview names the line,
    and applying anyway (skipping it) writes the valid lines only — no server error."""
    client = Client(raise_request_exception=True)
    client.force_login(world.admin)
    rows = [[*ROW[:6], "Z" * 121, *ROW[7:]], ["0941001C", "Collège", *ROW[2:]]]
    upload = client.post(
        reverse("directory:import"),
        {"file": SimpleUploadedFile("a.csv", csv_bytes(*rows)), "skip_invalid": "on"},
    )
    assert upload.status_code == 302
    review = page_html(client.get(upload["Location"]))
    assert "ligne 2 : UAI 0940176F : code du district trop long (121 caractères, 120 au plus)" in review
    with django_capture_on_commit_callbacks(execute=True):
        client.post(upload["Location"])  # queues the import's task
    [result] = run_ready_tasks()
    assert result.status == "SUCCESSFUL", result.traceback
    assert "Import appliqué : l’annuaire est à jour." in page_html(client.get(upload["Location"]))
    assert not world.ecole.districts.filter(code__startswith="ZZZ").exists()


def test_a_nul_byte_far_into_the_file_refuses_it(world, tmp_path):
    filler = [[f"094{n:04d}X", f"École {n}", *ROW[2:]] for n in range(12_000)]  # over 1 MB
    path = tmp_path / "annuaire.csv"
    path.write_bytes(csv_bytes(*filler, [*ROW[:1], "École\x00", *ROW[2:]]))
    assert path.stat().st_size > 1 << 20
    before = directory_state()
    with pytest.raises(ImportFileError, match="son contenu est binaire"):
        import_schools(path, academies=["24"])
    assert directory_state() == before
