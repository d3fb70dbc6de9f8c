"""The JSON API, version 1 (mounted under /api/v1/; OpenAPI at openapi.json, docs at docs).

Every endpoint asks the same permission functions as the web pages: the scoping
function for what a user sees, `get_assessment_for` / `may` for what they may do.
Outside the scope: 404; inside it without the right role: 403.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from ninja.pagination import paginate

from paliers.accounts.scoping import schools_for
from paliers.assessments import results
from paliers.assessments.access import ANSWER_ROLES, get_assessment_for, visible_assessments
from paliers.assessments.answering import AnswersInvalid, replace_answers
from paliers.assessments.models import Answer, AnswerValue, Campaign
from paliers.frameworks.loading import spec_from_db
from paliers.frameworks.models import Criterion, Framework

from .ninja_setup import make_api
from .objectives import router as objectives_router
from .schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    AnswersIn,
    AssessmentOut,
    AssessmentSummaryOut,
    CampaignOut,
    ErrorOut,
    FrameworkOut,
    Id,
    Pagination,
    ResultsOut,
)

api = make_api(
    title="API Paliers",
    version="1",
    urls_namespace="api_v1",
    description=(
        "Référentiels, campagnes et positionnements de Paliers. Chaque appel s’authentifie "
        "par un jeton personnel (en-tête `Authorization: Bearer <jeton>`, créé depuis « Mon "
        "compte ») et voit ce que son propriétaire voit. Les erreurs sont du JSON : "
        '`{"detail": "…", "errors": […]}`.'
    ),
)


def _criteria_count():
    return Subquery(
        Criterion.objects.filter(framework_id=OuterRef("campaign__framework_id"))
        .order_by()
        .values("framework_id")
        .annotate(n=Count("pk"))
        .values("n")
    )


def _assessments(user):
    return visible_assessments(user).select_related("school", "campaign__framework")


@api.get(
    "/frameworks/{slug}/{version}",
    response={200: FrameworkOut, **READ_ERRORS},
    tags=["référentiels"],
    summary="Un référentiel : niveaux, parties, domaines, composantes et critères",
)
def framework_detail(request, slug: str, version: str):
    framework = Framework.objects.filter(slug=slug, version=version).first()
    if framework is None:
        raise Http404("Référentiel introuvable.")
    return spec_from_db(framework)


def visible_campaigns(user):
    """Campaigns whose académie (or département) holds at least one school the user sees."""
    schools = schools_for(user)
    return Campaign.objects.filter(
        Q(department__isnull=True, academy__in=schools.values("department__academy"))
        | Q(department__in=schools.values("department"))
    )


@api.get("/campaigns", response={200: list[CampaignOut], **READ_ERRORS}, tags=["campagnes"])
def campaign_list(request):
    """Les campagnes qui concernent au moins une école ou un établissement de votre périmètre."""
    return (
        visible_campaigns(request.user)
        .select_related("framework", "academy", "department")
        .order_by("-school_year", "pk")
    )


@api.get("/assessments", response={200: list[AssessmentSummaryOut], **READ_ERRORS}, tags=["positionnements"])
@paginate(Pagination)
def assessment_list(request, campaign: Id | None = None):
    """Les positionnements de votre périmètre, d’une campagne si `campaign` est donné
    (pagination : `limit`, `offset`)."""
    assessments = _assessments(request.user).annotate(total_criteria=_criteria_count())
    if campaign is not None:
        assessments = assessments.filter(campaign_id=campaign)
    return assessments.order_by("campaign_id", "school__uai", "pk")


def _detail(assessment):
    """The assessment with one answer per criterion, in the framework's order (a criterion
    nobody answered reads « non renseigné », version 0: what a first save must send)."""
    fields = ("value", "comment", "evidence_url", "version", "carried_over", "carried_origin")
    # Plain values rather than model instances: this runs after every save.
    answers = {
        row[0]: dict(zip(fields, row[1:], strict=True))
        for row in Answer.objects.filter(assessment=assessment).values_list("criterion_id", *fields)
    }
    unanswered = dict(zip(fields, (AnswerValue.NOT_ANSWERED, "", "", 0, False, None), strict=True))
    items = [
        {"criterion": code, **answers.get(criterion_id, unanswered)}
        for criterion_id, code in Criterion.objects.filter(framework_id=assessment.campaign.framework_id)
        .order_by("position")
        .values_list("pk", "code")
    ]
    assessment.answers_out = items
    assessment.total_criteria = len(items)
    return assessment


@api.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentOut, **READ_ERRORS},
    tags=["positionnements"],
    summary="Un positionnement, avec la réponse à chaque critère",
)
def assessment_detail(request, assessment_id: Id):
    return _detail(get_assessment_for(request.user, assessment_id))


@api.put(
    "/assessments/{assessment_id}/answers",
    response={200: AssessmentOut, **WRITE_ERRORS, 423: ErrorOut},
    tags=["positionnements"],
    summary="Enregistrer des réponses (tout ou rien)",
)
def answers_replace(request, assessment_id: Id, body: AnswersIn):
    """Enregistre les réponses données, critère par critère (les autres ne changent pas),
    toutes ou aucune. Réservé au chef d’établissement (ou directeur d’école) et au référent
    numérique de l’école, tant que le positionnement n’est pas soumis (sinon 409) et que
    la campagne est ouverte (sinon 423 : annoncée, ou close sans réouverture de l’école).

    `version` : la version de la réponse lue avant de la modifier. Si quelqu’un l’a
    modifiée depuis, rien n’est enregistré et la réponse est 409 ; sans `version`, la
    réponse est remplacée quelle qu’elle soit."""
    assessment = get_assessment_for(request.user, assessment_id, need=ANSWER_ROLES)
    items = [item.model_dump() for item in body.answers]
    # The model's URLField is not checked by replace_answers: the same check as the web form.
    check_url, faults = URLValidator(), []
    for item in items:
        if item["evidence_url"].strip():
            try:
                check_url(item["evidence_url"].strip())
            except DjangoValidationError:
                faults.append({"criterion": item["criterion"], "error": "lien vers une preuve invalide"})
    if faults:
        raise AnswersInvalid(faults)
    saved = replace_answers(assessment, items, user=request.user, source="api")
    # The locked row read by replace_answers, with the relations already fetched above.
    saved.campaign, saved.school = assessment.campaign, assessment.school
    saved.refresh_from_db(fields=["updated_at"])
    return _detail(saved)


@api.get(
    "/assessments/{assessment_id}/results",
    response={200: ResultsOut, **READ_ERRORS},
    tags=["positionnements"],
    summary="Les résultats : niveau atteint et pourcentages par domaine, composante et niveau",
)
def assessment_results(request, assessment_id: Id):
    assessment = get_assessment_for(request.user, assessment_id)
    return {"assessment": assessment.pk, **results.assessment_results(assessment).as_dict()}


api.add_router("", objectives_router)
api.add_router("", "paliers.api.accompaniment.router")
api.add_router("", "paliers.api.surveys.router")
api.add_router("", "paliers.api.observatory.router")
api.add_router("", "paliers.api.caseload.router")
