"""What an observatory page shows: which round, over which schools, with which filters.

A round is a framework version × a school year: the campaigns every académie (or
département) ran on it. The schools are the user's observatory scope (the scoping function,
for the roles that read the observatory) narrowed by the filters. When that is a union of
whole départements, figures add up the tallies; otherwise (a district, a school, mixed
memberships) they read the assessments' summaries of exactly those schools.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from paliers.accounts.models import Role
from paliers.accounts.scoping import active_memberships, has_role, schools_for
from paliers.assessments.aggregate_models import STARTED, Stage
from paliers.assessments.models import Campaign
from paliers.frameworks.models import Crosswalk, Framework
from paliers.schools.models import Department, PriorityEducation, School

READER_ROLES = (Role.ACADEMY_ADMIN, Role.ANIMATOR, Role.OBSERVER)
PARTIAL = "partial"  # covered_departments: the scope is not a union of whole départements


def may_read(user):
    return has_role(user, *READER_ROLES)


def observatory_schools(user):
    return schools_for(user, roles=READER_ROLES)


def covered_departments(user):
    """The ids of the départements wholly in the user's observatory scope; None for the
    technical administrator (every one); PARTIAL when the scope holds parts of départements."""
    if user.is_superuser:
        return None
    memberships = [m for m in active_memberships(user) if m.role in READER_ROLES]
    academies = [m.academy_id for m in memberships if m.academy_id]
    covered = set(Department.objects.filter(academy_id__in=academies).values_list("pk", flat=True))
    covered |= {m.department_id for m in memberships if m.department_id}
    parts = [m for m in memberships if m.district_id or m.school_id]
    if any((m.district or m.school).department_id not in covered for m in parts):
        return PARTIAL
    return covered


@dataclass(frozen=True)
class Round:
    framework: Framework
    school_year: str

    @property
    def key(self):
        return f"{self.framework.pk}.{self.school_year}"

    @property
    def label(self):
        return f"{self.framework.title} ({self.framework.version}) — {self.school_year}"

    def campaign_ids(self):
        return list(
            Campaign.objects.filter(framework=self.framework, school_year=self.school_year).values_list(
                "pk", flat=True
            )
        )

    def earlier_and_this(self):
        """The rounds of the same framework version up to this one and the earlier rounds of
        the frameworks a crosswalk leads from to it (earlier versions), oldest first (evolution)."""
        sources = Crosswalk.objects.filter(target=self.framework).values("source_id")
        pairs = set(
            Campaign.objects.filter(
                Q(framework=self.framework, school_year__lte=self.school_year)
                | Q(framework__in=sources, school_year__lt=self.school_year)
            ).values_list("framework_id", "school_year")
        )
        frameworks = Framework.objects.in_bulk({framework_id for framework_id, __ in pairs})
        rounds = [Round(frameworks[framework_id], year) for framework_id, year in pairs]
        return sorted(rounds, key=lambda r: (r.school_year, r.framework == self.framework, r.framework.pk))


def visible_campaigns(user):
    """Campaigns whose académie (or département) holds a school of the user's observatory scope."""
    if user.is_superuser:
        return Campaign.objects.all()
    schools = observatory_schools(user)
    return Campaign.objects.filter(
        Q(department__isnull=True, academy__in=schools.values("department__academy"))
        | Q(department__in=schools.values("department"))
    )


def rounds_for(user):
    """The rounds the user may look at, the latest school year first."""
    pairs = set(visible_campaigns(user).values_list("framework_id", "school_year"))
    frameworks = Framework.objects.in_bulk({framework_id for framework_id, __ in pairs})
    rounds = sorted(
        (Round(frameworks[framework_id], year) for framework_id, year in pairs),
        key=lambda r: (r.framework.title, r.framework.version),
    )
    return sorted(rounds, key=lambda r: r.school_year, reverse=True)


PRIORITY_CHOICES = (
    ("", _("toutes")),
    ("REP", "REP"),
    ("REP+", "REP+"),
    ("ep", _("REP ou REP+")),
    ("hors", _("hors éducation prioritaire")),
)


@dataclass(frozen=True)
class Filters:
    department: Department | None = None
    district: object = None  # a District
    kind: str = ""
    sector: str = ""
    priority: str = ""  # a key of PRIORITY_CHOICES
    submitted_only: bool = False
    similar: object = None  # a schools.SimilarGroup: its members only

    def conditions(self):
        """Keyword filters that tallies and summaries share (their columns have the same names)."""
        found = {}
        if self.kind:
            found["kind"] = self.kind
        if self.sector:
            found["sector"] = self.sector
        if self.priority == "ep":
            found["priority_education__in"] = (PriorityEducation.REP, PriorityEducation.REP_PLUS)
        elif self.priority == "hors":
            found["priority_education"] = PriorityEducation.NONE
        elif self.priority:
            found["priority_education"] = self.priority
        return found

    @property
    def result_stages(self):
        """The assessments whose answers the figures count: started ones, or submitted ones."""
        return (Stage.SUBMITTED,) if self.submitted_only else STARTED


@dataclass(frozen=True)
class Area:
    """The schools figures cover: whole départements (`departments`, None for all of them),
    or exactly the schools of `schools` (a queryset)."""

    departments: frozenset | None = None
    schools: object = None

    @property
    def from_tallies(self):
        return self.schools is None

    def single_department(self):
        """The département when the area lies within one, else None."""
        if self.from_tallies:
            if self.departments is not None and len(self.departments) == 1:
                return Department.objects.filter(pk__in=self.departments).first()
            return None
        # Without the schools' ordering, which DISTINCT would otherwise count in.
        ids = list(self.schools.order_by().values_list("department_id", flat=True).distinct()[:2])
        return Department.objects.filter(pk=ids[0]).first() if len(ids) == 1 else None

    def school_set(self):
        """The area as a queryset of schools (for grouping by district)."""
        if not self.from_tallies:
            return self.schools
        schools = School.objects.all()
        return schools if self.departments is None else schools.filter(department_id__in=self.departments)


def area_for(user, filters):
    schools = observatory_schools(user)
    if filters.similar is not None:
        schools = schools.filter(filters.similar.condition())
        if filters.district is not None:
            schools = schools.filter(districts=filters.district)
        if filters.department is not None:
            schools = schools.filter(department=filters.department)
        return Area(schools=schools)
    if filters.district is not None:
        return Area(schools=schools.filter(districts=filters.district))
    covered = covered_departments(user)
    if covered == PARTIAL:
        if filters.department is not None:
            schools = schools.filter(department=filters.department)
        return Area(schools=schools)
    if filters.department is not None:
        return Area(departments=frozenset({filters.department.pk}))
    return Area(departments=None if covered is None else frozenset(covered))
