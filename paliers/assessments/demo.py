"""Demonstration campaigns in the « Académie de démonstration »: answers that look like real ones,
the same on every run.

Each school has a latent maturity per domain, in levels (1.6: palier 1 reached, palier 2 under way),
some schools strong in equipment and weak in training or the reverse, REP and REP+ a little lower.
A criterion is met with a probability that falls as its level rises above that maturity; « en cours »
sits mostly on the level just above it. A school draws the same random numbers every year (seeded by
its UAI), so its answers this school year follow last year's, a little better. The campaigns are
those of the previous and the current school year of the day the demonstration is made.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from paliers.accounts.models import Membership, Role
from paliers.core.bulk import refresh_statistics
from paliers.core.calendar import school_year, school_year_start
from paliers.frameworks.loading import load_paths
from paliers.frameworks.models import Criterion
from paliers.schools.demo import DEMO_ACADEMY_CODE, create_demo_directory, demo_school
from paliers.schools.models import PriorityEducation, SchoolKind, SchoolState

from . import aggregates
from .campaigns import open_campaign, participation
from .models import (
    Answer,
    AnswerChange,
    AnswerValue,
    Assessment,
    AssessmentStatus,
    Campaign,
    Contribution,
    ContributionAnswer,
    SchoolGroup,
    SubmittedRevision,
)

# Screenshots and written demonstrations rely on this generation: changing it changes every answer.
SEED = 20250915
SOURCE = "demo"  # AnswerChange.source: the demonstration's history is told apart from real changes
NOT_STARTED, IN_PROGRESS, SUBMITTED = "not_started", "in_progress", "submitted"
CONTRIBUTORS = ("referent", "membre")  # demo_accounts' logins at demo_school(COLLEGE)
MET, ONGOING, NOT_MET = AnswerValue.MET, AnswerValue.IN_PROGRESS, AnswerValue.NOT_MET
K = SchoolKind


@dataclass(frozen=True)
class CampaignPlan:
    slug: str
    version: str
    year: int  # 0: the previous school year, 1: the current one
    school_year: str
    opens_on: date
    closes_on: date
    group: str
    mix: tuple  # shares of the schools (not started, in progress, submitted)
    demo_school: tuple  # (kind, participation, share of the criteria answered or None) of the demo logins


def plans(today=None):
    """The campaigns of the previous and the current school year (1 September → 31 August)
    of `today`, in this order: a campaign follows the one before it on the same framework.
    The previous one is closed; the current one opens on 15 September (or earlier, when
    `today` comes before it) and closes on 30 June, or today in July and August: open."""
    today = today or timezone.localdate()
    start = school_year_start(today)
    last = (school_year(today, -1), date(start - 1, 9, 15), date(start, 6, 30))
    this = (school_year(today), min(date(start, 9, 15), today), max(date(start + 1, 6, 30), today))
    return (
        CampaignPlan("creteil-etablissements", "2014", 0, *last, SchoolGroup.ETABLISSEMENTS,
                     (0.05, 0.1, 0.85), (K.COLLEGE, SUBMITTED, None)),
        CampaignPlan("creteil-etablissements", "2014", 1, *this, SchoolGroup.ETABLISSEMENTS,
                     (0.25, 0.5, 0.25), (K.COLLEGE, IN_PROGRESS, 0.5)),
        CampaignPlan("creteil-ecoles", "2014", 1, *this, SchoolGroup.ECOLES,
                     (0.25, 0.5, 0.25), (K.ELEMENTAIRE, IN_PROGRESS, 0.33)),
    )  # fmt: skip


CONTRIBUTION_PLAN = 1  # index in plans(): where "referent" and "membre" give their own answers
CARRY_SHARE = 0.35  # of the schools answering again that start from last year's answers
CARRIED_SHARE = 0.45  # of the demo college's 2025-2026 answers: taken from last year, unconfirmed

# Domain code → offset in levels; about 45 % of the schools follow one of these profiles.
PROFILES = (
    {"INF": 0.6, "EQU": 0.7, "FOR": -0.7, "PED": -0.2},  # well equipped, little trained
    {"PED": 0.6, "FOR": 0.5, "EQU": -0.5, "INF": -0.4},  # keen teams, poor equipment
    {"PIL": 0.6, "RES": 0.3, "PED": -0.4},  # steered from the top, classrooms behind
    {"RES": 0.6, "PED": 0.3, "PIL": -0.5},  # a lively CDI, little steering
)
PRIORITY_OFFSET = {PriorityEducation.REP: -0.3, PriorityEducation.REP_PLUS: -0.5}
KIND_OFFSET = {K.MATERNELLE: -0.2, K.LGT: 0.15, K.LPO: 0.1, K.EREA: -0.2}

COMMENTS = {  # by answer, then by answer and school group or domain
    MET: ("Validé en conseil pédagogique.", "En place depuis la rentrée.", "Fonctionne bien, à maintenir.",
          "Vérifié avec le référent numérique.", "Document disponible sur l'ENT.",
          "Bilan présenté en fin d'année."),
    ONGOING: ("Prévu pour le deuxième trimestre.", "Une partie des classes seulement pour l'instant.",
              "Groupe de travail constitué, à poursuivre.", "En attente de la livraison du matériel.",
              "À finaliser avant la fin de l'année.", "Commencé avec deux équipes volontaires."),
    NOT_MET: ("Pas de moyens prévus cette année.", "À inscrire au prochain projet.",
              "Pas encore abordé en équipe.", "Priorité pour l'an prochain.",
              "Demande faite à la collectivité, sans réponse pour l'instant."),
    (SchoolGroup.ETABLISSEMENTS, MET): ("Voté en conseil d'administration.",),
    (SchoolGroup.ETABLISSEMENTS, ONGOING): ("Inscrit à l'ordre du jour du prochain conseil pédagogique.",),
    (SchoolGroup.ECOLES, MET): ("Présenté en conseil des maîtres.", "Présenté au conseil d'école."),
    (SchoolGroup.ECOLES, ONGOING): ("Dotation de la mairie attendue.",),
    (SchoolGroup.ECOLES, NOT_MET): ("Demande faite à la mairie.",),
    ("INF", ONGOING): ("Travaux de câblage programmés cet été.",),
    ("INF", NOT_MET): ("Le débit reste insuffisant aux heures de pointe.",),
    ("EQU", ONGOING): ("Vidéoprojecteurs installés dans la moitié des salles.",),
    ("EQU", MET): ("Inventaire du matériel tenu à jour.",),
    ("FOR", ONGOING): ("Deux collègues inscrits au plan de formation.",),
    ("FOR", MET): ("Animation pédagogique suivie par toute l'équipe.",),
}  # fmt: skip
EVIDENCE = {  # paths on a school's ENT, under the reserved domain example.org
    "PIL": ("projet/volet-numerique.pdf", "documents/charte-usages-numeriques.pdf",
            "vie-scolaire/compte-rendu-commission-numerique.pdf"),
    "FOR": ("formation/plan-de-formation.pdf", "formation/animations-pedagogiques"),
    "RES": ("cdi/portail-documentaire", "ressources/selection-de-sites"),
    "PED": ("pedagogie/projets-numeriques", "cahier-de-textes/exemples"),
    "INF": ("infrastructure/plan-du-reseau.pdf",), "EQU": ("equipement/inventaire.ods",),
}  # fmt: skip
CONTRIBUTION_COMMENTS = ("À vérifier avec la direction.", "Pas dans toutes les salles, à mon avis.",
                         "Vu en réunion d'équipe.", "Plutôt en cours de mon point de vue.")  # fmt: skip


@dataclass(frozen=True)
class DemoCampaigns:
    created: bool  # False: the demonstration campaigns were there and nothing was changed
    campaigns: tuple  # (Campaign, participation counts) in plans() order
    contributors: tuple  # usernames with a contribution at demo_school(COLLEGE) in CONTRIBUTION_PLAN
    missing_contributors: tuple  # CONTRIBUTORS without one (no login at that school when created)


@dataclass(frozen=True)
class _Criterion:
    id: int
    code: str
    level: int
    domain: str
    easiness: float  # the same for every school: some criteria are simply easier to meet


@dataclass(frozen=True)
class _School:
    """One school's random numbers on one framework, the same every year."""

    maturity: dict  # domain code → level, in 2024-2025
    gain: dict  # domain code → progress in a year
    draws: dict  # criterion code → (u, v, e): met if u (+ e a year later) is low, else « en cours » if v is
    engagement: float  # keener schools answer earlier


@dataclass
class _Plan:
    assessment: Assessment
    status: str
    answers: dict = field(default_factory=dict)  # code → {value, comment, evidence_url, carried_over}
    started_from: Assessment | None = None
    answered_at: datetime | None = None
    submitted_at: datetime | None = None


def create_demo_campaigns(today=None):
    """Create the demonstration campaigns, unless they exist: then change nothing."""
    with transaction.atomic():
        academy = create_demo_directory().academy
        found = demo_campaigns(today)
        if found:
            return _summary(found, created=False, today=today)
        frameworks = {(r.framework.slug, r.framework.version): r.framework for r in load_paths()}
        every = plans(today)
        specials = {plan.demo_school[0]: demo_school(plan.demo_school[0]) for plan in every}
        admin, heads, contributors = _users(academy, specials[K.COLLEGE])
        schools, latest, campaigns = {}, {}, []  # latest: framework slug → its last campaign's plans
        for plan in every:
            campaign = open_campaign(
                framework=frameworks[plan.slug, plan.version], school_year=plan.school_year, academy=academy,
                school_group=plan.group, opens_on=plan.opens_on, closes_on=plan.closes_on, user=admin,
            )  # fmt: skip
            criteria = _criteria(campaign.framework)
            latest[plan.slug] = _plan_campaign(campaign, plan, criteria, schools, latest, specials)
            _save(campaign, latest[plan.slug].values(), criteria, heads)
            campaigns.append(campaign)
            if plan == every[CONTRIBUTION_PLAN]:
                college = specials[K.COLLEGE].pk
                school = schools[plan.slug, college]
                _save_contributions(latest[plan.slug][college], criteria, school, contributors, plan.year)
        aggregates.rebuild(campaigns)  # the answers above were written below answering.py
        refresh_statistics()
        return _summary(campaigns, created=True, today=today)


def demo_campaigns(today=None):
    """The demonstration campaigns of `today`'s plans that exist, in their order."""
    found = (
        Campaign.objects.filter(
            academy__code=DEMO_ACADEMY_CODE, department=None, framework__slug=plan.slug,
            framework__version=plan.version, school_year=plan.school_year, school_group=plan.group,
        ).select_related("framework").first()
        for plan in plans(today)
    )  # fmt: skip
    return [campaign for campaign in found if campaign]


def _summary(campaigns, created, today=None):
    # Not c.assessments.only(…): the related manager reads each row's deferred campaign_id, a query a row.
    rows = Assessment.objects.only("status", "answered_count")
    counts = tuple((c, participation(rows.filter(campaign=c))) for c in campaigns)
    contributed = plans(today)[CONTRIBUTION_PLAN]
    contributions = Contribution.objects.filter(
        assessment__school=demo_school(K.COLLEGE),
        assessment__campaign__in=[c for c in campaigns if c.school_year == contributed.school_year],
        assessment__campaign__framework__slug=contributed.slug,
    )
    found = set(contributions.values_list("user__username", flat=True))
    contributors = tuple(name for name in CONTRIBUTORS if name in found)
    return DemoCampaigns(created, counts, contributors, tuple(n for n in CONTRIBUTORS if n not in found))


def _users(academy, college):
    """The académie's first administrator, each school's first head, and the college's contributors."""
    active = Membership.objects.active().order_by("pk")
    admin = active.filter(role=Role.ACADEMY_ADMIN, academy=academy).select_related("user").first()
    # Newest first: dict() keeps the last value given for a school, its oldest head.
    heads = active.filter(role=Role.SCHOOL_HEAD, school__department__academy=academy).order_by("-pk")
    contributors = active.filter(school=college, user__username__in=CONTRIBUTORS)
    return (
        admin.user if admin else None,
        dict(heads.values_list("school_id", "user_id")),
        dict(contributors.values_list("user__username", "user_id")),
    )


def _criteria(framework):
    rng = random.Random(f"{SEED}:{framework.slug}")  # noqa: S311 (reproducible on purpose, nothing secret)
    # The file's order, even with ties in `position` (loading.py numbers criteria with gaps and repeats).
    order = ("domain__position", "component__position", "position", "pk")
    rows = Criterion.objects.filter(framework=framework).order_by(*order)
    return [
        _Criterion(pk, code, level, domain, rng.gauss(0, 0.25))
        for pk, code, level, domain in rows.values_list("pk", "code", "level__number", "domain__code")
    ]


def _school(school, slug, criteria, profile=None):
    # Seeded by the UAI: a school's answers do not change when schools are added beside it.
    rng = random.Random(f"{SEED}:{slug}:{school.uai}")  # noqa: S311
    base = rng.gauss(1.5, 0.55) + PRIORITY_OFFSET.get(school.priority_education, 0)
    base += KIND_OFFSET.get(school.kind, 0)
    drawn = rng.choice(PROFILES) if rng.random() < 0.45 else {}
    profile = drawn if profile is None else profile
    domains = dict.fromkeys(c.domain for c in criteria)
    maturity = {d: min(3.6, max(-0.5, base + profile.get(d, 0) + rng.gauss(0, 0.3))) for d in domains}
    overall_gain = rng.gauss(0.3, 0.2)  # most schools progress in a year, a few fall back
    gain = {d: overall_gain + rng.gauss(0, 0.1) for d in domains}
    draws = {c.code: (rng.random(), rng.random(), rng.gauss(0, 0.06)) for c in criteria}
    return _School(maturity, gain, draws, base + rng.gauss(0, 0.4))


def _value(school, criterion, year):
    """A school's answer to a criterion, `year` years after the previous campaign's."""
    u, v, e = school.draws[criterion.code]
    maturity = school.maturity[criterion.domain] + year * school.gain[criterion.domain]
    x = maturity + 0.5 + criterion.easiness - criterion.level  # > 0: more likely met than not
    if u + year * e < 1 / (1 + math.exp(-x / 0.25)):
        return MET
    return ONGOING if v < (0.6 if x > -1.0 else 0.07) else NOT_MET


def _plan_campaign(campaign, plan, criteria, schools, latest, specials):
    # Seeded by the year's rank, written as the first demonstration's years: the same answers
    # whatever the day the demonstration is made.
    rng = random.Random(f"{SEED}:{plan.slug}:{2024 + plan.year}-{2025 + plan.year}")  # noqa: S311
    year, previous = plan.year, latest.get(plan.slug, {})
    assessments = list(campaign.assessments.select_related("school").order_by("school__uai"))
    for a in assessments:
        # The demo college shows contrasted domains: well equipped, little trained.
        profile = PROFILES[0] if a.school_id == specials[K.COLLEGE].pk else None
        schools.setdefault((plan.slug, a.school_id), _school(a.school, plan.slug, criteria, profile))
    # Schools about to open or to close do not answer; the demo logins' school is as the plan says.
    forced = {a.school_id: NOT_STARTED for a in assessments if a.school.state != SchoolState.OPEN}
    kind, status, demo_share = plan.demo_school
    forced[specials[kind].pk] = status
    engagement = {a.school_id: schools[plan.slug, a.school_id].engagement for a in assessments}
    statuses = _statuses(rng, assessments, plan.mix, forced, engagement)
    planned = {}
    for a in assessments:
        before, school = previous.get(a.school_id), schools[plan.slug, a.school_id]
        p = planned[a.school_id] = _Plan(a, statuses[a.school_id])
        old = before.answers if before else {}
        fresh = {c.code: _answer(rng, a, c, _value(school, c, year), plan.group, old) for c in criteria}
        carry, reviewed, share = rng.random() < CARRY_SHARE and bool(old), rng.random(), rng.random()
        _date(rng, p, plan)
        if p.status == NOT_STARTED:
            continue
        if a.school_id == specials[kind].pk and demo_share:  # the first criteria, in the framework's order
            for c in criteria[: round(demo_share * len(criteria))]:
                carried = c.code in old and rng.random() < CARRIED_SHARE
                p.answers[c.code] = {**old[c.code], "carried_over": True} if carried else fresh[c.code]
            carry = any(answer["carried_over"] for answer in p.answers.values())
        elif p.status == SUBMITTED:
            p.answers = fresh
        elif carry:  # start_from_previous, then part of the answers reviewed
            for c in criteria:
                if rng.random() < 0.1 + 0.6 * reviewed:
                    p.answers[c.code] = fresh[c.code]
                elif c.code in old:
                    p.answers[c.code] = {**old[c.code], "carried_over": True}
        else:
            p.answers = {c.code: fresh[c.code] for c in _first(rng, criteria, 0.15 + 0.7 * share)}
        p.started_from = before.assessment if carry else None
    return planned


def _statuses(rng, assessments, mix, forced, engagement):
    """Each school's participation: exactly the mix's shares, keener schools more often ahead."""
    n = len(assessments)
    ranked = sorted(assessments, key=lambda a: engagement[a.school_id] + rng.gauss(0, 0.6))
    wanted = [NOT_STARTED] * round(n * mix[0]) + [IN_PROGRESS] * round(n * mix[1])
    wanted += [SUBMITTED] * (n - len(wanted))
    statuses = {a.school_id: status for a, status in zip(ranked, wanted, strict=True)}
    for school_id, status in forced.items():
        if school_id in statuses and statuses[school_id] != status:
            # Swapped with a school that is not forced, so that the shares stay exact.
            other = next(s for s, st in statuses.items() if st == status and s not in forced)
            statuses[other], statuses[school_id] = statuses[school_id], status
    return statuses


def _first(rng, criteria, share):
    """The criteria a team answers first: domain after domain, in an order of its own."""
    domains = list(dict.fromkeys(c.domain for c in criteria))
    rng.shuffle(domains)
    ordered = sorted(criteria, key=lambda c: domains.index(c.domain))
    return ordered[: max(1, round(share * len(criteria)))]


def _answer(rng, assessment, criterion, value, group, previous):
    keep, wants_comment, wants_evidence, comment, path = (rng.random() for _ in range(5))
    old = previous.get(criterion.code)
    if old and old["value"] == value and keep < 0.6:  # teams keep last year's words
        return {**old, "carried_over": False}
    text, url = "", ""
    if wants_comment < {MET: 0.07, ONGOING: 0.2, NOT_MET: 0.1}[value]:
        pool = COMMENTS[value] + COMMENTS.get((group, value), ())
        pool += COMMENTS.get((criterion.domain, value), ())
        text = pool[int(comment * len(pool))]
    if criterion.domain in EVIDENCE and wants_evidence < {MET: 0.08, ONGOING: 0.03}.get(value, 0):
        paths = EVIDENCE[criterion.domain]
        url = f"https://ent.example.org/{assessment.school.uai.lower()}/{paths[int(path * len(paths))]}"
    return {"value": value, "comment": text, "evidence_url": url, "carried_over": False}


def _moment(day, fraction):
    """A working time on `day`, between 8 and 18 o'clock."""
    return timezone.make_aware(datetime.combine(day, time(8)) + timedelta(minutes=int(fraction * 600)))


def _date(rng, p, plan):
    """When the team answered last, and submitted: from a week after the opening to the closing, or today."""
    start = plan.opens_on + timedelta(days=7)
    days = max(0, (min(plan.closes_on, timezone.localdate()) - start).days)
    when, back, minute = rng.random(), rng.random(), rng.random()
    if p.status == SUBMITTED:  # mostly in the second half of the year, once the team has met
        p.submitted_at = _moment(start + timedelta(days=round(days * (0.3 + 0.7 * when))), minute)
        p.answered_at = max(_moment(start, 0), p.submitted_at - timedelta(days=1 + round(20 * back)))
    elif p.status == IN_PROGRESS:
        p.answered_at = _moment(start + timedelta(days=round(days * when)), minute)


ANSWER_COLUMNS = ("assessment_id", "criterion_id", "value", "comment", "evidence_url", "carried_over",
                  "version", "updated_at", "updated_by_id")  # fmt: skip
CHANGE_COLUMNS = ("assessment_id", "criterion_id", "new_value", "new_comment", "new_evidence_url",
                  "revision", "old_value", "old_comment", "old_evidence_url", "source", "changed_at",
                  "changed_by_id", "late")  # fmt: skip
ASSESSMENT_COLUMNS = ("status", "answered_count", "started_from_id", "submitted_at", "submitted_by_id",
                      "updated_at")  # fmt: skip


def _save(campaign, plans, criteria, heads):
    ids, db_time = {c.code: c.id for c in criteria}, connection.ops.adapt_datetimefield_value
    opened = _moment(campaign.opens_on + timedelta(days=7), 0)
    answers, changes, revisions, updates = [], [], [], []
    for p in plans:
        a, head = p.assessment, heads.get(p.assessment.school_id)
        # Typed one after the other, two minutes apart; last year's answers taken over two weeks before.
        for rank, (code, answer) in enumerate(reversed(p.answers.items())):
            at = p.answered_at - timedelta(minutes=2 * rank)
            at = db_time(max(opened, p.answered_at - timedelta(days=14)) if answer["carried_over"] else at)
            given = (a.pk, ids[code], answer["value"], answer["comment"], answer["evidence_url"])
            answers.append((*given, answer["carried_over"], 1, at, head))
            changes.append((*given, a.revision, AnswerValue.NOT_ANSWERED, "", "", SOURCE, at, head, False))
        if p.status == SUBMITTED:
            frozen = {code: {k: answer[k] for k in ("value", "comment", "evidence_url")}  # as submit() does
                      for code, answer in p.answers.items()}  # fmt: skip
            revisions.append(SubmittedRevision(
                assessment=a, number=a.revision, answers=frozen, submitted_at=p.submitted_at,
                submitted_by_id=head,
            ))  # fmt: skip
        updates.append((
            AssessmentStatus.SUBMITTED if p.status == SUBMITTED else AssessmentStatus.DRAFT,
            sum(answer["value"] != AnswerValue.NOT_ANSWERED for answer in p.answers.values()),
            p.started_from.pk if p.started_from else None,
            p.submitted_at and db_time(p.submitted_at),
            head if p.submitted_at else None,
            db_time(p.submitted_at or p.answered_at or _moment(campaign.opens_on, 0.1)),
            a.pk,
        ))  # fmt: skip
    _insert(Answer, ANSWER_COLUMNS, answers)
    _insert(AnswerChange, CHANGE_COLUMNS, changes)
    SubmittedRevision.objects.bulk_create(revisions, batch_size=200)
    _update(Assessment, ASSESSMENT_COLUMNS, updates)
    prepared = _moment(campaign.opens_on - timedelta(days=5), 0)  # before it opened to schools, not today
    Campaign.objects.filter(pk=campaign.pk).update(created_at=prepared)


def _insert(model, columns, rows):
    """INSERT rows (tuples of `columns`, ready for the database): COPY on PostgreSQL, else executemany.

    bulk_create spends about 40 µs a row preparing values: 4.5 s for the demonstration's 107,000
    answers and changes on SQLite, against 0.8 s here; and it would date auto_now fields today."""
    quote, meta = connection.ops.quote_name, model._meta
    names = ", ".join(quote(meta.get_field(column).column) for column in columns)
    # Names come from the models' metadata, values go as parameters: nothing to inject.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # psycopg would spend 3 s binding the rows one by one
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})", rows)  # noqa: S608


def _update(model, columns, rows):
    """UPDATE rows by primary key (last in each row): bulk_update's CASE took 1.5 s for 1,452 rows."""
    quote, meta = connection.ops.quote_name, model._meta
    sets = ", ".join(f"{quote(meta.get_field(column).column)} = %s" for column in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _save_contributions(plan, criteria, school, contributors, year):
    """The référent's and a member's own answers: mostly the collective one, with a few differences."""
    for index, username in enumerate(CONTRIBUTORS):
        if username not in contributors:
            continue
        rng = random.Random(f"{SEED}:{username}")  # noqa: S311
        mine = [c for c in criteria if rng.random() < (0.85, 0.6)[index]]  # the référent answers more
        shared = [c.code for c in mine if c.code in plan.answers]
        diverging = set(rng.sample(shared, min(3, len(shared))))
        contribution = Contribution.objects.create(assessment=plan.assessment, user_id=contributors[username])
        rows = []
        for c in mine:
            value = plan.answers[c.code]["value"] if c.code in plan.answers else _value(school, c, year)
            row = ContributionAnswer(contribution=contribution, criterion_id=c.id, value=value, version=1)
            if c.code in diverging:
                row.value = rng.choice((MET, NOT_MET)) if value == ONGOING else ONGOING
                row.comment = rng.choice(CONTRIBUTION_COMMENTS)
            rows.append(row)
        ContributionAnswer.objects.bulk_create(rows)
        when = plan.answered_at - timedelta(days=2 + index, hours=3)
        Contribution.objects.filter(pk=contribution.pk).update(updated_at=when)
