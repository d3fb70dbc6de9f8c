"""The world of the report benchmark (`bench/reports.py`) and of the real-worker tests
(`tests/programs/report_batch.py`): one district of N collèges and their NumEA campaign
(21 items × 3 étapes = 63 criteria, the longest texts of the shipped frameworks), answers
drawn with a fixed seed (two thirds of the schools submitted), a comment on one criterion
in five, and six SMART objectives for the first school.

Nothing here configures Django: callers set DATABASE_URL, call django.setup() and migrate.
"""

import random
from collections import Counter
from datetime import date

from paliers.core.calendar import school_year

COMMENTS = [
    "Voté en conseil d’administration : « oui » à l’unanimité.",
    "En cours de déploiement ; bilan prévu au troisième trimestre.",
    "Référente désignée, formation prévue en janvier.",
]


# The current school year's campaign, so that it is open whenever this runs (after its
# closing date a campaign is read-only: the campaign life cycle).
YEAR = school_year(date.today())
OPENS, CLOSES = date(int(YEAR[:4]), 9, 1), date(int(YEAR[:4]) + 1, 6, 30)


def build_world(count):
    """(campaign, the district's animator, the first school's assessment)."""
    from paliers.accounts.models import Membership, Role, User
    from paliers.assessments import aggregates
    from paliers.assessments.campaigns import open_campaign
    from paliers.assessments.models import Answer, AnswerValue, Assessment, AssessmentStatus
    from paliers.frameworks.loading import framework_files, load_specs, parse_files
    from paliers.objectives.models import Checkpoint, Objective
    from paliers.schools.models import Academy, Department, District, DistrictKind, School, SchoolKind
    from paliers.schools.uai import make_uai

    [numea] = [
        r.framework
        for r in load_specs(parse_files(framework_files()))
        if r.spec.slug == "numea-etablissement"
    ]
    academy = Academy.objects.create(code="24", name="Créteil")
    department = Department.objects.create(code="094", name="Val-de-Marne", academy=academy)
    district = District.objects.create(
        department=department, kind=DistrictKind.BASSIN, code="b", name="Bassin"
    )
    School.objects.bulk_create(
        (
            School(
                uai=make_uai(f"{94 + n // 10_000:03d}{n % 10_000:04d}"),
                name=f"Collège n° {n} Émile Zola",
                sort_name=f"college {n:05d}",
                kind=SchoolKind.COLLEGE,
                department=department,
                commune="Créteil",
            )
            for n in range(count)
        ),
        batch_size=1000,
    )
    schools = list(School.objects.order_by("pk"))
    School.districts.through.objects.bulk_create(
        (School.districts.through(school_id=s.pk, district_id=district.pk) for s in schools), batch_size=1000
    )
    admin = User.objects.create_user("dan")
    Membership.objects.create(user=admin, role=Role.ACADEMY_ADMIN, academy=academy)
    animator = User.objects.create_user("animateur")
    Membership.objects.create(user=animator, role=Role.ANIMATOR, district=district)
    campaign = open_campaign(
        framework=numea, school_year=YEAR, academy=academy, school_group="etablissements",
        opens_on=OPENS, closes_on=CLOSES, user=admin,
    )  # fmt: skip
    criteria = list(numea.criteria.select_related("level").order_by("position"))
    rng = random.Random(6)  # noqa: S311 (plausible data, not secrets)
    answered = Counter()
    rows = []
    assessments = list(campaign.assessments.order_by("pk"))
    for assessment in assessments:
        reach = rng.uniform(0.3, 1.0)
        for criterion in criteria:
            odds = reach / criterion.level.number
            value = rng.choices(
                [AnswerValue.MET, AnswerValue.IN_PROGRESS, AnswerValue.NOT_MET, AnswerValue.NOT_ANSWERED],
                [odds, 0.2, 0.6 - odds / 2, 0.1],
            )[0]
            comment = rng.choice(COMMENTS) if rng.random() < 0.2 else ""
            rows.append(
                Answer(assessment=assessment, criterion=criterion, value=value, comment=comment, version=1)
            )
            answered[assessment.pk] += value != AnswerValue.NOT_ANSWERED
        if len(rows) >= 20_000:
            Answer.objects.bulk_create(rows, batch_size=2000)
            rows = []
    Answer.objects.bulk_create(rows, batch_size=2000)
    for assessment in assessments:
        submitted = rng.random() < 2 / 3
        assessment.answered_count = answered[assessment.pk]
        assessment.status = AssessmentStatus.SUBMITTED if submitted else AssessmentStatus.DRAFT
    Assessment.objects.bulk_update(assessments, ["answered_count", "status"], batch_size=1000)
    aggregates.rebuild([campaign])
    first = schools[0]
    for n, domain in enumerate(numea.domains.order_by("position")):
        goal = Objective.objects.create(
            school=first, framework=numea, domain=domain, level=numea.levels.get(number=2),
            title=f"Objectif SMART n° {n + 1} : engager l’équipe", description="Deux réunions ; un bilan.",
            is_draft=False, due_on=date(2026, 5, 1 + n), pilot_name="Mme Élise Dupré",
        )  # fmt: skip
        Checkpoint.objects.create(objective=goal, date=date(2026, 1, 10), state="en_cours")
    return (
        campaign,
        animator,
        campaign.assessments.select_related("school", "campaign__framework").get(school=first),
    )
