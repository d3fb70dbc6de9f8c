"""Demonstration team questionnaires in the « Académie de démonstration ».

Two campaigns on the Créteil jalons for the current school year (établissements, écoles).
The demo collège's questionnaire closed yesterday with enough responses for results (which
are published only after the close), and a leadership's view a little more optimistic than
its team; the demo école's is open today, with fewer than 5 responses. A few other schools
around them (the collège's département, the école's circonscription: the scopes of the
« inspectrice » and « animateur » logins) have questionnaires too, closed or open, some
under the threshold, so that the aggregates show something and leave something out.

Responses go through `submit_response`, as a browser's would; the dates follow today.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from paliers.accounts.models import Membership, Role
from paliers.assessments.campaigns import open_campaign
from paliers.assessments.models import Campaign, SchoolGroup
from paliers.core.bulk import refresh_statistics
from paliers.core.calendar import school_year
from paliers.frameworks.loading import load_paths
from paliers.frameworks.models import Framework
from paliers.schools.demo import DEMO_ACADEMY_CODE, create_demo_directory, demo_district, demo_school
from paliers.schools.models import SchoolKind, SchoolState

from .models import DONT_KNOW, TeamSurvey
from .opening import open_survey, save_leadership_view
from .questionnaire import questionnaire_for
from .responding import submit_response

SEED = 20261123
FRAMEWORK = ("creteil-jalons", "2014")


@dataclass(frozen=True)
class Plan:
    group: str
    kind: str  # the demo login's school: demo_school(kind)
    responses: int  # at that school
    others: int  # other schools with a questionnaire, around it
    closed: bool  # the demo login's questionnaire closed yesterday: its results are out


PLANS = (
    Plan(SchoolGroup.ETABLISSEMENTS, SchoolKind.COLLEGE, 17, 8, closed=True),
    Plan(SchoolGroup.ECOLES, SchoolKind.ELEMENTAIRE, 3, 6, closed=False),
)


@dataclass(frozen=True)
class DemoSurveys:
    created: bool  # False: they were there and nothing was changed
    surveys: tuple  # (TeamSurvey, responses) of the demo logins' schools, in PLANS order
    others: int  # questionnaires of the other schools


def create_demo_surveys(today=None):
    """Create the demonstration questionnaires, unless they exist: then change nothing."""
    today = today or timezone.localdate()
    with transaction.atomic():
        academy = create_demo_directory().academy
        found = _demo_campaigns()
        if found:
            return _summary(found, created=False)
        framework = Framework.objects.filter(slug=FRAMEWORK[0], version=FRAMEWORK[1]).first()
        if framework is None:
            load_paths()
            framework = Framework.objects.get(slug=FRAMEWORK[0], version=FRAMEWORK[1])
        questionnaire = questionnaire_for(framework)
        admin = Membership.objects.active().filter(role=Role.ACADEMY_ADMIN, academy=academy).first()
        year = school_year(today)
        campaigns = []
        for plan in PLANS:
            first = int(year[:4])
            campaign = open_campaign(
                framework=framework, school_year=year, academy=academy, school_group=plan.group,
                # Open today, in July and August too (school year: 1 September → 31 August).
                opens_on=min(date(first, 9, 1), today), closes_on=max(date(first + 1, 6, 30), today),
                user=admin.user if admin else None,
            )  # fmt: skip
            rng = random.Random(f"{SEED}:{plan.group}")  # noqa: S311 (reproducible on purpose)
            home = demo_school(plan.kind)
            _survey(rng, campaign, home, questionnaire, plan.responses, today, plan.closed, optimism=0.9)
            for school in _neighbours(rng, campaign, home, plan):
                responses = rng.choice((0, 2, 4, 6, 9, 12, 15, 21))
                _survey(rng, campaign, school, questionnaire, responses, today, rng.random() < 0.6)
            campaigns.append(campaign)
        refresh_statistics()
        return _summary(campaigns, created=True)


def _demo_campaigns():
    return list(
        Campaign.objects.filter(
            academy__code=DEMO_ACADEMY_CODE,
            framework__slug=FRAMEWORK[0],
            framework__version=FRAMEWORK[1],
            department=None,
        ).order_by("school_group")
    )


def _neighbours(rng, campaign, home, plan):
    """Other open schools of the campaign in the demo login's circonscription (écoles) or
    département (établissements): inside the demonstration animator's or inspector's scope."""
    schools = campaign.concerned_schools().filter(state=SchoolState.OPEN).exclude(pk=home.pk)
    if plan.group == SchoolGroup.ECOLES:
        schools = schools.filter(districts=demo_district())
    else:
        schools = schools.filter(department=home.department)
    schools = list(schools.order_by("uai"))
    return rng.sample(schools, min(plan.others, len(schools)))


def _survey(rng, campaign, school, questionnaire, responses, today, closed, optimism=None):
    """A questionnaire opened two weeks ago (four when `closed`: it closed yesterday, unless
    the campaign is younger than that), its responses given since, around the team's own
    practice per axis; with `optimism`, the leadership sees the team that much further on."""
    opens_on = max(campaign.opens_on, today - timedelta(days=28 if closed else 14))
    closes_on = min(campaign.closes_on, today + timedelta(days=21))
    if closed and today - timedelta(days=1) >= opens_on:
        closes_on = today - timedelta(days=1)
    survey = open_survey(campaign, school, opens_on, closes_on, user=None)
    practice = {axis.code: rng.uniform(1.2, 3.2) for axis in questionnaire.axes}
    days = (min(today, closes_on) - opens_on).days
    for n in range(responses):
        answers = {
            code: DONT_KNOW if rng.random() < 0.08 else min(4, max(1, round(rng.gauss(level, 0.8))))
            for code, level in practice.items()
        }
        # Spread over the days since the opening, during school hours (the rate limit counts per minute).
        day = opens_on + timedelta(days=rng.randint(0, days))
        at = timezone.make_aware(datetime.combine(day, time(8)) + timedelta(minutes=rng.randint(0, 600)))
        submit_response(survey, questionnaire, f"demo-{school.uai}-{n}", answers, now=at)
    if optimism is not None:
        head = Membership.objects.active().filter(role=Role.SCHOOL_HEAD, school=school).first()
        view = {code: min(4, round(level + optimism * rng.random())) for code, level in practice.items()}
        save_leadership_view(survey, view, head.user if head else None)
    return survey


def _summary(campaigns, created):
    homes = {plan.group: demo_school(plan.kind) for plan in PLANS}
    surveys = TeamSurvey.objects.filter(campaign__in=campaigns).select_related("school", "campaign")
    mine = sorted(
        (s for s in surveys if homes.get(s.campaign.school_group) == s.school),
        key=lambda s: [p.group for p in PLANS].index(s.campaign.school_group),
    )
    return DemoSurveys(created, tuple((s, s.responses.count()) for s in mine), len(surveys) - len(mine))
