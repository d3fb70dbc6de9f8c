"""The caseload's query: what each school's row shows, the filters and the sort, as query
expressions over a queryset of schools (the user's scope).

A school's positioning in the round is a left join (`FilteredRelation` on its assessments,
then the assessment's `AssessmentSummary`: the aggregates kept by every save, never the
answers); the counts of requests and objectives are subqueries; the rule of attention.py is
`id IN (…)` over the nation, EXISTS over a scope. Each expression declares what it needs, so
that a query filtering and sorting 65,700 schools joins and computes only what the user's
choice uses.
"""

from dataclasses import dataclass

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

from paliers.accompaniment.models import AccompanimentRecord, RequestStatus, SupportRequest
from paliers.assessments.aggregate_models import AssessmentSummary
from paliers.assessments.stages import Stage
from paliers.objectives.models import Objective
from paliers.schools.models import School, search_condition

from . import attention

NOT_CONCERNED = "none"  # the state filter's value for the schools without a positioning in the round
EVERY = "all"  # its value for every school of the scope, concerned or not (left empty: the concerned ones)
NO_DATE = Value(None, DateField())
STAGE_ORDER = Case(
    When(stage=Stage.NOT_STARTED, then=Value(0)),
    When(stage=Stage.IN_PROGRESS, then=Value(1)),
    When(stage=Stage.SUBMITTED, then=Value(2)),
    default=None,  # not concerned: last, whichever the direction
    output_field=IntegerField(),
)
# What each expression reads of the others (the positioning's columns need its join).
NEEDS = {
    "assessment_id": ("current",), "stage": ("current",), "answered": ("current",),
    "overall_level": ("current",), "domains": ("current",), "closes_on": ("current",),
    "last_change": ("current", "stage"),
}  # fmt: skip
SORT_NEEDS = {
    "etat": ("stage",), "niveau": ("overall_level",), "renseignes": ("answered",),
    "activite": ("last_change",), "demandes": ("open_requests",), "retard": ("overdue_objectives",),
    "accompagnement": ("last_record_on",),
}  # fmt: skip


def _count(queryset):
    return Coalesce(
        Subquery(queryset.order_by().values("school_id").annotate(n=Count("pk")).values("n")), Value(0)
    )


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


def expressions(campaigns, reasons, today):
    """{name: expression} of a row, in an order where each comes after what it reads.
    `campaigns`: the round's; `reasons`: attention.reasons for them."""
    latest_record = AccompanimentRecord.objects.filter(school=OuterRef("pk")).order_by("-date", "-pk")
    # A round has a few campaigns (one per académie): their closing dates as constants,
    # rather than one more join.
    closing = [When(current__campaign_id=c.pk, then=Value(c.closes_on)) for c in campaigns]
    return {
        # (No campaign in the scope: an id none has, rather than an empty IN Django cannot join on.)
        "current": FilteredRelation(
            "assessments", condition=Q(assessments__campaign_id__in=[c.pk for c in campaigns] or [0])
        ),
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
        **attention.flags(reasons),
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
    concerned: bool = False  # only the schools with a positioning in the round (the observatory's)

    def needs(self):
        """The expressions this choice filters or sorts on, with what they read."""
        wanted = set(SORT_NEEDS.get(self.sort.removeprefix("-"), ()))
        if self.sort.removeprefix("-").startswith("d-"):
            wanted.add("domains")
        found = set()
        for name in wanted:
            found |= {name, *NEEDS.get(name, ())}
        return found

    def without_state(self):
        """The same filters over every school, concerned or not, whatever its state."""
        return Choice(**{**self.__dict__, "state": "", "concerned": False, "attention": False, "sort": "nom"})


def narrowed(rows, choice, needs_attention, campaigns):
    """`rows` (schools, with the expressions the choice needs) filtered as it asks. A state is
    asked of the round's summaries (`id IN (…)`, read from their index), not through the
    row's join: counting a nation's schools « en cours » then reads no other school.
    `needs_attention`: attention.needs_attention's condition."""
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
    positioned = AssessmentSummary.objects.filter(campaign_id__in=[c.pk for c in campaigns])
    if choice.concerned:
        rows = rows.filter(pk__in=positioned.values("school_id"))
    if choice.state == NOT_CONCERNED:
        rows = rows.exclude(pk__in=positioned.values("school_id"))
    elif choice.state:
        rows = rows.filter(pk__in=positioned.filter(stage=choice.state).values("school_id"))
    if choice.attention:
        rows = rows.filter(needs_attention)
    return rows


def sort_keys(domains, needs_attention):
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
        "attention": Case(When(needs_attention, then=Value(1)), default=Value(0)),
    }
    keys.update({f"d-{d.code}": DomainLevel(F("domains"), d.pk) for d in domains})
    return keys


def ordered(rows, sort, keys):
    name = sort.removeprefix("-")
    expression = keys[name]
    if name == "nom":
        first = expression.desc() if sort.startswith("-") else expression.asc()
    elif sort.startswith("-"):
        first = expression.desc(nulls_last=True)
    else:
        first = expression.asc(nulls_last=True)
    return rows.order_by(first, "sort_name", "uai")
