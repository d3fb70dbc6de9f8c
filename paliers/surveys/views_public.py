"""The respondents' pages: public (no account), light (no JavaScript, a few DSFR style
sheets), and never cached, since the form shows this browser's own earlier answers."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from .models import CODE_LENGTH, SurveyState, TeamSurvey
from .questionnaire import ResponseForm, questionnaire_for
from .responding import (
    RateLimited,
    SurveyClosed,
    browser_token,
    new_browser_token,
    previous_answers,
    remember_browser,
    submit_response,
)


def _survey(code):
    return get_object_or_404(
        TeamSurvey.objects.select_related("campaign__framework", "school"), code=code.strip().upper()
    )


@require_safe
@login_not_required
def enter_code(request):
    """Where a code read on a poster is typed: /q/?code=ABC234 leads to its questionnaire."""
    code = "".join(request.GET.get("code", "").split()).upper()
    error = None
    if code:
        if len(code) == CODE_LENGTH and TeamSurvey.objects.filter(code=code).exists():
            return redirect("surveys:respond", code)
        error = _("Aucun questionnaire ne porte ce code : vérifiez-le sur l’affiche ou le message reçu.")
    return render(
        request, "surveys/enter_code.html", {"code": code, "error": error}, status=404 if error else 200
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_not_required
def respond(request, code):
    survey = _survey(code)
    state = survey.state(timezone.localdate())
    if state != SurveyState.OPEN:
        return _not_open(request, survey, state)
    questionnaire = questionnaire_for(survey.campaign.framework)
    token = browser_token(request)
    if request.method != "POST":
        previous = previous_answers(survey, token)
        return _form_page(request, survey, ResponseForm(questionnaire, answers=previous), previous)
    form = ResponseForm(questionnaire, request.POST)
    if not form.is_valid():
        return _form_page(request, survey, form, previous_answers(survey, token), status=422)
    token = token or new_browser_token()
    try:
        submit_response(survey, questionnaire, token, form.answers())
    except SurveyClosed:  # closed between the page's reading and the writing
        return _not_open(request, survey, SurveyState.CLOSED)
    except RateLimited:
        previous = previous_answers(survey, token)
        response = _form_page(request, survey, form, previous, rate_limited=True, status=429)
        response["Retry-After"] = "60"
        return response
    response = redirect("surveys:thanks", survey.code)
    remember_browser(response, request, token)
    return response


def _form_page(request, survey, form, previous, rate_limited=False, status=200):
    blank = not form.is_bound and previous is None
    return render(
        request,
        "surveys/respond.html",
        {
            "survey": survey,
            "form": form,
            "changing": previous is not None,
            "rate_limited": rate_limited,
            "blank_axes": _blank_axes(survey.campaign.framework, form) if blank else None,
        },
        status=status,
    )


# (slug, version) → the questions with nothing chosen, as HTML: the same for every new
# respondent, and three quarters of the page's rendering (bench/survey_load.py). A loaded
# framework never changes; in DEBUG the template is read again, as one edits it.
_blank = {}


def _blank_axes(framework, form):
    key = (framework.slug, framework.version)
    if key not in _blank or settings.DEBUG:
        _blank[key] = render_to_string("surveys/_axes.html", {"form": form})
    return _blank[key]


def _not_open(request, survey, state):
    # A refused submission is a 403; reading the page of a closed questionnaire is fine.
    return render(
        request,
        "surveys/not_open.html",
        {"survey": survey, "upcoming": state == SurveyState.UPCOMING},
        status=403 if request.method == "POST" else 200,
    )


@never_cache
@require_safe
@login_not_required
def thanks(request, code):
    survey = _survey(code)
    answered = previous_answers(survey, browser_token(request)) is not None
    return render(
        request,
        "surveys/thanks.html",
        {"survey": survey, "answered": answered, "respond_url": survey.get_respond_url()},
    )
