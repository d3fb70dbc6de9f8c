"""The aggregate tables: kept up to date by every write of answering.py, in the request that
writes, equal at every step to a rebuild from the answers; the small-group rule."""

import pytest
from django.urls import reverse

from paliers.accounts.models import Role
from paliers.assessments import aggregates, answering, carrying
from paliers.assessments.aggregate_models import AssessmentSummary, CriterionTally, DomainTally, StageTally
from paliers.assessments.aggregates import disclosed, rebuild, structure_of, summarise
from paliers.assessments.models import Assessment
from paliers.frameworks.models import Criterion

from .factories import during, user
from .observatory_world import PIL_1, make_observatory_world, met

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")


@pytest.fixture
def world(db):
    return make_observatory_world()


def state(campaign=None):
    """Every aggregate row that counts something (of one campaign, or all), as plain tuples."""
    only = {} if campaign is None else {"campaign": campaign}
    summaries = AssessmentSummary.objects.filter(**only).values_list(
        "assessment_id",
        "stage",
        "answered",
        "met",
        "overall_level",
        "overall_score",
        "answers",
        "department_id",
    )
    key = ("campaign_id", "department_id", "kind", "sector", "priority_education", "stage")
    stages = StageTally.objects.filter(schools__gt=0, **only).values_list(*key, "schools")
    domains = DomainTally.objects.filter(**only).exclude(schools=0, score_sum=0)
    criteria = CriterionTally.objects.filter(**only).exclude(met=0, in_progress=0, not_met=0)
    return (
        sorted(summaries),
        sorted(stages),
        sorted(domains.values_list(*key, "domain_id", "level", "schools", "score_sum")),
        sorted(criteria.values_list(*key, "criterion_id", "met", "in_progress", "not_met")),
    )


def assert_as_rebuilt(campaign=None):
    kept = state(campaign)
    rebuild(None if campaign is None else [campaign])
    assert state(campaign) == kept


def test_every_write_keeps_the_aggregates_as_a_rebuild_would(world):
    w = world
    assert_as_rebuilt()
    answering.reopen(w.assessment, w.head)
    assert_as_rebuilt()
    criterion = Criterion.objects.get(framework=w.framework, code="PIL.1.3")
    answering.save_answer(w.assessment, criterion, value="non_atteint", seen_version=1, user=w.head)
    assert_as_rebuilt()
    answering.replace_answers(w.assessment, [{"criterion": "PIL.3.1", "value": "en_cours"}], user=w.head)
    assert_as_rebuilt()
    answering.submit(w.assessment, w.head)
    assert_as_rebuilt()
    c = w.campaign.assessments.get(school=w.c)
    assert carrying.start_from_previous(c, w.head) == 0  # nothing last year: nothing changes
    e_last_year = w.last_year.assessments.get(school=w.e)
    with during(w.last_year):  # closed in 2025: answered while it was open
        answering.replace_answers(e_last_year, met(*PIL_1), user=w.admin)
    e = w.campaign.assessments.get(school=w.e)
    assert carrying.start_from_previous(e, w.admin) == 5
    assert_as_rebuilt()


def test_a_school_that_changes_after_being_tallied_moves_with_its_next_save(world):
    w = world
    w.b.priority_education = "REP"
    w.b.save()
    b = w.campaign.assessments.get(school=w.b)
    answering.reopen(b, w.admin)  # the refresh takes b out of its old cell, into the new one
    assert StageTally.objects.get(campaign=w.campaign, priority_education="REP", stage="in_progress",
                                  kind="elementaire", sector="prive").schools == 1  # fmt: skip
    assert_as_rebuilt(w.campaign)  # last year's campaign keeps b where it was until b's next save there


def test_a_saved_answer_is_in_the_aggregates_when_the_request_ends(client, world):
    w = world
    assessment = w.campaign.assessments.get(school=w.e)
    assert AssessmentSummary.objects.get(pk=assessment.pk).stage == "not_started"
    director = user("directrice-e", Role.SCHOOL_HEAD, w.e)
    client.force_login(director)
    url = reverse("assessments:save_answer", args=[assessment.pk, "PIL.1.1"])
    assert client.post(url, {"value": "atteint", "seen_version": 0}).status_code == 302
    summary = AssessmentSummary.objects.get(pk=assessment.pk)
    assert (summary.stage, summary.answered, summary.met) == ("in_progress", 1, 1)
    tally = CriterionTally.objects.get(
        campaign=w.campaign, department=w.val_de_marne, kind="elementaire", sector="public",
        priority_education="", stage="in_progress", criterion__code="PIL.1.1",
    )  # fmt: skip
    assert tally.met == 1


def test_opening_a_campaign_counts_every_school_not_started(world):
    w = world
    last_year = StageTally.objects.filter(campaign=w.last_year)
    assert sum(last_year.filter(stage="not_started").values_list("schools", flat=True)) == 6
    assert (
        AssessmentSummary.objects.filter(campaign=w.last_year).count()
        == Assessment.objects.filter(campaign=w.last_year).count()
    )


def test_summary_follows_the_scoring_rules(world):
    w = world
    structure = structure_of(w.framework.pk)
    codes = dict(Criterion.objects.filter(framework=w.framework).values_list("pk", "code"))
    letters = "".join("A" if codes[pk] in PIL_1 else "-" for pk in structure.criterion_ids)
    summary = summarise(structure, letters, submitted=False)
    pil = w.framework.domains.get(code="PIL").pk
    assert summary.domains[pil] == (1, 1000)  # level 1, nothing met at level 2
    assert (summary.stage, summary.answered, summary.met) == ("in_progress", 5, 5)
    assert (summary.overall_level, summary.overall_score) == (0, 0)
    assert summarise(structure, "-" * len(letters), submitted=False).stage == "not_started"
    stored = AssessmentSummary.objects.get(pk=w.assessment.pk)
    assert stored.domains[str(pil)] == [1, 1250] and stored.stage == "submitted"


@pytest.mark.parametrize(
    ("schools", "seen", "shown"),
    [(5, 0, True), (12, 3, True), (4, 0, False), (4, 3, False), (4, 4, True), (1, 1, True), (1, 0, False)],
)
def test_the_small_group_rule(schools, seen, shown):
    assert disclosed(schools, seen) is shown


def test_rebuild_of_one_campaign_leaves_the_others(world):
    w = world
    others = StageTally.objects.filter(campaign=w.last_year).count()
    assert aggregates.rebuild([w.campaign]) == 7
    assert StageTally.objects.filter(campaign=w.last_year).count() == others
