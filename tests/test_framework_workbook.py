"""Frameworks written in a spreadsheet: template → upload → preview → load → download gives
the spec written; every structural fault is a message on its cell and nothing is written."""

import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from paliers.accounts.models import Role
from paliers.audit.models import AuditEvent, EventKind
from paliers.authoring.models import PendingFramework
from paliers.core.xlsx import SpreadsheetInvalid
from paliers.frameworks.crosswalk_loading import crosswalk_spec_from_db, load_crosswalk_paths
from paliers.frameworks.loading import framework_files, parse_files, spec_from_db
from paliers.frameworks.models import Crosswalk, Framework
from paliers.frameworks.validation import parse_framework_text
from paliers.frameworks.workbook import CRITERIA, CROSSWALK, DOMAINS, LEVELS, framework_workbook
from paliers.frameworks.workbook_reading import read_framework_workbook

from .conftest import framework_tables_state
from .factories import user
from .framework_workbooks import SMALL, Formula, fill, small_workbook
from .pages import page_html
from .test_framework_roundtrip import framework_specs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=framework_specs())
def test_any_framework_reads_back_from_its_workbook(spec, db):
    assert read_framework_workbook(framework_workbook(spec)) == (spec, None)


def test_the_shipped_frameworks_and_crosswalk_read_back(shipped_frameworks):
    for spec in parse_files(framework_files()):
        assert read_framework_workbook(framework_workbook(spec)) == (spec, None)
    load_crosswalk_paths()
    crosswalk = crosswalk_spec_from_db(Crosswalk.objects.get())
    revised = spec_from_db(shipped_frameworks["creteil-etablissements-revise"])
    spec, document = read_framework_workbook(framework_workbook(revised, crosswalk))
    assert spec == revised and document.spec == crosswalk


@pytest.fixture
def admin(db):
    from paliers.schools.models import Academy

    return user("dan", Role.ACADEMY_ADMIN, Academy.objects.create(code="24", name="Créteil"))


def upload(client, content, name="referentiel.xlsx"):
    return client.post(reverse("authoring:upload"), {"file": _file(content, name)})


def _file(content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_template_upload_preview_load_download_gives_the_same_spec(client, admin):
    client.force_login(admin)
    template = client.get(reverse("authoring:template"))
    assert template.status_code == 200
    sheets = load_workbook(io.BytesIO(template.content)).sheetnames
    assert sheets[0] == "Mode d’emploi" and CRITERIA in sheets and CROSSWALK in sheets
    written = fill(template.content, SMALL)
    response = upload(client, written)
    assert response.status_code == 302
    pending = PendingFramework.objects.get()
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    page = page_html(preview)
    assert "Paliers d’exemple des collèges" in page and "Une commission numérique existe" in page
    assert "Compte rendu à l’appui." in page  # a note, as the public page shows it
    assert not Framework.objects.exists()  # nothing loaded before the confirmation
    loaded = client.post(response["Location"], {"mode": "new", "slug": "exemple-colleges"})
    assert loaded.status_code == 302
    framework = Framework.objects.get()
    assert loaded["Location"] == framework.get_absolute_url()
    assert not PendingFramework.objects.filter(pk=pending.pk).exists()
    [journalled] = AuditEvent.objects.filter(kind=EventKind.FRAMEWORK)
    assert journalled.user == admin and journalled.academy.name == "Créteil"
    assert (
        journalled.detail == "référentiel exemple-colleges version 2025 : chargé (fichier referentiel.xlsx)"
    )
    downloaded = client.get(reverse("frameworks:xlsx", args=["exemple-colleges", "2025"]))
    spec, crosswalk = read_framework_workbook(downloaded.content)
    assert crosswalk is None
    assert spec == read_framework_workbook(written)[0] == spec_from_db(framework)
    assert spec.domains[1].criteria[0].text == "=Chaque salle a un vidéoprojecteur"
    yaml_text = client.get(reverse("frameworks:yaml", args=["exemple-colleges", "2025"])).content.decode()
    assert parse_framework_text(yaml_text) == spec  # two doors, one spec


def test_a_new_version_with_its_crosswalk(client, admin, shipped_frameworks):
    client.force_login(admin)
    old = spec_from_db(shipped_frameworks["creteil-etablissements"])
    content = fill(
        framework_workbook(old),
        {"Référentiel": ["autre-identifiant", "2025"]},
        ("creteil-etablissements", "2014", "toutes les sources",
         [("PIL.1.1", "PIL.1.1", "équivalent"), ("PIL.1.2", "PIL.1.1", "partiel")]),
    )  # fmt: skip
    response = upload(client, content)
    assert response.status_code == 302, page_html(response)
    shown = client.get(response["Location"])
    preview = page_html(shown)
    assert "Depuis « Paliers de maturité numérique des établissements » (version 2014) : 2 liens" in preview
    # The slug of the sheet is free: a new framework is proposed; the administrator says it
    # is a new version of the 2014 table.
    assert shown.context["form"].initial["mode"] == "new"
    response = client.post(response["Location"], {"mode": "version", "base": "creteil-etablissements"})
    assert response.status_code == 302
    new = Framework.objects.get(slug="creteil-etablissements", version="2025")
    crosswalk = Crosswalk.objects.get(target=new)
    [journalled] = AuditEvent.objects.filter(kind=EventKind.FRAMEWORK)
    assert journalled.detail == (
        "référentiel creteil-etablissements version 2025 : chargé ; "
        "creteil-etablissements 2014 → creteil-etablissements 2025 : table de correspondance chargée "
        "(fichier referentiel.xlsx)"
    )
    assert crosswalk.source.version == "2014" and crosswalk.rule == "all_sources"
    assert list(crosswalk.links.values_list("source__code", "target__code", "type")) == [
        ("PIL.1.1", "PIL.1.1", "equal"),
        ("PIL.1.2", "PIL.1.1", "partial"),
    ]
    page = page_html(client.get(new.get_absolute_url()))
    assert "Depuis « Paliers de maturité numérique des établissements » (version 2014)" in page


def test_choices_at_loading_are_checked(client, admin, shipped_frameworks):
    client.force_login(admin)
    location = upload(client, small_workbook())["Location"]
    taken = client.post(location, {"mode": "new", "slug": "creteil-ecoles"})
    assert taken.status_code == 422 and "Cet identifiant est déjà pris" in page_html(taken)
    audience = client.post(location, {"mode": "version", "base": "creteil-ecoles"})
    assert audience.status_code == 422
    assert "Une nouvelle version garde le public du référentiel (écoles)" in page_html(audience)
    old = spec_from_db(shipped_frameworks["creteil-etablissements"])
    changed = fill(framework_workbook(old), {"Référentiel": [None, None, "Un autre titre"]})
    location = upload(client, changed)["Location"]
    response = client.post(location, {"mode": "version", "base": "creteil-etablissements"})
    assert response.status_code == 422
    assert "déjà chargée avec un autre contenu" in page_html(response)
    assert Framework.objects.count() == 5


def refused(client, content):
    """The messages of a refused upload, after checking that nothing was written."""
    before = framework_tables_state()
    response = upload(client, content)
    assert response.status_code == 422
    assert framework_tables_state() == before and not PendingFramework.objects.exists()
    return response.context["faults"]


def test_every_structural_fault_is_a_message_on_its_cell(client, admin):
    client.force_login(admin)
    workbook = load_workbook(io.BytesIO(small_workbook()))
    del workbook[DOMAINS]
    output = io.BytesIO()
    workbook.save(output)
    assert refused(client, output.getvalue()) == [
        "feuille « Domaines » absente : repartez du modèle de Paliers, sans renommer ni supprimer de feuille."
    ]
    criteria = [list(row) for row in SMALL[CRITERIA]]
    criteria[1][2] = "PIL.COM.1"  # a code twice
    criteria[2][3] = 4  # a level that does not exist
    criteria[4][4] = None  # no text
    criteria[3][4] = Formula("=A1")  # a formula
    criteria.append(("RES", None, "RES.1", 1, "Un portail documentaire", None))  # unknown domain
    criteria.append(("EQU", "PIL.REF", "EQU.3", 1, "Un poste par salle", None))  # another domain's component
    faults = refused(client, small_workbook(**{CRITERIA: criteria}))
    assert faults == [
        "feuille « Critères », cellule C3 : code de critère « PIL.COM.1 » en double.",
        "feuille « Critères », cellule D4 : niveau 4 inconnu (niveaux déclarés : 1, 2).",
        "feuille « Critères », cellule E5 : une formule n’est pas acceptée : saisissez la valeur elle-même.",
        "feuille « Critères », cellule E6 : texte manquant.",
        "feuille « Critères », cellule A7 : domaine « RES » absent de la feuille « Domaines ».",
        "feuille « Critères », cellule B8 : la composante « PIL.REF » appartient au domaine PIL.",
    ]


def test_other_faults_are_placed_too(client, admin):
    client.force_login(admin)
    faults = refused(
        client,
        small_workbook(
            **{
                "Référentiel": ["Mauvais Identifiant", "2025", None, "collèges", "palier", "Académie", "Doc"],
                LEVELS: [(1, "Palier 1"), (3, "Palier 3")],
                DOMAINS: [("PIL", "Pilotage"), ("EQU", "Équipement"), ("VIDE", "Sans critère"), ("pil", "x")],
            }
        ),
    )
    assert set(faults) >= {
        "feuille « Référentiel », cellule B2 : « Mauvais Identifiant » invalide : minuscules, chiffres "
        "et tirets.",
        "feuille « Référentiel », cellule B4 : texte manquant.",
        "feuille « Référentiel », cellule B5 : « collèges » inconnu "
        "(attendu : écoles, établissements, équipes pédagogiques).",
        "feuille « Niveaux », cellule A3 : numéro 3 : les niveaux sont numérotés 1, 2, 3… dans l’ordre.",
        "feuille « Domaines », cellule A4 : domaine vide : ni composantes ni critères.",
        "feuille « Domaines », cellule A5 : code « pil » invalide : lettres majuscules et chiffres, "
        "séparés par des points.",
        # The criteria of level 2 now name a level that the « Niveaux » sheet does not declare.
        "feuille « Critères », cellule D3 : niveau 2 inconnu (niveaux déclarés : 1).",
    }


def test_a_moved_column_stops_the_sheet(client, admin):
    client.force_login(admin)
    workbook = load_workbook(io.BytesIO(small_workbook()))
    workbook[CRITERIA].insert_cols(2)
    output = io.BytesIO()
    workbook.save(output)
    faults = refused(client, output.getvalue())
    assert faults[-1] == (
        "feuille « Critères », cellule B1 : colonne « Composante » attendue : ne déplacez, "
        "n’ajoutez ni ne supprimez de colonne."
    )


def test_crosswalk_faults_are_placed_on_their_cells(client, admin, shipped_frameworks):
    client.force_login(admin)
    crosswalk = ("creteil-etablissements", "2014", "règle d’or",
                 [("PIL.1.1", "PIL.COM.1", "équivalent"), ("PIL.9.9", "PIL.COM.2", "partiel"),
                  ("PIL.1.2", "XXX", "à peu près")])  # fmt: skip
    faults = refused(client, fill(small_workbook(), {}, crosswalk))
    assert faults == [
        "feuille « Correspondances », cellule B3 : règle « règle d’or » inconnue "
        "(attendu : toutes les sources, au moins une source).",
    ]
    crosswalk = (*crosswalk[:2], "toutes les sources", crosswalk[3])
    assert refused(client, fill(small_workbook(), {}, crosswalk)) == [
        "feuille « Correspondances », cellule C8 : type de lien « à peu près » inconnu (types possibles : "
        "equal, source_covers_target, target_covers_source, partial).",
        "feuille « Correspondances », cellule A7 : critère « PIL.9.9 » inconnu dans le référentiel source "
        "creteil-etablissements 2014.",
        "feuille « Correspondances », cellule B8 : critère « XXX » inconnu dans le référentiel cible "
        "exemple-colleges 2025.",
    ]


def test_a_cycle_through_the_workbook_is_refused(client, admin, shipped_frameworks):
    client.force_login(admin)
    load_crosswalk_paths()
    old = spec_from_db(shipped_frameworks["creteil-etablissements"])
    back = (
        "creteil-etablissements-revise",
        "1",
        "au moins une source",
        [("PIL.PRO.1.1", "PIL.1.1", "équivalent")],
    )
    [fault] = refused(client, fill(framework_workbook(old), {}, back))
    assert fault.startswith("feuille « Correspondances », cellule B1 : cycle de correspondances")


def test_not_a_workbook(client, admin):
    client.force_login(admin)
    assert refused(client, b"PK pas un classeur") == ["Ce fichier n’est pas un classeur Excel (.xlsx)."]


def test_a_workbook_read_directly_raises_with_every_fault(db):
    with pytest.raises(SpreadsheetInvalid) as invalid:
        read_framework_workbook(framework_workbook())
    assert "feuille « Référentiel », cellule B2 : texte manquant." in invalid.value.faults
    assert (
        "feuille « Niveaux », cellule A2 : aucun niveau : un référentiel en a au moins un."
        in invalid.value.faults
    )


def test_the_command_writes_the_workbook(shipped_frameworks, tmp_path):
    from django.core.management import call_command

    load_crosswalk_paths()
    path = tmp_path / "revise.xlsx"
    call_command("export_framework", "creteil-etablissements-revise", "1", "--xlsx", "-o", str(path))
    spec, document = read_framework_workbook(path.read_bytes())
    assert spec == spec_from_db(shipped_frameworks["creteil-etablissements-revise"])
    assert len(document.spec.links) == 43
