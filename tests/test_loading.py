import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from paliers.frameworks.loading import CREATED, UNCHANGED, export_yaml, load_paths, spec_from_db
from paliers.frameworks.models import Criterion, Framework
from paliers.frameworks.validation import FrameworkInvalid, parse_framework_text

from .conftest import framework_tables_state


def test_loading_twice_is_a_no_op(shipped_frameworks):
    before = framework_tables_state()
    results = load_paths()
    assert {r.status for r in results} == {UNCHANGED}
    assert framework_tables_state() == before


def test_first_load_creates(db):
    assert {r.status for r in load_paths()} == {CREATED}
    assert Framework.objects.count() == 5


@pytest.mark.parametrize(
    "slug",
    [
        "creteil-etablissements",
        "creteil-ecoles",
        "creteil-jalons",
        "creteil-etablissements-revise",
        "numea-etablissement",
    ],
)
def test_export_gives_back_the_shipped_content(slug, shipped_frameworks, tmp_path):
    framework = shipped_frameworks[slug]
    exported = export_yaml(framework)
    assert parse_framework_text(exported, "export") == spec_from_db(framework)
    path = tmp_path / "export.yaml"
    path.write_text(exported, encoding="utf-8")
    assert [r.status for r in load_paths([path])] == [UNCHANGED]


def test_a_loaded_version_cannot_change(shipped_frameworks, tmp_path):
    data = yaml.safe_load(export_yaml(shipped_frameworks["creteil-jalons"]))
    data["domains"][0]["criteria"][0]["text"] = "Texte modifié"
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = framework_tables_state()

    with pytest.raises(FrameworkInvalid, match="publiez une nouvelle version"):
        load_paths([path])
    assert framework_tables_state() == before

    data["version"] = "2015"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert [r.status for r in load_paths([path])] == [CREATED]
    assert Criterion.objects.get(
        framework__slug="creteil-jalons", framework__version="2014", code="DYN.1"
    ).text != ("Texte modifié")


def test_load_frameworks_command(db, capsys):
    call_command("load_frameworks")
    assert capsys.readouterr().out.count("chargé : ") == 5
    call_command("load_frameworks")
    assert capsys.readouterr().out.count("inchangé (déjà chargé à l’identique)") == 5


def test_load_frameworks_command_prints_every_fault(db, tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("slug: Bad Slug\nversion: '1'\n", encoding="utf-8")
    with pytest.raises(CommandError, match="défaut"):
        call_command("load_frameworks", str(path))
    err = capsys.readouterr().err
    assert "« Bad Slug » invalide" in err
    assert "clé obligatoire « domains » absente" in err


def test_load_frameworks_reads_a_directory(db, tmp_path, shipped_frameworks):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "jalons.yaml").write_text(export_yaml(shipped_frameworks["creteil-jalons"]), encoding="utf-8")
    assert [r.status for r in load_paths([target])] == [UNCHANGED]


def test_list_frameworks_json(shipped_frameworks, capsys):
    call_command("list_frameworks", "--json")
    listing = {item["slug"]: item for item in json.loads(capsys.readouterr().out)}
    assert listing["numea-etablissement"] == {
        "slug": "numea-etablissement",
        "version": "2020",
        "title": "NumEA Établissement — outil d'aide au pilotage de la transition numérique",
        "audience": "etablissement",
        "domains": 6,
        "components": 21,
        "criteria_per_level": {"1": 21, "2": 21, "3": 21},
    }
    assert listing["creteil-jalons"]["criteria_per_level"] == {"1": 5, "2": 5, "3": 5, "4": 5}


def test_list_frameworks_text(shipped_frameworks, capsys):
    call_command("list_frameworks")
    out = capsys.readouterr().out
    assert "creteil-ecoles 2014" in out
    assert "6 domaines, 0 composantes" in out


def test_export_framework_command(shipped_frameworks, capsys, tmp_path):
    call_command("export_framework", "creteil-etablissements-revise", "1")
    printed = capsys.readouterr().out
    assert printed == export_yaml(shipped_frameworks["creteil-etablissements-revise"])
    output = tmp_path / "out.yaml"
    call_command("export_framework", "creteil-etablissements-revise", "1", "--output", str(output))
    assert output.read_text(encoding="utf-8") == printed


def test_export_framework_unknown(db):
    with pytest.raises(CommandError, match="Aucun référentiel « nope » en version « 1 »"):
        call_command("export_framework", "nope", "1")


def test_criteria_positions_follow_the_file_across_the_whole_framework(shipped_frameworks):
    for framework in shipped_frameworks.values():
        listed = list(framework.criteria.order_by("position").values_list("position", "domain__position"))
        assert [position for position, _ in listed] == list(range(len(listed)))
        assert [domain for _, domain in listed] == sorted(domain for _, domain in listed)
