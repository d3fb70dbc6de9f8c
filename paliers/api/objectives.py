"""Objectives and points de situation in the JSON API.

Writes go through the very forms of the web pages (`ObjectiveForm`, `CheckpointForm`,
`CloseForm`): the API names things by code (domain, component, criteria, level number,
pilot's username) and this module turns them into the form's fields, so the rules are
written once.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from paliers.accounts.access import get_school_for
from paliers.frameworks.models import Component, Criterion, Domain, Framework, Level
from paliers.objectives.access import get_objective_for, may_report, may_steer
from paliers.objectives.forms import CheckpointForm, CloseForm, ObjectiveForm
from paliers.objectives.models import SMART_CRITERIA, Checkpoint, CheckpointState, Objective
from paliers.objectives.steering import close, frameworks_of

from .ninja_setup import InvalidInput
from .schemas import READ_ERRORS, WRITE_ERRORS, Count, Id

router = Router(tags=["objectifs"])
SMART_FIELDS = [name for name, _, _ in SMART_CRITERIA]


class CheckpointOut(Schema):
    date: date
    state: CheckpointState
    comment: str


class ObjectiveOut(Schema):
    id: int
    school: str = Field(description="UAI de l’école ou de l’établissement.")
    framework: str = Field(description="slug/version du référentiel.")
    domain: str = Field(description="Code du domaine visé.")
    component: str | None = Field(description="Code de la composante visée, le cas échéant.")
    level: int = Field(description="Numéro du niveau (étape, palier) visé.")
    criteria: list[str] = Field(description="Codes des critères visés.")
    title: str
    description: str
    smart: dict[str, bool] = Field(description="La grille SMART : " + ", ".join(SMART_FIELDS) + ".")
    pilot: str | None = Field(description="Identifiant du pilote s’il a un compte.")
    pilot_name: str = Field(description="Nom du pilote (le nom saisi, ou celui du compte).")
    due_on: date | None
    draft: bool
    state: CheckpointState = Field(description="L’état du dernier point de situation.")
    overdue: bool
    achieved: bool | None = Field(
        description="Résultat : vrai, faux, ou null tant que l’objectif est ouvert."
    )
    closed_on: date | None
    observations: str
    checkpoints: list[CheckpointOut]


class ObjectiveIn(Schema):
    """Every field is optional when modifying (PATCH): what is absent stays as it is."""

    model_config = ConfigDict(extra="forbid")
    framework: str | None = Field(
        None, description="slug/version ; à la création, par défaut le référentiel de la dernière campagne."
    )
    domain: str | None = Field(None, description="Code du domaine visé (obligatoire à la création).")
    component: str | None = Field(None, description="Code d’une composante de ce domaine.")
    level: Count | None = Field(None, description="Numéro du niveau visé (obligatoire à la création).")
    criteria: list[str] | None = Field(None, description="Codes des critères visés, du domaine visé.")
    title: str | None = None
    description: str | None = None
    smart: dict[str, bool] | None = Field(None, description="Cases de la grille SMART à changer.")
    pilot: str | None = Field(None, description="Identifiant d’un membre de l’école.")
    pilot_name: str | None = None
    due_on: date | None = None
    draft: bool | None = Field(None, description="Vrai : brouillon (sans pilote ni échéance obligatoires).")
    observations: str | None = None


class CheckpointIn(Schema):
    model_config = ConfigDict(extra="forbid")
    date: date
    state: CheckpointState
    comment: str = ""


class CloseIn(Schema):
    model_config = ConfigDict(extra="forbid")
    achieved: bool
    closed_on: date
    observations: str = ""


def _objectives():
    return Objective.objects.select_related(
        "school", "framework", "domain", "component", "level", "pilot"
    ).prefetch_related(
        Prefetch("checkpoints", queryset=Checkpoint.objects.order_by("date", "pk")),
        Prefetch("criteria", queryset=Criterion.objects.order_by("position")),
    )


def _out(objective):
    return {
        "id": objective.pk,
        "school": objective.school.uai,
        "framework": f"{objective.framework.slug}/{objective.framework.version}",
        "domain": objective.domain.code,
        "component": objective.component.code if objective.component_id else None,
        "level": objective.level.number,
        "criteria": [c.code for c in objective.criteria.all()],
        "title": objective.title,
        "description": objective.description,
        "smart": {name: getattr(objective, name) for name in SMART_FIELDS},
        "pilot": objective.pilot.username if objective.pilot_id else None,
        "pilot_name": objective.pilot_label,
        "due_on": objective.due_on,
        "draft": objective.is_draft,
        "state": objective.state,
        "overdue": objective.overdue,
        "achieved": objective.achieved,
        "closed_on": objective.closed_on,
        "observations": objective.observations,
        "checkpoints": list(objective.checkpoints.all()),
    }


def _reload(objective):
    return _out(_objectives().get(pk=objective.pk))


def _form_faults(form):
    return [{"field": field, "error": " ".join(errors)} for field, errors in form.errors.items()]


def _framework(value, school):
    """The framework named, among those the school positions itself on — as the web form
    offers them (`frameworks_of`): not an objective on a framework of no campaign of it."""
    offered = frameworks_of(school)
    if value is None:
        return offered[0]
    slug, _, version = value.partition("/")
    framework = Framework.objects.filter(slug=slug, version=version).first()
    if framework is None:
        raise InvalidInput("Référentiel inconnu.", [{"field": "framework", "error": f"inconnu : {value}"}])
    if framework not in offered:
        choices = ", ".join(f"{f.slug}/{f.version}" for f in offered)
        raise InvalidInput(
            "Référentiel refusé : rien n’a été enregistré.",
            [
                {
                    "field": "framework",
                    "error": f"{value} : aucune campagne de cette école ne porte dessus ({choices})",
                }
            ],
        )
    return framework


def _form_data(body, framework, objective=None):
    """The web form's fields from the API's codes; faults name the API's field."""
    given = body.model_dump(exclude_unset=True)
    faults = []
    current = _current_data(objective) if objective else {}
    data = dict(current)
    domain = objective.domain if objective and "domain" not in given else None
    if "domain" in given:
        domain = Domain.objects.filter(framework=framework, code=given["domain"]).first()
        if domain is None:
            faults.append(
                {"field": "domain", "error": f"domaine inconnu dans ce référentiel : {given['domain']}"}
            )
    if domain is not None:
        data["target"] = f"domain-{domain.pk}"
        if "domain" in given and "criteria" not in given:
            data["criteria"] = []
    if given.get("component") and domain is not None:
        component = Component.objects.filter(domain=domain, code=given["component"]).first()
        if component is None:
            faults.append(
                {"field": "component", "error": f"composante inconnue dans ce domaine : {given['component']}"}
            )
        else:
            data["target"] = f"component-{component.pk}"
    elif objective and objective.component_id and "domain" not in given and "component" not in given:
        data["target"] = f"component-{objective.component_id}"
    if "level" in given:
        level = Level.objects.filter(framework=framework, number=given["level"]).first()
        if level is None:
            faults.append(
                {"field": "level", "error": f"niveau inconnu dans ce référentiel : {given['level']}"}
            )
        else:
            data["level"] = level.pk
    if "criteria" in given:
        codes = given["criteria"] or []
        found = dict(Criterion.objects.filter(domain=domain, code__in=codes).values_list("code", "pk"))
        unknown = [code for code in codes if code not in found]
        if unknown:
            faults.append(
                {"field": "criteria", "error": "critères inconnus dans ce domaine : " + ", ".join(unknown)}
            )
        data["criteria"] = [found[code] for code in codes if code in found]
    if "pilot" in given:
        pilot = get_user_model().objects.filter(username=given["pilot"]).first() if given["pilot"] else None
        if given["pilot"] and pilot is None:
            faults.append({"field": "pilot", "error": f"utilisateur inconnu : {given['pilot']}"})
        data["pilot"] = pilot.pk if pilot else ""
    for field in ("title", "description", "pilot_name", "observations"):
        if field in given:
            data[field] = given[field] or ""
    if "due_on" in given:
        data["due_on"] = given["due_on"].isoformat() if given["due_on"] else ""
    for name, ticked in (given.get("smart") or {}).items():
        if name not in SMART_FIELDS:
            faults.append({"field": f"smart.{name}", "error": "case inconnue de la grille SMART"})
        data[name] = ticked
    if "draft" in given:
        data["commit"] = not given["draft"]
    elif not objective:
        data["commit"] = False  # an objective created without saying is a draft
    if faults:
        raise InvalidInput("Objectif refusé : rien n’a été enregistré.", faults)
    return data


def _current_data(objective):
    data = {
        "title": objective.title,
        "description": objective.description,
        "level": objective.level_id,
        "criteria": [c.pk for c in objective.criteria.all()],
        "pilot": objective.pilot_id or "",
        "pilot_name": objective.pilot_name,
        "due_on": objective.due_on.isoformat() if objective.due_on else "",
        "observations": objective.observations,
        "commit": not objective.is_draft,
    }
    data.update({name: getattr(objective, name) for name in SMART_FIELDS})
    return data


def _validated(form):
    if not form.is_valid():
        raise InvalidInput("Objectif refusé : rien n’a été enregistré.", _form_faults(form))
    return form


def _steered_school(request, uai):
    school = get_school_for(request.user, uai, change=True)
    if not may_steer(request.user, school):
        raise PermissionDenied("Seuls le chef d’établissement et le référent numérique fixent les objectifs.")
    return school


@router.get("/schools/{uai}/objectives", response={200: list[ObjectiveOut], **READ_ERRORS})
def school_objectives(request, uai: str):
    """Les objectifs SMART d’une école ou d’un établissement de votre périmètre, par échéance."""
    school = get_school_for(request.user, uai)
    return [_out(o) for o in _objectives().filter(school=school).order_by("due_on", "pk")]


@router.post("/schools/{uai}/objectives", response={201: ObjectiveOut, **WRITE_ERRORS})
def objective_create(request, uai: str, body: ObjectiveIn):
    """Crée un objectif (chef d’établissement ou référent numérique de l’école). `domain`,
    `level` et `title` sont obligatoires ; sans `draft: false`, l’objectif est un brouillon."""
    school = _steered_school(request, uai)
    framework = _framework(body.framework, school)
    data = _form_data(body, framework)
    # On creation the form has no criteria field (it offers the domain's once the domain
    # is known): the criteria checked by _form_data are set here, in the same transaction.
    form = _validated(ObjectiveForm(data, school=school, framework=framework))
    with transaction.atomic():
        form.instance.created_by = request.user
        objective = form.save()
        objective.criteria.set(data.get("criteria", []))
    return Status(201, _reload(objective))


@router.get("/objectives/{objective_id}", response={200: ObjectiveOut, **READ_ERRORS})
def objective_detail(request, objective_id: Id):
    return _reload(get_objective_for(request.user, objective_id))


@router.patch("/objectives/{objective_id}", response={200: ObjectiveOut, **WRITE_ERRORS})
def objective_update(request, objective_id: Id, body: ObjectiveIn):
    """Modifie les champs donnés (les autres ne changent pas). Le référentiel d’un objectif
    ne change pas."""
    objective = get_objective_for(request.user, objective_id, steer=True)
    if (
        body.framework is not None
        and body.framework != f"{objective.framework.slug}/{objective.framework.version}"
    ):
        raise InvalidInput(
            "Objectif refusé : rien n’a été enregistré.",
            [{"field": "framework", "error": "le référentiel d’un objectif ne change pas"}],
        )
    data = _form_data(body, objective.framework, objective)
    form = _validated(
        ObjectiveForm(data, instance=objective, school=objective.school, framework=objective.framework)
    )
    with transaction.atomic():
        saved = form.save()
        if "criteria" in data and "criteria" not in form.fields:
            saved.criteria.set(data["criteria"])
    return _reload(saved)


@router.post("/objectives/{objective_id}/checkpoints", response={201: ObjectiveOut, **WRITE_ERRORS})
def checkpoint_add(request, objective_id: Id, body: CheckpointIn):
    """Ajoute un point de situation (le pilote, le chef d’établissement ou le référent)."""
    objective = get_objective_for(request.user, objective_id)
    if not may_report(request.user, objective):
        raise PermissionDenied(
            "Seuls le pilote, le chef d’établissement et le référent numérique font le point."
        )
    if objective.is_closed:
        raise HttpError(409, "Cet objectif est clôturé : rouvrez-le pour faire un nouveau point.")
    form = CheckpointForm({"date": body.date.isoformat(), "state": body.state.value, "comment": body.comment})
    if not form.is_valid():
        raise InvalidInput("Point de situation refusé : rien n’a été enregistré.", _form_faults(form))
    form.instance.objective, form.instance.created_by = objective, request.user
    form.save()
    return Status(201, _reload(objective))


@router.post("/objectives/{objective_id}/close", response={200: ObjectiveOut, **WRITE_ERRORS})
def objective_close(request, objective_id: Id, body: CloseIn):
    """Clôture l’objectif : atteint (vrai) ou non (faux), à une date."""
    objective = get_objective_for(request.user, objective_id, steer=True)
    form = CloseForm(
        {"achieved": "oui" if body.achieved else "non", "closed_on": body.closed_on.isoformat(),
         "observations": body.observations or objective.observations}
    )  # fmt: skip
    if not form.is_valid():
        raise InvalidInput("Clôture refusée : rien n’a été enregistré.", _form_faults(form))
    close(objective, **form.cleaned_data)
    return _reload(objective)
