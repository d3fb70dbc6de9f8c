"""Importing the ministry's directory files: the real extracts of ../shared/data/, and the
ways people break them (a spreadsheet's re-save, human-label headers, wrong separators)."""

import csv
import io
import json
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paliers.schools import import_formats as formats
from paliers.schools.importing import ImportFileError, import_schools
from paliers.schools.models import Academy, Department, District, School, SchoolKind
from paliers.schools.uai import uai_error
from tests.shared_data import SHARED_DATA

DATA = SHARED_DATA
ANNUAIRE = DATA / "annuaire-val-de-marne-ecoles-2026.csv"
GEOLOC = DATA / "geoloc-colleges-france.csv"
# The three collèges of the geolocation file that have no name yet (two are "A OUVRIR").
NAMELESS_COLLEGES = [414, 1710, 3815]
BOISSY = "Circonscription de Boissy-Saint-Léger"
FRESNES = "Circonscription d'inspection du 1er degré de Fresnes"


def directory_state():
    """Every row of the directory tables, to show that an import changed nothing."""
    models = (Academy, Department, District, School, School.districts.through)
    return {model.__name__: sorted(model.objects.values_list()) for model in models}


def read_rows(path):
    with path.open(encoding="utf-8-sig", newline="") as file:
        header, *rows = csv.reader(file, delimiter=";")
    return header, rows


def write_csv(path, header, rows, *, delimiter=";", encoding="utf-8-sig"):
    with path.open("w", encoding=encoding, newline="") as file:
        csv.writer(file, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    return path


def annuaire_slice(tmp_path, count=30, name="annuaire.csv", edit=None):
    header, rows = read_rows(ANNUAIRE)
    rows = [list(row) for row in rows[:count]]
    if edit:
        edit(header, rows)
    return write_csv(tmp_path / name, header, rows)


def put(header, row, **values):
    for name, value in values.items():
        row[header.index(name)] = value
    return row


def count_by(field):
    return Counter(School.objects.values_list(field, flat=True))


def test_an_academy_is_named_with_its_elision(db):
    """« Académie d’Amiens », not « de Amiens »: the directory gives the bare name."""
    names = {"Amiens": "Académie d’Amiens", "Orléans-Tours": "Académie d’Orléans-Tours",
             "Aix-Marseille": "Académie d’Aix-Marseille", "Créteil": "Académie de Créteil",
             "La Réunion": "Académie de La Réunion", "Académie de Lyon": "Académie de Lyon"}  # fmt: skip
    for code, (name, expected) in enumerate(names.items(), start=50):
        assert str(Academy.objects.create(code=str(code), name=name)) == expected


def test_annuaire_of_val_de_marne(db):
    summary = import_schools(ANNUAIRE)

    assert summary.as_json() == {"created": 613, "updated": 0, "unchanged": 0, "merged": 0, "rejected": []}
    assert summary.applied and summary.format_name == "Annuaire de l'éducation"
    department = Department.objects.get()
    assert (str(department), str(department.academy)) == ("Val-de-Marne (094)", "Académie de Créteil")
    header, rows = read_rows(ANNUAIRE)
    circonscriptions = {row[header.index("code_circonscription")] for row in rows}
    assert District.objects.filter(kind="circonscription").count() == len(circonscriptions) == 24
    assert District.objects.filter(kind="bassin").count() == 2
    assert all(s.districts.filter(kind="circonscription").count() == 1 for s in School.objects.all())
    assert count_by("priority_education") == {"": 406, "REP": 185, "REP+": 22}
    assert count_by("kind") == {"maternelle": 306, "elementaire": 270, "primaire": 37}
    assert School.objects.filter(state="a_fermer").count() == 2
    school = School.objects.get(uai="0940176F")
    assert (school.name, school.kind) == ("Ecole élémentaire Robert Doisneau", SchoolKind.ELEMENTAIRE)
    assert school.sector == "public"
    assert (school.commune, school.commune_code, school.postal_code) == ("Fresnes", "94034", "94260")
    assert school.email == "ce.0940176F@ac-creteil.fr"
    assert school.sort_name == "ecole elementaire robert doisneau"
    assert [(d.code, d.name) for d in school.districts.all()] == [("0940927X", FRESNES)]


def test_importing_the_same_file_again_changes_nothing(db):
    import_schools(ANNUAIRE)
    before = directory_state()
    with CaptureQueriesContext(connection) as queries:
        summary = import_schools(ANNUAIRE)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 613)
    assert summary.preview == []
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert len(queries) < 15  # bulk reads, never a query per row
    assert directory_state() == before


def test_geolocation_of_the_colleges_of_france(db):
    summary = import_schools(GEOLOC)
    assert summary.applied and summary.format_name == "Adresse et géolocalisation des établissements"
    assert (summary.created, summary.rejected) == (7654, [])
    # Three collèges have no name yet in the file (two "à ouvrir"): named after their kind.
    assert [note.split(" (ligne ")[1].split(")")[0] for note in summary.notes] == [
        str(n) for n in NAMELESS_COLLEGES
    ]
    assert School.objects.get(uai="0741835T").name == "Collège sans nom (0741835T)"
    assert School.objects.exclude(kind=SchoolKind.COLLEGE).count() == 0
    assert School.objects.filter(department__academy__code="24").count() == 476
    assert Academy.objects.get(code="24").name == "Créteil"
    assert Department.objects.get(code="02A").academy.name == "Corse"
    assert School.objects.get(uai="0071168G").postal_code == "07270"
    assert School.objects.filter(sector="prive").count() == 2237
    assert School.objects.filter(state="a_ouvrir").count() == 13

    before = directory_state()
    again = import_schools(GEOLOC)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7654)
    assert directory_state() == before


def test_a_row_with_neither_name_nor_kind_is_rejected(db, tmp_path):
    path = tmp_path / "sans-nom.csv"
    path.write_text(
        "numero_uai;appellation_officielle;code_departement;libelle_departement;code_academie;libelle_academie\n"
        "0940176F;;094;Val-de-Marne;24;Créteil\n",
        encoding="utf-8",
    )
    summary = import_schools(path)
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (2, "UAI 0940176F : nom de l'établissement manquant")
    ]
    assert not summary.applied and School.objects.count() == 0


def test_a_file_without_districts_leaves_them_alone(db, tmp_path):
    import_schools(annuaire_slice(tmp_path, 5))
    header, rows = read_rows(GEOLOC)
    place = {"code_departement": "094", "libelle_departement": "Val-de-Marne", "code_academie": "24"}
    row = put(
        header, list(rows[0]), numero_uai="0940176F", appellation_officielle="École Robert Doisneau", **place
    )

    summary = import_schools(write_csv(tmp_path / "geoloc.csv", header, [row]))

    assert summary.updated == 1
    assert "nom : Ecole élémentaire Robert Doisneau → École Robert Doisneau" in summary.preview[0]["changes"]
    school = School.objects.get(uai="0940176F")
    assert (school.name, school.sort_name) == ("École Robert Doisneau", "ecole robert doisneau")
    assert school.districts.get().code == "0940927X"
    assert school.priority_education == "" and school.email  # columns the file does not have


def test_changes_are_planned_shown_and_applied(db, tmp_path):
    import_schools(annuaire_slice(tmp_path, 5))

    def edit(header, rows):
        put(header, rows[0], Nom_commune="Fresnes-sur-Bièvre", Appartenance_Education_Prioritaire="REP+")
        put(header, rows[0], code_circonscription="0941397H", nom_circonscription=BOISSY)

    path = annuaire_slice(tmp_path, 5, "changed.csv", edit)
    before = directory_state()
    planned = import_schools(path, dry_run=True)
    assert directory_state() == before
    assert not planned.applied
    assert (planned.created, planned.updated, planned.unchanged) == (0, 1, 4)
    assert planned.preview == [
        {
            "uai": "0940176F",
            "name": "Ecole élémentaire Robert Doisneau",
            "action": "mise à jour",
            "changes": [
                "commune : Fresnes → Fresnes-sur-Bièvre",
                "éducation prioritaire : hors éducation prioritaire → REP+",
                f"circonscription du 1er degré : {FRESNES} → {BOISSY}",
            ],
        }
    ]
    applied = import_schools(path)
    assert (applied.applied, applied.created, applied.updated, applied.unchanged) == (True, 0, 1, 4)
    school = School.objects.get(uai="0940176F")
    assert (school.commune, school.priority_education) == ("Fresnes-sur-Bièvre", "REP+")
    assert list(school.districts.values_list("code", flat=True)) == ["0941397H"]


def test_bad_check_letters_reject_their_lines_and_nothing_is_written(db, tmp_path):
    def edit(header, rows):
        rows[2][0] = "0940204M"  # the letter of 0940204 is L
        rows[6][0] = "094023"

    path = annuaire_slice(tmp_path, 20, edit=edit)
    summary = import_schools(path)
    assert not summary.applied
    reasons = [uai_error("0940204M"), uai_error("094023")]
    assert [(r.line, r.reason) for r in summary.rejected] == list(zip([4, 8], reasons, strict=True))
    assert "lettre de contrôle M au lieu de L" in summary.rejected[0].reason
    assert School.objects.count() == District.objects.count() == Academy.objects.count() == 0

    skipped = import_schools(path, skip_invalid=True)
    assert skipped.applied and skipped.created == 18 and len(skipped.rejected) == 2
    assert School.objects.count() == 18


def test_duplicate_uais_become_one_school(db, tmp_path):
    def edit(header, rows):
        put(header, rows[0], Mail="")
        twin = put(header, list(rows[0]), Nom_commune="Ailleurs", Mail="site2@ac-creteil.fr")
        put(header, twin, code_circonscription="0941397H", nom_circonscription=BOISSY)
        rows.extend([twin, list(rows[3]), list(rows[3])])

    summary = import_schools(annuaire_slice(tmp_path, 10, edit=edit))
    assert (summary.created, summary.merged) == (10, 3)
    fourth = read_rows(ANNUAIRE)[1][3][0]
    assert summary.merges == [
        "UAI 0940176F : 2 lignes (2, 12) fusionnées",
        f"UAI {fourth} : 3 lignes (5, 13, 14) fusionnées",
    ]
    school = School.objects.get(uai="0940176F")
    assert (school.commune, school.email) == ("Fresnes", "site2@ac-creteil.fr")
    assert sorted(school.districts.values_list("code", flat=True)) == ["0940927X", "0941397H"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "le fichier est vide"),
        (b"\xef\xbb\xbf\r\n\r\n", "le fichier est vide"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ce fichier est un classeur (.xlsx, .ods ou .xls)"),
        (bytes(range(256)) * 40, "son contenu est binaire"),
        (b"\x81\x8d\x8f\x90\x9d;" * 10, "ni UTF-8, ni Windows-1252"),
        (b"Code;Nom_etablissement\n0940176F;Ecole\n", "colonne UAI introuvable : attendu « Identifiant_"),
        (b"Identifiant_de_l_etablissement;Nom\n", "introuvable(s) : « Nom_etablissement »"),
        (b"numero_uai;appellation_officielle\n", "introuvable(s) : « code_departement »"),
        (
            b"numero_uai;appellation_officielle;code_departement\n0940176F;" + b"x" * 200_000,
            "illisible à la ligne 2",
        ),
    ],
)
def test_unreadable_files_are_refused_with_a_french_message(db, tmp_path, content, message):
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as raised:
        import_schools(path)
    assert message in raised.value.message
    assert School.objects.count() == Academy.objects.count() == 0


def test_a_wrong_separator_is_named_in_the_message(db, tmp_path):
    header, rows = read_rows(ANNUAIRE)
    path = write_csv(tmp_path / "pipes.csv", header, rows[:10], delimiter="|")
    with pytest.raises(ImportFileError, match="colonne UAI introuvable") as raised:
        import_schools(path)
    assert "séparées par des points-virgules, des virgules ou des tabulations" in raised.value.message
    assert School.objects.count() == 0


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_commas_and_tabs_are_accepted(db, tmp_path, delimiter):
    header, rows = read_rows(ANNUAIRE)
    assert import_schools(write_csv(tmp_path / "f.csv", header, rows[:10], delimiter=delimiter)).created == 10
    assert import_schools(annuaire_slice(tmp_path, 10)).unchanged == 10


def spreadsheet_resave(header, rows, codes):
    """What a spreadsheet does to a ministry file when saved again as CSV."""
    for row in rows:
        for name, value in zip(header, row, strict=True):
            position = header.index(name)
            if name in codes or name.lower() in {"telephone"}:
                row[position] = value.lstrip("0")
            elif name.lower().startswith("date") and value.count("-") == 2:
                year, month, day = value.split("-")
                row[position] = f"{day}/{month}/{year}"
            elif name == "SIREN_SIRET" and value:
                row[position] = f"{int(value[:3]) / 100:.2f}E+13".replace(".", ",")


@pytest.mark.parametrize(
    ("source", "codes"),
    [
        (ANNUAIRE, {"Code_departement"}),
        (GEOLOC, {"code_departement", "code_academie", "code_postal_uai", "code_commune"}),
    ],
)
def test_a_file_resaved_by_a_spreadsheet_imports_the_same(db, tmp_path, source, codes):
    header, rows = read_rows(source)
    rows = [list(row) for row in rows[:60]]
    original = write_csv(tmp_path / "original.csv", header, rows)
    spreadsheet_resave(header, rows, codes)
    resaved = write_csv(tmp_path / "resaved.csv", header, rows, encoding="cp1252")
    assert b"\xef\xbb\xbf" not in resaved.read_bytes()[:3]
    assert any(";94;" in line or ";7;" in line for line in resaved.read_text("cp1252").splitlines())

    assert import_schools(resaved).created == 60
    again = import_schools(original)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 60)


HUMAN_LABELS = {
    "Identifiant_de_l_etablissement": "Identifiant de l'établissement",
    "Nom_etablissement": "Nom de l'établissement",
    "Code_postal": "Code postal",
    "Nom_commune": "Nom de la commune",
    "Code_departement": "Code département",
    "Libelle_academie": "Libellé académie",
    "Appartenance_Education_Prioritaire": "Appartenance à l'éducation prioritaire",
    "nom_circonscription": "Nom de la circonscription",
    "code_circonscription": "Code circonscription",
    "etat": "État",
    "numero_uai": "Numéro UAI",
    "appellation_officielle": "Appellation officielle",
}


@pytest.mark.parametrize("source", [ANNUAIRE, GEOLOC])
def test_human_label_headers(db, tmp_path, source):
    header, rows = read_rows(source)
    labels = [HUMAN_LABELS.get(name, name) for name in header]
    assert import_schools(write_csv(tmp_path / "labels.csv", labels, rows[:50])).created == 50
    again = import_schools(write_csv(tmp_path / "names.csv", header, rows[:50]))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 50)


def test_uploaded_and_one_way_files(db, tmp_path):
    content = annuaire_slice(tmp_path, 12).read_bytes()
    upload = SimpleUploadedFile("annuaire.csv", content, content_type="text/csv")
    assert import_schools(upload, dry_run=True).created == 12
    assert not upload.closed

    class OneWay:  # a stream that cannot seek back
        read = io.BytesIO(content).read

    calls = []
    summary = import_schools(OneWay(), progress=lambda done, total: calls.append((done, total)))
    assert summary.created == 12 and calls[-1] == (12, 12)


def test_a_department_the_file_cannot_place_rejects_its_schools(db, tmp_path):
    path = tmp_path / "bare.csv"
    path.write_text("numero_uai;appellation_officielle;code_departement\n0940176F;École;94\n")
    summary = import_schools(path)
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (2, "UAI 0940176F : département « 094 » inconnu et le fichier ne donne pas son nom")
    ]
    assert School.objects.count() == 0


def test_an_import_limited_to_the_academies_one_administers(db, tmp_path):
    outside = "hors des académies que vous administrez"
    refused = import_schools(ANNUAIRE, academies=["01"])
    assert not refused.applied and len(refused.rejected) == 613
    assert refused.rejected[0].reason == f"UAI 0940176F : académie « Créteil » (24), {outside}"
    assert School.objects.count() == Academy.objects.count() == 0

    assert import_schools(GEOLOC, skip_invalid=True, academies=["24"]).created == 476
    assert list(Academy.objects.values_list("code", flat=True)) == ["24"]

    path = tmp_path / "moved.csv"
    path.write_text(
        "numero_uai;appellation_officielle;code_departement;libelle_departement;code_academie;libelle_academie\n"
        "0931713G;Collège;075;Paris;01;Paris\n"
    )
    moved = import_schools(path, academies=["01"])
    moved_out = f"UAI 0931713G : rattaché à l'académie « Créteil » (24), {outside}"
    assert [r.reason for r in moved.rejected] == [moved_out]


def test_command_json_and_exit_codes(db, tmp_path, capsys):
    path = annuaire_slice(tmp_path, 8)
    call_command("import_schools", str(path), "--json", "--dry-run")
    expected = {"created": 8, "updated": 0, "unchanged": 0, "merged": 0, "rejected": []}
    assert json.loads(capsys.readouterr().out) == expected
    assert School.objects.count() == 0

    call_command("import_schools", str(path))
    out = capsys.readouterr().out
    assert "Fichier reconnu : Annuaire de l'éducation." in out and "8 créé(s)" in out

    def edit(header, rows):
        rows[1][0] = "0940198F"

    bad = annuaire_slice(tmp_path, 8, "bad.csv", edit)
    before = directory_state()
    with pytest.raises(CommandError, match="1 ligne\\(s\\) refusée\\(s\\) : rien n’a été importé"):
        call_command("import_schools", str(bad), "--json")
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"created", "updated", "unchanged", "merged", "rejected"}
    assert printed["rejected"] == [{"line": 3, "reason": uai_error("0940198F")}]
    assert directory_state() == before

    with pytest.raises(CommandError, match="le fichier est vide ; rien n’a été importé"):
        (tmp_path / "empty.csv").write_bytes(b"")
        call_command("import_schools", str(tmp_path / "empty.csv"))
    call_command("import_schools", str(bad), "--skip-invalid")
    assert "ligne 3 : UAI « 0940198F »" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("cells", "kind"),
    [
        (("101", "", "Ecole", "1", "0", ""), "maternelle"),
        (("151", "", "Ecole", "0", "1", ""), "elementaire"),
        (("152", "", "Ecole", "1", "1", ""), "primaire"),
        (("352", "COLLEGE SPECIALISE", "", "", "", ""), "college"),
        (("300", "", "Lycée", "", "", ""), "lgt"),
        (("306", "", "Lycée", "", "", ""), "lpo"),
        (("320", "", "Lycée", "", "", "1"), "agricole"),
        (("307", "LYCEE ENSEIGNT GENERAL TECHNO AGRICOLE", "", "", "", ""), "agricole"),
        (("370", "", "EREA", "", "", ""), "erea"),
        (("", "", "Ecole", "1", "1", ""), "primaire"),
        (("", "LYCEE PROFESSIONNEL", "", "", "", ""), "lp"),
        (("800", "", "Service Administratif", "", "", ""), "autre"),
    ],
)
def test_school_kind(cells, kind):
    assert formats.school_kind(*cells) == kind


def test_headers_and_codes_are_normalised():
    assert formats.normalize_header("Identifiant de l'établissement") == "identifiant_de_l_etablissement"
    assert formats.normalize_header("\ufeffAppartenance à l'éducation prioritaire") == (
        "appartenance_a_l_education_prioritaire"
    )
    assert formats.normalize_header("Numéro UAI") == "numero_uai"
    codes = [("94", 3), ("2A", 3), ("8", 2), ("7270", 5), ("2,17E+13", 5), ("", 3)]
    assert [formats.pad_code(value, width) for value, width in codes] == ["094", "02A", "08", "07270", "", ""]
