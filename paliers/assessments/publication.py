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
  campaign life cycle, through `publish_areas(…, kind=FigureKind.CLOSE)`), is read instead
  and never changes.
- **When**: on read, at most every CHECK_EVERY per area (a page reads one row per area;
  the check reads the area's summaries), and by `paliers publish_figures`, which applies
  the same rule to every area of every round (idempotent: a second run publishes nothing).
"""

import hashlib
from collections import defaultdict
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from paliers.schools.models import School, SimilarGroup

from .aggregate_models import MIN_SCHOOLS, AssessmentSummary, FigureArea, FigureKind, PublishedFigure, Stage

CHECK_EVERY = timedelta(minutes=10)
FIGURE_FIELDS = ["schools", "score_sums", "members", "published_at", "checked_at"]
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
    if area == FigureArea.SIMILAR:  # a group of similar schools: its criteria
        group = SimilarGroup.objects.filter(pk=area_id).first()
        condition = group.condition("school__") if group else Q(pk__in=[])
    else:
        condition = Q(**{AREA_FILTERS[area]: area_id})
    summaries = AssessmentSummary.objects.filter(
        condition,
        campaign__framework_id=framework_id,
        campaign__school_year=school_year,
        stage=Stage.SUBMITTED,
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


def round_areas(framework_id, school_year, academy_id=None):
    """{(area, id): {school id: domains}} of every area with a submitted positioning of the
    round (of one académie's schools if `academy_id`), from one read of the round's summaries
    and one of their districts: what `current` gives area by area, at once."""
    summaries = AssessmentSummary.objects.filter(
        campaign__framework_id=framework_id, campaign__school_year=school_year, stage=Stage.SUBMITTED
    )
    if academy_id is not None:
        summaries = summaries.filter(department__academy_id=academy_id)
    areas, domains_of = defaultdict(dict), {}
    rows = summaries.values_list("school_id", "department_id", "department__academy_id", "domains")
    for school, department, academy, domains in rows:
        domains_of[school] = domains
        areas[FigureArea.DEPARTMENT, department][school] = domains
        areas[FigureArea.ACADEMY, academy][school] = domains
    links = School.districts.through.objects.filter(school_id__in=summaries.values("school_id"))
    for school, district in links.values_list("school_id", "district_id"):
        areas[FigureArea.DISTRICT, district][school] = domains_of[school]
    _similar_areas(summaries, areas)
    return areas


def _similar_areas(summaries, areas):
    """Add the groups of similar schools (those a page has asked for) to `areas`."""
    by_academy = defaultdict(list)
    columns = ("school_id", "school__kind", "school__sector", "school__priority_education", "school__pupils")
    for academy, *school in summaries.values_list("department__academy_id", *columns, "domains"):
        by_academy[academy].append(school)
    for group in SimilarGroup.objects.filter(academy_id__in=list(by_academy)):
        for school, kind, sector, priority, pupils, domains in by_academy[group.academy_id]:
            if group.matches(group.academy_id, kind, sector, priority, pupils):
                areas[FigureArea.SIMILAR, group.pk][school] = domains


def publish_round(framework_id, school_year, kind=FigureKind.PUBLISHED, now=None):
    """Every area of a round, in bulk: under the rule (PUBLISHED), or frozen as they stand
    (CLOSE). Returns how many figures were written."""
    return publish_areas(framework_id, school_year, round_areas(framework_id, school_year), kind, now)


def publish_areas(framework_id, school_year, found, kind=FigureKind.PUBLISHED, now=None, only=None):
    """Write in bulk the figures of a round's areas from `found` ({(area, area_id): {school
    id: domains}}, as round_areas reads them): those of `only` (a set of such keys; an area
    without members then gets an empty figure), or of every area found or written before.
    Under the rule for PUBLISHED; as they stand for CLOSE. Returns how many were written."""
    now = now or timezone.now()
    rows = PublishedFigure.objects.filter(framework_id=framework_id, school_year=school_year, kind=kind)
    if only is not None:
        rows = rows.filter(area_id__in={area_id for __, area_id in only})
    existing = {(row.area, row.area_id): row for row in rows}
    keys = set(found) | set(existing) if only is None else set(only)
    new, renewed, checked = [], [], []
    for key in sorted(keys):
        fields = _fields(found.get(key, {}), now)
        row = existing.get(key)
        if row is None:
            new.append(PublishedFigure(framework_id=framework_id, school_year=school_year, area=key[0],
                                       area_id=key[1], kind=kind, **fields))  # fmt: skip
        elif fields["members"] != row.members and (
            kind == FigureKind.CLOSE
            or row.schools < MIN_SCHOOLS
            or changed(row.members, fields["members"]) >= MIN_SCHOOLS
        ):
            for name, value in fields.items():
                setattr(row, name, value)
            renewed.append(row)
        else:
            checked.append(row.pk)
    with transaction.atomic():
        PublishedFigure.objects.bulk_create(new, batch_size=1000)
        PublishedFigure.objects.bulk_update(renewed, FIGURE_FIELDS, batch_size=1000)
        for batch in range(0, len(checked), 1000):
            PublishedFigure.objects.filter(pk__in=checked[batch : batch + 1000]).update(checked_at=now)
    return len(new) + len(renewed)
