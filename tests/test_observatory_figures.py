"""The observatory's figures against values computed by hand (tests/observatory_world.py),
read from the tallies (whole départements) and from the summaries (a district, a school)."""

import pytest

from paliers.assessments.aggregates import rebuild
from paliers.observatory.figures import TOTAL, Reader, grouping
from paliers.observatory.selection import (
    PARTIAL,
    Area,
    Filters,
    Round,
    area_for,
    covered_departments,
    rounds_for,
)

from .observatory_world import make_observatory_world

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")


@pytest.fixture
def world(db):
    return make_observatory_world()


def reader(w, filters=None, area=None, year="2025-2026"):
    filters = filters or Filters()
    area = area or Area(departments=frozenset({w.val_de_marne.pk, w.seine_et_marne.pk}))
    return Reader(Round(w.framework, year), area, filters)


def participation(found):
    return (found.not_started, found.in_progress, found.submitted)


def pil(w, figures):
    return figures[w.framework.domains.get(code="PIL").pk]


def test_participation_in_total_per_department_and_per_district(world):
    w = world
    assert participation(reader(w).participation()[TOTAL]) == (3, 1, 3)
    by_department = reader(w).participation("department")
    assert participation(by_department[w.val_de_marne.pk]) == (3, 1, 2)
    assert participation(by_department[w.seine_et_marne.pk]) == (0, 0, 1)
    by_district = reader(w).participation("district")
    assert participation(by_district[w.fresnes.pk]) == (0, 1, 2)  # ecole, a, b


def test_levels_and_average_score_per_domain(world):
    w = world
    figures = reader(w).domains()[TOTAL]
    # Started: ecole (level 1, 1.25), a (0, 0.2), b (2, 2.0), d (1, 1.0).
    assert dict(pil(w, figures).levels) == {0: 1, 1: 2, 2: 1}
    assert pil(w, figures).average == pytest.approx((1.25 + 0.2 + 2.0 + 1.0) / 4)
    formation = figures[w.framework.domains.get(code="FOR").pk]
    assert dict(formation.levels) == {0: 4} and formation.average == 0
    submitted = reader(w, Filters(submitted_only=True)).domains()[TOTAL]
    assert dict(pil(w, submitted).levels) == {1: 2, 2: 1}
    assert pil(w, submitted).average == pytest.approx((1.25 + 2.0 + 1.0) / 3)


def test_heatmap_per_department_and_per_district(world):
    w = world
    by_department = reader(w).domains("department")
    assert pil(w, by_department[w.val_de_marne.pk]).average == pytest.approx((1.25 + 0.2 + 2.0) / 3)
    assert pil(w, by_department[w.seine_et_marne.pk]).average == pytest.approx(1.0)
    by_district = reader(w).domains("district")
    assert list(by_district) == [w.fresnes.pk]
    assert pil(w, by_district[w.fresnes.pk]).average == pytest.approx((1.25 + 0.2 + 2.0) / 3)


def test_criteria_met(world):
    w = world
    found = {f.criterion.code: f for f in reader(w).criteria()}
    assert (found["PIL.1.1"].met, found["PIL.1.1"].schools) == (4, 4)
    assert (found["PIL.1.2"].met, found["PIL.1.2"].not_met) == (3, 1)
    assert (found["PIL.2.1"].met, found["PIL.2.2"].met, found["PIL.2.2"].in_progress) == (2, 1, 1)
    assert found["PIL.1.2"].met_share == pytest.approx(0.75)
    assert found["FOR.1.1"].met == 0 and found["FOR.1.1"].met_share == 0
    in_file_order = w.framework.criteria.order_by("position").values_list("code", flat=True)
    assert list(found) == list(in_file_order)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(kind="elementaire"), (2, 0, 3)),  # e, f; ecole, b, d
        (Filters(sector="prive"), (0, 0, 1)),  # b
        (Filters(priority="REP"), (0, 1, 0)),  # a
        (Filters(priority="REP+"), (1, 0, 0)),  # c
        (Filters(priority="ep"), (1, 1, 0)),  # a, c
        (Filters(priority="hors"), (2, 0, 3)),
    ],
)
def test_filters(world, filters, expected):
    assert participation(reader(world, filters).participation()[TOTAL]) == expected


def test_summaries_and_tallies_give_the_same_figures(world):
    w = world
    schools = Area(schools=w.ecole.__class__.objects.filter(department__academy=w.creteil))
    for filters in (Filters(), Filters(submitted_only=True), Filters(kind="elementaire")):
        tallies, summaries = reader(w, filters), reader(w, filters, area=schools)
        assert participation(tallies.participation()[TOTAL]) == participation(
            summaries.participation()[TOTAL]
        )
        a, b = tallies.domains()[TOTAL], summaries.domains()[TOTAL]
        assert {k: (dict(v.levels), v.score_sum) for k, v in a.items()} == {
            k: (dict(v.levels), v.score_sum) for k, v in b.items()
        }
        assert [(f.met, f.in_progress, f.not_met, f.schools) for f in tallies.criteria()] == [
            (f.met, f.in_progress, f.not_met, f.schools) for f in summaries.criteria()
        ]


def test_areas_follow_the_scope(world):
    w = world
    assert covered_departments(w.admin) == {w.val_de_marne.pk, w.seine_et_marne.pk}
    assert covered_departments(w.observer) == {w.val_de_marne.pk}
    assert covered_departments(w.animator) == PARTIAL
    animator = area_for(w.animator, Filters())
    assert not animator.from_tallies
    found = Reader(Round(w.framework, "2025-2026"), animator, Filters()).participation()[TOTAL]
    assert participation(found) == (0, 1, 2)  # the district's three écoles
    observer = Reader(Round(w.framework, "2025-2026"), area_for(w.observer, Filters()), Filters())
    assert participation(observer.participation()[TOTAL]) == (3, 1, 2)
    assert grouping(area_for(w.observer, Filters()), Filters()) == "district"
    assert grouping(area_for(w.admin, Filters()), Filters()) == "department"


def test_rounds_are_the_campaigns_in_scope(world):
    w = world
    assert [r.school_year for r in rounds_for(w.admin)] == ["2025-2026", "2024-2025"]
    assert rounds_for(w.other_admin) == []
    assert [r.school_year for r in Round(w.framework, "2025-2026").earlier_and_this()] == [
        "2024-2025",
        "2025-2026",
    ]


def test_last_year_is_its_own_round(world):
    w = world
    assert participation(reader(w, year="2024-2025").participation()[TOTAL]) == (6, 0, 1)


def test_rebuilding_changes_no_figure(world):
    w = world
    before = (reader(w).participation("department"), reader(w).domains("department"), reader(w).criteria())
    rebuild()
    after = (reader(w).participation("department"), reader(w).domains("department"), reader(w).criteria())
    assert repr(before) == repr(after)
