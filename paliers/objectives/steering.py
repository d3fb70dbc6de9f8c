"""From results to objectives and back: suggested objectives, the radar's targets, and
the frameworks a school steers on. Plain functions over the models."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from paliers.frameworks.models import Audience, Criterion, Domain, Framework, Level

from .models import CLOSING_IN_FUTURE, Objective, ObjectiveStatus, future_date_fault


@dataclass(frozen=True)
class Suggestion:
    """The next level of a domain, with its unmet criteria; `existing` is an open
    objective already aiming there."""

    domain: Domain
    level: Level
    criteria: list[Criterion]
    existing: Objective | None


def suggestions(school, framework, domain_results):
    """One suggestion per domain that has a level above the one reached.

    `domain_results`: the scoring's per-domain results (code, next_steps: the unmet criteria
    of the next level with criteria, in framework order)."""
    domains = {d.code: d for d in framework.domains.all()}
    criteria = {c.code: c for c in framework.criteria.select_related("level")}
    open_objectives = list(Objective.objects.open().filter(school=school, framework=framework))
    found = []
    for result in domain_results:
        if not result.next_steps:
            continue
        unmet = [criteria[code] for code in result.next_steps]
        domain, level = domains[result.code], unmet[0].level
        existing = next(
            (o for o in open_objectives if o.domain_id == domain.pk and o.level_id == level.pk), None
        )
        found.append(Suggestion(domain, level, unmet, existing))
    return found


@transaction.atomic
def create_draft_from_suggestion(school, domain, level, criteria, user):
    """A draft objective aiming at `level` in `domain`, naming the unmet criteria."""
    title = _("Atteindre le niveau « %(level)s » : %(domain)s") % {
        "level": level.label,
        "domain": domain.title,
    }
    objective = Objective.objects.create(
        school=school,
        framework=domain.framework,
        domain=domain,
        level=level,
        title=title[:200],
        description=_("Critères à atteindre :")
        + "\n"
        + "\n".join(f"- {c.code} : {c.text}" for c in criteria),
        is_draft=True,
        created_by=user,
    )
    objective.criteria.set(criteria)
    return objective


def target_levels(school, framework):
    """{domain code: the highest level aimed at by a committed objective on it}."""
    targets = {}
    for code, number in (
        Objective.objects.committed()
        .filter(school=school, framework=framework)
        .values_list("domain__code", "level__number")
    ):
        targets[code] = max(number, targets.get(code, 0))
    return targets


def frameworks_of(school):
    """The frameworks a school positions itself on (its campaigns'), newest campaign first;
    when it has none yet, every framework a school answers as an institution."""
    used = list(
        Framework.objects.filter(campaigns__assessments__school=school)
        .order_by("-campaigns__school_year")
        .distinct()
    )
    seen, ordered = set(), []
    for framework in used:
        if framework.pk not in seen:
            seen.add(framework.pk)
            ordered.append(framework)
    return ordered or list(Framework.objects.exclude(audience=Audience.EQUIPE).order_by("title", "version"))


def timetable(objectives, *, domain=None, status="", pilot="", sort="", today):
    """The échéancier: objectives filtered and sorted as asked.

    A school has tens of objectives, not thousands: their state (from the latest point de
    situation) is read from prefetched rows and filtered here rather than in SQL."""
    rows = list(objectives)
    if domain:
        rows = [o for o in rows if str(o.domain_id) == str(domain)]
    if status == "retard":
        rows = [o for o in rows if o.is_overdue(today)]
    elif status:
        rows = [o for o in rows if o.status == status]
    if pilot:
        wanted = pilot.casefold()
        rows = [o for o in rows if wanted in o.pilot_label.casefold()]
    far = today.replace(year=9999)
    keys = {
        "domaine": lambda o: (o.domain.position, o.due_on or far),
        "pilote": lambda o: (o.pilot_label.casefold() or "\uffff", o.due_on or far),
        "etat": lambda o: (_STATE_ORDER.index(o.status), o.due_on or far),
    }
    return sorted(rows, key=keys.get(sort, lambda o: (o.due_on or far, o.domain.position)))


_STATE_ORDER = list(ObjectiveStatus.values)


def objective_counts(school, today=None):
    """{"total", "open", "overdue"} for the school page: three counts, one query."""
    today = today or timezone.localdate()
    committed = Q(achieved__isnull=True, is_draft=False)
    return Objective.objects.filter(school=school).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(achieved__isnull=True)),
        overdue=Count("pk", filter=committed & Q(due_on__lt=today)),
    )


def close(objective, *, achieved, closed_on, observations):
    """Record the outcome. Closing a draft commits it: its outcome is on record, dated."""
    fault = future_date_fault(closed_on, timezone.localdate(), CLOSING_IN_FUTURE)
    if fault:
        raise ValidationError({"closed_on": fault})
    objective.achieved, objective.closed_on, objective.observations = achieved, closed_on, observations
    objective.is_draft = False
    objective.due_on = objective.due_on or closed_on
    objective.save()
