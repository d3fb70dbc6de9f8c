"""What each role sees first, at `/` once signed in: the answer to « what do I do today ».

- school people (head, référent, member): their school's positionings in the campaigns
  open now, the objectives due within 30 days or overdue, the open team questionnaire, the
  open requests for accompaniment; a person of several schools chooses one;
- animators and observers: their caseload (caseload app);
- académie administrators: the campaigns open now with participation per département, the
  schools not started, pending invitations, the latest imports, the caseload's counts.

Project level: these pages gather several apps, which never import one another upward.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paliers.accompaniment.models import RequestStatus, SupportRequest
from paliers.accounts.invitations import memberships_of_academies
from paliers.accounts.models import SCHOOL_ROLES, Role
from paliers.accounts.scoping import active_memberships, administered_academies, has_role, schools_for
from paliers.assessments.aggregate_models import StageTally
from paliers.assessments.models import Assessment, Campaign
from paliers.assessments.stages import Stage
from paliers.audit.models import AuditEvent, EventKind
from paliers.core.aggregate_charts import stacked_bar_chart
from paliers.frameworks.models import Audience, Criterion
from paliers.objectives.models import Objective
from paliers.schools.models import Department, School
from paliers.schools.words import school_words
from paliers.surveys.models import TeamSurvey
from paliers.surveys.results import MIN_RESPONSES, shown_count

DUE_SOON = 30  # days: an objective due within this shows on the school's home
RECENTLY_CLOSED = 30  # days: a team questionnaire closed within this points to its results
LEADS = {Role.SCHOOL_HEAD, Role.SCHOOL_REFERENT}  # the school's leadership: its results, its follow-up
LATEST = 5  # invitations and imports listed on the académie's home

# The homes a person may have, in the order chosen by default: the widest first.
ACADEMY, CASELOAD, SCHOOL = "academie", "suivi", "ecole"
LABELS = {
    ACADEMY: gettext_lazy("Académie"),
    CASELOAD: gettext_lazy("Suivi des écoles"),
    SCHOOL: gettext_lazy("Mon école"),
}


def homes_of(user):
    """The homes `user` may open, the default first ([] for a visitor or no role)."""
    if not user.is_authenticated:
        return []
    found = []
    if has_role(user, Role.ACADEMY_ADMIN):
        found.append(ACADEMY)
    if has_role(user, Role.ANIMATOR, Role.OBSERVER):
        found.append(CASELOAD)
    if school_choices(user):
        found.append(SCHOOL)
    return found


def school_choices(user):
    """The schools where `user` holds a school role, in name order."""
    ids = {m.school_id for m in active_memberships(user) if m.role in SCHOOL_ROLES and m.school_id}
    return list(schools_for(user, roles=set(SCHOOL_ROLES)).filter(pk__in=ids).order_by("sort_name", "uai"))


# School people ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Positioning:
    assessment: Assessment
    total: int  # criteria of the framework
    days_left: int  # until the campaign closes, the closing day not counted

    @property
    def stage(self):
        return self.assessment.stage


@dataclass
class SchoolHome:
    school: School
    roles: list  # Role values held on this school
    positionings: list  # [Positioning] in the campaigns open today
    latest: list  # the latest positionings, when no campaign is open
    objectives: list  # committed objectives due within DUE_SOON days or overdue, soonest first
    surveys: list  # [(TeamSurvey, responses shown: None under the threshold)] open today
    closed_survey: tuple | None  # (TeamSurvey, results published?) closed within RECENTLY_CLOSED days
    requests: list  # requests for accompaniment not closed, newest first
    today: date = field(default_factory=timezone.localdate)

    survey_threshold = MIN_RESPONSES  # « moins de 5 réponses »: the home counts no further below

    @property
    def leads(self):
        return is_lead(self.roles)

    @property
    def role_labels(self):
        """The roles as the school says them (« chef d’établissement » at a collège)."""
        head = school_words(self.school).head
        return [head if role == Role.SCHOOL_HEAD else Role(role).label for role in self.roles]


def is_lead(roles):
    """Whether these roles lead the school: they read its results and steer its follow-up."""
    return bool(LEADS & set(roles))


def _criteria_counts(framework_ids):
    rows = Criterion.objects.filter(framework_id__in=framework_ids).values("framework_id")
    return dict(rows.annotate(n=Count("pk")).values_list("framework_id", "n"))


def school_home(user, school, today=None):
    today = today or timezone.localdate()
    roles = [m.role for m in active_memberships(user) if m.school_id == school.pk and m.role in SCHOOL_ROLES]
    assessments = (
        Assessment.objects.filter(school=school)
        .exclude(campaign__framework__audience=Audience.EQUIPE)  # answered by the team questionnaire
        .select_related("campaign__framework")
        .order_by("campaign__closes_on", "campaign__framework__title")
    )
    open_now = [a for a in assessments if a.campaign.opens_on <= today <= a.campaign.closes_on]
    latest = []
    if not open_now:
        past = [a for a in assessments if a.campaign.opens_on <= today]
        year = max((a.campaign.school_year for a in past), default=None)
        latest = [a for a in past if a.campaign.school_year == year]
    totals = _criteria_counts({a.campaign.framework_id for a in open_now})
    surveys = TeamSurvey.objects.filter(school=school, opens_on__lte=today, closes_on__gte=today)
    # After a questionnaire closes, its results are what the leadership reads next (a
    # member is not shown them: not asked).
    closed = None
    if is_lead(roles):
        closed = (
            TeamSurvey.objects.filter(
                school=school, closes_on__lt=today, closes_on__gte=today - timedelta(RECENTLY_CLOSED)
            )
            .annotate(n=Count("responses"))
            .order_by("-closes_on", "-pk")
            .first()
        )
    return SchoolHome(
        school=school,
        roles=roles,
        positionings=[
            Positioning(a, totals.get(a.campaign.framework_id, 0), (a.campaign.closes_on - today).days)
            for a in open_now
        ],
        latest=latest,
        objectives=list(
            Objective.objects.committed()
            .filter(school=school, due_on__lte=today + timedelta(DUE_SOON))
            .select_related("domain", "pilot")
            .order_by("due_on", "pk")
        ),
        surveys=[  # the count as every page shows it: none under the anonymity threshold
            (s, shown_count(s.n))
            for s in surveys.annotate(n=Count("responses")).select_related("campaign__framework")
        ],
        closed_survey=closed and (closed, shown_count(closed.n) is not None),
        requests=list(
            SupportRequest.objects.filter(school=school)
            .exclude(status=RequestStatus.CLOSED)
            .select_related("domain")
            .order_by("-created_at")
        ),
        today=today,
    )


# Académie administrators --------------------------------------------------------------------


@dataclass
class OpenCampaign:
    campaign: Campaign
    rows: list  # (département, not started, in progress, submitted, total)
    total: tuple  # (not started, in progress, submitted, total)
    chart: str

    @property
    def caption_id(self):
        return f"participation-{self.campaign.pk}-caption"

    @property
    def round_key(self):
        return f"{self.campaign.framework_id}.{self.campaign.school_year}"


def _participation(campaign):
    """Participation per département of a campaign, from the tallies kept by every save."""
    counts = {}
    rows = (
        StageTally.objects.filter(campaign=campaign)
        .values("department_id", "stage")
        .annotate(n=Sum("schools"))
    )
    for row in rows:
        counts.setdefault(row["department_id"], dict.fromkeys(Stage.values, 0))[row["stage"]] += row["n"]
    departments = Department.objects.in_bulk(list(counts))
    table = []
    for pk in sorted(counts, key=lambda pk: departments[pk].code):
        by_stage = counts[pk]
        values = [by_stage[stage] for stage in Stage.values]
        table.append((str(departments[pk]), *values, sum(values)))
    total = tuple(sum(row[i] for row in table) for i in range(1, 5))
    chart = stacked_bar_chart(
        [row[0] for row in table],
        list(Stage.labels),
        [row[1:4] for row in table],
        _("Participation par département : %(campaign)s") % {"campaign": campaign},
        chart_id=f"participation-{campaign.pk}",
    )
    return OpenCampaign(campaign, table, total, chart)


def _latest_closed(academies, today):
    """The participation of the campaigns of the latest school year closed: between two
    campaigns, the académie still sees where its schools stopped."""
    closed = Campaign.objects.filter(academy__in=academies, closes_on__lt=today).exclude(
        framework__audience=Audience.EQUIPE
    )
    year = closed.order_by("-school_year").values_list("school_year", flat=True).first()
    if year is None:
        return []
    latest = closed.filter(school_year=year).select_related("framework", "academy", "department")
    return [_participation(c) for c in latest.order_by("-closes_on", "framework__title")]


@dataclass
class AcademyHome:
    campaigns: list  # [OpenCampaign] open today (schools' positionings)
    recent: list  # [OpenCampaign] of the latest school year closed, when none is open today
    team_campaigns: list  # [(Campaign, questionnaires open today)]
    upcoming: list  # campaigns opening later
    invitations: int
    latest_invitations: list  # [Membership]
    imports: list  # [AuditEvent]


def academy_home(user, today=None):
    today = today or timezone.localdate()
    academies = administered_academies(user)
    current = (
        Campaign.objects.filter(academy__in=academies, opens_on__lte=today, closes_on__gte=today)
        .select_related("framework", "academy", "department")
        .order_by("closes_on", "framework__title")
    )
    pending = (
        memberships_of_academies(academies)
        .filter(
            revoked_at__isnull=True,
            user__password__startswith=UNUSABLE_PASSWORD_PREFIX,
            user__deleted_at__isnull=True,
        )
        .select_related("user", "academy", "department", "district", "school")
        .order_by("-created_at")
    )
    positionings = [_participation(c) for c in current if c.framework.audience != Audience.EQUIPE]
    return AcademyHome(
        campaigns=positionings,
        recent=[] if positionings else _latest_closed(academies, today),
        team_campaigns=[
            (c, TeamSurvey.objects.filter(campaign=c, opens_on__lte=today, closes_on__gte=today).count())
            for c in current
            if c.framework.audience == Audience.EQUIPE
        ],
        upcoming=list(
            Campaign.objects.filter(academy__in=academies, opens_on__gt=today)
            .select_related("framework")
            .order_by("opens_on")
        ),
        invitations=pending.count(),
        latest_invitations=list(pending[:LATEST]),
        imports=list(
            AuditEvent.objects.filter(kind=EventKind.IMPORT, academy__in=academies)
            .select_related("user")
            .order_by("-at")[:LATEST]
        ),
    )
