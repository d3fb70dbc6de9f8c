"""A framework may ship its texts in another language of the interface (docs/frameworks.md):
checked like the rest, kept with the framework, shown to whoever reads in that language,
never at the cost of the French texts, which stay the reference."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from paliers.core.xlsx import SpreadsheetInvalid
from paliers.frameworks.languages import french_texts
from paliers.frameworks.loading import (
    CREATED,
    TRANSLATED,
    UNCHANGED,
    export_yaml,
    load_specs,
    spec_from_db,
)
from paliers.frameworks.models import Criterion, Domain, Framework, Level
from paliers.frameworks.spec import TranslationSpec
from paliers.frameworks.validation import FrameworkInvalid, parse_framework_text
from paliers.frameworks.workbook import TRANSLATIONS, framework_workbook
from paliers.frameworks.workbook_reading import read_framework_workbook

FRENCH = """\
slug: exemple
version: "1"
title: Paliers d'exemple
audience: etablissement
source: {publisher: Académie d'exemple, document: Note}
level_name: palier
levels:
  - {number: 1, label: Palier 1, description: Premiers pas}
  - {number: 2, label: Palier 2}
domains:
  - code: PIL
    title: Pilotage
    level_descriptions: {1: Le numérique est outillé., 2: Le numérique est partagé.}
    components:
      - code: PIL.COM
        title: Commission numérique
        criteria:
          - {code: PIL.COM.1, level: 1, text: Une commission numérique existe, note: Compte rendu à l'appui.}
          - {code: PIL.COM.2, level: 2, text: Elle se réunit chaque trimestre}
  - code: EQU
    title: Équipement
    criteria:
      - {code: EQU.1, level: 1, text: Chaque salle a un vidéoprojecteur}
"""

ENGLISH = """\
translations:
  en:
    title: Example levels
    levels:
      1: {description: First steps}
    domains:
      PIL:
        title: Leadership
        level_descriptions: {2: Digital practice is shared.}
    components:
      PIL.COM: {title: Digital committee}
    criteria:
      PIL.COM.1: {text: A digital committee exists}
      EQU.1: {text: Every classroom has a projector}
"""


def parse(text):
    return parse_framework_text(text, "exemple.yaml")


def faults(text):
    with pytest.raises(FrameworkInvalid) as raised:
        parse(text)
    return raised.value.errors


# --- The format -----------------------------------------------------------------------------


def test_translations_are_read_as_texts_of_known_elements():
    spec = parse(FRENCH + ENGLISH)
    assert spec.content() == parse(FRENCH)
    assert TranslationSpec("en", "criteria", "PIL.COM.1", "text", "A digital committee exists") in (
        spec.translations
    )
    assert TranslationSpec("en", "domains", "PIL", "level_descriptions.2", "Digital practice is shared.") in (
        spec.translations
    )
    assert TranslationSpec("en", "levels", "1", "description", "First steps") in spec.translations
    # Counted over every text a translation may replace: 1 title, 3 level texts, 1 domain
    # title and 2 level descriptions, 1 more domain, 1 component, 3 criteria and 1 note.
    assert spec.coverage() == [("en", 7, 13)]


def test_every_fault_of_a_translation_is_named_with_its_place_and_line():
    errors = faults(
        FRENCH
        + """\
translations:
  de:
    title: Beispiel
  en:
    titel: Typo
    criteria:
      PIL.9: {text: Unknown criterion}
      PIL.COM.2: {text: Meets every term, note: There is no French note}
      EQU.1: {text: "  "}
    domains:
      EQU: {level_descriptions: {1: The French has no level description here}}
      PIL: {level_descriptions: Not a table}
    levels:
      3: {label: Level 3}
"""
    )
    text = "\n".join(errors)
    assert "translations.de.title" in text and "langue « de » non proposée par l’interface" in text
    assert "clé inconnue « titel »" in text
    assert "ce code n’existe pas dans ce référentiel (critère « PIL.9 »)" in text
    assert "le texte français n’a pas de « note »" in text
    assert "translations.en.criteria « EQU.1 ».text" in text and "texte traduit manquant" in text
    assert "« level_descriptions.1 »" in text
    assert "translations.en.domains « PIL ».level_descriptions" in text and "une table est attendue" in text
    assert "(niveau « 3 ») : rien à traduire" in text
    assert all("(ligne " in error for error in errors), errors
    assert len(errors) == 8, errors


def test_a_translations_block_of_the_wrong_shape_is_a_fault():
    assert "une table des langues est attendue" in faults(FRENCH + "translations: [en]\n")[0]
    assert (
        "une table des codes traduits est attendue"
        in faults(FRENCH + "translations:\n  en:\n    criteria: [PIL.COM.1]\n")[0]
    )


# --- Loading: kept, exported, and the French texts never change ---------------------------


def test_loaded_translations_export_and_load_again_unchanged(db):
    spec = parse(FRENCH + ENGLISH)
    [loaded] = load_specs([spec])
    assert loaded.status == CREATED
    assert spec_from_db(loaded.framework) == spec
    exported = export_yaml(loaded.framework)
    assert "translations:" in exported and "A digital committee exists" in exported
    assert parse(exported) == spec
    [again] = load_specs([parse(exported)])
    assert again.status == UNCHANGED


def test_translations_change_on_a_loaded_version_and_its_french_texts_do_not(db):
    [first] = load_specs([parse(FRENCH)])
    [translated] = load_specs([parse(FRENCH + ENGLISH)])
    assert translated.status == TRANSLATED and translated.framework.pk == first.framework.pk
    assert spec_from_db(first.framework) == parse(FRENCH + ENGLISH)
    # Corrected, then withdrawn: the French content is the same each time.
    corrected = ENGLISH.replace("Every classroom has a projector", "Each classroom has a projector")
    assert load_specs([parse(FRENCH + corrected)])[0].status == TRANSLATED
    assert Criterion.objects.get(code="EQU.1").translations == {
        "en": {"text": "Each classroom has a projector"}
    }
    assert load_specs([parse(FRENCH)])[0].status == TRANSLATED
    assert not Criterion.objects.filter(code="EQU.1").exclude(translations={}).exists()
    # Another French text is refused, translations or not.
    changed = FRENCH.replace("Chaque salle a un vidéoprojecteur", "Chaque salle a un écran")
    with pytest.raises(FrameworkInvalid, match="déjà chargé avec un autre contenu"):
        load_specs([parse(changed + ENGLISH)])


def test_the_command_says_when_only_translations_changed(db, tmp_path, capsys):
    path = tmp_path / "exemple.yaml"
    path.write_text(FRENCH, encoding="utf-8")
    call_command("load_frameworks", str(path))
    path.write_text(FRENCH + ENGLISH, encoding="utf-8")
    call_command("load_frameworks", str(path))
    assert "traductions mises à jour (langues : en), textes français inchangés : exemple 1" in (
        capsys.readouterr().out
    )


# --- Shown in the reader's language ------------------------------------------------------------


@pytest.fixture
def translated(db):
    return load_specs([parse(FRENCH + ENGLISH)])[0].framework


def test_rows_read_in_english_show_the_english_texts_and_french_where_none(translated):
    with translation.override("en"):
        criterion = Criterion.objects.select_related("domain", "level", "framework").get(code="PIL.COM.1")
        assert criterion.text == "A digital committee exists"
        assert criterion.note == "Compte rendu à l'appui."  # not translated: French
        assert criterion.shown_fields == {"text"}
        assert criterion.domain.title == "Leadership"
        assert criterion.domain.level_descriptions == {
            "1": "Le numérique est outillé.",
            "2": "Digital practice is shared.",
        }
        assert criterion.framework.title == "Example levels"
        assert Level.objects.get(framework=translated, number=1).description == "First steps"
        assert Domain.objects.get(code="EQU").title == "Équipement"
        with french_texts():
            assert Criterion.objects.get(code="PIL.COM.1").text == "Une commission numérique existe"
    with translation.override("fr"):
        assert Criterion.objects.get(code="PIL.COM.1").text == "Une commission numérique existe"


def test_a_row_read_translated_is_never_saved_over_its_french_text(translated):
    with translation.override("en"):
        criterion = Criterion.objects.get(code="PIL.COM.1")
    with pytest.raises(ValueError, match="not saved over its French texts"):
        criterion.save()
    with translation.override("en"):
        framework = Framework.objects.get(pk=translated.pk)
        # Exported from a row read in English: still the French texts and their translations.
        assert spec_from_db(framework) == parse(FRENCH + ENGLISH)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_framework_page_speaks_the_readers_language(client, translated):
    url = translated.get_absolute_url()
    french = client.get(url).content.decode()
    assert "Une commission numérique existe" in french and "A digital committee exists" not in french
    assert '<span lang="en">English</span> (7 textes sur 13).' in " ".join(french.split())
    html = english(client).get(url).content.decode()
    assert "<h1>Example levels</h1>" in html
    assert "A digital committee exists" in html and "Une commission numérique existe" not in html
    assert '<span lang="en">English</span> (7 texts out of 13).' in " ".join(html.split())
    # What stays French says so, for screen readers (RGAA 8.7).
    assert '<span lang="fr">Équipement</span>' in html or 'lang="fr">Équipement<' in html
    # The downloads stay the reference: French texts, with the translations.
    yaml_text = client.get(f"{url}yaml/").content.decode()
    assert "Une commission numérique existe" in yaml_text and "A digital committee exists" in yaml_text


# --- The workbook -------------------------------------------------------------------------------


def test_the_workbook_lists_every_text_to_translate_and_reads_translations_back(db):
    spec = parse(FRENCH + ENGLISH)
    content = framework_workbook(spec)
    sheet = load_workbook(io.BytesIO(content))[TRANSLATIONS]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 13  # one per text, translated or not
    assert ["en", "critère", "PIL.COM.1", "note", "Compte rendu à l'appui.", None] in rows
    assert [
        "en",
        "domaine",
        "PIL",
        "niveau 2",
        "Le numérique est partagé.",
        "Digital practice is shared.",
    ] in rows
    assert read_framework_workbook(content) == (spec, None)


def _translation_rows(content, rows):
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[TRANSLATIONS]
    sheet.delete_rows(2, sheet.max_row)
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_translation_faults_are_named_by_their_cell(db):
    content = _translation_rows(
        framework_workbook(parse(FRENCH)),
        [
            ("de", "critère", "EQU.1", "texte", None, "Jeder Raum"),
            ("en", "chose", "EQU.1", "texte", None, "Thing"),
            ("en", "critère", "EQU.1", "titre", None, "Title"),
            ("en", "critère", "EQU.9", "texte", None, "Unknown"),
            ("en", "domaine", "PIL", "couleur", None, "Colour"),
            ("en", "critère", "EQU.1", "texte", "(not read)", "Every classroom"),
            ("en", "critère", "EQU.1", "texte", None, "Twice"),
            ("en", "critère", "PIL.COM.2", "texte", None, None),  # no translation: left in French
        ],
    )
    with pytest.raises(SpreadsheetInvalid) as raised:
        read_framework_workbook(content)
    sheet = "feuille « Traductions », cellule"
    errors = raised.value.faults
    assert errors == [
        f"{sheet} A2 : langue « de » non proposée par l’interface (langues possibles : en).",
        f"{sheet} B3 : élément « chose » inconnu (attendu : référentiel, niveau, partie, "
        "domaine, composante, critère).",
        f"{sheet} D4 : le texte français n’a pas de « title » : rien à traduire.",
        f"{sheet} C5 : ce code n’existe pas dans ce référentiel (critère « EQU.9 ») : rien à traduire.",
        f"{sheet} D6 : champ « couleur » inconnu (attendu : titre, libellé, description, "
        "texte, note, ou « niveau 2 » pour un domaine).",
        f"{sheet} D8 : ce texte est déjà traduit plus haut.",
    ], errors


def test_a_workbook_without_the_translations_sheet_still_reads(db):
    workbook = load_workbook(io.BytesIO(framework_workbook(parse(FRENCH + ENGLISH))))
    del workbook[TRANSLATIONS]
    output = io.BytesIO()
    workbook.save(output)
    assert read_framework_workbook(output.getvalue()) == (parse(FRENCH), None)


# --- The shipped frameworks, in the reports and e-mails -------------------------------------------


def test_the_demo_frameworks_ship_a_complete_english_translation():
    from paliers.frameworks.loading import framework_files, parse_files

    shipped = {spec.slug: spec for spec in parse_files(framework_files())}
    for slug in ("creteil-etablissements", "creteil-ecoles"):
        spec = shipped[slug]
        translated = {(t.kind, t.code, t.field) for t in spec.translations if t.language == "en"}
        # All but the levels' labels, « Palier 1 »…: the English interface keeps « palier » (README).
        assert set(spec.translatable_texts()) - translated == {
            ("levels", str(level.number), "label") for level in spec.levels
        }, slug


def english_text(framework, code):
    return Criterion.objects.get(framework=framework, code=code).translations["en"]["text"]


@pytest.mark.usefixtures("during_campaign")
def test_a_batch_of_reports_is_written_in_its_requesters_language(
    client, db, tmp_path, django_capture_on_commit_callbacks
):
    import zipfile

    from django.urls import reverse

    from paliers.reports.models import ReportBatch
    from paliers.workers.inline import run_ready_tasks

    from .reports_world import make_reports_world, pdf_text

    world = make_reports_world()
    world.animator.language = "en"
    world.animator.save()
    client.force_login(world.animator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:scope_zip", args=[world.campaign.pk]))
    assert {r.status for r in run_ready_tasks()} == {"SUCCESSFUL"}
    batch = ReportBatch.objects.get()
    response = client.get(reverse("reports:job_download", args=[batch.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    report = " ".join(
        pdf_text(archive.read("0940176F-ecole-elementaire-robert-doisneau.pdf"), tmp_path).split()
    )
    french = Criterion.objects.get(framework=world.ecoles, code="PIL.1.1").text
    assert " ".join(english_text(world.ecoles, "PIL.1.1").split()) in report
    assert " ".join(french.split()) not in report


def test_a_campaign_reminder_names_the_framework_in_each_recipients_language(db, mailoutbox):
    import datetime as dt

    from paliers.assessments.campaign_reminders import send_reminder

    from .test_api import make_api_world

    w = make_api_world()
    w.head.email, w.referent.email, w.referent.language = "dir@ac-creteil.fr", "ref@ac-creteil.fr", "en"
    w.head.save()
    w.referent.save()
    assert send_reminder(w.ecoles_campaign.pk, w.ecole.pk, dt.date(2026, 3, 16))
    by_recipient = {message.to[0]: message.body for message in mailoutbox}
    framework = w.ecoles_campaign.framework
    assert framework.title in by_recipient["dir@ac-creteil.fr"]
    assert framework.translations["en"]["title"] in by_recipient["ref@ac-creteil.fr"]
    assert framework.title not in by_recipient["ref@ac-creteil.fr"]


def test_a_translated_framework_page_in_english_has_no_french_outside_lang_fr(client, shipped_frameworks):
    """What stays French on the English page (levels' labels, the source's title) says so."""
    import re

    from .test_interface_language import FRENCH_WORDS, KEPT_IN_FRENCH, visible_text

    url = shipped_frameworks["creteil-ecoles"].get_absolute_url()
    text = visible_text(english(client).get(url).content.decode())
    for name in ["Académie de Créteil", *KEPT_IN_FRENCH]:
        text = text.replace(name, " ")
    french = [text[max(0, m.start() - 50) : m.end() + 50] for m in FRENCH_WORDS.finditer(text)]
    assert not french, french[:5]
    assert re.search(r"Leadership, drive and organisation", text)


def test_a_workbook_with_new_translations_updates_a_loaded_version(client, db):
    """The translator's round: download the workbook, fill the « Traduction » column, upload it
    as the same version; its French texts stay, its translations change."""
    from django.urls import reverse

    from paliers.accounts.models import Role
    from paliers.schools.models import Academy

    from .factories import user

    framework = load_specs([parse(FRENCH)])[0].framework
    admin = user("dan", Role.ACADEMY_ADMIN, Academy.objects.create(code="24", name="Créteil"))
    client.force_login(admin)
    downloaded = client.get(reverse("frameworks:xlsx", args=["exemple", "1"])).content
    workbook = load_workbook(io.BytesIO(downloaded))
    for row in workbook[TRANSLATIONS].iter_rows(min_row=2):
        if row[2].value == "EQU.1":
            row[5].value = "Every classroom has a projector"
    output = io.BytesIO()
    workbook.save(output)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("exemple.xlsx", output.getvalue())
    preview = client.post(reverse("authoring:upload"), {"file": upload})
    assert preview.status_code == 302, preview.content.decode()
    page = client.get(preview["Location"]).content.decode()
    assert '<span lang="en">English</span> (1 texte sur 13).' in " ".join(page.split())
    loaded = client.post(preview["Location"], {"mode": "version", "base": "exemple"}, follow=True)
    assert "ses traductions sont mises à jour, ses textes français inchangés" in loaded.content.decode()
    assert Framework.objects.get().pk == framework.pk
    with translation.override("en"):
        assert Criterion.objects.get(code="EQU.1").text == "Every classroom has a projector"
    assert Criterion.objects.get(code="EQU.1").text == "Chaque salle a un vidéoprojecteur"
