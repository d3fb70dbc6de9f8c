"""Keeping the aggregate tables (aggregate_models.py) in step with the answers.

- `refresh(assessment_id)` runs inside every transaction of answering.py that changes an
  assessment (it holds the assessment's lock): it scores the assessment again, and adds to
  the tallies the difference between its new and its old contribution. A saved answer is in
  the observatory's figures when the request that saved it ends.
- `follow_directory()` runs inside a directory import: a positioning whose school changed
  département, type, sector or éducation prioritaire moves to its new cell, so that the
  aggregates always equal a rebuild from the answers and the directory as it stands.
- `rebuild(campaigns)` recomputes the aggregates of campaigns from their answers, for the
  writers that bypass answering.py (the demo, the national dataset, a repair command).

Why here rather than in the observatory app: answering.py must call the update in its own
transaction, and assessments may not import an app above it.

Tally rows are written in sorted key order: two transactions touching the same rows lock
them in the same order, so they wait for each other rather than deadlock (PostgreSQL).
"""

import json
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F

from paliers.core.bulk import insert_rows
from paliers.frameworks.models import Criterion

from .aggregate_models import (
    MIN_SCHOOLS,
    AssessmentSummary,
    CriterionTally,
    DomainTally,
    Stage,
    StageTally,
)
from .models import Answer, AnswerValue, Assessment, AssessmentStatus, Campaign
from .scoring import level_and_score
from .stages import stage_of

LETTERS = {
    AnswerValue.MET: "A",
    AnswerValue.IN_PROGRESS: "E",
    AnswerValue.NOT_MET: "N",
    AnswerValue.NOT_ANSWERED: "-",
}
COLUMN = {"A": 0, "E": 1, "N": 2}  # CriterionTally's met, in_progress, not_met
KEY_COLUMNS = ("campaign_id", "department_id", "kind", "sector", "priority_education", "stage")
SUMMARY_COLUMNS = (
    "assessment_id", "campaign_id", "school_id", "department_id", "kind", "sector", "priority_education",
    "stage", "answered", "met", "overall_level", "overall_score", "domains", "answers",
)  # fmt: skip


def disclosed(schools, seen):
    """The small-group rule, for every page, API response and export: a figure computed over
    `schools` schools is shown to someone whose scope holds `seen` of them only when there
    are at least MIN_SCHOOLS of them, or when they see them all. Exports for publication
    pass seen=0 (nobody's scope)."""
    return schools >= MIN_SCHOOLS or seen >= schools


@dataclass(frozen=True)
class Structure:
    """A framework as the aggregates read it: criteria in the framework's order."""

    criterion_ids: tuple[int, ...]
    levels: tuple[int, ...]
    domains: tuple[tuple[int, tuple[int, ...]], ...]  # (domain id, positions of its criteria)

    def letters(self, values):
        """{criterion id: answer value} → one letter per criterion."""
        return "".join(LETTERS[values.get(pk, AnswerValue.NOT_ANSWERED)] for pk in self.criterion_ids)


def structure_of(framework_id):
    rows = Criterion.objects.filter(framework_id=framework_id).order_by("domain__position", "position", "pk")
    ids, levels, domains = [], [], {}
    for index, (pk, level, domain_id) in enumerate(rows.values_list("pk", "level__number", "domain_id")):
        ids.append(pk)
        levels.append(level)
        domains.setdefault(domain_id, []).append(index)
    return Structure(tuple(ids), tuple(levels), tuple((d, tuple(p)) for d, p in domains.items()))


@dataclass(frozen=True)
class Summary:
    stage: str
    answered: int
    met: int
    overall_level: int
    overall_score: int  # thousandths
    domains: dict  # {domain id: (level, score in thousandths)}
    answers: str


def summarise(structure, letters, submitted):
    """An assessment's summary from its letters (GUIDE §3 through scoring.py)."""
    domains = {}
    for domain_id, positions in structure.domains:
        level, score = level_and_score([(structure.levels[i], letters[i] == "A") for i in positions])
        domains[domain_id] = (level, round(score * 1000))
    answered = len(letters) - letters.count("-")
    stage = stage_of(submitted=submitted, answered=answered)
    return Summary(
        stage=stage,
        answered=answered,
        met=letters.count("A"),
        overall_level=min((level for level, _ in domains.values()), default=0),
        overall_score=min((score for _, score in domains.values()), default=0),
        domains=domains,
        answers=letters,
    )


class Delta:
    """Changes to the tallies: contributions added (sign 1) or taken away (sign -1)."""

    def __init__(self):
        self.stages = defaultdict(int)
        self.domains = defaultdict(lambda: [0, 0])
        self.criteria = defaultdict(lambda: [0, 0, 0])

    def add(self, key, summary, structure, sign=1):
        key = (*key, summary.stage)
        self.stages[key] += sign
        if summary.stage == Stage.NOT_STARTED:
            return  # no answer: nothing to count per domain or criterion
        for domain_id, (level, score) in summary.domains.items():
            cell = self.domains[(*key, domain_id, level)]
            cell[0] += sign
            cell[1] += sign * score
        for criterion_id, letter in zip(structure.criterion_ids, summary.answers, strict=True):
            if letter in COLUMN:
                self.criteria[(*key, criterion_id)][COLUMN[letter]] += sign

    def tables(self):
        """(model, extra key columns, value columns, rows without zero changes) in lock order."""
        stage_rows = [(*k, v) for k, v in sorted(self.stages.items()) if v]
        domain_rows = [(*k, *v) for k, v in sorted(self.domains.items()) if any(v)]
        criterion_rows = [(*k, *v) for k, v in sorted(self.criteria.items()) if any(v)]
        return (
            (StageTally, (), ("schools",), stage_rows),
            (DomainTally, ("domain_id", "level"), ("schools", "score_sum"), domain_rows),
            (CriterionTally, ("criterion_id",), ("met", "in_progress", "not_met"), criterion_rows),
        )


def _key(campaign_id, school):
    """The tally key of a school (a School, or a summary keeping the values it was tallied with)."""
    return (campaign_id, school.department_id, school.kind, school.sector, school.priority_education)


def _stored(row):
    return Summary(
        stage=row.stage,
        answered=row.answered,
        met=row.met,
        overall_level=row.overall_level,
        overall_score=row.overall_score,
        domains={int(pk): tuple(pair) for pk, pair in row.domains.items()},
        answers=row.answers,
    )


def refresh(assessment_id):
    """Score one assessment again and move the tallies by the difference. Call it inside the
    transaction that changed the assessment, after the change."""
    assessment = Assessment.objects.select_related("school", "campaign").get(pk=assessment_id)
    structure = structure_of(assessment.campaign.framework_id)
    values = dict(Answer.objects.filter(assessment_id=assessment_id).values_list("criterion_id", "value"))
    new = summarise(structure, structure.letters(values), assessment.status == AssessmentStatus.SUBMITTED)
    key = _key(assessment.campaign_id, assessment.school)
    delta = Delta()
    delta.add(key, new, structure)
    old = AssessmentSummary.objects.filter(pk=assessment_id).first()
    if old is not None:
        delta.add(_key(old.campaign_id, old), _stored(old), structure, sign=-1)
    with transaction.atomic():
        for model, extra, values_columns, rows in delta.tables():
            _add_to(model, KEY_COLUMNS + extra, values_columns, rows)
        AssessmentSummary.objects.update_or_create(
            assessment_id=assessment_id,
            defaults=_summary_fields(assessment.campaign_id, assessment.school, new),
        )
    return new


def _summary_fields(campaign_id, school, summary):
    return {
        "campaign_id": campaign_id,
        "school_id": school.pk,
        "department_id": school.department_id,
        "kind": school.kind,
        "sector": school.sector,
        "priority_education": school.priority_education,
        "stage": summary.stage,
        "answered": summary.answered,
        "met": summary.met,
        "overall_level": summary.overall_level,
        "overall_score": summary.overall_score,
        "domains": {str(pk): list(pair) for pk, pair in summary.domains.items()},
        "answers": summary.answers,
    }


def _add_to(model, key_columns, value_columns, rows):
    """Add each row's values to the tally row of its key, creating it when absent."""
    if not rows:
        return
    quote, table = connection.ops.quote_name, connection.ops.quote_name(model._meta.db_table)
    columns = [*key_columns, *value_columns]
    increments = ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in value_columns)
    sql = (
        f"INSERT INTO {table} ({', '.join(map(quote, columns))}) VALUES ({', '.join(['%s'] * len(columns))}) "  # noqa: S608 (names from the models)
        f"ON CONFLICT ({', '.join(map(quote, key_columns))}) DO UPDATE SET {increments}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# Moving a positioning costs one refresh; rebuilding its campaign costs in proportion to all
# its answers: past this many moves in one campaign, the rebuild is the cheaper.
REFRESH_AT_MOST = 100


@transaction.atomic
def follow_directory(**_signal):
    """Move the positionings whose school changed in the directory since they were tallied.
    Returns how many moved. Past rounds move too: figures always describe the schools as the
    directory describes them now, as a rebuild would."""
    moved = AssessmentSummary.objects.exclude(
        department_id=F("school__department_id"),
        kind=F("school__kind"),
        sector=F("school__sector"),
        priority_education=F("school__priority_education"),
    )
    by_campaign = defaultdict(list)
    for assessment_id, campaign_id in moved.values_list("assessment_id", "campaign_id"):
        by_campaign[campaign_id].append(assessment_id)
    many = [pk for pk, ids in by_campaign.items() if len(ids) > REFRESH_AT_MOST]
    if many:
        rebuild(Campaign.objects.filter(pk__in=many))
    for campaign_id, ids in sorted(by_campaign.items()):
        if campaign_id not in many:
            _lock(Assessment.objects.filter(pk__in=ids))  # as a save would: no refresh in between
            for assessment_id in sorted(ids):
                refresh(assessment_id)
    return sum(map(len, by_campaign.values()))


# Bulk --------------------------------------------------------------------------------------


class Builder:
    """Summaries and tallies of many assessments, written at once by `write` (to empty tables).

    `school` is anything with pk, department_id, kind, sector and priority_education."""

    def __init__(self):
        self.summaries, self.delta = [], Delta()

    def add(self, assessment_id, campaign_id, school, structure, summary):
        fields = _summary_fields(campaign_id, school, summary)
        fields["domains"] = json.dumps(fields["domains"], separators=(",", ":"))
        self.summaries.append((assessment_id, *(fields[column] for column in SUMMARY_COLUMNS[1:])))
        self.delta.add(_key(campaign_id, school), summary, structure)

    def write(self):
        insert_rows(AssessmentSummary, SUMMARY_COLUMNS, self.summaries)
        for model, extra, value_columns, rows in self.delta.tables():
            insert_rows(model, KEY_COLUMNS + extra + value_columns, rows)
        self.summaries, self.delta = [], Delta()


def rebuild(campaigns=None):
    """Recompute the aggregates of `campaigns` (every campaign when None) from their answers.

    Returns the number of assessments summarised. Runs in one transaction: readers see the
    old figures or the new, never a half."""
    campaigns = Campaign.objects.all() if campaigns is None else campaigns
    ids = [c.pk for c in campaigns]
    total = 0
    with transaction.atomic():
        _lock(Assessment.objects.filter(campaign_id__in=ids))  # a save waits, or is waited for
        for model in (AssessmentSummary, StageTally, DomainTally, CriterionTally):
            model.objects.filter(campaign_id__in=ids).delete()
        for campaign in Campaign.objects.filter(pk__in=ids).order_by("pk"):
            total += _rebuild_campaign(campaign)
    return total


def _lock(assessments):
    """Take the row locks answering.py takes before a refresh, in one order (PostgreSQL)."""
    list(assessments.select_for_update().order_by("pk").values_list("pk", flat=True))


def _rebuild_campaign(campaign):
    structure = structure_of(campaign.framework_id)
    assessments = list(
        Assessment.objects.filter(campaign=campaign)
        .select_related("school")
        .only(
            "pk",
            "status",
            "school__department_id",
            "school__kind",
            "school__sector",
            "school__priority_education",
        )
        .order_by("pk")
    )
    values = defaultdict(dict)
    rows = Answer.objects.filter(assessment__campaign=campaign).values_list(
        "assessment_id", "criterion_id", "value"
    )
    for assessment_id, criterion_id, value in rows.iterator(chunk_size=20_000):
        values[assessment_id][criterion_id] = value
    builder = Builder()
    for assessment in assessments:
        letters = structure.letters(values.pop(assessment.pk, {}))
        summary = summarise(structure, letters, assessment.status == AssessmentStatus.SUBMITTED)
        builder.add(assessment.pk, campaign.pk, assessment.school, structure, summary)
    builder.write()
    return len(assessments)
