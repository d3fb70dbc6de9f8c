"""Each validation rule, with a malformed file: the message names the file, the place and
the fault, and the database is unchanged afterwards."""

import copy

import pytest
import yaml
from django.core.management import CommandError, call_command

from paliers.frameworks.loading import load_paths
from paliers.frameworks.validation import FrameworkInvalid, parse_framework_text

from .conftest import framework_tables_state

VALID = {
    "slug": "exemple",
    "version": "2024",
    "title": "Exemple",
    "audience": "etablissement",
    "source": {"publisher": "Académie d’exemple", "document": "Document d’exemple"},
    "level_name": "etape",
    "levels": [{"number": 1, "label": "Étape 1"}, {"number": 2, "label": "Étape 2"}],
    "parts": [{"code": "P1", "title": "Première partie"}],
    "domains": [
        {
            "code": "PIL",
            "title": "Pilotage",
            "part": "P1",
            "level_descriptions": {1: "Début", 2: "Suite"},
            "components": [
                {
                    "code": "PIL.COM",
                    "title": "Commission",
                    "criteria": [
                        {"code": "PIL.COM.1", "level": 1, "text": "Une commission existe."},
                        {"code": "PIL.COM.2", "level": 2, "text": "Elle se réunit.", "note": "Une note."},
                    ],
                }
            ],
        },
        {
            "code": "FOR",
            "title": "Formation",
            "part": "P1",
            "criteria": [{"code": "FOR.1", "level": 1, "text": "Le référent est formé."}],
        },
    ],
}


def document(change=None):
    data = copy.deepcopy(VALID)
    if change:
        change(data)
    return data


def test_the_valid_example_parses():
    spec = parse_framework_text(yaml.safe_dump(document(), allow_unicode=True))
    assert spec.summary()["criteria_per_level"] == {"1": 2, "2": 1}
    assert spec.domains[0].components[0].criteria[1].note == "Une note."


def set_(path, value):
    def change(data):
        *parents, last = path
        node = data
        for key in parents:
            node = node[key]
        node[last] = value

    return change


def delete(path):
    def change(data):
        *parents, last = path
        node = data
        for key in parents:
            node = node[key]
        del node[last]

    return change


def append(path, value):
    def change(data):
        node = data
        for key in path:
            node = node[key]
        node.append(value)

    return change


COMPONENT = ("domains", 0, "components", 0)
CRITERION = (*COMPONENT, "criteria", 0)

CASES = {
    "missing slug": (delete(("slug",)), "clé obligatoire « slug » absente"),
    "bad slug": (set_(("slug",), "Mon Référentiel"), "slug (ligne 1) : « Mon Référentiel » invalide"),
    "empty version": (set_(("version",), ""), "version (ligne 1) : texte manquant"),
    "long version": (set_(("version",), "v" * 41), "plus de 40 caractères"),
    "unknown audience": (set_(("audience",), "college"), "audience (ligne 1) : « college » inconnu"),
    "unknown level name": (set_(("level_name",), "marche"), "« marche » inconnu"),
    "unknown top key": (set_(("criteres",), []), "clé inconnue « criteres »"),
    "unknown criterion key": (set_((*CRITERION, "texte"), "x"), "clé inconnue « texte »"),
    "unknown domain key": (set_(("domains", 1, "critera"), []), "clé inconnue « critera »"),
    "source without document": (
        delete(("source", "document")),
        "source (ligne 6) : clé obligatoire « document »",
    ),
    "levels out of order": (set_(("levels", 1, "number"), 3), "numéro 3 : les niveaux sont numérotés"),
    "no levels": (set_(("levels",), []), "levels (ligne 1) : liste vide"),
    "unknown level": (set_((*CRITERION, "level"), 4), "niveau 4 inconnu (niveaux déclarés : 1, 2)"),
    "level as text": (set_((*CRITERION, "level"), "un"), "niveau 'un' inconnu"),
    "duplicate criterion code": (
        set_((*COMPONENT, "criteria", 1, "code"), "PIL.COM.1"),
        "code de critère « PIL.COM.1 » en double",
    ),
    "duplicate part code": (
        set_(("parts",), [{"code": "P1", "title": "Un"}, {"code": "P1", "title": "Deux"}]),
        "code de partie « P1 » en double",
    ),
    "duplicate component code": (
        append(
            ("domains", 0, "components"),
            {"code": "PIL.COM", "title": "Autre", "criteria": [{"code": "PIL.X", "level": 1, "text": "x"}]},
        ),
        "code de composante « PIL.COM » en double",
    ),
    "empty level description": (
        set_(("domains", 0, "level_descriptions"), {1: " "}),
        "level_descriptions[1]",
    ),
    "duplicate domain code": (set_(("domains", 1, "code"), "PIL"), "code de domaine « PIL » en double"),
    "bad code": (set_((*CRITERION, "code"), "pil-com-1"), "code « pil-com-1 » invalide"),
    "missing text": (delete((*CRITERION, "text")), "clé obligatoire « text » absente"),
    "empty text": (set_((*CRITERION, "text"), "   "), "« PIL.COM.1 ».text"),
    "empty domain": (delete(("domains", 1, "criteria")), "domaine vide : ni composantes ni critères"),
    "empty component": (
        set_((*COMPONENT, "criteria"), []),
        "components[1] « PIL.COM ».criteria (ligne 25) : liste vide",
    ),
    "components and criteria": (
        set_(("domains", 0, "criteria"), [{"code": "X", "level": 1, "text": "x"}]),
        "pas les deux",
    ),
    "no domains": (set_(("domains",), []), "domains (ligne 1) : liste vide"),
    "unknown part": (set_(("domains", 0, "part"), "P9"), "partie « P9 » inconnue"),
    "missing part": (delete(("domains", 1, "part")), "clé obligatoire « part » absente"),
    "part without parts": (delete(("parts",)), "« part » sans liste « parts » déclarée"),
    "unused part": (
        set_(("parts",), [{"code": "P1", "title": "Un"}, {"code": "P2", "title": "Deux"}]),
        "la partie « P2 » ne regroupe aucun domaine",
    ),
    "level description for unknown level": (
        set_(("domains", 0, "level_descriptions"), {3: "?"}),
        "niveau 3 inconnu",
    ),
    "list expected": (set_(("domains",), "PIL"), "une liste est attendue, pas « PIL »"),
    "mapping expected": (set_(("domains", 1), "FOR"), "une table de clés est attendue"),
}


@pytest.mark.parametrize("name", CASES)
def test_each_rule_names_the_file_the_place_and_the_fault(name, tmp_path, shipped_frameworks):
    change, expected = CASES[name]
    path = tmp_path / "malformed.yaml"
    path.write_text(yaml.safe_dump(document(change), allow_unicode=True, sort_keys=False), encoding="utf-8")
    before = framework_tables_state()

    with pytest.raises(FrameworkInvalid) as raised:
        load_paths([path])

    messages = "\n".join(raised.value.errors)
    assert expected in messages
    assert all(message.startswith(str(path)) for message in raised.value.errors)
    assert framework_tables_state() == before


def test_every_fault_is_reported_not_only_the_first():
    def two_faults(data):
        data["audience"] = "lycee"
        data["domains"][1]["criteria"][0]["level"] = 9

    with pytest.raises(FrameworkInvalid) as raised:
        parse_framework_text(yaml.safe_dump(document(two_faults)), "double.yaml")
    assert len(raised.value.errors) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("slug: a\nslug: b\n", "ligne 2, colonne 1 : YAML illisible (clé « slug » en double)"),
        ("slug: [\n", "YAML illisible"),
        ("- une liste\n", "document : une table de clés est attendue, pas une liste"),
        ("", "document : une table de clés est attendue, pas une valeur vide"),
    ],
)
def test_unreadable_documents(text, expected, tmp_path, shipped_frameworks):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    before = framework_tables_state()
    with pytest.raises(FrameworkInvalid) as raised:
        load_paths([path])
    assert expected in raised.value.errors[0]
    assert framework_tables_state() == before


def test_a_file_that_is_not_utf8_is_refused(tmp_path, db):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Référentiel\n".encode("latin-1"))
    with pytest.raises(FrameworkInvalid, match="n’est pas encodé en UTF-8"):
        load_paths([path])


def test_one_bad_file_among_several_loads_nothing(tmp_path, db):
    good = tmp_path / "a-good.yaml"
    good.write_text(yaml.safe_dump(document(), allow_unicode=True), encoding="utf-8")
    bad = tmp_path / "b-bad.yaml"
    bad.write_text(yaml.safe_dump(document(set_(("audience",), "x"))), encoding="utf-8")
    before = framework_tables_state()

    with pytest.raises(CommandError, match="aucun référentiel n’a été chargé"):
        call_command("load_frameworks", str(good), str(bad))

    assert framework_tables_state() == before


def test_a_conflict_found_while_loading_rolls_back_the_files_before_it(tmp_path, db):
    first = tmp_path / "first.yaml"
    first.write_text(yaml.safe_dump(document(), allow_unicode=True), encoding="utf-8")
    same_key_other_content = tmp_path / "second.yaml"
    same_key_other_content.write_text(
        yaml.safe_dump(document(set_(("title",), "Autre titre")), allow_unicode=True), encoding="utf-8"
    )
    before = framework_tables_state()

    with pytest.raises(FrameworkInvalid, match="déjà chargé avec un autre contenu"):
        load_paths([first, same_key_other_content])

    assert framework_tables_state() == before
