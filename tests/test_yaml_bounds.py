"""YAML files that expand beyond reason: nested aliases (« billion laughs »), an alias
inside itself, a huge file — refused before anything is built, with a French message, by the
framework loader and the roadmap loader alike."""

import resource
import time

import pytest

from paliers.frameworks.loading import load_paths
from paliers.frameworks.validation import MAX_YAML_NODES, FrameworkInvalid, parse_framework_text
from paliers.roadmap.loading import RoadmapInvalid, read_roadmap_text


def laughs(levels=12, width=10):
    """13 kB of YAML standing for width**levels nodes once its aliases are expanded."""
    lines = ['a0: &a0 ["rire"]']
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]")
    lines.append(f"slug: *a{levels - 1}")
    return "\n".join(lines) + "\n"


def test_nested_aliases_are_refused_before_they_are_built():
    text = laughs()
    assert len(text) < 15_000
    started, memory = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(FrameworkInvalid) as raised:
        parse_framework_text(text, "rires.yaml")
    assert time.perf_counter() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - memory < 200_000  # kB: nothing built
    [message] = raised.value.errors
    assert message.startswith(
        f"rires.yaml : plus de {MAX_YAML_NODES} éléments une fois les alias (*…) développés"
    )


def test_an_alias_inside_itself_is_refused():
    with pytest.raises(FrameworkInvalid) as raised:
        parse_framework_text("slug: &boucle [1, *boucle]\n", "boucle.yaml")
    assert raised.value.errors == [
        "boucle.yaml : un alias renvoie à l’élément qui le contient (structure sans fin)."
    ]


def test_a_huge_file_is_refused_unread():
    with pytest.raises(FrameworkInvalid) as raised:
        parse_framework_text("# " + "x" * 1_000_001 + "\n", "enorme.yaml")
    assert "fichier trop volumineux (1000004 caractères, 1000000 au plus)" in raised.value.errors[0]


def test_the_roadmap_loader_is_bounded_too(db):
    from .factories import make_world

    world = make_world()
    with pytest.raises(RoadmapInvalid) as raised:
        read_roadmap_text(laughs(), world.creteil, "feuille.yaml")
    assert "une fois les alias (*…) développés" in raised.value.errors[0]


def test_reasonable_aliases_and_every_shipped_file_still_load(db):
    assert {result.spec.slug for result in load_paths()} >= {"numea-etablissement", "creteil-jalons"}
    with pytest.raises(FrameworkInvalid) as raised:  # a few aliases: read, then checked as usual
        parse_framework_text("base: &b {code: X}\nslug: [*b, *b]\n", "petit.yaml")
    assert "éléments une fois les alias" not in " ".join(raised.value.errors)
