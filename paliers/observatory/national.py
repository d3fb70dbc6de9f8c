"""A synthetic national dataset, to measure the observatory at the scale of the nation.

66,000 rows of a synthetic Annuaire de l'éducation (schools/synthetic.py, imported as a real
file would be), then two campaign rounds (2024-2025 and 2025-2026) on the Créteil écoles and
établissements frameworks, one campaign per académie, school group and year, and every
criterion of every assessment answered: about eight million answers, written below the ORM
(core/bulk.py) with their aggregates built in bulk (aggregates.Builder).

Deterministic: a school's answers depend on its UAI and the year only. Not for a real
instance: it fills an empty database, and no answer has a history (AnswerChange) nor a
submitted revision — what the observatory does not read.
"""

import csv
import io
import math
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as day_time

from django.db import connection, transaction
from django.utils import timezone

from paliers.assessments.aggregates import Builder, structure_of, summarise
from paliers.assessments.models import (
    GROUP_KINDS,
    Answer,
    Assessment,
    AssessmentStatus,
    Campaign,
    SchoolGroup,
)
from paliers.core.bulk import insert_rows, refresh_statistics
from paliers.frameworks.loading import load_paths
from paliers.frameworks.models import Criterion
from paliers.schools.importing import import_schools
from paliers.schools.models import Academy, PriorityEducation, School
from paliers.schools.synthetic import COLUMNS, ROWS, rows

SEED = 2026
# (school year, opens, closes, share of the schools that submitted; the others are in progress)
YEARS = (
    ("2024-2025", date(2024, 9, 15), date(2025, 6, 30), 0.85),
    ("2025-2026", date(2025, 9, 15), date(2026, 6, 30), 0.55),
)
FRAMEWORKS = (
    (SchoolGroup.ECOLES, "creteil-ecoles", "2014"),
    (SchoolGroup.ETABLISSEMENTS, "creteil-etablissements", "2014"),
)
PRIORITY_OFFSET = {PriorityEducation.REP: -0.3, PriorityEducation.REP_PLUS: -0.5}
ANSWER_COLUMNS = (
    "assessment_id", "criterion_id", "value", "comment", "evidence_url", "version", "carried_over",
    "updated_at",
)  # fmt: skip
VALUES = {"A": "atteint", "E": "en_cours", "N": "non_atteint"}


class NotEmpty(Exception):
    """The database already holds schools: the synthetic dataset is for an empty one."""


@dataclass
class NationalDataset:
    schools: int = 0
    campaigns: int = 0
    assessments: int = 0
    answers: int = 0
    seconds: dict = field(default_factory=dict)  # step → seconds


def generate_national(progress=lambda message: None, rows_count=ROWS):
    if School.objects.exists():
        raise NotEmpty("La base contient déjà des écoles : generate_national remplit une base vide.")
    result, started = NationalDataset(), time.perf_counter()

    def step(name):
        nonlocal started
        result.seconds[name] = time.perf_counter() - started
        progress(f"{name} : {result.seconds[name]:.1f} s".replace(".", ","))
        started = time.perf_counter()

    frameworks = {r.framework.slug: r.framework for r in load_paths()}
    imported = import_schools(io.BytesIO(_annuaire(rows_count)))
    result.schools = imported.created
    step(f"annuaire synthétique importé ({result.schools} écoles et établissements)")
    # One transaction a year: PostgreSQL checks the answers' foreign keys when it commits.
    for index, (year, opens_on, closes_on, submitted_share) in enumerate(YEARS):
        with transaction.atomic():
            for group, slug, _ in FRAMEWORKS:
                framework = frameworks[slug]
                criteria = _criteria(framework)
                structure = structure_of(framework.pk)
                for academy in Academy.objects.order_by("code"):
                    campaign = Campaign.objects.create(
                        framework=framework, school_year=year, academy=academy, school_group=group,
                        opens_on=opens_on, closes_on=closes_on,
                    )  # fmt: skip
                    count, answers = _answer_campaign(campaign, criteria, structure, submitted_share, index)
                    result.campaigns += 1
                    result.assessments += count
                    result.answers += answers
        step(f"campagnes {year} : réponses et agrégats écrits, validés")
    if connection.vendor == "postgresql":
        # What autovacuum does on a live server, done before the first pages are read: planned
        # on empty tables, the nation's caseload took 434 ms instead of 90. SQLite gathers no
        # statistics by itself, and with them it reads the national criteria figure through
        # the criterion index (0.8 s instead of 0.05): it is measured as it runs.
        refresh_statistics()
        step("statistiques du planificateur")
    return result


def _annuaire(rows_count):
    """The synthetic annuaire as the bytes of a CSV file (UTF-8, `;`), as downloaded."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows(random.Random(SEED), count=rows_count))  # noqa: S311 (reproducible on purpose)
    return out.getvalue().encode("utf-8")


@dataclass(frozen=True)
class _Criterion:
    pk: int
    level: int
    domain: int
    easiness: float


def _criteria(framework):
    rng = random.Random(f"{SEED}:{framework.slug}")  # noqa: S311
    ids = structure_of(framework.pk).criterion_ids  # the aggregates' order: letters line up
    found = Criterion.objects.select_related("level").in_bulk(ids)
    return [_Criterion(pk, found[pk].level.number, found[pk].domain_id, rng.gauss(0, 0.3)) for pk in ids]


def _letters(school, criteria, year):
    """One letter per criterion: a school's latent maturity per domain, a little higher each year."""
    rng = random.Random(f"{SEED}:{school.uai}")  # noqa: S311
    base = rng.gauss(1.4, 0.6) + PRIORITY_OFFSET.get(school.priority_education, 0)
    gain = rng.gauss(0.3, 0.15)
    offsets = {}
    draws = random.Random(f"{SEED}:{school.uai}:{year}")  # noqa: S311
    letters = []
    for criterion in criteria:
        if criterion.domain not in offsets:
            offsets[criterion.domain] = rng.gauss(0, 0.35)
        x = base + offsets[criterion.domain] + year * gain + 0.5 + criterion.easiness - criterion.level
        met = 1 / (1 + math.exp(-x / 0.3))
        u = draws.random()
        letters.append("A" if u < met else "E" if u < met + (1 - met) * 0.4 else "N")
    return "".join(letters)


def _answer_campaign(campaign, criteria, structure, submitted_share, year):
    """Every school of the académie's group answers every criterion; `year` counts from the first."""
    schools = list(
        School.objects.filter(
            department__academy=campaign.academy, kind__in=GROUP_KINDS[campaign.school_group]
        )
        .only("pk", "uai", "department_id", "kind", "sector", "priority_education")
        .order_by("uai")
    )
    rng = random.Random(f"{SEED}:{campaign.academy.code}:{campaign.school_group}:{campaign.school_year}")  # noqa: S311
    closing = timezone.make_aware(datetime.combine(campaign.closes_on, day_time(12)))
    submitted = [rng.random() < submitted_share for _ in schools]
    assessments = Assessment.objects.bulk_create(
        Assessment(
            campaign=campaign,
            school_id=school.pk,
            status=AssessmentStatus.SUBMITTED if done else AssessmentStatus.DRAFT,
            answered_count=len(criteria),
            submitted_at=closing if done else None,
        )
        for school, done in zip(schools, submitted, strict=True)
    )
    when = connection.ops.adapt_datetimefield_value(closing)
    answers, builder = [], Builder()
    for assessment, school, done in zip(assessments, schools, submitted, strict=True):
        letters = _letters(school, criteria, year)
        answers.extend(
            (assessment.pk, c.pk, VALUES[letter], "", "", 1, False, when)
            for c, letter in zip(criteria, letters, strict=True)
        )
        builder.add(assessment.pk, campaign.pk, school, structure, summarise(structure, letters, done))
    insert_rows(Answer, ANSWER_COLUMNS, answers)
    builder.write()
    return len(assessments), len(answers)
