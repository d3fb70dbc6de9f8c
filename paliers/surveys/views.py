"""The leadership's pages: open a team questionnaire, share it (link, code, QR code, poster),
give the leadership's view, read the results and export them."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from paliers.accounts.access import get_school_for
from paliers.accounts.scoping import has_role, schools_for
from paliers.assessments.models import Assessment
from paliers.core.charts import Series, bar_chart, radar_chart
from paliers.schools.words import school_words

from .access import AGGREGATE_ROLES, LEAD_ROLES, OPEN_ROLES, get_survey_for, may
from .exports import results_csv
from .forms import SurveyDatesForm
from .models import SurveyResponse, SurveyState, TeamSurvey
from .opening import change_dates, open_survey, save_leadership_view, team_campaigns
from .qr import qr_data_uri, qr_svg
from .questionnaire import ResponseForm, questionnaire_for
from .results import MIN_RESPONSES, shown_count, survey_results

OPEN_FOR = timedelta(days=21)


def _posted(request):
    """The form's data on a POST, even an empty one (which must fail validation, not pass for a GET)."""
    return request.POST if request.method == "POST" else None


def _link(request, survey):
    return request.build_absolute_uri(survey.get_respond_url())


@require_safe
def survey_list(request):
    """The team questionnaires of the schools the user leads, opened or still to open."""
    lead_schools = schools_for(request.user, roles=LEAD_ROLES)
    pairs = (
        Assessment.objects.filter(campaign__in=team_campaigns(), school__in=lead_schools)
        .select_related("campaign__framework", "school")
        .order_by("-campaign__school_year", "school__sort_name")[:200]
    )
    surveys = {
        (s.campaign_id, s.school_id): s
        for s in TeamSurvey.objects.filter(campaign__in=team_campaigns(), school__in=lead_schools)
    }
    counts = dict(
        SurveyResponse.objects.filter(survey__in=[s.pk for s in surveys.values()])
        .values_list("survey")
        .annotate(n=Count("pk"))
    )
    heads = set(schools_for(request.user, change=True, roles=OPEN_ROLES).values_list("pk", flat=True))
    today, rows = timezone.localdate(), []
    for pair in pairs:
        survey = surveys.get((pair.campaign_id, pair.school_id))
        rows.append(
            {
                "campaign": pair.campaign,
                "school": pair.school,
                "survey": survey,
                "state": survey.state(today) if survey else None,
                "responses": shown_count(counts.get(survey.pk, 0)) if survey else 0,
                "can_open": survey is None and pair.school_id in heads,
            }
        )
    return render(
        request,
        "surveys/list.html",
        {
            "rows": rows,
            "can_aggregate": has_role(request.user, *AGGREGATE_ROLES),
        },
    )


def survey_open(request, campaign_pk, uai):
    school = get_school_for(request.user, uai)
    if not may(request.user, school, OPEN_ROLES, change=True):
        raise PermissionDenied(
            _("Seul le %(head)s ouvre le questionnaire.") % {"head": school_words(school).head}
        )
    campaign = get_object_or_404(team_campaigns().select_related("framework"), pk=campaign_pk)
    if not campaign.assessments.filter(school=school).exists():
        raise Http404(capfirst(f"{school_words(school).this} ne fait pas partie de la campagne."))
    existing = TeamSurvey.objects.filter(campaign=campaign, school=school).first()
    if existing:
        return redirect(existing)
    today = timezone.localdate()
    # Three weeks from today: time for a staff meeting or two, within the campaign.
    initial = {
        "opens_on": max(today, campaign.opens_on),
        "closes_on": min(today + OPEN_FOR, campaign.closes_on),
    }
    form = SurveyDatesForm(_posted(request), campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            survey = open_survey(campaign, school, **form.cleaned_data, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Questionnaire ouvert : partagez le lien, le code ou l’affiche."))
            return redirect(survey)
    return render(
        request,
        "surveys/open.html",
        {"form": form, "campaign": campaign, "school": school},
        status=422 if form.errors else 200,
    )


@require_safe
def survey_detail(request, pk):
    survey = get_survey_for(request.user, pk)
    link = _link(request, survey)
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "link": link,
            "qr": qr_data_uri(link),
            "state": survey.state(timezone.localdate()),
            "responses": shown_count(survey.responses.count()),
            "threshold": MIN_RESPONSES,
            "leadership": getattr(survey, "leadership_view", None),
            "is_head": may(request.user, survey.school, OPEN_ROLES, change=True),
        },
    )


def survey_dates(request, pk):
    survey = get_survey_for(request.user, pk, roles=OPEN_ROLES, change=True)
    form = SurveyDatesForm(
        _posted(request),
        campaign=survey.campaign,
        initial={"opens_on": survey.opens_on, "closes_on": survey.closes_on},
    )
    closed = survey.state(timezone.localdate()) == SurveyState.CLOSED
    if request.method == "POST" and form.is_valid():
        try:
            change_dates(survey, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Dates du questionnaire enregistrées."))
            return redirect(survey)
    return render(
        request,
        "surveys/dates.html",
        {"survey": survey, "form": form, "closed": closed},
        status=422 if form.errors else 200,
    )


@require_safe
def poster(request, pk):
    """A page to print or project: the link, the short code and the QR code."""
    survey = get_survey_for(request.user, pk)
    link = _link(request, survey)
    return render(request, "surveys/poster.html", {"survey": survey, "link": link, "qr": qr_data_uri(link)})


@require_safe
def qr_code(request, pk):
    survey = get_survey_for(request.user, pk)
    response = HttpResponse(qr_svg(_link(request, survey)), content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="questionnaire-{survey.code}.svg"'
    return response


def leadership(request, pk):
    """The head and the référent answer the same questionnaire, as the « équipe de direction »."""
    survey = get_survey_for(request.user, pk)
    questionnaire = questionnaire_for(survey.campaign.framework)
    view = getattr(survey, "leadership_view", None)
    form = ResponseForm(questionnaire, _posted(request), answers=view.answers if view else None)
    if request.method == "POST" and form.is_valid():
        save_leadership_view(survey, form.answers(), request.user)
        messages.success(request, _("Réponse de l’équipe de direction enregistrée."))
        return redirect(survey)
    return render(
        request,
        "surveys/leadership.html",
        {"survey": survey, "form": form, "view": view},
        status=422 if form.errors else 200,
    )


@require_safe
def results(request, pk):
    survey = get_survey_for(request.user, pk)
    found = survey_results(survey, questionnaire_for(survey.campaign.framework))
    context = results_context(
        found,
        leadership_label=_("Équipe de direction"),
        missing_leadership=_(
            "L’équipe de direction n’a pas encore répondu : les écarts s’afficheront quand elle l’aura fait."
        ),
    )
    return render(request, "surveys/results.html", {"survey": survey, "threshold": MIN_RESPONSES, **context})


def results_context(found, leadership_label, missing_leadership):
    """What _results.html draws: the comparison radar and one distribution chart per axis,
    only when the results are available."""
    context = {"results": found, "leadership_label": leadership_label, "no_leadership": ""}
    if not found.available:
        return {**context, "radar": None, "distributions": []}
    if all(axis.leadership is None and not axis.leadership_dont_know for axis in found.axes):
        context["no_leadership"] = missing_leadership
    levels = [label for __, label in found.levels]
    # The published counts carry a noise: one may exceed the number of responses.
    scale = max([found.responses, *(n for axis in found.axes for n in (*axis.counts, axis.dont_know))])
    radar = radar_chart(
        [axis.title for axis in found.axes],
        [
            Series(_("Équipe (jalon médian)"), [axis.median for axis in found.axes], "main"),
            Series(leadership_label, [axis.leadership for axis in found.axes], "target"),
        ],
        max_value=len(levels),
        title=_("Jalon médian de l’équipe et %(leadership)s, par axe")
        % {"leadership": leadership_label.lower()},
    )
    distributions = [
        (
            axis,
            mark_safe(  # noqa: S308 (charts.py escapes every text it draws)
                bar_chart(
                    [*levels, _("Je ne sais pas")],
                    [*axis.counts, axis.dont_know],
                    title=_("%(axis)s : réponses par jalon") % {"axis": axis.title},
                    max_value=scale,
                    value_format=lambda n: f"{n:.0f}",
                    chart_id=f"chart-{axis.code}",
                )
            ),
        )
        for axis in found.axes
    ]
    return {**context, "radar": mark_safe(radar), "distributions": distributions}  # noqa: S308


@require_safe
def export(request, pk):
    survey = get_survey_for(request.user, pk)
    found = survey_results(survey, questionnaire_for(survey.campaign.framework))
    if not found.available:
        messages.info(
            request,
            _("Pas d’export avant la clôture ni avant %(count)s réponses : rien ne serait anonyme.")
            % {"count": MIN_RESPONSES},
        )
        return redirect(reverse("surveys:results", args=[survey.pk]))
    response = HttpResponse(results_csv(found), content_type="text/csv; charset=utf-8")
    name = f"questionnaire-equipe-{survey.school.uai}-{survey.campaign.school_year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
