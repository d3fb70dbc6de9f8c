"""The caseload: every school of a scope in one table, each with its positioning in a
campaign round, its requests, objectives and accompaniment.

One query for the page: the schools, left-joined to their positioning in the round and its
summary (the aggregates kept by every save: never the answers), the counts of requests and
objectives as subqueries, the rule of attention.py as expressions. Sorting and filtering
happen in the database, so a national caseload's first page reads 50 rows, not 65,700.
"""

from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from paliers.accompaniment.models import AccompanimentRecord, RecordKind, RequestStatus, SupportRequest
from paliers.assessments.models import Campaign
from paliers.assessments.stages import Stage
from paliers.frameworks.models import Criterion, Domain
from paliers.objectives.models import Objective
from paliers.schools.models import School, district_labels, search_condition

from . import attention

PER_PAGE = 50
STAGE_ORDER = Case(
    When(stage=Stage.NOT_STARTED, then=Value(0)),
    When(stage=Stage.IN_PROGRESS, then=Value(1)),
    When(stage=Stage.SUBMITTED, then=Value(2)),
    default=None,  # not concerned: last, whichever the direction
    output_field=IntegerField(),
)
NO_DATE = Value(None, DateField())
NOT_CONCERNED = "none"  # the state filter's value for the schools without a positioning in the round


def _count(queryset):
    return Coalesce(
        Subquery(queryset.order_by().values("school_id").annotate(n=Count("pk")).values("n")), Value(0)
    )


def expressions(campaigns, *, today, now):
    """{name: expression}: what the table shows of each school of a scope, with its positioning
    in `campaigns` (a round's). A school without one (not concerned, or added to the directory
    since the campaign opened) keeps its row, its state empty."""
    latest_record = AccompanimentRecord.objects.filter(school=OuterRef("pk")).order_by("-date", "-pk")
    campaigns = list(campaigns)
    # A round has a few campaigns (one per académie): their closing dates as constants,
    # rather than one more join.
    closing = [When(current__campaign_id=c.pk, then=Value(c.closes_on)) for c in campaigns]
    return {
        "current": FilteredRelation("assessments", condition=Q(assessments__campaign__in=campaigns)),
        "assessment_id": F("current__pk"),
        "stage": F("current__summary__stage"),
        "answered": F("current__summary__answered"),
        "overall_level": F("current__summary__overall_level"),
        "domains": F("current__summary__domains"),
        "closes_on": Case(*closing, default=None, output_field=DateField()) if closing else NO_DATE,
        # The positioning's last change; none before its first answer.
        "last_change": Case(When(~Q(stage=Stage.NOT_STARTED), then=F("current__updated_at"))),
        "open_requests": _count(
            SupportRequest.objects.filter(school=OuterRef("pk")).exclude(status=RequestStatus.CLOSED)
        ),
        "overdue_objectives": _count(Objective.objects.overdue(today).filter(school=OuterRef("pk"))),
        "last_record_on": Subquery(latest_record.values("date")[:1]),
        "last_record_kind": Subquery(latest_record.values("kind")[:1]),
        **attention.reasons(today, now),
    }


@dataclass(frozen=True)
class Choice:
    """What the user asked: filters, search and sort (forms.py reads them from the query string)."""

    q: str = ""
    state: str = ""  # a Stage value, or NOT_CONCERNED
    department: object = None
    district: object = None
    kind: str = ""
    sector: str = ""
    priority: str = ""  # "", REP, REP+, ep (either), hors
    attention: bool = False
    sort: str = "nom"


def narrowed(rows, choice):
    if choice.q.strip():
        rows = rows.filter(search_condition(choice.q))
    if choice.department is not None:
        rows = rows.filter(department=choice.department)
    if choice.district is not None:
        rows = rows.filter(districts=choice.district)
    if choice.kind:
        rows = rows.filter(kind=choice.kind)
    if choice.sector:
        rows = rows.filter(sector=choice.sector)
    if choice.priority == "ep":
        rows = rows.filter(priority_education__in=("REP", "REP+"))
    elif choice.priority == "hors":
        rows = rows.filter(priority_education="")
    elif choice.priority:
        rows = rows.filter(priority_education=choice.priority)
    if choice.state == NOT_CONCERNED:
        rows = rows.filter(assessment_id__isnull=True)
    elif choice.state:
        rows = rows.filter(stage=choice.state)
    if choice.attention:
        rows = rows.filter(attention.needs_attention())
    return rows


class DomainLevel(Func):
    """The level reached in one domain, read from a summary's `domains` ({"id": [level, score]}).
    Its keys are digits, which Django's key lookups would take for array positions."""

    output_field = IntegerField()

    def __init__(self, expression, domain_id):
        super().__init__(expression)
        self.domain_id = int(domain_id)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"json_extract({sql}, %s)", [*params, f'$."{self.domain_id}"[0]']

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) -> %s ->> 0)::integer", [*params, str(self.domain_id)]


def _domain_level(domain_id):
    return DomainLevel(F("domains"), domain_id)


def sort_keys(domains):
    """{sort key: expression}: every column of the table (a domain's column is « d-CODE »)."""
    first_district = Subquery(
        School.districts.through.objects.filter(school_id=OuterRef("pk"))
        .order_by()
        .values("school_id")
        .annotate(first=Min("district__name"))
        .values("first")
    )
    keys = {
        "nom": F("sort_name"),
        "type": F("kind"),
        "district": first_district,
        "etat": STAGE_ORDER,
        "niveau": F("overall_level"),
        "renseignes": F("answered"),
        "activite": F("last_change"),
        "demandes": F("open_requests"),
        "retard": F("overdue_objectives"),
        "accompagnement": F("last_record_on"),
        "attention": Case(When(attention.needs_attention(), then=Value(1)), default=Value(0)),
    }
    keys.update({f"d-{d.code}": _domain_level(d.pk) for d in domains})
    return keys


def ordered(rows, sort, domains):
    keys = sort_keys(domains)
    name = sort.removeprefix("-")
    if name not in keys:
        name, sort = "nom", "nom"
    expression = keys[name]
    if name == "nom":
        first = expression.desc() if sort.startswith("-") else expression.asc()
    elif sort.startswith("-"):
        first = expression.desc(nulls_last=True)
    else:
        first = expression.asc(nulls_last=True)
    return rows.order_by(first, "sort_name", "uai")


@dataclass(frozen=True)
class Row:
    school: School
    districts: list  # labels
    assessment_id: int | None
    stage: Stage | None
    overall_level: int | None
    levels: list  # one level reached (or None) per domain, in the framework's order
    answered: int | None
    total: int
    last_change: datetime | None
    open_requests: int
    overdue_objectives: int
    last_record_on: date | None
    last_record_kind: str
    reasons: list  # what attention.py found, in words
    reason_codes: list  # the same, as attention.REASONS' names

    @property
    def state_label(self):
        return self.stage.label if self.stage else "non concerné"

    def cells(self):
        """The row in the CSV's columns (Caseload.csv)."""
        school = self.school
        return (
            school.uai, school.name, school.get_kind_display(), school.commune, school.department.code,
            " / ".join(self.districts), self.state_label, self.overall_level, *self.levels, self.answered,
            self.total, timezone.localtime(self.last_change).date() if self.last_change else None,
            self.open_requests, self.overdue_objectives, self.last_record_on, self.last_record_kind,
            " ; ".join(self.reasons),
        )  # fmt: skip


def build_rows(schools, domains, total, labels):
    """Rows of annotated schools (`labels`: {district id: label})."""
    kinds = dict(RecordKind.choices)
    found = []
    for school in schools:
        stored = school.domains or {}
        found.append(
            Row(
                school=school,
                districts=[labels.get(d.pk, d.label) for d in school.districts.all()],
                assessment_id=school.assessment_id,
                stage=Stage(school.stage) if school.stage else None,
                overall_level=school.overall_level,
                levels=[stored[str(d.pk)][0] if str(d.pk) in stored else None for d in domains],
                answered=school.answered,
                total=total,
                last_change=school.last_change,
                open_requests=school.open_requests,
                overdue_objectives=school.overdue_objectives,
                last_record_on=school.last_record_on,
                last_record_kind=kinds.get(school.last_record_kind, ""),
                reasons=[label for name, label in attention.REASONS if getattr(school, name)],
                reason_codes=[name for name, _ in attention.REASONS if getattr(school, name)],
            )
        )
    return found


class Caseload:
    """A round's caseload over `schools` with the user's choice: the page's rows, every row
    for the CSV and the API, the counts.

    Two steps, as a « deferred join »: the schools are filtered, sorted and counted with only
    the expressions the choice needs (`alias`: an expression appears in the SQL where used),
    then the page's schools alone are read with every column. A database sorting 65,700
    schools never computes their counts of requests or objectives to show 50 of them."""

    def __init__(self, schools, round, choice, *, today=None, now=None):
        self.round, self.choice = round, choice
        self.today, self.now = today or timezone.localdate(), now or timezone.now()
        framework = round.framework
        self.domains = list(Domain.objects.filter(framework=framework).order_by("position"))
        self.total = Criterion.objects.filter(framework=framework).count()
        self.campaigns = list(Campaign.objects.filter(framework=framework, school_year=round.school_year))
        known = choice.sort.removeprefix("-") in sort_keys(self.domains)
        self.sort = choice.sort if known else "nom"
        self.rows = ordered(narrowed(schools.alias(**self.expressions()), choice), self.sort, self.domains)

    def expressions(self):
        # Anew for each query: Django binds a FilteredRelation to the query it joins.
        return expressions(self.campaigns, today=self.today, now=self.now)

    def ids(self):
        return self.rows.values_list("pk", flat=True)

    def detail(self, ids):
        """The rows of these schools, in this order, with every column."""
        ids = list(ids)
        schools = (
            School.objects.filter(pk__in=ids)
            .annotate(**self.expressions())
            .select_related("department")
            .prefetch_related("districts")
        )
        by_pk = {school.pk: school for school in schools}
        found = [by_pk[pk] for pk in ids]
        districts = {d.pk: d for school in found for d in school.districts.all()}
        return build_rows(found, self.domains, self.total, district_labels(districts.values()))

    def page(self, number, per_page=PER_PAGE):
        """(the paginator's page, its rows)."""
        page = Paginator(self.ids(), per_page).get_page(number)
        return page, self.detail(page.object_list)

    def every_row(self, chunk=1000):
        """Every row, `chunk` schools at a time (an export of the nation streams)."""
        ids = self.ids().iterator(chunk_size=chunk)
        while batch := list(islice(ids, chunk)):
            yield from self.detail(batch)

    def csv(self):
        header = [
            "UAI", "École ou établissement", "Type", "Commune", "Département", "Districts", "État",
            "Niveau global", *(f"Niveau atteint : {d.title}" for d in self.domains), "Critères renseignés",
            "Critères du référentiel", "Dernière modification", "Demandes d’accompagnement ouvertes",
            "Objectifs en retard", "Dernier accompagnement", "Nature du dernier accompagnement",
            "À suivre en priorité",
        ]  # fmt: skip
        return header, (row.cells() for row in self.every_row())


def counts(caseload):
    """{stage value or NOT_CONCERNED: schools, "attention": schools, "total": schools} over a
    caseload's rows (its filters applied): one aggregate query."""
    found = caseload.rows.order_by().aggregate(
        total=Count("pk"),
        attention=Count("pk", filter=attention.needs_attention()),
        **{stage: Count("pk", filter=Q(stage=stage)) for stage in Stage.values},
        **{NOT_CONCERNED: Count("pk", filter=Q(assessment_id__isnull=True))},
    )
    return found
