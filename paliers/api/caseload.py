"""The caseload in the JSON API: the same rows, filters and sort as the page « Suivi des
écoles » (paliers.caseload), through the same form, so the same scope."""

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from ninja import Field, Router, Schema

from paliers.assessments.models import Campaign
from paliers.assessments.stages import Stage
from paliers.caseload import attention
from paliers.caseload.forms import CaseloadForm
from paliers.caseload.rows import Caseload
from paliers.observatory.selection import may_read, observatory_schools, rounds_for
from paliers.schools.models import Department

from .ninja_setup import InvalidInput
from .schemas import READ_ERRORS, Count, ErrorOut, Id

router = Router(tags=["suivi des écoles"])
Limit = Annotated[int, Field(ge=1, le=500, description="Nombre d’éléments (500 au plus).")]
REFUSED = "Le suivi des écoles est réservé à l’académie, aux animateurs et aux observateurs."
REASON_CODES = tuple(name for name, _ in attention.REASONS)


class LastRecordOut(Schema):
    date: date
    kind: str


class CaseloadRowOut(Schema):
    uai: str
    name: str
    kind: str = Field(description="Type : maternelle, elementaire, primaire, college, lgt, lp, lpo…")
    commune: str
    department: str = Field(description="Code du département.")
    priority_education: str = Field(description="REP, REP+ ou vide.")
    districts: list[str] = Field(description="Districts de l’école : nature et nom (et code s’il le faut).")
    assessment: int | None = Field(description="Le positionnement dans la campagne ; null : non concerné.")
    stage: Stage | None = Field(description="not_started, in_progress, submitted ; null : non concerné.")
    stage_label: str = Field(description="non commencé, en cours, soumis ou non concerné.")
    overall_level: int | None
    levels: dict[str, int | None] = Field(description="Niveau atteint par code de domaine.")
    answered: int | None = Field(description="Critères renseignés.")
    total_criteria: int
    last_change: datetime | None = Field(description="Dernière modification du positionnement.")
    open_requests: int = Field(description="Demandes d’accompagnement non closes.")
    overdue_objectives: int
    last_record: LastRecordOut | None = Field(description="Dernière intervention d’accompagnement.")
    needs_attention: bool = Field(description="À suivre en priorité (voir `reasons`).")
    reasons: list[str] = Field(description=f"Raisons, parmi : {', '.join(REASON_CODES)}.")


class CaseloadOut(Schema):
    count: int
    items: list[CaseloadRowOut]


def _row(row, domains):
    record = {"date": row.last_record_on, "kind": row.last_record_kind} if row.last_record_on else None
    return {
        "uai": row.school.uai, "name": row.school.name, "kind": row.school.kind,
        "commune": row.school.commune, "department": row.school.department.code,
        "priority_education": row.school.priority_education, "districts": row.districts,
        "assessment": row.assessment_id, "stage": row.stage, "stage_label": row.state_label,
        "overall_level": row.overall_level,
        "levels": {d.code: level for d, level in zip(domains, row.levels, strict=True)},
        "answered": row.answered, "total_criteria": row.total, "last_change": row.last_change,
        "open_requests": row.open_requests, "overdue_objectives": row.overdue_objectives,
        "last_record": record, "needs_attention": bool(row.reason_codes), "reasons": row.reason_codes,
    }  # fmt: skip


FIELDS = {  # the form's names → the API's
    "campagne": "campaign", "etat": "state", "type": "kind", "secteur": "sector", "ep": "priority",
    "departement": "department", "district": "district", "q": "q", "attention": "attention",
}  # fmt: skip


@router.get("/caseload", response={200: CaseloadOut, **READ_ERRORS, 403: ErrorOut})
def caseload(
    request, campaign: Id, state: str = "", kind: str = "", sector: str = "", priority: str = "",
    department: str = "", district: int | None = None, q: str = "", attention: bool = False,
    sort: str = "nom", limit: Limit = 100, offset: Count = 0,
):  # fmt: skip
    """Les écoles et établissements de votre périmètre avec leur positionnement dans la campagne
    `campaign` (et les campagnes du même référentiel et de la même année dans votre périmètre),
    comme la page « Suivi des écoles » : `state` (absent : les écoles concernées par la campagne,
    tous états ; not_started, in_progress, submitted ; none : les non concernées ; all : toutes),
    `kind`, `sector`, `priority` (REP, REP+, ep, hors), `department` (code), `district`
    (identifiant), `q` (nom, UAI ou commune), `attention` (à suivre en priorité seulement),
    `sort` (nom, type, district, etat, niveau, d-CODE d’un domaine, renseignes, activite,
    demandes, retard, accompagnement, attention ; « - » devant : décroissant) ; pagination
    `limit`, `offset`. Académie, animateurs et observateurs."""
    if not may_read(request.user):
        raise PermissionDenied(
            "Le suivi des écoles est réservé à l’académie, aux animateurs et aux observateurs."
        )
    rounds = rounds_for(request.user)
    found = Campaign.objects.filter(pk=campaign).first()
    if found is None or f"{found.framework_id}.{found.school_year}" not in {r.key for r in rounds}:
        raise Http404("Campagne introuvable dans votre périmètre.")
    data = QueryDict(mutable=True)
    data.update({"campagne": f"{found.framework_id}.{found.school_year}", "etat": state, "type": kind,
                 "secteur": sector, "ep": priority, "q": q})  # fmt: skip
    if attention:
        data["attention"] = "on"
    if department:
        pk = Department.objects.filter(code=department).values_list("pk", flat=True).first()
        data["departement"] = str(pk or department)
    if district is not None:
        data["district"] = str(district)
    form = CaseloadForm(data, user=request.user, rounds=rounds)
    chosen = form.choice(sort=sort)
    if chosen is None:
        faults = [{"field": FIELDS.get(f, f), "error": " ".join(e)} for f, e in form.errors.items()]
        raise InvalidInput("Paramètres refusés.", faults)
    round, choice = chosen
    rows = Caseload(observatory_schools(request.user), round, choice)
    ids = rows.ids()
    return {
        "count": ids.count(),
        "items": [_row(row, rows.domains) for row in rows.detail(ids[offset : offset + limit])],
    }
