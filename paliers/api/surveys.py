"""Team questionnaires in the JSON API: the questionnaires a head or référent leads, a
school's results, and a campaign's aggregate over the caller's scope.

The anonymity rule of the pages applies (paliers.surveys.results): results once the
questionnaire is closed, from MIN_RESPONSES responses, with the published (noisy) counts;
below the threshold not even the number of responses. No endpoint gives a single response.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema

from paliers.accounts.scoping import has_role
from paliers.surveys.access import AGGREGATE_ROLES, aggregate_schools, get_survey_for, lead_surveys
from paliers.surveys.models import TeamSurvey
from paliers.surveys.opening import team_campaigns
from paliers.surveys.questionnaire import questionnaire_for
from paliers.surveys.results import MIN_RESPONSES, aggregate_results, shown_count, survey_results

from .schemas import READ_ERRORS, ErrorOut, Id

router = Router(tags=["questionnaires d’équipe"])


class TeamSurveyOut(Schema):
    id: int
    campaign: int = Field(validation_alias="campaign_id")
    school: str = Field(description="UAI de l’école ou de l’établissement.")
    code: str = Field(description="Le code court ; le lien pour répondre est /q/<code>/.")
    opens_on: date
    closes_on: date
    state: str = Field(description="upcoming (à venir : ouvre plus tard), open (ouvert) ou closed (clos).")
    responses: int | None = Field(description="Nombre de réponses ; null tant qu’il y en a moins de 5.")


class JalonCountOut(Schema):
    level: int = Field(description="Numéro du jalon.")
    label: str
    count: int


class AxisResultOut(Schema):
    code: str
    title: str
    counts: list[JalonCountOut] = Field(
        description="Réponses à chaque jalon, publiées avec un léger écart aléatoire fixé une fois "
        "pour toutes."
    )
    dont_know: int = Field(description="Réponses « je ne sais pas » (publiées de même).")
    median: float | None = Field(description="Jalon médian (« je ne sais pas » exclu) ; x,5 entre deux.")
    leadership: float | None = Field(
        description="Jalon choisi par l’équipe de direction (pour un agrégat : la médiane des équipes de "
        "direction) ; null si elle n’a pas répondu ou ne sait pas."
    )
    leadership_dont_know: bool
    gap: float | None = Field(description="Équipe de direction moins jalon médian de l’équipe.")
    highlighted: bool = Field(description="Écart d’un jalon ou plus.")


class TeamResultsOut(Schema):
    responses: int | None = Field(description="Réponses comptées ; null sous le seuil.")
    threshold: int = Field(description=f"Résultats disponibles à partir de ce nombre ({MIN_RESPONSES}).")
    closed: bool = Field(description="Clos : les résultats ne sont publiés qu’après la clôture.")
    available: bool
    axes: list[AxisResultOut] = Field(description="Vide avant la clôture et sous le seuil.")


class SurveyResultsOut(TeamResultsOut):
    survey: int


class AggregateResultsOut(TeamResultsOut):
    campaign: int
    schools: int = Field(description="Questionnaires comptés (au moins le seuil de réponses).")
    schools_below: int = Field(description="Questionnaires en cours ou sous le seuil, non comptés.")


def _results_out(found):
    return {
        "responses": found.shown_responses,
        "threshold": MIN_RESPONSES,
        "closed": found.closed,
        "available": found.available,
        "axes": [
            {
                "code": axis.code,
                "title": axis.title,
                "counts": [
                    {"level": number, "label": label, "count": count}
                    for (number, label), count in zip(found.levels, axis.counts, strict=True)
                ],
                "dont_know": axis.dont_know,
                "median": axis.median,
                "leadership": axis.leadership,
                "leadership_dont_know": axis.leadership_dont_know,
                "gap": axis.gap,
                "highlighted": axis.highlighted,
            }
            for axis in found.axes
        ],
    }


@router.get("/team-surveys", response={200: list[TeamSurveyOut], **READ_ERRORS, 403: ErrorOut})
def team_survey_list(request):
    """Les questionnaires d’équipe des écoles dont vous êtes chef d’établissement, directeur
    d’école ou référent numérique."""
    today = timezone.localdate()
    surveys = (
        lead_surveys(request.user)
        .select_related("school")
        .annotate(responses_count=Count("responses"))
        .order_by("campaign_id", "school__uai")
    )
    return [
        {
            **{f: getattr(s, f) for f in ("id", "campaign_id", "code", "opens_on", "closes_on")},
            "school": s.school.uai,
            "state": s.state(today).value,
            "responses": shown_count(s.responses_count),
        }
        for s in surveys
    ]


@router.get(
    "/team-surveys/{survey_id}/results",
    response={200: SurveyResultsOut, **READ_ERRORS, 403: ErrorOut},
    summary="Les résultats d’un questionnaire d’équipe (après sa clôture, à partir de 5 réponses)",
)
def team_survey_results(request, survey_id: Id):
    """Réservé au chef d’établissement (ou directeur d’école) et au référent numérique de l’école."""
    survey = get_survey_for(request.user, survey_id)
    found = survey_results(survey, questionnaire_for(survey.campaign.framework))
    return {"survey": survey.pk, **_results_out(found)}


@router.get(
    "/campaigns/{campaign_id}/team-surveys/results",
    response={200: AggregateResultsOut, **READ_ERRORS, 403: ErrorOut},
    summary="Les questionnaires d’équipe d’une campagne, additionnés sur votre périmètre",
)
def team_survey_aggregate(request, campaign_id: Id):
    """Pour la délégation académique, les animateurs et les observateurs : les effectifs
    publiés des questionnaires de leur périmètre clos avec au moins 5 réponses, additionnés."""
    if not has_role(request.user, *AGGREGATE_ROLES):
        raise PermissionDenied("Réservé à la délégation académique, aux animateurs et aux observateurs.")
    schools = aggregate_schools(request.user)
    campaign = (
        team_campaigns().filter(pk=campaign_id, assessments__school__in=schools).select_related("framework")
    ).first()
    if campaign is None:
        raise Http404("Campagne sur les jalons introuvable dans votre périmètre.")
    surveys = TeamSurvey.objects.filter(campaign=campaign, school__in=schools)
    found, _ = aggregate_results(surveys, questionnaire_for(campaign.framework))
    return {
        "campaign": campaign.pk,
        "schools": found.schools,
        "schools_below": found.schools_below,
        **_results_out(found),
    }
