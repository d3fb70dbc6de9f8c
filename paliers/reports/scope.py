"""Reports over a scope: which assessments a user's scope downloads cover, their scores
computed once for all, and the summary of a campaign over the scope.

Scope downloads (the ZIP of reports, the CSV exports) are for the people who follow
several schools: académie administrators, animators and observers, over the schools of
those roles' scopes (`schools_for(user, roles=SCOPE_ROLES)`). A head or a référent who is
also an animator gets the animator's scope, never more; with a school role only, they
are refused: their school's own PDF and spreadsheet carry the same figures.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from paliers.accounts.models import Role
from paliers.accounts.scoping import active_memberships, has_role, schools_for
from paliers.assessments.campaigns import participation
from paliers.assessments.models import Answer, AssessmentStatus
from paliers.assessments.scoring import score_framework
from paliers.assessments.views_campaigns import visible_campaigns
from paliers.schools.models import district_labels, sort_key

SCOPE_ROLES = (Role.ACADEMY_ADMIN, Role.ANIMATOR, Role.OBSERVER)
BATCH = 500  # assessments whose answers are read in one query
# What a report or the scope summary reads of an assessment, in the same query.
REPORT_RELATED = ("school__department", "campaign__framework", "campaign__academy", "campaign__department")


def scope_schools(user):
    return schools_for(user, roles=set(SCOPE_ROLES))


def get_campaign_for_scope(user, pk):
    """The campaign if the user sees one of its schools (else 404); 403 without a scope role."""
    campaign = visible_campaigns(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404("Campagne introuvable dans votre périmètre.")
    if not has_role(user, *SCOPE_ROLES):
        raise PermissionDenied(
            _("Les exports d’un périmètre sont réservés à ceux qui suivent plusieurs écoles.")
        )
    return campaign


def may_download_scope(user):
    return has_role(user, *SCOPE_ROLES)


def scope_assessments(user, campaign):
    """The campaign's assessments of the user's scope, in the order of the schools' names."""
    return (
        campaign.assessments.filter(school__in=scope_schools(user))
        .select_related(*REPORT_RELATED)
        .prefetch_related("school__districts")
        .order_by("school__sort_name", "school__uai")
    )


def scope_label(user):
    """The scope in words: « Circonscription de Fresnes », « Val-de-Marne (094) »…"""
    if user.is_superuser:
        return _("toutes les écoles et tous les établissements")
    names = [str(m.scope) for m in active_memberships(user) if m.role in SCOPE_ROLES]
    return ", ".join(dict.fromkeys(names)) or "—"


def answers_of_many(assessment_ids):
    """{assessment id: {criterion code: value}}, reading BATCH assessments per query."""
    found = {pk: {} for pk in assessment_ids}
    ids = list(assessment_ids)
    for start in range(0, len(ids), BATCH):
        for assessment_id, code, value in Answer.objects.filter(
            assessment_id__in=ids[start : start + BATCH]
        ).values_list("assessment_id", "criterion__code", "value"):
            found[assessment_id][code] = value
    return found


def score_many(assessment_ids, structure, levels=None):
    """{assessment id: FrameworkResult}, answers read BATCH at a time."""
    results = {}
    ids = list(assessment_ids)
    for start in range(0, len(ids), BATCH):
        answers = answers_of_many(ids[start : start + BATCH])
        results.update({pk: score_framework(structure, found, levels) for pk, found in answers.items()})
    return results


@dataclass
class DomainDistribution:
    code: str
    title: str
    counts: list  # schools per level reached, from 0 (none) to the highest level
    mean_score: float | None


@dataclass
class ScopeSummary:
    assessments: int
    participation: dict
    departments: list
    districts: list
    submitted: int
    level_numbers: list  # 0 … highest
    overall: list  # schools per overall level, same order as level_numbers
    domains: list = field(default_factory=list)
    percentages: dict = field(default_factory=dict)  # level number → share of criteria met, all schools


def summarise(assessments, structure, levels):
    """Participation over every assessment of the scope; levels over the submitted ones
    (a draft's levels say where the answering stopped, not where the school stands)."""
    assessments = list(assessments)
    submitted = [a for a in assessments if a.status == AssessmentStatus.SUBMITTED]
    numbers = [0, *[lv.number for lv in levels]]
    results = score_many([a.pk for a in submitted], structure, [lv.number for lv in levels]).values()
    overall = [0] * len(numbers)
    domain_counts, domain_scores, met, total = {}, {}, {}, {}
    for result in results:
        overall[numbers.index(result.overall_level)] += 1
        for domain in result.domains:
            domain_counts.setdefault(domain.code, [0] * len(numbers))[numbers.index(domain.level)] += 1
            domain_scores.setdefault(domain.code, []).append(domain.score)
        for count in result.levels:
            met[count.level] = met.get(count.level, 0) + count.met
            total[count.level] = total.get(count.level, 0) + count.total
    domains = [
        DomainDistribution(
            code=d["code"],
            title=d["title"],
            counts=domain_counts.get(d["code"], [0] * len(numbers)),
            mean_score=(
                sum(domain_scores[d["code"]]) / len(domain_scores[d["code"]])
                if d["code"] in domain_scores
                else None
            ),
        )
        for d in structure
    ]
    by_department, by_district = {}, {}
    for assessment in assessments:
        by_department.setdefault(assessment.school.department, []).append(assessment)
        for district in assessment.school.districts.all():
            by_district.setdefault(district, []).append(assessment)
    labels = district_labels(by_district)
    return ScopeSummary(
        assessments=len(assessments),
        participation=participation(assessments),
        departments=[
            (d, participation(a)) for d, a in sorted(by_department.items(), key=lambda i: i[0].code)
        ],
        districts=sorted(
            ((labels[d.pk], participation(a)) for d, a in by_district.items()),
            key=lambda row: sort_key(row[0]),
        ),
        submitted=len(submitted),
        level_numbers=numbers,
        overall=overall,
        domains=domains,
        percentages={n: (met[n] / total[n] if total.get(n) else None) for n in numbers[1:]},
    )
