"""The caseload: every school of a scope in one table, each with its positioning in a
campaign round, its requests, objectives and accompaniment (the query: query.py)."""

from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from paliers.accompaniment.models import RecordKind
from paliers.assessments.models import Campaign
from paliers.assessments.stages import Stage
from paliers.frameworks.models import Criterion, Domain
from paliers.observatory.figures import TOTAL, Reader
from paliers.observatory.selection import Filters, area_for
from paliers.schools.models import School, district_labels

from . import attention
from .query import NOT_CONCERNED, Choice, expressions, narrowed, ordered, sort_keys

PER_PAGE = 50


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
    links: list  # (label, URL) of the school's pages: results or positioning, accompaniment, objectives
    remind_url: str = (
        ""  # « Relancer » (for the DAN and animators): a positioning not submitted, campaign open
    )

    @property
    def state_label(self):
        return str(self.stage.label) if self.stage else _("non concerné")

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


# Reversed once, then filled in: a page of 50 rows would otherwise reverse 150 URLs.
MARK, NUMBER = "-UAI-", 987654321


def _url_makers():
    results = reverse("assessments:results", args=[NUMBER])
    detail = reverse("assessments:detail", args=[NUMBER])
    accompaniment = reverse("accompaniment:school", args=[MARK])
    objectives = reverse("objectives:list", args=[MARK])
    return (
        lambda pk: results.replace(str(NUMBER), str(pk)),
        lambda pk: detail.replace(str(NUMBER), str(pk)),
        lambda uai: accompaniment.replace(MARK, uai),
        lambda uai: objectives.replace(MARK, uai),
    )


def _links(school, makers):
    """The row's links (its actions: #17's « Relancer » joins them)."""
    results, detail, accompaniment, objectives = makers
    found = []
    if school.answered:
        found.append((_("Résultats"), results(school.assessment_id)))
    elif school.assessment_id:
        found.append((_("Positionnement"), detail(school.assessment_id)))
    found.append((_("Accompagnement"), accompaniment(school.uai)))
    found.append((_("Objectifs"), objectives(school.uai)))
    return found


def _remind_url(school, today):
    if not school.assessment_id or school.stage == Stage.SUBMITTED or not school.closes_on:
        return ""
    if school.closes_on < today:
        return ""
    return reverse("assessments:remind_school", args=[school.assessment_id])


def build_rows(schools, domains, total, labels):
    """Rows of annotated schools (`labels`: {district id: label})."""
    kinds, makers = dict(RecordKind.choices), _url_makers()
    today, found = timezone.localdate(), []
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
                last_record_kind=str(kinds.get(school.last_record_kind, "")),  # a lazy label made text
                reasons=[str(label) for name, label in attention.REASONS if getattr(school, name)],
                reason_codes=[name for name, __ in attention.REASONS if getattr(school, name)],
                links=_links(school, makers),
                remind_url=_remind_url(school, today),
            )
        )
    return found


class Caseload:
    """A round's caseload over `schools` with the user's choice: the page's rows, every row
    for the CSV and the API, the counts.

    Two steps, as a « deferred join »: the schools are filtered, sorted and counted with only
    the expressions the choice needs, then the page's schools alone are read with every
    column. A database sorting 65,700 schools never computes their counts of requests or
    objectives to show 50 of them."""

    def __init__(self, schools, round, choice, *, today=None, now=None):
        self.round, self.schools = round, schools
        self.today, self.now = today or timezone.localdate(), now or timezone.now()
        framework = round.framework
        self.domains = list(Domain.objects.filter(framework=framework).order_by("position"))
        self.total = Criterion.objects.filter(framework=framework).count()
        # The round's campaigns that concern a school of the scope (one per académie at most).
        round_campaigns = Campaign.objects.filter(framework=framework, school_year=round.school_year)
        scoped = bool(schools.query.where)  # not every school of the nation
        self.campaigns = list(
            round_campaigns.filter(
                Q(department__isnull=True, academy__in=schools.values("department__academy"))
                | Q(department__in=schools.values("department"))
            )
            if scoped
            else round_campaigns  # every school: every campaign, without reading them all
        )
        self.reasons = attention.reasons(self.campaigns, self.today, self.now)
        # A scope's schools are asked one by one whether they need attention; the nation's
        # through each reason's list (attention.needs_attention).
        self.needs_attention = attention.needs_attention(self.reasons, one_by_one=scoped)
        self.keys = sort_keys(self.domains, self.needs_attention)
        if choice.sort.removeprefix("-") not in self.keys:
            choice = Choice(**{**choice.__dict__, "sort": "nom"})
        self.choice, self.sort = choice, choice.sort
        self.rows = self.selection(choice)

    def expressions(self, only=None):
        """The row's expressions (`only`: those named). Anew for each query: Django binds a
        FilteredRelation to the query it joins."""
        found = expressions(self.campaigns, self.reasons, self.today)
        return found if only is None else {name: e for name, e in found.items() if name in only}

    def selection(self, choice):
        """The schools the choice keeps, in its order, with only what it filters and sorts on."""
        schools = self.schools.alias(**self.expressions(choice.needs()))
        schools = narrowed(schools, choice, self.needs_attention, self.campaigns)
        return ordered(schools, choice.sort, self.keys)

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
            "UAI", _("École ou établissement"), _("Type"), _("Commune"), _("Département"), _("Districts"),
            _("État"), _("Niveau global"),
            *(_("Niveau atteint : %(domain)s") % {"domain": d.title} for d in self.domains),
            _("Critères renseignés"), _("Critères du référentiel"), _("Dernière modification"),
            _("Demandes d’accompagnement ouvertes"), _("Objectifs en retard"), _("Dernier accompagnement"),
            _("Nature du dernier accompagnement"), _("À suivre en priorité"),
        ]  # fmt: skip
        return header, (row.cells() for row in self.every_row())


def counts(caseload, user):
    """{"total", "concerned", each Stage value, NOT_CONCERNED, "attention": schools} of a
    caseload with its filters but whatever its state and attention filters (the page's links
    set those), concerned by the round or not.

    States are counted as the observatory counts participation (`Reader.participation`: the
    tallies for whole départements, the summaries for anything smaller), so that the two
    pages agree; a search reads the summaries of the schools found. The schools without a
    positioning in the round are « non concernés »."""
    choice = caseload.choice.without_state()
    schools = caseload.selection(choice).order_by()
    total = schools.count()
    if choice.q.strip():
        # From the schools found to their summaries (a search finds few: joined through the
        # indexes), rather than every summary of the round asked whether its school was found.
        found = schools.filter(assessments__campaign_id__in=[c.pk for c in caseload.campaigns])
        by_stage = dict(found.values_list("assessments__summary__stage").annotate(n=Count("pk")))
    else:
        filters = Filters(department=choice.department, district=choice.district, kind=choice.kind,
                          sector=choice.sector, priority=choice.priority)  # fmt: skip
        participation = Reader(caseload.round, area_for(user, filters), filters).participation().get(TOTAL)
        by_stage = dict(zip(Stage.values, participation.counts(), strict=True)) if participation else {}
    found = {stage: by_stage.get(stage, 0) for stage in Stage.values}
    concerned = sum(found.values())
    return {
        **found,
        "total": total,
        "concerned": concerned,
        NOT_CONCERNED: total - concerned,
        "attention": schools.filter(caseload.needs_attention).count(),
    }
