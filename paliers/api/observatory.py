"""The observatory and the roadmap in the JSON API: aggregates, heatmap, a school beside its
averages, roadmaps and their indicators.

The same doors as the pages: the observatory's form checks the round and the filters
against the user's scope (what lies outside is refused as an unknown choice), the access
functions of paliers.roadmap, and the one small-group rule (`aggregates.disclosed`) through
`benchmark.averages` and `indicators.points`.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from ninja import Field, Router, Schema

from paliers.accounts.scoping import schools_for
from paliers.assessments.benchmark import averages
from paliers.assessments.models import Assessment
from paliers.frameworks.models import Framework
from paliers.observatory.figures import TOTAL, Reader, domains_of, group_names, grouping
from paliers.observatory.forms import ObservatoryForm
from paliers.observatory.selection import area_for, may_read, rounds_for
from paliers.roadmap import indicators
from paliers.roadmap.access import check_role, get_indicator_for, get_roadmap_for, readable_roadmaps
from paliers.schools.models import Department

from .ninja_setup import InvalidInput
from .schemas import READ_ERRORS, ErrorOut, Id

router = Router(tags=["observatoire et feuille de route"])
ERRORS = {**READ_ERRORS, 403: ErrorOut, 422: ErrorOut}


class RoundOut(Schema):
    framework: str = Field(description="slug/version du référentiel.")
    title: str
    school_year: str


class ParticipationOut(Schema):
    not_started: int
    in_progress: int
    submitted: int
    total: int


class GroupParticipationOut(ParticipationOut):
    code: str = Field(description="Code du département, ou du district.")
    name: str


class DomainOut(Schema):
    code: str
    title: str
    schools: int = Field(description="Positionnements comptés (commencés, ou soumis seulement).")
    average_score: float | None = Field(description="Score de progression moyen.")
    levels: dict[int, int] = Field(description="Écoles par niveau atteint (0 : aucun).")


class CriterionOut(Schema):
    code: str
    domain: str
    level: int
    met: int
    in_progress: int
    not_met: int
    schools: int
    met_share: float | None = Field(
        description="Part des positionnements comptés où le critère est atteint (0 à 1)."
    )


class AggregatesOut(Schema):
    framework: str
    school_year: str
    by: str = Field(description="department ou district : le découpage de `groups`.")
    participation: ParticipationOut
    groups: list[GroupParticipationOut]
    domains: list[DomainOut]
    criteria: list[CriterionOut]


class HeatmapRowOut(Schema):
    code: str
    name: str
    scores: dict[str, float | None] = Field(description="Score de progression moyen par code de domaine.")


class HeatmapOut(Schema):
    framework: str
    school_year: str
    by: str
    rows: list[HeatmapRowOut]


class AverageOut(Schema):
    label: str
    area: str = Field(description="district, similar (écoles semblables), department ou academy.")
    schools: int = Field(description="Positionnements soumis sur lesquels porte la moyenne.")
    hidden: bool = Field(description="Vrai : moins de 5 écoles, dont certaines hors de votre périmètre.")
    scores: dict[str, float] | None


class BenchmarkOut(Schema):
    assessment: int
    framework: str
    school_year: str
    scores: dict[str, float] = Field(description="Score de progression de l’école par code de domaine.")
    averages: list[AverageOut]


class PointOut(Schema):
    label: str
    school_year: str | None
    on: date | None
    value: float | None = Field(description="Un nombre, ou un pourcentage (0 à 100) ; null si non diffusé.")
    count: int | None
    total: int | None
    hidden: bool
    comment: str


class IndicatorOut(Schema):
    id: int
    title: str
    measure: str
    target: float | None
    definition: str = Field(description="Vide : saisi à la main ; soumis, critere, niveau ou objectif.")
    points: list[PointOut]


class AxisOut(Schema):
    id: int
    section: str
    title: str
    description: str
    situation: str
    objectives: str
    actions: str
    resources: str
    indicators: list[IndicatorOut]


class RoadmapSummaryOut(Schema):
    id: int
    academy: str = Field(description="Code de l’académie.")
    title: str
    period: str


class RoadmapOut(RoadmapSummaryOut):
    introduction: str
    axes: list[AxisOut]


def _reader(request, framework, school_year, department, district, kind, sector, priority, submitted_only):
    """The page's form, fed with the API's parameters: the same checks against the scope."""
    if not may_read(request.user):
        raise PermissionDenied("L’observatoire est réservé à l’académie, aux animateurs et aux observateurs.")
    slug, _, version = framework.partition("/")
    found = Framework.objects.filter(slug=slug, version=version).first()
    data = QueryDict(mutable=True)
    data.update({"campagne": f"{found.pk if found else 0}.{school_year}", "type": kind, "secteur": sector,
                 "ep": priority, "positionnements": "soumis" if submitted_only else ""})  # fmt: skip
    if department:
        data["departement"] = str(
            Department.objects.filter(code=department).values_list("pk", flat=True).first()
        )
    if district:
        data["district"] = str(district)
    form = ObservatoryForm(data, user=request.user, rounds=rounds_for(request.user))
    selection = form.selection()
    if selection is None:
        names = {"campagne": "framework, school_year", "departement": "department", "type": "kind",
                 "secteur": "sector", "ep": "priority"}  # fmt: skip
        faults = [{"field": names.get(f, f), "error": " ".join(e)} for f, e in form.errors.items()]
        raise InvalidInput("Paramètres refusés.", faults)
    round, filters = selection
    area = area_for(request.user, filters)
    return round, filters, area, Reader(round, area, filters)


FILTERS_DOC = (
    "`framework` (slug/version) et `school_year` choisissent la campagne ; `department` (code), "
    "`district` (identifiant), `kind`, `sector`, `priority` (REP, REP+, ep, hors) filtrent ; "
    "`submitted_only` ne compte que les positionnements soumis."
)


@router.get("/observatory/rounds", response={200: list[RoundOut], **ERRORS})
def observatory_rounds(request):
    """Les campagnes (référentiel × année scolaire) que vous pouvez observer, les plus récentes d’abord."""
    if not may_read(request.user):
        raise PermissionDenied("L’observatoire est réservé à l’académie, aux animateurs et aux observateurs.")
    return [
        {"framework": f"{r.framework.slug}/{r.framework.version}", "title": r.framework.title,
         "school_year": r.school_year}
        for r in rounds_for(request.user)
    ]  # fmt: skip


@router.get("/observatory/aggregates", response={200: AggregatesOut, **ERRORS}, description=FILTERS_DOC)
def observatory_aggregates(
    request, framework: str, school_year: str, department: str = "", district: int | None = None,
    kind: str = "", sector: str = "", priority: str = "", submitted_only: bool = False,
):  # fmt: skip
    """Participation (en tout et par département ou district), niveaux par domaine, critères."""
    round, filters, area, reader = _reader(
        request, framework, school_year, department, district, kind, sector, priority, submitted_only
    )
    by = grouping(area, filters)
    groups = reader.participation(by)
    names, codes = group_names(by, list(groups)), _codes(by, list(groups))
    total = reader.participation().get(TOTAL)
    figures = reader.domains().get(TOTAL, {})
    return {
        "framework": framework,
        "school_year": school_year,
        "by": by,
        "participation": _participation(total),
        "groups": [
            {**_participation(p), "code": codes.get(g, ""), "name": names.get(g, "")}
            for g, p in sorted(groups.items(), key=lambda item: codes.get(item[0], ""))
        ],
        "domains": [_domain(d, figures.get(d.pk)) for d in domains_of(round.framework)],
        "criteria": [_criterion(f) for f in reader.criteria()],
    }


def _domain(domain, figure):
    if figure is None:
        return {"code": domain.code, "title": domain.title, "schools": 0, "average_score": None, "levels": {}}
    return {"code": domain.code, "title": domain.title, "schools": figure.schools,
            "average_score": figure.average, "levels": dict(figure.levels)}  # fmt: skip


def _criterion(figure):
    criterion = figure.criterion
    return {"code": criterion.code, "domain": criterion.domain.code, "level": criterion.level.number,
            "met": figure.met, "in_progress": figure.in_progress, "not_met": figure.not_met,
            "schools": figure.schools, "met_share": figure.met_share}  # fmt: skip


def _participation(found):
    if found is None:
        return {"not_started": 0, "in_progress": 0, "submitted": 0, "total": 0}
    return {"not_started": found.not_started, "in_progress": found.in_progress,
            "submitted": found.submitted, "total": found.total}  # fmt: skip


def _codes(by, ids):
    from paliers.schools.models import District

    model = District if by == "district" else Department
    return dict(model.objects.filter(pk__in=ids).values_list("pk", "code"))


@router.get("/observatory/heatmap", response={200: HeatmapOut, **ERRORS}, description=FILTERS_DOC)
def observatory_heatmap(
    request, framework: str, school_year: str, department: str = "", district: int | None = None,
    kind: str = "", sector: str = "", priority: str = "", submitted_only: bool = False,
):  # fmt: skip
    """Score de progression moyen par département (ou par district dans un département) et par domaine."""
    round, filters, area, reader = _reader(
        request, framework, school_year, department, district, kind, sector, priority, submitted_only
    )
    by, domains = grouping(area, filters), domains_of(round.framework)
    grouped = reader.domains(by)
    names, codes = group_names(by, list(grouped)), _codes(by, list(grouped))
    rows = [
        {"code": codes.get(g, ""), "name": names.get(g, ""),
         "scores": {d.code: grouped[g][d.pk].average if d.pk in grouped[g] else None for d in domains}}
        for g in sorted(grouped, key=lambda g: codes.get(g, ""))
    ]  # fmt: skip
    return {"framework": framework, "school_year": school_year, "by": by, "rows": rows}


@router.get("/schools/{uai}/benchmark", response={200: list[BenchmarkOut], **ERRORS})
def school_benchmark(request, uai: str):
    """Les positionnements de l’école, à côté des moyennes de son district, de son département et de
    son académie (positionnements soumis de la même campagne ; moins de 5 écoles : non diffusé à qui
    ne les voit pas toutes). Pour qui voit l’école, comme la page des résultats."""
    school = schools_for(request.user).filter(uai=uai.upper()).first()  # as the results page
    if school is None:
        raise Http404("École ou établissement introuvable dans votre périmètre.")
    assessments = Assessment.objects.filter(school=school).select_related("campaign__framework", "school")
    return [
        _benchmark(assessment, request.user) for assessment in assessments.order_by("campaign__school_year")
    ]


def _benchmark(assessment, user):
    framework = assessment.campaign.framework
    codes = {str(d.pk): d.code for d in domains_of(framework)}
    summary = getattr(assessment, "summary", None)
    domains = summary.domains.items() if summary else ()
    return {
        "assessment": assessment.pk,
        "framework": f"{framework.slug}/{framework.version}",
        "school_year": assessment.campaign.school_year,
        "scores": {codes[pk]: score / 1000 for pk, (_, score) in domains},
        "averages": [
            {"label": a.label, "area": a.area, "schools": a.schools, "hidden": a.hidden, "scores": a.scores}
            for a in averages(assessment, user)
        ],
    }


def _indicator(indicator, user):
    return {
        "id": indicator.pk,
        "title": indicator.title,
        "measure": indicator.measure,
        "target": float(indicator.target) if indicator.target is not None else None,
        "definition": indicator.definition,
        "points": [p.__dict__ for p in indicators.points(indicator, user)],
    }


@router.get("/roadmaps", response={200: list[RoadmapSummaryOut], **ERRORS}, tags=["feuille de route"])
def roadmap_list(request):
    """Les feuilles de route des académies de votre périmètre."""
    check_role(request.user)
    return [
        {"id": r.pk, "academy": r.academy.code, "title": r.title, "period": r.period}
        for r in readable_roadmaps(request.user).select_related("academy")
    ]


@router.get("/roadmaps/{roadmap_id}", response={200: RoadmapOut, **ERRORS}, tags=["feuille de route"])
def roadmap_detail(request, roadmap_id: Id):
    """Une feuille de route : ses axes et leurs indicateurs, avec leurs valeurs."""
    roadmap = get_roadmap_for(request.user, roadmap_id)
    axes = []
    for axis in roadmap.axes.prefetch_related("indicators"):
        axis.roadmap = roadmap
        items = []
        for indicator in axis.indicators.all():
            indicator.axis = axis
            items.append(_indicator(indicator, request.user))
        fields = ("section", "title", "description", "situation", "objectives", "actions", "resources")
        axes.append({"id": axis.pk, **{name: getattr(axis, name) for name in fields}, "indicators": items})
    fields = ("title", "period", "introduction")
    return {
        "id": roadmap.pk,
        "academy": roadmap.academy.code,
        **{n: getattr(roadmap, n) for n in fields},
        "axes": axes,
    }


@router.get("/indicators/{indicator_id}", response={200: IndicatorOut, **ERRORS}, tags=["feuille de route"])
def indicator_detail(request, indicator_id: Id):
    """Un indicateur et ses valeurs : saisies à la main, ou calculées campagne par campagne."""
    return _indicator(get_indicator_for(request.user, indicator_id), request.user)
