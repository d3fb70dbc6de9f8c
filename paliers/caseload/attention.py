"""« À suivre en priorité »: the rule that puts a school of a caseload in front of its
animator (README, « Needs attention »). A school needs attention when at least one holds:

- its positioning is **not started** and its campaign closes within CLOSING_SOON days
  (the closing day included);
- its positioning is **in progress**, unchanged for IDLE_DAYS days, and its campaign is
  still open;
- it has a **request** for accompaniment still « ouverte » (nobody took it over) made more
  than UNANSWERED_DAYS days ago;
- it has an **objective overdue**: committed, not closed, its due date passed.

The first two follow the chosen round's campaigns; the last two the school, whatever the
campaign. Written once, as the ids of the schools each reason holds for (`reasons`): the
nation's filter and count are `id IN (…)` over these subqueries, which a database evaluates
once; a scope's, and a page's rows, ask them school by school (`flags`).
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy, ngettext

from paliers.accompaniment.models import RequestStatus, SupportRequest
from paliers.assessments.aggregate_models import AssessmentSummary
from paliers.assessments.stages import Stage
from paliers.objectives.models import Objective

CLOSING_SOON = 14
IDLE_DAYS = 30
UNANSWERED_DAYS = 14


def _late_start():
    return ngettext(
        "non commencé à moins de %(days)s jour de la clôture",
        "non commencé à moins de %(days)s jours de la clôture",
        CLOSING_SOON,
    ) % {"days": CLOSING_SOON}


def _idle():
    return ngettext(
        "aucune modification depuis %(days)s jour", "aucune modification depuis %(days)s jours", IDLE_DAYS
    ) % {"days": IDLE_DAYS}


def _unanswered_request():
    return ngettext(
        "demande sans réponse depuis plus de %(days)s jour",
        "demande sans réponse depuis plus de %(days)s jours",
        UNANSWERED_DAYS,
    ) % {"days": UNANSWERED_DAYS}


# (name, the reason as a row says it), in the order rows list them; the words are lazy (in
# the language of the request that shows them).
REASONS = (
    ("late_start", lazy(_late_start, str)()),
    ("idle", lazy(_idle, str)()),
    ("unanswered_request", lazy(_unanswered_request, str)()),
    ("overdue", gettext_lazy("objectif en retard")),
)


def reasons(campaigns, today, now):
    """{reason: the ids of the schools it holds for}, as subqueries; `campaigns`: the round's."""
    closing_soon = [c.pk for c in campaigns if today <= c.closes_on <= today + timedelta(CLOSING_SOON)]
    still_open = [c.pk for c in campaigns if c.closes_on >= today]
    return {
        "late_start": AssessmentSummary.objects.filter(
            campaign_id__in=closing_soon, stage=Stage.NOT_STARTED
        ).values("school_id"),
        "idle": AssessmentSummary.objects.filter(
            campaign_id__in=still_open,
            stage=Stage.IN_PROGRESS,
            assessment__updated_at__lt=now - timedelta(IDLE_DAYS),
        ).values("school_id"),
        "unanswered_request": SupportRequest.objects.filter(
            status=RequestStatus.OPEN, created_at__lt=now - timedelta(UNANSWERED_DAYS)
        ).values("school_id"),
        "overdue": Objective.objects.overdue(today).values("school_id"),
    }


def flags(found):
    """{reason: whether it holds}, for each school of a page (`found`: `reasons`): the same
    subqueries, asked school by school (EXISTS), cheaper than listing every school for 50."""
    return {name: Exists(ids.filter(school_id=OuterRef("pk"))) for name, ids in found.items()}


def needs_attention(found, one_by_one=False):
    """Any of the reasons, as a condition on a queryset of schools. Over the nation, `id IN`
    each reason's list: one pass over its rows. Over a scope (`one_by_one`: an académie, a
    district), EXISTS school by school through the indexes: SQLite reads every list of the
    nation twice for an OR of `IN` (25 ms for Paris's 2,604 schools, against 2.6 ms)."""
    condition = Q(pk__in=[])
    if one_by_one:
        for exists in flags(found).values():
            condition |= Q(exists)
    else:
        for ids in found.values():
            condition |= Q(pk__in=ids)
    return condition
