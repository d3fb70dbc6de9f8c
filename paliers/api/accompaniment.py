"""Accompaniment in the JSON API: a school's support requests, the animators' records and
the plan d'accompagnement et de formation.

The same doors as the web pages: `get_school_for` (404 outside the scope), the access
functions of paliers.accompaniment (403 without the role), and the web page's `RecordForm`
for the rules of a record, so that they are written once.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from paliers.accompaniment.access import may_accompany
from paliers.accompaniment.forms import RecordForm
from paliers.accompaniment.models import PlanStatus, RecordKind, RequestStatus, record_action
from paliers.accounts.access import get_school_for

from .ninja_setup import InvalidInput
from .schemas import READ_ERRORS, WRITE_ERRORS, Id

router = Router(tags=["accompagnement"])


class DomainRef(Schema):
    framework: str = Field(description="slug/version du référentiel.")
    code: str
    title: str

    @staticmethod
    def resolve_framework(domain):
        return f"{domain.framework.slug}/{domain.framework.version}"


def _person(user):
    return str(user) if user else None


class SupportRequestOut(Schema):
    id: int
    school: str = Field(description="UAI de l’école ou de l’établissement.")
    domain: DomainRef
    message: str
    status: RequestStatus
    created_at: dt.datetime
    created_by: str | None = Field(description="Nom de la personne qui a fait la demande.")
    taken_at: dt.datetime | None = Field(description="Prise en charge : la première intervention notée.")
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_school(support):
        return support.school.uai

    @staticmethod
    def resolve_created_by(support):
        return _person(support.created_by)


class RecordOut(Schema):
    id: int
    school: str = Field(description="UAI de l’école ou de l’établissement.")
    request: int | None = Field(alias="request_id", description="La demande, le cas échéant.")
    date: dt.date
    kind: RecordKind
    participants: str
    notes: str
    recorded_by: str | None = Field(description="Nom de l’animateur qui l’a notée.")
    created_at: dt.datetime

    @staticmethod
    def resolve_school(record):
        return record.school.uai

    @staticmethod
    def resolve_recorded_by(record):
        return _person(record.recorded_by)


class PlanActionOut(Schema):
    id: int
    domain: DomainRef | None
    request: int | None = Field(alias="request_id", description="La demande à l’origine, le cas échéant.")
    need: str = Field(description="Le besoin identifié.")
    action: str = Field(description="L’action prévue.")
    school_year: str = Field(description="L’année scolaire, donnée ou déduite de la date prévue.")
    planned_on: dt.date | None
    status: PlanStatus
    updated_at: dt.datetime

    @staticmethod
    def resolve_school_year(action):
        return action.year


class RecordIn(Schema):
    model_config = ConfigDict(extra="forbid")

    date: dt.date = Field(description="Le jour de l’intervention (passé ou aujourd’hui).")
    kind: str = Field(json_schema_extra={"enum": RecordKind.values})
    participants: str = Field("", max_length=4000)
    notes: str = Field("", max_length=4000)
    request: Id | None = Field(None, description="Une demande de l’école, ni close ni d’une autre école.")
    close_request: bool = Field(False, description="Clore la demande après cette intervention.")


def _school(request, uai):
    return get_school_for(request.user, uai)


@router.get("/schools/{uai}/support-requests", response={200: list[SupportRequestOut], **READ_ERRORS})
def support_requests(request, uai: str):
    """Les demandes d’accompagnement d’une école de votre périmètre, les plus récentes d’abord."""
    school = _school(request, uai)
    return school.support_requests.select_related("school", "domain__framework", "created_by")


@router.get("/schools/{uai}/accompaniment-records", response={200: list[RecordOut], **READ_ERRORS})
def accompaniment_records(request, uai: str):
    """Les interventions des animateurs auprès d’une école de votre périmètre, les plus récentes d’abord."""
    school = _school(request, uai)
    return school.accompaniment_records.select_related("school", "recorded_by")


@router.get("/schools/{uai}/accompaniment-plan", response={200: list[PlanActionOut], **READ_ERRORS})
def accompaniment_plan(request, uai: str):
    """Les actions du plan d’accompagnement et de formation d’une école, par année scolaire."""
    school = _school(request, uai)
    actions = school.plan_actions.select_related("domain__framework")
    return sorted(actions, key=lambda action: action.sort_key())


@router.post("/schools/{uai}/accompaniment-records", response={201: RecordOut, **WRITE_ERRORS})
def accompaniment_record_create(request, uai: str, body: RecordIn):
    """Note une intervention (animateurs dont le périmètre comprend l’école). Sur une demande
    ouverte, elle la fait passer à « prise en charge » ; `close_request` la clôt."""
    school = _school(request, uai)
    if not may_accompany(request.user, school):
        raise PermissionDenied("Seuls les animateurs du territoire de l’école notent l’accompagnement.")
    data = body.model_dump()
    data["date"] = data["date"].isoformat()
    form = RecordForm({name: "" if value is None else value for name, value in data.items()}, school=school)
    if not form.is_valid():
        faults = [{"field": field, "error": " ".join(errors)} for field, errors in form.errors.items()]
        raise InvalidInput("Intervention refusée : rien n’a été enregistré.", faults)
    return Status(201, record_action(school, request.user, **form.cleaned_data))
