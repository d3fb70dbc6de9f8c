"""The spreadsheet export in the NumEA layout, opened by LibreOffice, and its import:
round trip, every fault named by sheet and cell, nothing written on a fault."""

import csv
import io
import subprocess
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from paliers.assessments import answering
from paliers.assessments.models import Answer, AnswerChange
from paliers.reports.models import SpreadsheetImport
from paliers.reports.xlsx_export import assessment_workbook, objective_counts
from paliers.reports.xlsx_import import SpreadsheetInvalid, apply_import, plan_import
from paliers.reports.xlsx_layout import (
    ANSWER,
    CODE,
    COMMENT,
    DONE,
    IDENTITY,
    POSITIONING,
    QUESTIONNAIRE,
    TIMETABLE,
    TO_DO,
    build_layout,
)

from .pages import page_html
from .reports_world import make_reports_world, need

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")


@pytest.fixture
def world(db):
    return make_reports_world()


def answers(assessment):
    return {
        a.criterion.code: (a.value, a.comment)
        for a in Answer.objects.filter(assessment=assessment).select_related("criterion")
    }


def exported(assessment):
    return load_workbook(io.BytesIO(assessment_workbook(assessment)))


def saved(workbook):
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def cell(workbook, layout, code, which):
    place = layout.places[code]
    return workbook[QUESTIONNAIRE].cell(row=place.row, column=place.column(which))


def test_the_questionnaire_sheet_follows_the_numea_layout(world):
    workbook = exported(world.college_assessment)
    assert workbook.sheetnames == [QUESTIONNAIRE, POSITIONING, TIMETABLE, IDENTITY]
    assert workbook[IDENTITY].sheet_state == "hidden"
    sheet = workbook[QUESTIONNAIRE]
    assert sheet.protection.sheet
    assert sheet["B5"].value == "Étape 1"
    assert sheet["B7"].value.startswith("Étape 1 : L'établissement intègre des outils")
    assert [sheet.cell(row=6, column=c).value for c in range(1, 8)] == [
        "Domaine, item", "Code", "Critère", "Réponse", "Commentaire",
        "Objectifs SMART à conduire", "Objectifs SMART atteints",
    ]  # fmt: skip
    assert sheet["A7"].value == "PILOTAGE, IMPULSION ET ORGANISATION"
    assert sheet["A8"].value == "Le projet d'établissement et le pilotage de la transition numérique"
    layout = build_layout(world.numea)
    first = next(iter(layout.places.values()))
    assert (first.row, first.level) == (8, 1)
    assert cell(workbook, layout, first.code, ANSWER).value == "non renseigné"
    assert not cell(workbook, layout, first.code, ANSWER).protection.locked
    assert cell(workbook, layout, first.code, CODE).protection.locked
    assert len(layout.places) == 63  # 21 items × 3 étapes
    assert workbook.properties.creator == "Paliers"


def test_objectives_to_conduct_and_achieved_are_counted_per_criterion(world):
    workbook = exported(world.assessment)
    layout = build_layout(world.ecoles)
    # The committed objective names FOR.2.1; the achieved one names no criterion: every
    # level-1 criterion of its domain (PIL) counts it.
    assert cell(workbook, layout, "FOR.2.1", TO_DO).value == 1
    assert cell(workbook, layout, "FOR.2.2", TO_DO).value == 0
    assert cell(workbook, layout, "PIL.1.1", DONE).value == 1
    assert cell(workbook, layout, "PIL.2.1", DONE).value == 0
    assert (
        cell(workbook, layout, "PIL.1.1", COMMENT).value == "Voté en conseil d’école : « oui » à l’unanimité"
    )
    assert objective_counts([], []) == {}


def test_the_timetable_sheet(world):
    sheet = exported(world.assessment)[TIMETABLE]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert rows[0][:4] == [
        "Domaine, item",
        "Objectif SMART — Palier 1",
        "Objectif SMART — Palier 2",
        "Objectif SMART — Palier 3",
    ]
    charter = next(r for r in rows if r[1] == "Charte d’usages votée")
    assert charter[0] == "Pilotage, impulsion et organisation" and "OUI" in charter
    training = next(r for r in rows if r[2] == "Former l’équipe à l’ENT")
    assert "EN COURS" in training and "NON ENGAGÉ" in training


def test_a_comment_starting_with_equals_stays_text(world):
    answering.replace_answers(
        world.assessment,
        [{"criterion": "RES.1.1", "value": "atteint", "comment": '=HYPERLINK("x")'}],
        user=world.head,
    )
    layout = build_layout(world.ecoles)
    target = cell(exported(world.assessment), layout, "RES.1.1", COMMENT)
    assert target.data_type == "s" and target.value == '=HYPERLINK("x")'


# LibreOffice's CSV filter: comma, double quote, UTF-8, …, -1 = one file per sheet.
EVERY_SHEET_TO_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def libreoffice_convert(content, tmp_path, target):
    """Convert with LibreOffice headless in a throw-away profile; every sheet for CSV."""
    source = tmp_path / "classeur.xlsx"
    source.write_bytes(content)
    out = tmp_path / "converti"
    result = subprocess.run(
        [
            need("soffice"),
            f"-env:UserInstallation=file://{tmp_path}/profil-libreoffice",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stdout + result.stderr, result.stdout + result.stderr
    return out


def test_libreoffice_opens_the_workbook_and_computes_the_percentages(world, tmp_path):
    answering.replace_answers(
        world.college_assessment,
        [{"criterion": "PIL.PROJ.1", "value": "atteint"}, {"criterion": "PIL.PROJ.2", "value": "en_cours"}],
        user=world.principal,
    )
    content = assessment_workbook(world.college_assessment)
    # Every sheet to CSV (comma separated, UTF-8): the formulas are computed on opening.
    out = libreoffice_convert(content, tmp_path, EVERY_SHEET_TO_CSV)
    positioning = (out / f"classeur-{POSITIONING}.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(positioning)))
    levels = {row[0]: row[1:4] for row in rows if row and row[0].startswith("Étape")}
    assert levels["Étape 1"][:2] == ["21", "1"]
    assert levels["Étape 1"][2].startswith("4.76")  # 1 / 21
    assert levels["Étape 2"][:2] == ["21", "0"]
    # And back to XLSX: LibreOffice reads the chart and writes it again.
    again = libreoffice_convert(content, tmp_path, "xlsx")
    with zipfile.ZipFile(again / "classeur.xlsx") as archive:
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())


def test_round_trip_export_change_import(world):
    workbook = exported(world.assessment)
    layout = build_layout(world.ecoles)
    cell(workbook, layout, "PIL.1.3", ANSWER).value = "atteint"  # was en cours
    cell(workbook, layout, "PIL.1.3", COMMENT).value = "Référente formée en janvier"
    cell(workbook, layout, "FOR.1.1", ANSWER).value = "En cours"  # case does not matter
    cell(workbook, layout, "PIL.1.2", ANSWER).value = None  # emptied: non renseigné
    cell(workbook, layout, "EQU.1.1", ANSWER).value = "atteint"  # never answered before
    plan = plan_import(world.assessment, saved(workbook))
    assert {c.criterion: c.value for c in plan.changes} == {
        "PIL.1.3": "atteint", "FOR.1.1": "en_cours", "PIL.1.2": "non_renseigne", "EQU.1.1": "atteint",
    }  # fmt: skip
    apply_import(world.assessment, plan.as_json(), world.referent)
    assert answers(world.assessment) == {
        "PIL.1.1": ("atteint", "Voté en conseil d’école : « oui » à l’unanimité"),
        "PIL.1.2": ("non_renseigne", ""),
        "PIL.1.3": ("atteint", "Référente formée en janvier"),
        "FOR.1.1": ("en_cours", ""),
        "EQU.1.1": ("atteint", ""),
    }
    changes = AnswerChange.objects.filter(assessment=world.assessment, source="tableur")
    assert changes.count() == 4 and {c.changed_by for c in changes} == {world.referent}
    # The same file again changes nothing more.
    assert plan_import(world.assessment, saved(workbook)).changes == []


def test_a_change_made_in_paliers_since_the_export_is_kept_unless_the_file_changes_it(world):
    workbook = exported(world.assessment)
    layout = build_layout(world.ecoles)
    answering.replace_answers(
        world.assessment,
        [{"criterion": "PIL.1.4", "value": "atteint"}, {"criterion": "PIL.1.5", "value": "atteint"}],
        user=world.head,
    )
    cell(workbook, layout, "PIL.1.5", ANSWER).value = "non atteint"
    plan = plan_import(world.assessment, saved(workbook))
    assert plan.kept == ["PIL.1.4"]  # the file left it as exported: Paliers' answer stays
    [change] = plan.changes
    assert (change.criterion, change.value, change.changed_since_export) == ("PIL.1.5", "non_atteint", True)


def test_a_change_between_preview_and_application_is_refused(world):
    workbook = exported(world.assessment)
    cell(workbook, build_layout(world.ecoles), "RES.1.1", ANSWER).value = "atteint"
    plan = plan_import(world.assessment, saved(workbook))
    answering.replace_answers(
        world.assessment, [{"criterion": "RES.1.1", "value": "en_cours"}], user=world.head
    )
    with pytest.raises(answering.AnswersInvalid):
        apply_import(world.assessment, plan.as_json(), world.referent)
    assert answers(world.assessment)["RES.1.1"] == ("en_cours", "")


def faults_of(assessment, content):
    before = answers(assessment), AnswerChange.objects.count()
    with pytest.raises(SpreadsheetInvalid) as raised:
        plan_import(assessment, content)
    assert (answers(assessment), AnswerChange.objects.count()) == before
    return raised.value.faults


def edited(world, change):
    workbook = exported(world.assessment)
    change(workbook, build_layout(world.ecoles))
    return saved(workbook)


def test_an_unknown_answer_is_named_by_sheet_and_cell(world):
    def change(workbook, layout):
        cell(workbook, layout, "PIL.1.1", ANSWER).value = "oui"
        cell(workbook, layout, "RES.2.1", ANSWER).value = 3

    faults = faults_of(world.assessment, edited(world, change))
    place = build_layout(world.ecoles).places["PIL.1.1"]
    assert faults[0] == (
        f"feuille « Questionnaire », cellule {place.ref(ANSWER)} : réponse « oui » inconnue pour PIL.1.1 ; "
        "choisissez non renseigné, non atteint, en cours ou atteint."
    )
    assert "réponse « 3 » inconnue pour RES.2.1" in faults[1]


def test_a_formula_is_refused(world):
    def change(workbook, layout):
        cell(workbook, layout, "PIL.1.1", ANSWER).value = '=IF(1,"atteint","")'
        cell(workbook, layout, "PIL.1.2", COMMENT).value = "=1+1"

    faults = faults_of(world.assessment, edited(world, change))
    assert "une formule n’est pas une réponse" in faults[0]
    assert "une formule n’est pas un commentaire" in faults[1]


def test_an_edited_structure_is_refused_where_it_was_edited(world):
    def change(workbook, layout):
        sheet = workbook[QUESTIONNAIRE]
        sheet.protection.sheet = False
        sheet.insert_rows(10)

    faults = faults_of(world.assessment, edited(world, change))
    assert "feuille « Questionnaire », cellule B10 : « " in faults[0]
    assert "une ligne ou une colonne a été déplacée, ajoutée ou supprimée" in faults[0]


def test_an_unknown_code_is_refused(world):
    def change(workbook, layout):
        cell(workbook, layout, "INF.1.2", CODE).value = "INF.9.9"

    [fault] = faults_of(world.assessment, edited(world, change))
    assert "« INF.1.2 » attendu, « INF.9.9 » trouvé" in fault


def test_another_schools_file_is_refused(world):
    other = world.campaign.assessments.exclude(school=world.ecole).first()
    if other is None:
        from .factories import school

        other_school = school(world.val_de_marne, 177, "École maternelle Jean Zay", "maternelle")
        other = world.campaign.assessments.create(school=other_school)
    faults = faults_of(world.assessment, assessment_workbook(other))
    assert faults[0].startswith("feuille « Paliers », cellule B3 : ce fichier est celui de ")
    assert f"pas de « École élémentaire Robert Doisneau » (UAI {world.ecole.uai})" in faults[0]


def test_another_framework_version_is_refused(world):
    faults = faults_of(world.college_assessment, assessment_workbook(world.assessment))
    assert any(
        "ce fichier porte sur le référentiel « creteil-ecoles » version 2014 ; ce positionnement porte sur "
        "« numea-etablissement » version 2020." in fault
        for fault in faults
    )


def test_a_file_without_the_identity_sheet_is_refused(world):
    def change(workbook, layout):
        del workbook[IDENTITY]

    [fault] = faults_of(world.assessment, edited(world, change))
    assert "ce fichier n’a pas été exporté par Paliers" in fault


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"UAI;nom\n0940176F;Doisneau\n", "n’est pas un classeur Excel"),
        (b"x" * (6 * 1024 * 1024), "Fichier trop volumineux"),
    ],
)
def test_what_is_not_a_workbook_is_refused(world, content, message):
    [fault] = faults_of(world.assessment, content)
    assert message in fault


def test_an_archive_bomb_is_refused_before_parsing(world):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    assert len(bomb.getvalue()) < 200_000
    [fault] = faults_of(world.assessment, bomb.getvalue())
    assert "se décompresse en un volume démesuré" in fault


# --- the pages -------------------------------------------------------------------------


def upload(client, world, content, name="positionnement.xlsx"):
    handle = io.BytesIO(content)
    handle.name = name
    return client.post(reverse("reports:import_upload", args=[world.assessment.pk]), {"file": handle})


def test_the_export_download(client, world):
    client.force_login(world.observer)
    response = client.get(reverse("reports:assessment_xlsx", args=[world.assessment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "positionnement-0940176F-2025-2026-" in response["Content-Disposition"]
    load_workbook(io.BytesIO(response.content))


def test_upload_preview_and_apply(client, world):
    client.force_login(world.referent)
    content = edited(
        world, lambda wb, layout: setattr(cell(wb, layout, "FOR.1.1", ANSWER), "value", "atteint")
    )
    response = upload(client, world, content)
    pending = SpreadsheetImport.objects.get()
    assert response.status_code == 302 and response["Location"] == pending.get_absolute_url()
    page = page_html(client.get(pending.get_absolute_url()))
    assert "1 réponse modifiée" in page and "FOR.1.1" in page and "non atteint" in page
    assert answers(world.assessment)["FOR.1.1"] == ("non_atteint", "")  # nothing written yet
    response = client.post(pending.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == world.assessment.get_absolute_url()
    assert answers(world.assessment)["FOR.1.1"] == ("atteint", "")
    assert not SpreadsheetImport.objects.exists()


def test_a_faulty_upload_shows_every_fault_and_writes_nothing(client, world):
    client.force_login(world.head)
    content = edited(
        world, lambda wb, layout: setattr(cell(wb, layout, "FOR.1.1", ANSWER), "value", "peut-être")
    )
    response = upload(client, world, content)
    assert response.status_code == 422
    page = page_html(response)
    assert "Le fichier n’a pas été importé" in page and "réponse « peut-être » inconnue pour FOR.1.1" in page
    assert not SpreadsheetImport.objects.exists()


def test_a_submitted_assessment_takes_no_import(client, world):
    answering.submit(world.assessment, world.head)
    client.force_login(world.head)
    assert "rouvrez-le" in page_html(client.get(reverse("reports:import_upload", args=[world.assessment.pk])))
    assert upload(client, world, assessment_workbook(world.assessment)).status_code == 409


def test_someone_elses_preview_is_not_found(client, world):
    pending = SpreadsheetImport.objects.create(
        assessment=world.assessment, filename="a.xlsx", uploaded_by=world.head
    )
    client.force_login(world.referent)
    assert client.get(pending.get_absolute_url()).status_code == 404


def test_a_new_upload_replaces_ones_own_preview_and_drops_stale_ones(client, world):
    import datetime

    from django.utils import timezone

    mine = SpreadsheetImport.objects.create(
        assessment=world.assessment, filename="a.xlsx", uploaded_by=world.head
    )
    stale = SpreadsheetImport.objects.create(
        assessment=world.assessment, filename="b.xlsx", uploaded_by=world.referent
    )
    fresh = SpreadsheetImport.objects.create(
        assessment=world.assessment, filename="c.xlsx", uploaded_by=world.admin
    )
    SpreadsheetImport.objects.filter(pk=stale.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=2)
    )
    client.force_login(world.head)
    assert upload(client, world, assessment_workbook(world.assessment)).status_code == 302
    left = set(SpreadsheetImport.objects.values_list("pk", flat=True))
    assert mine.pk not in left and stale.pk not in left and fresh.pk in left and len(left) == 2
