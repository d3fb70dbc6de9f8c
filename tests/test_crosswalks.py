"""Crosswalks between framework versions: the YAML format, its checks (unknown codes,
circles, types), loading by command, and the domains they make comparable."""

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from paliers.frameworks.comparability import correspondences, crosswalk_correspondences
from paliers.frameworks.crosswalk_loading import (
    CREATED,
    REPLACED,
    SHIPPED_CROSSWALKS,
    UNCHANGED,
    crosswalk_spec_from_db,
    load_crosswalk_paths,
)
from paliers.frameworks.crosswalks import find_cycle, parse_crosswalk_text
from paliers.frameworks.models import Crosswalk, CrosswalkLink
from paliers.frameworks.validation import FrameworkInvalid

from .pages import page_html

SHIPPED = SHIPPED_CROSSWALKS / "creteil-etablissements-2014-vers-revise-1.yaml"


def small(links, source=("creteil-etablissements", "2014"), target=("creteil-etablissements-revise", "1")):
    return yaml.safe_dump(
        {
            "source": {"slug": source[0], "version": source[1]},
            "target": {"slug": target[0], "version": target[1]},
            "rule": "all_sources",
            "links": links,
        },
        allow_unicode=True,
        sort_keys=False,
    )


def write(tmp_path, text, name="table.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def faults(paths):
    with pytest.raises(FrameworkInvalid) as refused:
        load_crosswalk_paths(paths)
    return refused.value.errors


def test_the_shipped_crosswalk_loads_once_with_its_frameworks(db, capsys):
    call_command("load_frameworks")
    out = capsys.readouterr().out
    assert (
        "table de correspondance chargée : creteil-etablissements 2014 → creteil-etablissements-revise 1"
        in out
    )
    crosswalk = Crosswalk.objects.get()
    assert crosswalk.rule == "any_source"
    assert crosswalk.links.count() == 43
    assert set(crosswalk.links.values_list("type", flat=True)) == {
        "equal", "source_covers_target", "target_covers_source", "partial",
    }  # fmt: skip
    # Many to many: one 2014 criterion to two revised ones, two 2014 criteria to one.
    assert crosswalk.links.filter(source__code="PIL.1.3").count() == 2
    assert crosswalk.links.filter(target__code="FOR.INT.3.2").count() == 2
    call_command("load_frameworks")
    assert "table de correspondance inchangée" in capsys.readouterr().out
    assert CrosswalkLink.objects.count() == 43


def test_the_shipped_crosswalk_makes_two_domains_comparable(shipped_frameworks):
    load_crosswalk_paths()
    found = {c.target: c for c in crosswalk_correspondences(Crosswalk.objects.get())}
    assert [code for code, c in found.items() if c.comparable] == ["PIL", "FOR"]
    assert found["PIL"].source == "PIL"
    assert "11 critère(s) sur 13 de la version précédente et 11 sur 19" in found["PIL"].reason
    assert "7 sur 16" in found["RES"].reason  # new components: not mostly the same domain
    assert "plusieurs domaines" in found["INF"].reason  # INF and EQU merged (and PED)
    assert not found["PED"].comparable


def test_the_command_loads_a_file_and_says_it_is_unchanged_the_second_time(shipped_frameworks, capsys):
    call_command("load_crosswalks", str(SHIPPED))
    assert "table de correspondance chargée" in capsys.readouterr().out
    call_command("load_crosswalks", str(SHIPPED))
    assert "inchangée" in capsys.readouterr().out


def test_unknown_codes_are_refused_with_their_place_and_nothing_is_written(shipped_frameworks, tmp_path):
    path = write(
        tmp_path,
        small(
            [
                {"source": "PIL.1.1", "target": "PIL.PRO.1.1", "type": "equal"},
                {"source": "PIL.9.9", "target": "PIL.PRO.1.1", "type": "equal"},
                {"source": "PIL.1.2", "target": "XXX.1", "type": "partial"},
            ]
        ),
    )
    errors = faults([path])
    assert errors == [
        f"{path} › links[2] (ligne 12).source : critère « PIL.9.9 » inconnu dans le référentiel "
        "source creteil-etablissements 2014.",
        f"{path} › links[3] (ligne 15).target : critère « XXX.1 » inconnu dans le référentiel "
        "cible creteil-etablissements-revise 1.",
    ]
    assert not Crosswalk.objects.exists() and not CrosswalkLink.objects.exists()


def test_a_cycle_is_refused(shipped_frameworks, tmp_path):
    load_crosswalk_paths()
    back = write(
        tmp_path,
        small(
            [{"source": "PIL.PRO.1.1", "target": "PIL.1.1", "type": "equal"}],
            source=("creteil-etablissements-revise", "1"),
            target=("creteil-etablissements", "2014"),
        ),
    )
    [error] = faults([back])
    assert (
        "cycle de correspondances (creteil-etablissements 2014 → creteil-etablissements-revise 1 → " in error
    )
    assert Crosswalk.objects.count() == 1


def test_a_longer_cycle_within_one_call_is_refused(shipped_frameworks, tmp_path):
    def link(source, target, s, t):
        return write(
            tmp_path, small([{"source": s, "target": t, "type": "partial"}], source, target), f"{s}.yaml"
        )

    etab, revise, numea = ("creteil-etablissements", "2014"), ("creteil-etablissements-revise", "1"), (
        "numea-etablissement", "2020",
    )  # fmt: skip
    numea_code = shipped_frameworks["numea-etablissement"].criteria.first().code
    paths = [
        link(etab, revise, "PIL.1.1", "PIL.PRO.1.1"),
        link(revise, numea, "PIL.PRO.2.1", numea_code),
        link(numea, etab, numea_code, "PIL.1.2"),
    ]
    [error] = faults(paths)
    assert "cycle de correspondances" in error
    assert not Crosswalk.objects.exists()


def test_a_framework_is_not_related_to_itself(shipped_frameworks, tmp_path):
    path = write(
        tmp_path,
        small(
            [{"source": "PIL.1.1", "target": "PIL.1.2", "type": "equal"}],
            target=("creteil-etablissements", "2014"),
        ),
    )
    [error] = faults([path])
    assert error.endswith("un référentiel ne se relie pas à lui-même.")


def test_the_shape_is_checked_before_the_frameworks(tmp_path, db):
    text = small(
        [
            {"source": "A.1", "target": "B.1", "type": "pareil"},
            {"source": "A.1", "target": "B.1", "type": "equal"},
            {"source": "A.2", "type": "equal", "poids": 2},
        ]
    ).replace("all_sources", "la_plupart")
    with pytest.raises(FrameworkInvalid) as refused:
        parse_crosswalk_text(text, "t.yaml")
    errors = refused.value.errors
    assert any("règle « la_plupart » inconnue" in e for e in errors)
    assert any("links[1]" in e and "type de lien « pareil » inconnu" in e for e in errors)
    assert any("links[2]" in e and "lien A.1 → B.1 déjà donné (lien 1)" in e for e in errors)
    assert any("links[3]" in e and "clé inconnue « poids »" in e for e in errors)
    assert any("links[3]" in e and "clé obligatoire « target » absente" in e for e in errors)


def test_frameworks_not_loaded_are_named(db, tmp_path):
    path = write(tmp_path, small([{"source": "A", "target": "B", "type": "equal"}]))
    errors = faults([path])
    assert any("référentiel « creteil-etablissements » version « 2014 » non chargé" in e for e in errors)


def test_a_different_content_replaces_the_crosswalk(shipped_frameworks, tmp_path):
    assert [r.status for r in load_crosswalk_paths()] == [CREATED]
    path = write(
        tmp_path, small([{"source": "PIL.1.1", "target": "PIL.PRO.1.1", "type": "equal", "note": "Seul"}])
    )
    assert [r.status for r in load_crosswalk_paths([path])] == [REPLACED]
    spec = crosswalk_spec_from_db(Crosswalk.objects.get())
    assert (spec.rule, len(spec.links), spec.links[0].note) == ("all_sources", 1, "Seul")
    assert [r.status for r in load_crosswalk_paths([path])] == [UNCHANGED]


def test_find_cycle():
    assert find_cycle([("a", "b"), ("b", "c")]) is None
    assert find_cycle([("a", "b"), ("b", "c"), ("c", "a")]) == ["a", "b", "c", "a"]
    assert find_cycle([("x", "a"), ("a", "b"), ("b", "a")]) == ["a", "b", "a"]


def test_correspondences_on_plain_data(db):
    source = [("A", "Alpha", ["A1", "A2", "A3"]), ("B", "Bêta", ["B1"])]
    target = [("X", "Ixe", ["X1", "X2"]), ("Y", "Igrec", ["Y1", "Y2"]), ("Z", "Zêta", ["Z1"])]
    links = [
        ("A1", "X1", "equal"),
        ("A2", "X2", "target_covers_source"),
        ("A3", "X2", "partial"),
        ("B1", "Y1", "partial"),
    ]
    found = {c.target: c for c in correspondences(links, source, target)}
    assert found["X"].comparable and found["X"].source == "A"
    assert not found["Y"].comparable and "pas plus de la moitié" in found["Y"].reason
    assert not found["Z"].comparable and "aucun de ses critères" in found["Z"].reason
    links.append(("A3", "Z1", "equal"))
    found = {c.target: c for c in correspondences(links, source, target)}
    assert not found["X"].comparable and "réparti aussi dans : Zêta" in found["X"].reason


def test_the_framework_pages_list_the_crosswalk(client, shipped_frameworks):
    load_crosswalk_paths()
    revised = shipped_frameworks["creteil-etablissements-revise"]
    page = page_html(client.get(revised.get_absolute_url()))
    assert "Depuis « Paliers de maturité numérique des établissements » (version 2014)" in page
    assert "43 liens" in page
    old = page_html(client.get(shipped_frameworks["creteil-etablissements"].get_absolute_url()))
    assert "Vers « Paliers de maturité numérique des établissements (tableau révisé) » (version 1)" in old
    crosswalk = Crosswalk.objects.get()
    shown = client.get(crosswalk.get_absolute_url())
    assert shown.status_code == 200
    assert [c.comparable for c in shown.context["correspondences"]] == [True, True, False, False, False]
    assert "la cible couvre la source" in page_html(shown)
    document = client.get(
        reverse(
            "frameworks:crosswalk_yaml",
            args=["creteil-etablissements-revise", "1", "creteil-etablissements", "2014"],
        )
    )
    assert parse_crosswalk_text(page_html(document)).spec == crosswalk_spec_from_db(crosswalk)


def test_a_crosswalk_is_loaded_in_the_app_all_or_nothing(client, shipped_frameworks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from paliers.accounts.models import Role
    from paliers.audit.models import AuditEvent, EventKind
    from paliers.schools.models import Academy

    from .factories import user

    client.force_login(user("dan", Role.ACADEMY_ADMIN, Academy.objects.create(code="24", name="Créteil")))
    url = reverse("authoring:crosswalk_upload")
    wrong = small([{"source": "PIL.1.1", "target": "PIL.PRO.9", "type": "equal"}]).encode()
    response = client.post(url, {"file": SimpleUploadedFile("table.yaml", wrong)})
    assert response.status_code == 422
    assert response.context["faults"] == [
        "table.yaml › links[1] (ligne 9).target : critère « PIL.PRO.9 » inconnu dans le référentiel cible "
        "creteil-etablissements-revise 1."
    ]
    assert not Crosswalk.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("table.yaml", SHIPPED.read_bytes())})
    assert response.status_code == 302
    assert response["Location"] == Crosswalk.objects.get().get_absolute_url()
    assert CrosswalkLink.objects.count() == 43
    [journalled] = AuditEvent.objects.filter(kind=EventKind.FRAMEWORK)  # the refused file: nothing
    assert journalled.user.username == "dan" and journalled.detail.endswith(
        ": table de correspondance chargée (fichier table.yaml)"
    )
