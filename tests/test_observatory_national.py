"""`paliers generate_national` on a slice of its synthetic annuaire: every criterion answered,
aggregates as a rebuild makes them, the same answers on every run, an empty database only.
(The whole dataset is for bench/observatory.py, not for the tests.)"""

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

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


def planned_rows(model):
    """How many rows the query planner believes `model`'s table holds (its statistics)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return int(cursor.fetchone()[0])
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone():
            return None
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        row = cursor.fetchone()
        return int(row[0].split()[0]) if row else None


def test_the_planner_knows_the_rows_written(db, small):
    """The benchmarks read pages at once after the load: planned on an empty table, the
    caseload's 50 rows took 434 ms on PostgreSQL instead of 90 (a nested loop over a round).
    SQLite is left as it runs, without statistics (national.py says why)."""
    models = (Assessment, Answer, AssessmentSummary)
    before = {model: planned_rows(model) for model in models}  # another test's, if any
    national.generate_national()
    for model in models:
        if connection.vendor == "postgresql":
            # PostgreSQL estimates a large table's rows from a sample.
            assert planned_rows(model) == pytest.approx(model.objects.count(), rel=0.1), model
        else:
            assert planned_rows(model) == before[model], model


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
