"""Crafted spreadsheets in the re-import: a broken checksum, malformed sheet XML, impossible
cell values and references. Each is a message in French naming the member, the sheet and the
cell (or the row after which the sheet could not be read), nothing is written, never a 500."""

import io
import re
import zipfile

import pytest
from django.urls import reverse

from paliers.assessments.models import Answer
from paliers.reports.xlsx_export import assessment_workbook
from paliers.reports.xlsx_import import SpreadsheetInvalid, plan_import
from paliers.reports.xlsx_layout import ANSWER, COMMENT, build_layout

from .reports_world import make_reports_world

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")

SHEET = "xl/worksheets/sheet1.xml"  # « Questionnaire »


@pytest.fixture
def world(db):
    w = make_reports_world()
    w.places = build_layout(w.ecoles).places
    return w


def rebuilt(content, member, change, stored=False):
    """The workbook with one member's XML changed (`stored`: kept uncompressed)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                data = change(data.decode()).encode()
                target.writestr(info.filename, data, compress_type=zipfile.ZIP_STORED if stored else None)
            else:
                target.writestr(info, data)
    return output.getvalue()


def cell_xml(world, code, which, new):
    ref = world.places[code].ref(which)
    return lambda xml: re.sub(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', new.replace("REF", ref), xml, count=1)


def faults_of(world, content):
    with pytest.raises(SpreadsheetInvalid) as raised:
        plan_import(world.assessment, content)
    return raised.value.faults


def test_a_broken_checksum_is_named_by_its_member(world):
    content = rebuilt(assessment_workbook(world.assessment), SHEET, lambda xml: xml, stored=True)
    at = content.index(b"<sheetData>") + len(b"<sheetData>") + 40
    damaged = content[:at] + bytes([content[at] ^ 0x01]) + content[at + 1 :]
    assert faults_of(world, damaged) == [
        f"Le fichier interne « {SHEET} » du classeur est endommagé (archive endommagée (somme de contrôle "
        "ou compression)) : enregistrez de nouveau le classeur depuis votre tableur, ou repartez d’un "
        "nouvel export."
    ]


def test_malformed_sheet_xml_is_named_with_the_last_row_read(world):
    def cut(xml):
        start = xml.index('<row r="12"')
        return xml[:start] + '<row r="12"><c r="A12"><v>1</v></c' + "</sheetData></worksheet>"

    [fault] = faults_of(world, rebuilt(assessment_workbook(world.assessment), SHEET, cut))
    assert fault.startswith("feuille « Questionnaire », après la ligne 11 : illisible (XML mal formé)")


@pytest.mark.parametrize(
    ("new", "reason"),
    [
        ('<c r="REF" t="s"><v>999999</v></c>', "texte partagé introuvable"),  # no such shared string
        ('<c r="REF" t="n"><v>pas un nombre</v></c>', "valeur ou référence impossible"),
        ('<c r="REF" t="d"><v>2026-13-45</v></c>', "valeur ou référence impossible"),  # no such date
        ('<c r="REF" t="b"><v>peut-être</v></c>', "valeur ou référence impossible"),
        ('<c r="REF" s="style"><v>1</v></c>', "valeur ou référence impossible"),
    ],
)
def test_an_impossible_cell_value_is_named_by_its_cell(world, new, reason):
    content = rebuilt(assessment_workbook(world.assessment), SHEET, cell_xml(world, "PIL.1.2", ANSWER, new))
    ref = world.places["PIL.1.2"].ref(ANSWER)
    faults = faults_of(world, content)
    assert faults[0] == f"feuille « Questionnaire », cellule {ref} : {reason} ; corrigez ou effacez-la."


def test_impossible_references_are_named(world):
    def change(xml):
        xml = cell_xml(world, "PIL.1.3", COMMENT, '<c r="ZZZZZ9"><v>1</v></c>')(xml)
        return xml.replace('<row r="10"', '<row r="dix"', 1)

    faults = faults_of(world, rebuilt(assessment_workbook(world.assessment), SHEET, change))
    assert "feuille « Questionnaire », cellule ZZZZZ9 : valeur ou référence impossible" in faults[0]
    assert any("ligne après la ligne" in fault for fault in faults)


def test_a_date_beyond_any_calendar_is_a_refused_answer(world):
    # A date style on a serial number no calendar holds: openpyxl gives an error value.
    content = rebuilt(
        assessment_workbook(world.assessment),
        SHEET,
        cell_xml(world, "PIL.1.2", ANSWER, '<c r="REF" s="1"><v>1e300</v></c>'),
    )
    faults = faults_of(world, content)
    assert "PIL.1.2" in faults[0] and "réponse" in faults[0]


def test_the_upload_page_shows_the_cell_and_writes_nothing(client, world):
    before = sorted(Answer.objects.values_list("pk", "value", "comment", "version"))
    client.force_login(world.head)
    content = rebuilt(
        assessment_workbook(world.assessment),
        SHEET,
        cell_xml(world, "PIL.1.2", ANSWER, '<c r="REF" t="s"><v>-5</v></c>'),
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("reports:import_upload", args=[world.assessment.pk]),
        {"file": SimpleUploadedFile("positionnement.xlsx", content)},
    )
    assert response.status_code == 422
    ref = world.places["PIL.1.2"].ref(ANSWER)
    assert f"cellule {ref}" in response.content.decode()
    assert sorted(Answer.objects.values_list("pk", "value", "comment", "version")) == before
