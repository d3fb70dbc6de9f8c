"""`paliers generate_national` on a slice of its synthetic annuaire: every criterion answered,
aggregates as a rebuild makes them, the same answers on every run, an empty database only.
(The whole dataset is for bench/observatory.py, not for the tests.)"""

import itertools

import pytest
from django.core.management import CommandError, call_command

from paliers.assessments.aggregate_models import AssessmentSummary, StageTally
from paliers.assessments.models import Answer, Assessment, Campaign
from paliers.frameworks.models import Criterion
from paliers.observatory import national
from paliers.schools import synthetic

from .test_observatory_aggregates import state


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(national, "rows", lambda rng, count: itertools.islice(synthetic.rows(rng), 700))


def test_a_slice_of_the_national_dataset(db, small):
    result = national.generate_national()
    assert result.campaigns == Campaign.objects.count() == 4  # one académie, two groups, two years
    assert Campaign.objects.filter(school_year="2024-2025").count() == 2
    per_assessment = {
        a.pk: Criterion.objects.filter(framework_id=a.campaign.framework_id).count()
        for a in Assessment.objects.select_related("campaign")
    }
    assert result.answers == Answer.objects.count() == sum(per_assessment.values())
    assert result.assessments == AssessmentSummary.objects.count() == len(per_assessment)
    assert not AssessmentSummary.objects.filter(stage="not_started").exists()
    submitted = sum(StageTally.objects.filter(stage="submitted").values_list("schools", flat=True))
    assert 0.5 * result.assessments < submitted < 0.9 * result.assessments
    kept = state()
    from paliers.assessments.aggregates import rebuild

    rebuild()
    assert state() == kept


def test_the_same_answers_on_every_run(db, small):
    national.generate_national()
    first = sorted(Answer.objects.values_list("assessment__school__uai", "assessment__campaign__school_year",
                                              "criterion__code", "value"))  # fmt: skip
    for model in (Answer, Assessment, Campaign):
        model.objects.all().delete()
    from paliers.schools.models import School

    School.objects.all().delete()
    national.generate_national()
    again = sorted(Answer.objects.values_list("assessment__school__uai", "assessment__campaign__school_year",
                                              "criterion__code", "value"))  # fmt: skip
    assert first == again


def test_only_on_an_empty_database(db, small):
    national.generate_national()
    with pytest.raises(CommandError, match="base vide"):
        call_command("generate_national")
