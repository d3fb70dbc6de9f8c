"""The roadmap: every computed indicator definition against values computed by hand
(tests/observatory_world.py: seven écoles in Créteil, two campaigns), the small-group rule
on indicators, and the YAML loader with its example."""

import datetime
from decimal import Decimal

import pytest

from paliers.accounts.models import Role
from paliers.objectives.models import Objective
from paliers.roadmap.indicators import points
from paliers.roadmap.loading import LIMOGES, RoadmapInvalid, load_roadmap, read_roadmap_text
from paliers.roadmap.models import Axis, Indicator, IndicatorValue, Roadmap

from .factories import user
from .observatory_world import make_observatory_world

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")

CLOSE_LAST_YEAR = datetime.date(2025, 6, 30)


@pytest.fixture
def world(db):
    w = make_observatory_world()
    w.roadmap = Roadmap.objects.create(academy=w.creteil, title="Feuille de route", period="2025-2026")
    w.axis = Axis.objects.create(roadmap=w.roadmap, title="Pilotage")
    w.pil = w.framework.domains.get(code="PIL")
    return w


def indicator(w, **fields):
    fields.setdefault("framework", w.framework)
    found = Indicator.objects.create(axis=w.axis, title="Indicateur", **fields)
    return Indicator.objects.select_related("axis__roadmap").get(pk=found.pk)


def values(w, viewer=None, **fields):
    return [
        (p.school_year, p.value, p.count, p.total) for p in points(indicator(w, **fields), viewer or w.admin)
    ]


def criterion(w, code):
    return w.framework.criteria.get(code=code)


def test_submitted(world):
    w = world
    assert values(w, definition="soumis") == [("2024-2025", 1, 1, 7), ("2025-2026", 3, 3, 7)]
    shares = values(w, definition="soumis", measure="part")
    assert [value for _, value, _, _ in shares] == [pytest.approx(100 / 7), pytest.approx(300 / 7)]


def test_criterion_met(world):
    w = world
    assert values(w, definition="critere", criterion=criterion(w, "PIL.1.2")) == [
        ("2024-2025", 1, 1, 7),
        ("2025-2026", 3, 3, 7),  # ecole, b, d; a answered « non atteint »
    ]
    assert (
        values(w, definition="critere", criterion=criterion(w, "PIL.2.2"))[-1][1] == 1
    )  # b; ecole « en cours »
    # a answered PIL.1.1 « atteint » but has not submitted.
    assert values(w, definition="critere", criterion=criterion(w, "PIL.1.1"))[-1][1] == 4
    assert values(w, definition="critere", criterion=criterion(w, "PIL.1.1"), submitted_only=True)[-1][1] == 3


def test_domain_level_at_least(world):
    w = world
    assert values(w, definition="niveau", domain=w.pil, level=1) == [
        ("2024-2025", 1, 1, 7),
        ("2025-2026", 3, 3, 7),
    ]
    assert values(w, definition="niveau", domain=w.pil, level=2)[-1][1:3] == (1, 1)  # b
    share = values(w, definition="niveau", domain=w.pil, level=2, measure="part")[-1][1]
    assert share == pytest.approx(100 / 7)
    formation = w.framework.domains.get(code="FOR")
    assert values(w, definition="niveau", domain=formation, level=1)[-1][1] == 0


def test_objective_achieved(world):
    w = world
    level = w.framework.levels.get(number=2)
    for school, achieved, closed_on in (
        (w.ecole, True, datetime.date(2026, 1, 10)),
        (w.d, True, datetime.date(2025, 5, 1)),  # before last year's close
        (w.b, False, datetime.date(2026, 2, 1)),
        (w.other, True, datetime.date(2025, 5, 1)),  # another académie
    ):
        Objective.objects.create(school=school, framework=w.framework, domain=w.pil, level=level,
                                 title="Objectif", achieved=achieved, closed_on=closed_on)  # fmt: skip
    assert values(w, definition="objectif", domain=w.pil) == [("2024-2025", 1, 1, 7), ("2025-2026", 2, 2, 7)]
    formation = w.framework.domains.get(code="FOR")
    assert values(w, definition="objectif", domain=formation)[-1][1] == 0


def test_scope_and_filters(world):
    w = world
    assert values(w, definition="soumis", department=w.val_de_marne)[-1] == ("2025-2026", 2, 2, 6)
    assert values(w, definition="soumis", district=w.fresnes)[-1] == ("2025-2026", 2, 2, 3)
    assert values(w, definition="soumis", school_kind="elementaire")[-1] == ("2025-2026", 3, 3, 5)
    assert values(w, definition="soumis", sector="prive")[-1][2:] == (1, 1)
    assert values(w, definition="soumis", priority="ep")[-1][2:] == (0, 2)


def test_small_groups_are_hidden_from_whoever_does_not_see_them_all(world):
    w = world
    outside = user("animateur-77", Role.ANIMATOR, w.seine_et_marne)
    found = indicator(w, definition="soumis", district=w.fresnes)  # 3 écoles
    for viewer in (w.admin, w.animator, w.observer):
        assert [p.hidden for p in points(found, viewer)] == [False, False]
    hidden = points(found, outside)
    assert [(p.hidden, p.value, p.count) for p in hidden] == [(True, None, None), (True, None, None)]
    academy_wide = indicator(w, definition="soumis")  # 7 écoles: shown to all
    assert [p.value for p in points(academy_wide, outside)] == [1, 3]


def test_manual_values_in_date_order(world):
    w = world
    manual = indicator(w, framework=None, measure="part")
    IndicatorValue.objects.create(indicator=manual, on=datetime.date(2026, 3, 1), value=Decimal("40"))
    IndicatorValue.objects.create(indicator=manual, on=datetime.date(2025, 11, 1), value=Decimal("12.5"))
    assert [(p.on, p.value) for p in points(manual, w.animator)] == [
        (datetime.date(2025, 11, 1), 12.5),
        (datetime.date(2026, 3, 1), 40.0),
    ]


def test_a_framework_without_campaign_gives_no_value(world):
    w = world
    from paliers.frameworks.models import Framework

    etablissements = Framework.objects.get(slug="creteil-etablissements")
    assert values(w, definition="soumis", framework=etablissements) == []


# --- the YAML loader -------------------------------------------------------------------------


def test_the_limoges_example_loads_with_its_computed_indicators(world):
    w = world
    roadmap, created = load_roadmap(LIMOGES, w.creteil, w.admin)
    assert created and roadmap.period == "2016-2017" and roadmap.axes.count() == 7
    found = Indicator.objects.filter(axis__roadmap=roadmap)
    assert found.count() == 18
    assert sorted(found.exclude(definition="").values_list("definition", flat=True)) == [
        "critere", "critere", "niveau", "niveau",
    ]  # fmt: skip
    assert found.get(title__startswith="Nombre d'établissements ayant instauré").criterion.code == "PIL.2.1"
    axis = roadmap.axes.get(title="Au sein de l'académie")
    assert len(dict(axis.sections())["actions à mener"]) == 8
    again, created = load_roadmap(LIMOGES, w.creteil)
    assert again == roadmap and not created and Roadmap.objects.count() == 2


BROKEN = """\
title: Essai
period: 2025-2026
colour: bleu
axes:
  - title: Premier axe
    indicators:
      - title: Bien
      - title: Critère inconnu
        computed:
          definition: critere
          framework: creteil-ecoles/2014
          criterion: PIL.9.9
      - title: Sans domaine
        measure: moyenne
        computed:
          definition: niveau
          framework: creteil-ecoles/2014
          level: 7
      - title: Ailleurs
        computed:
          definition: soumis
          framework: inconnu/1
          department: "078"
  - situation: sans titre
"""


def test_every_fault_is_reported_with_its_place_and_line(world):
    with pytest.raises(RoadmapInvalid) as refused:
        read_roadmap_text(BROKEN, world.creteil, "essai.yaml")
    errors = refused.value.errors
    expected = [
        "essai.yaml › document (ligne 1) : clé inconnue « colour »",
        "essai.yaml › axes[1].indicators[2].computed.criterion (ligne 10) : critère « PIL.9.9 » inconnu",
        "essai.yaml › axes[1].indicators[3].measure (ligne 13) : « moyenne » inconnue",
        "essai.yaml › axes[1].indicators[3].computed (ligne 16) : clé « domain » obligatoire",
        "essai.yaml › axes[1].indicators[3].computed.level (ligne 16) : niveau 7 inconnu",
        "essai.yaml › axes[1].indicators[4].computed.framework (ligne 21) : référentiel « inconnu/1 »",
        "essai.yaml › axes[1].indicators[4].computed.department (ligne 21) : département « 078 » absent",
        "essai.yaml › axes[2] (ligne 24) : clé obligatoire « title » absente.",
    ]
    for start in expected:
        assert any(error.startswith(start) for error in errors), (start, errors)
    assert len(errors) == len(expected)


def test_a_refused_file_loads_nothing(world, tmp_path):
    path = tmp_path / "essai.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(RoadmapInvalid):
        load_roadmap(path, world.creteil)
    assert Roadmap.objects.count() == 1 and Axis.objects.count() == 1


def test_unreadable_yaml_names_the_line(world):
    with pytest.raises(RoadmapInvalid) as refused:
        read_roadmap_text("title: [\naxes: 3\n", world.creteil, "cassé.yaml")
    assert refused.value.errors[0].startswith("cassé.yaml, ligne ")
