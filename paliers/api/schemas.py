"""What the API reads and writes (the OpenAPI schema is generated from these)."""

from datetime import date, datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import ConfigDict

from paliers.assessments.models import AnswerValue
from paliers.assessments.stages import Stage
from paliers.frameworks.models import CarryRule, LinkType

# --- errors ---------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(description="Le message, en français.")
    errors: list[dict] = Field(
        default_factory=list, description="Le détail : un élément par faute (critère, champ, message)."
    )


# Every operation may answer these (422: a path or query parameter of the wrong type, or a
# body that does not match), so every operation documents them: the schema tells the truth.
READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {**READ_ERRORS, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}


# Numbers a database column can hold: a larger one is refused as bad input (422) before any
# query, instead of overflowing in the database (a 500).
DB_INT_MAX = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
Count = Annotated[int, Field(ge=0, le=DB_INT_MAX)]


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=500, description="Nombre d’éléments (500 au plus).")
        offset: Count = Field(0, description="Éléments à passer.")


# --- frameworks (read from the spec dataclasses of paliers.frameworks.spec) ------


class SourceOut(Schema):
    publisher: str
    document: str
    date: str
    url: str


class LevelOut(Schema):
    number: int
    label: str
    description: str


class PartOut(Schema):
    code: str
    title: str
    description: str


class CriterionOut(Schema):
    code: str
    level: int = Field(description="Numéro du niveau (palier, étape ou jalon) du critère.")
    text: str
    note: str


class ComponentOut(Schema):
    code: str
    title: str
    description: str
    criteria: list[CriterionOut]


class DomainOut(Schema):
    code: str
    title: str
    part: str = Field(description="Code de la partie (NumEA), vide sinon.")
    description: str
    level_descriptions: dict[str, str]
    components: list[ComponentOut]
    criteria: list[CriterionOut] = Field(description="Critères placés directement sous le domaine.")

    @staticmethod
    def resolve_level_descriptions(domain):
        return {str(number): text for number, text in domain.level_descriptions}


class TranslationOut(Schema):
    language: str = Field(description="Langue de l’interface (« en »).")
    kind: str = Field(description="framework, levels, parts, domains, components ou criteria.")
    code: str = Field(description="Code de l’élément (numéro d’un niveau ; vide pour le référentiel).")
    field: str = Field(
        description="Texte traduit : title, label, description, text, note, level_descriptions.N."
    )
    text: str


class FrameworkOut(Schema):
    slug: str
    version: str
    title: str
    audience: str
    level_name: str
    source: SourceOut
    levels: list[LevelOut]
    parts: list[PartOut]
    domains: list[DomainOut]
    translations: list[TranslationOut] = Field(
        description="Textes livrés dans une autre langue ; les textes français font référence."
    )


# --- campaigns and assessments ---------------------------------------------------


class FrameworkRef(Schema):
    slug: str
    version: str
    title: str


class CampaignOut(Schema):
    id: int
    school_year: str
    framework: FrameworkRef
    academy: str = Field(description="Code de l’académie.")
    department: str | None = Field(description="Code du département, si la campagne s’y limite.")
    school_group: str
    opens_on: date
    closes_on: date = Field(
        description="Dernier jour pour répondre ; après, les positionnements sont en lecture seule."
    )
    state: str = Field(description="announced (annoncée), open (ouverte) ou closed (close), aujourd’hui.")
    frozen_at: datetime | None = Field(description="Quand les chiffres de la clôture ont été figés.")

    @staticmethod
    def resolve_state(campaign):
        return campaign.state(timezone.localdate())

    @staticmethod
    def resolve_academy(campaign):
        return campaign.academy.code

    @staticmethod
    def resolve_department(campaign):
        return campaign.department.code if campaign.department_id else None


class SchoolRef(Schema):
    uai: str
    name: str


class AssessmentSummaryOut(Schema):
    id: int
    campaign: int = Field(alias="campaign_id")
    school: SchoolRef
    status: str
    stage: Stage = Field(
        description="État du positionnement : not_started (non commencé), in_progress (en cours), "
        "submitted (soumis) ; le même mot partout dans Paliers."
    )
    stage_label: str = Field(description="Le même état, en français.")
    revision: int
    answered_count: int
    total_criteria: int
    updated_at: datetime
    late_until: date | None = Field(
        description="Rouvert après la clôture de la campagne jusqu’à ce jour inclus (réponses tardives)."
    )

    @staticmethod
    def resolve_stage_label(assessment):
        return str(assessment.stage.label)  # a lazy translation: pydantic wants text


class CarriedSourceOut(Schema):
    code: str = Field(description="Code du critère d’origine.")
    value: AnswerValue = Field(description="Sa réponse dans la campagne d’origine.")
    type: str = Field(
        description="« same » : le même critère ; sinon le lien de la table de correspondance.",
        json_schema_extra={"enum": ["same", *LinkType.values]},
    )


class CarriedOriginOut(Schema):
    school_year: str = Field(description="Année scolaire de la campagne d’origine.")
    framework: str = Field(
        description="Référentiel et version d’origine, par exemple « creteil-ecoles 2014 »."
    )
    same_framework: bool = Field(description="Vrai si la campagne d’origine portait sur le même référentiel.")
    rule: CarryRule | None = Field(description="Règle de la table de correspondance ; null sans table.")
    sources: list[CarriedSourceOut] = Field(description="Les critères d’origine et leurs réponses.")


class AnswerOut(Schema):
    criterion: str = Field(description="Code du critère.")
    value: AnswerValue
    comment: str
    evidence_url: str
    version: int = Field(description="À renvoyer avec une modification : 0 tant que personne n’a répondu.")
    carried_over: bool = Field(description="Reprise de la campagne précédente, pas encore confirmée.")
    carried_origin: CarriedOriginOut | None = Field(
        description="D’où vient la réponse reprise, tant qu’elle n’est pas confirmée ; null sinon."
    )

    @staticmethod
    def resolve_carried_origin(answer):
        # Kept once confirmed, as the page's history reads it; the API shows it while it
        # explains the answer, that is while it awaits confirmation.
        return answer["carried_origin"] if answer["carried_over"] else None


class AssessmentOut(AssessmentSummaryOut):
    framework: FrameworkRef
    answers: list[AnswerOut] = Field(description="Un élément par critère du référentiel, dans son ordre.")

    @staticmethod
    def resolve_framework(assessment):
        return assessment.campaign.framework

    @staticmethod
    def resolve_answers(assessment):
        return assessment.answers_out  # set by the view: one item per criterion


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    criterion: str = Field(max_length=60, description="Code du critère, par exemple PIL.1.1.")
    # A plain string checked by replace_answers, whose message names the criterion; the
    # schema still lists the values.
    value: str = Field(json_schema_extra={"enum": AnswerValue.values})
    comment: str = Field("", max_length=2000)
    evidence_url: str = Field("", max_length=500)
    version: Count | None = Field(
        None,
        ge=0,
        description="La version lue : si la réponse a changé depuis, rien n’est enregistré (409).",
    )


class AnswersIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: list[AnswerIn] = Field(max_length=2000)


# --- results (paliers.assessments.scoring's dataclasses, through their as_dict) --------


class LevelCountOut(Schema):
    level: int
    met: int = Field(description="Critères atteints à ce niveau.")
    total: int = Field(description="Critères de ce niveau.")
    fraction: float | None = Field(description="met / total, de 0 à 1 ; null sans critère à ce niveau.")


class ComponentResultOut(Schema):
    code: str
    title: str
    level: int = Field(description="Niveau atteint (0 : aucun).")
    score: float = Field(description="Score de progression : niveau atteint + part du niveau suivant.")
    highest_level: int
    at_highest: bool
    levels: list[LevelCountOut]
    unanswered: int = Field(description="Critères non renseignés, comptés comme non atteints.")
    decided: bool = Field(
        description="Faux : répondre aux critères non renseignés pourrait élever le niveau."
    )
    level_at_most: int = Field(description="Le niveau le plus haut possible une fois tout renseigné.")


class DomainResultOut(ComponentResultOut):
    components: list[ComponentResultOut]
    next_steps: list[str] = Field(description="Critères non atteints du prochain niveau, à viser.")


class ResultsOut(Schema):
    assessment: int
    overall_level: int = Field(description="Niveau global : le plus bas des domaines.")
    overall_score: float
    levels: list[LevelCountOut] = Field(description="Critères atteints par niveau, sur tout le référentiel.")
    domains: list[DomainResultOut]
    answered: int
    total: int
    overall_decided: bool = Field(description="Faux : le niveau global dépend de critères non renseignés.")
    overall_at_most: int = Field(
        description="Le niveau global le plus haut possible une fois tout renseigné."
    )
