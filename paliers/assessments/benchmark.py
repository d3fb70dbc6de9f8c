"""A school beside its district, its similar schools (schools/similarity.py), its
département and its académie (benchmarking).

Averages of the progress score per domain over the submitted assessments of the same round
(the framework version and school year of the school's campaign), as *published*
(publication.py): figures that change only when five schools have changed, so that two of
them never reveal one school. An average over fewer than MIN_SCHOOLS schools is hidden from
whoever does not see all of them (`aggregates.disclosed`).
"""

from dataclasses import dataclass, replace
from datetime import datetime

from django.utils.translation import gettext as _

from paliers.accounts.scoping import schools_for
from paliers.frameworks.models import Domain
from paliers.schools.models import elided
from paliers.schools.similarity import group_for

from .aggregate_models import MIN_SCHOOLS, FigureArea, FigureKind
from .aggregates import disclosed
from .models import Campaign
from .publication import figure


@dataclass(frozen=True)
class Average:
    label: str
    area: str  # district, department or academy
    schools: int  # submitted assessments the average is over
    scores: dict | None  # {domain code: average progress score}; None when hidden
    published_at: datetime | None = None
    detail: str = ""  # what the area is, where its label does not say (the similar schools' criteria)
    at_close: bool = False  # frozen at the campaign's close (published_at is then the close's moment)

    @property
    def hidden(self):
        return self.scores is None and self.schools > 0


def round_campaigns(campaign):
    """The campaigns of the same framework version and school year, in every académie."""
    return Campaign.objects.filter(framework_id=campaign.framework_id, school_year=campaign.school_year)


def averages(assessment, user):
    """District(s), département and académie averages for `assessment`'s school, as `user` may see them."""
    campaign, school = assessment.campaign, assessment.school
    codes = {
        str(pk): code
        for pk, code in Domain.objects.filter(framework_id=campaign.framework_id).values_list("pk", "code")
    }
    department = school.department
    similar = group_for(school)
    areas = [
        *((str(d), FigureArea.DISTRICT, d.pk) for d in school.districts.order_by("kind", "name")),
        *([(_("Écoles semblables"), FigureArea.SIMILAR, similar.pk)] if similar else []),
        (str(department), FigureArea.DEPARTMENT, department.pk),
        (str(department.academy), FigureArea.ACADEMY, department.academy_id),
    ]
    visible = schools_for(user)
    rows = []
    for label, area, area_id in areas:
        found = figure(campaign.framework_id, campaign.school_year, area, area_id)
        average = _average(label, area, found, codes, visible)
        if area == FigureArea.SIMILAR:
            name = department.academy.name
            if elided(name):
                text = _("%(group)s, académie d’%(academy)s")
            else:
                text = _("%(group)s, académie de %(academy)s")
            average = replace(average, detail=text % {"group": similar.label, "academy": name})
        rows.append(average)
    return rows


def _average(label, area, found, codes, visible):
    count, at_close = found.schools, found.kind == FigureKind.CLOSE
    if not count:
        return Average(label, area, 0, None, found.published_at, at_close=at_close)
    seen = count if count >= MIN_SCHOOLS else visible.filter(pk__in=[int(pk) for pk in found.members]).count()
    if not disclosed(count, seen):
        return Average(label, area, count, None, found.published_at, at_close=at_close)
    scores = {codes[pk]: total / count / 1000 for pk, total in found.score_sums.items() if pk in codes}
    return Average(label, area, count, scores, found.published_at, at_close=at_close)
