"""« À suivre en priorité »: the rule that puts a school of a caseload in front of its
animator (README, « Needs attention »). A school needs attention when at least one holds:

- its positioning is **not started** and its campaign closes within CLOSING_SOON days
  (the closing day included);
- its positioning is **in progress**, unchanged for IDLE_DAYS days, and its campaign is
  still open;
- it has a **request** for accompaniment still « ouverte » (nobody took it over) made more
  than UNANSWERED_DAYS days ago;
- it has an **objective overdue**: committed, not closed, its due date passed.

The first two follow the chosen campaign; the last two the school, whatever the campaign.
Written once, as query expressions: the filter, the count and each row's reasons are the
same conditions evaluated by the database.
"""

from datetime import timedelta

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from paliers.accompaniment.models import RequestStatus, SupportRequest
from paliers.assessments.stages import Stage
from paliers.objectives.models import Objective

CLOSING_SOON = 14
IDLE_DAYS = 30
UNANSWERED_DAYS = 14

# (annotation name, the reason as a row says it), in the order rows list them.
REASONS = (
    ("late_start", f"non commencé à moins de {CLOSING_SOON} jours de la clôture"),
    ("idle", f"aucune modification depuis {IDLE_DAYS} jours"),
    ("unanswered_request", f"demande sans réponse depuis plus de {UNANSWERED_DAYS} jours"),
    ("overdue", "objectif en retard"),
)


def _flag(condition):
    return ExpressionWrapper(condition, output_field=BooleanField())


def reasons(today, now):
    """{annotation name: boolean expression} over a queryset of schools annotated by
    rows.caseload (it reads `stage`, `closes_on` and `last_change`)."""
    return {
        "late_start": _flag(
            Q(stage=Stage.NOT_STARTED, closes_on__gte=today, closes_on__lte=today + timedelta(CLOSING_SOON))
        ),
        "idle": _flag(
            Q(stage=Stage.IN_PROGRESS, closes_on__gte=today, last_change__lt=now - timedelta(IDLE_DAYS))
        ),
        "unanswered_request": Exists(
            SupportRequest.objects.filter(
                school=OuterRef("pk"),
                status=RequestStatus.OPEN,
                created_at__lt=now - timedelta(UNANSWERED_DAYS),
            )
        ),
        "overdue": Exists(Objective.objects.overdue(today).filter(school=OuterRef("pk"))),
    }


def needs_attention():
    """Any of the reasons, over a queryset annotated with them."""
    condition = Q()
    for name, _label in REASONS:
        condition |= Q(**{name: True})
    return condition
