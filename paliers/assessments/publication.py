"""Comparison averages that cannot be subtracted to reveal one school.

A school's results page (its PDF, the API, the observatory's « une école et ses moyennes »)
shows the averages of its district, département and académie over the schools that
submitted. Computed live, their difference before and after one school submits or reopens
gives that school's exact scores. So they are *published* figures (`PublishedFigure`):

- **The rule**: an area's published figure is replaced only when at least MIN_SCHOOLS (5)
  schools' contributions changed since it was published (entered, left, or changed scores);
  the difference between any two publications then mixes at least five schools. While a
  figure covers fewer than MIN_SCHOOLS schools it is shown only to those who see all of
  them (`aggregates.disclosed`), so it follows every change.
- **At the close**: a figure of kind CLOSE, once written for a round and area (by the
  campaign life cycle, through `publish_round(…, kind=FigureKind.CLOSE)`), is read instead
  and never changes.
- **When**: on read, at most every CHECK_EVERY per area (a page reads one row per area;
  the check reads the area's summaries), and by `paliers publish_figures`, which applies
  the same rule to every area of every round (idempotent: a second run publishes nothing).
"""

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from paliers.schools.models import Department, District

from .aggregate_models import MIN_SCHOOLS, AssessmentSummary, FigureArea, FigureKind, PublishedFigure, Stage

CHECK_EVERY = timedelta(minutes=10)
AREA_FILTERS = {
    FigureArea.DISTRICT: "school__districts",
    FigureArea.DEPARTMENT: "department_id",
    FigureArea.ACADEMY: "department__academy_id",
}


def _digest(domains):
    text = ";".join(
        f"{pk}:{score}" for pk, (_, score) in sorted(domains.items(), key=lambda item: int(item[0]))
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def current(framework_id, school_year, area, area_id):
    """{school id: domains} of the round's submitted positionings in the area, as they stand."""
    summaries = AssessmentSummary.objects.filter(
        campaign__framework_id=framework_id,
        campaign__school_year=school_year,
        stage=Stage.SUBMITTED,
        **{AREA_FILTERS[area]: area_id},
    )
    return dict(summaries.values_list("school_id", "domains"))


def changed(published, members):
    """How many schools' contributions differ between two {school id: digest}."""
    keys = set(published) | set(members)
    return sum(published.get(key) != members.get(key) for key in keys)


def _fields(found, now):
    sums = {}
    for domains in found.values():
        for pk, (_, score) in domains.items():
            sums[str(pk)] = sums.get(str(pk), 0) + score
    members = {str(school): _digest(domains) for school, domains in found.items()}
    return {
        "schools": len(found),
        "score_sums": sums,
        "members": members,
        "published_at": now,
        "checked_at": now,
    }


def publish(framework_id, school_year, area, area_id, kind=FigureKind.PUBLISHED, now=None, found=None):
    """Write the area's figure of `kind` as the positionings stand now."""
    now = now or timezone.now()
    found = current(framework_id, school_year, area, area_id) if found is None else found
    key = {
        "framework_id": framework_id,
        "school_year": school_year,
        "area": area,
        "area_id": area_id,
        "kind": kind,
    }
    try:
        with transaction.atomic():
            figure, _ = PublishedFigure.objects.update_or_create(**key, defaults=_fields(found, now))
    except IntegrityError:  # written meanwhile by another request: keep theirs
        figure = PublishedFigure.objects.get(**key)
    return figure


def refresh(figure, now=None):
    """Apply the rule to a published figure; the figure as it now stands."""
    now = now or timezone.now()
    found = current(figure.framework_id, figure.school_year, figure.area, figure.area_id)
    members = {str(school): _digest(domains) for school, domains in found.items()}
    small = figure.schools < MIN_SCHOOLS  # hidden from outsiders: it may follow every change
    if members != figure.members and (small or changed(figure.members, members) >= MIN_SCHOOLS):
        return publish(
            figure.framework_id, figure.school_year, figure.area, figure.area_id, now=now, found=found
        )
    PublishedFigure.objects.filter(pk=figure.pk).update(checked_at=now)
    return figure


def figure(framework_id, school_year, area, area_id, now=None):
    """The area's figure to show: the close's if any, else the published one (written or
    renewed under the rule)."""
    now = now or timezone.now()
    rows = {
        row.kind: row
        for row in PublishedFigure.objects.filter(
            framework_id=framework_id, school_year=school_year, area=area, area_id=area_id
        )
    }
    if FigureKind.CLOSE in rows:
        return rows[FigureKind.CLOSE]
    found = rows.get(FigureKind.PUBLISHED)
    if found is None:
        return publish(framework_id, school_year, area, area_id, now=now)
    if now - found.checked_at < CHECK_EVERY:
        return found
    return refresh(found, now)


def areas_of(framework_id, school_year):
    """(area, id) of every district, département and académie with a submitted positioning."""
    summaries = AssessmentSummary.objects.filter(
        campaign__framework_id=framework_id, campaign__school_year=school_year, stage=Stage.SUBMITTED
    )
    departments = set(summaries.values_list("department_id", flat=True))
    academies = set(Department.objects.filter(pk__in=departments).values_list("academy_id", flat=True))
    districts = set(
        District.objects.filter(schools__in=summaries.values("school_id")).values_list("pk", flat=True)
    )
    return [
        *((FigureArea.DISTRICT, pk) for pk in sorted(districts)),
        *((FigureArea.DEPARTMENT, pk) for pk in sorted(departments)),
        *((FigureArea.ACADEMY, pk) for pk in sorted(academies)),
    ]


def publish_round(framework_id, school_year, kind=FigureKind.PUBLISHED, now=None):
    """Every area of a round: under the rule (PUBLISHED), or frozen as they stand (CLOSE).
    Returns how many figures were written."""
    now = now or timezone.now()
    written = 0
    for area, area_id in areas_of(framework_id, school_year):
        if kind == FigureKind.CLOSE:
            publish(framework_id, school_year, area, area_id, kind=kind, now=now)
            written += 1
            continue
        before = PublishedFigure.objects.filter(
            framework_id=framework_id, school_year=school_year, area=area, area_id=area_id, kind=kind
        ).first()
        after = refresh(before, now) if before else publish(framework_id, school_year, area, area_id, now=now)
        written += before is None or after.published_at != before.published_at
    return written
