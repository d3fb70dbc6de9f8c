"""A school beside its district, its département and its académie (benchmarking).

Averages of the progress score per domain over the submitted assessments of the same round
(the framework version and school year of the school's campaign), read from the
aggregates: a district from the assessments' summaries, a département or an académie from
the tallies. An average over fewer than MIN_SCHOOLS schools is hidden from whoever does not
see all of them (`aggregates.disclosed`).
"""

from dataclasses import dataclass

from django.db.models import Sum

from paliers.accounts.scoping import schools_for
from paliers.frameworks.models import Domain

from .aggregate_models import MIN_SCHOOLS, AssessmentSummary, DomainTally, Stage, StageTally
from .aggregates import disclosed
from .models import Campaign


@dataclass(frozen=True)
class Average:
    label: str
    area: str  # district, department or academy
    schools: int  # submitted assessments the average is over
    scores: dict | None  # {domain code: average progress score}; None when hidden

    @property
    def hidden(self):
        return self.scores is None and self.schools > 0


def round_campaigns(campaign):
    """The campaigns of the same framework version and school year, in every académie."""
    return Campaign.objects.filter(framework_id=campaign.framework_id, school_year=campaign.school_year)


def averages(assessment, user):
    """District(s), département and académie averages for `assessment`'s school, as `user` may see them."""
    campaign, school = assessment.campaign, assessment.school
    ids = list(round_campaigns(campaign).values_list("pk", flat=True))
    codes = dict(Domain.objects.filter(framework_id=campaign.framework_id).values_list("pk", "code"))
    submitted = AssessmentSummary.objects.filter(campaign_id__in=ids, stage=Stage.SUBMITTED)
    visible = schools_for(user)
    rows = []
    for district in school.districts.order_by("kind", "name"):
        found = submitted.filter(school__districts=district)
        totals, count = {}, 0
        for domains in found.values_list("domains", flat=True):
            count += 1
            for pk, (_, score) in domains.items():
                totals[int(pk)] = totals.get(int(pk), 0) + score
        rows.append(_average(str(district), "district", count, totals, codes, found, visible))
    department = school.department
    for label, area, where in (
        (str(department), "department", {"department_id": department.pk}),
        (str(department.academy), "academy", {"department__academy_id": department.academy_id}),
    ):
        count = (
            StageTally.objects.filter(campaign_id__in=ids, stage=Stage.SUBMITTED, **where).aggregate(
                n=Sum("schools")
            )["n"]
            or 0
        )
        sums = dict(
            DomainTally.objects.filter(campaign_id__in=ids, stage=Stage.SUBMITTED, **where)
            .values("domain_id")
            .annotate(total=Sum("score_sum"))
            .values_list("domain_id", "total")
        )
        rows.append(_average(label, area, count, sums, codes, submitted.filter(**where), visible))
    return rows


def _average(label, area, count, sums, codes, summaries, visible):
    """`sums`: {domain id: sum of scores in thousandths} over `count` schools."""
    if not count:
        return Average(label, area, 0, None)
    seen = count if count >= MIN_SCHOOLS else summaries.filter(school__in=visible).count()
    if not disclosed(count, seen):
        return Average(label, area, count, None)
    return Average(label, area, count, {codes[pk]: total / count / 1000 for pk, total in sums.items()})
