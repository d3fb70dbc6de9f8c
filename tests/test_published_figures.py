"""No differencing: a school's comparison averages are published figures (publication.py),
renewed only when five schools have changed, so that reading them before and after one
school submits or reopens reveals nothing of it — on the results page, in the API and in the
PDF's data alike. The close's figure, once written, is read instead and never changes."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from paliers.api.models import ApiToken
from paliers.assessments import answering, lifecycle, publication
from paliers.assessments.aggregate_models import FigureArea, FigureKind, PublishedFigure
from paliers.assessments.benchmark import averages
from paliers.assessments.campaigns import open_campaign
from paliers.assessments.models import Campaign, SchoolGroup
from paliers.assessments.publication import CHECK_EVERY, figure, publish_round
from paliers.frameworks.loading import framework_files, load_specs, parse_files
from paliers.frameworks.models import Framework
from paliers.schools.models import SchoolKind

from .factories import make_world, school
from .observatory_world import PIL_1, PIL_2, met

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")

START = datetime.datetime(2026, 1, 12, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db, clock):
    load_specs(parse_files([f for f in framework_files() if f.name.startswith("creteil-ecoles-2014")]))
    w = make_world()
    w.framework = Framework.objects.get(slug="creteil-ecoles")
    # Eleven more écoles of the head's circonscription (Fresnes): not theirs to see.
    w.others = [
        school(w.val_de_marne, 300 + n, f"École {n}", SchoolKind.ELEMENTAIRE, [w.fresnes]) for n in range(11)
    ]
    w.melun = school(w.seine_et_marne, 401, "École de Melun", SchoolKind.ELEMENTAIRE)
    w.campaign = open_campaign(
        framework=w.framework, school_year="2025-2026", academy=w.creteil, school_group=SchoolGroup.ECOLES,
        opens_on=datetime.date(2025, 9, 15), closes_on=datetime.date(2026, 6, 30), user=w.admin,
    )  # fmt: skip
    w.assessment = w.campaign.assessments.get(school=w.ecole)
    submit(w, w.ecole, met(*PIL_1))
    for other in w.others[:5]:
        submit(w, other, met(*PIL_1))
    return w


def submit(w, where, items):
    assessment = w.campaign.assessments.get(school=where)
    answering.replace_answers(assessment, items, user=w.admin)
    answering.submit(assessment, w.admin)
    return assessment


def what_the_head_reads(client, w):
    """The district average with its count, from the results page's data and the API."""
    mine = {a.area: (a.schools, a.scores["PIL"]) for a in averages(w.assessment, w.head)}
    key = ApiToken.issue(w.head, "comparaison")[1]
    api = client.get(f"/api/v1/schools/{w.ecole.uai}/benchmark", headers={"Authorization": f"Bearer {key}"})
    [latest] = api.json()
    district = next(a for a in latest["averages"] if a["area"] == "district")
    assert (district["schools"], district["scores"]["PIL"]) == mine["district"]
    return mine["district"]


def test_one_school_submitting_or_reopening_moves_no_average(client, world, clock):
    """The attack: the head reads the district average before and after one school submits
    (or reopens), multiplies by the counts and subtracts. The figures do not move."""
    w = world
    before = what_the_head_reads(client, w)
    assert before == (6, 1.0)  # six écoles with every PIL.1 criterion met
    target = submit(w, w.others[5], met(*PIL_1, *PIL_2))  # PIL level 2
    clock.shift(CHECK_EVERY * 2)
    assert what_the_head_reads(client, w) == before  # not (7, 1.1428…): 7 × 1.1428 − 6 × 1.0 = 2.0
    answering.reopen(target, w.admin)
    clock.shift(CHECK_EVERY * 2)
    assert what_the_head_reads(client, w) == before
    # Submitted then reopened, the school is as it was: it does not count as a change. Four
    # schools changed since the publication: still nothing; the fifth brings a new figure.
    for other in w.others[6:10]:
        submit(w, other, met(*PIL_1, "PIL.2.1"))
    clock.shift(CHECK_EVERY * 2)
    assert what_the_head_reads(client, w) == before
    submit(w, w.others[10], met(*PIL_1, "PIL.2.1"))
    clock.shift(CHECK_EVERY * 2)
    after = what_the_head_reads(client, w)
    assert after[0] == 11 and after != before


def test_the_figure_is_checked_at_most_every_few_minutes(world, clock):
    w = world
    first = figure(w.framework.pk, "2025-2026", FigureArea.DISTRICT, w.fresnes.pk)
    for other in w.others[5:11]:
        submit(w, other, met(*PIL_1, *PIL_2))
    assert (
        figure(w.framework.pk, "2025-2026", FigureArea.DISTRICT, w.fresnes.pk).schools == first.schools == 6
    )
    clock.shift(CHECK_EVERY)
    assert figure(w.framework.pk, "2025-2026", FigureArea.DISTRICT, w.fresnes.pk).schools == 12


def test_small_groups_follow_every_change_for_those_who_see_them(world, clock):
    """Under five schools a figure is hidden from outsiders: it may follow every change."""
    w = world
    small = figure(w.framework.pk, "2025-2026", FigureArea.DEPARTMENT, w.seine_et_marne.pk)
    assert small.schools == 0
    submit(w, w.melun, met(*PIL_1))
    clock.shift(CHECK_EVERY)
    assert figure(w.framework.pk, "2025-2026", FigureArea.DEPARTMENT, w.seine_et_marne.pk).schools == 1


def test_the_close_figure_is_read_instead_and_never_changes(world, clock):
    w = world
    assert publish_round(w.framework.pk, "2025-2026", kind=FigureKind.CLOSE) == 3  # Fresnes, 094, Créteil
    for other in w.others[5:11]:
        submit(w, other, met(*PIL_1, *PIL_2))
    clock.shift(CHECK_EVERY * 3)
    district = next(a for a in averages(w.assessment, w.admin) if a.area == "district")
    assert (district.schools, district.scores["PIL"]) == (6, 1.0)
    assert district.published_at == START and district.at_close


def test_the_close_writes_for_each_area_what_the_area_alone_gives(world, clock):
    """freeze reads every area's members at once: the same figures as area by area."""
    w = world
    submit(w, w.melun, met(*PIL_1, *PIL_2))  # another département of the académie
    Campaign.objects.filter(pk=w.campaign.pk).update(closes_on=datetime.date(2026, 1, 1))
    assert lifecycle.freeze(w.campaign)
    closed = PublishedFigure.objects.filter(kind=FigureKind.CLOSE)
    assert {(f.area, f.area_id) for f in closed} == set(lifecycle._areas(w.campaign))
    for frozen in closed:
        members = publication.current(w.framework.pk, "2025-2026", frozen.area, frozen.area_id)
        alone = publication._fields(members, frozen.published_at)
        assert {name: getattr(frozen, name) for name in alone} == alone, (frozen.area, frozen.area_id)
    assert {(f.area, f.schools) for f in closed if f.schools} >= {
        (FigureArea.ACADEMY, 7),
        (FigureArea.DEPARTMENT, 6),
        (FigureArea.DEPARTMENT, 1),
    }


def test_publish_figures_applies_the_rule_everywhere_and_is_idempotent(world, clock):
    w = world
    out = io.StringIO()
    call_command("publish_figures", stdout=out)
    assert "3 moyennes publiées" in out.getvalue()
    assert PublishedFigure.objects.filter(kind=FigureKind.PUBLISHED).count() == 3
    call_command("publish_figures", stdout=out)
    assert "Aucune moyenne publiée" in out.getvalue()  # nothing changed: nothing published
    submit(w, w.others[5], met(*PIL_1, *PIL_2))
    clock.shift(CHECK_EVERY)
    call_command("publish_figures", stdout=out)
    assert out.getvalue().count("Aucune moyenne publiée") == 2  # one school changed: still nothing


def test_the_results_page_says_when_the_averages_were_published(client, world):
    client.force_login(world.animator)  # the animator sees Fresnes: its average is shown
    page = client.get(reverse("assessments:results", args=[world.assessment.pk])).content.decode()
    assert "publiée le 12/01/2026" in page and "au moins cinq écoles" in page


def test_the_results_page_says_when_the_averages_are_those_of_the_close(client, world):
    publish_round(world.framework.pk, "2025-2026", kind=FigureKind.CLOSE)
    client.force_login(world.animator)
    page = client.get(reverse("assessments:results", args=[world.assessment.pk])).content.decode()
    assert "à la clôture de la campagne" in page
