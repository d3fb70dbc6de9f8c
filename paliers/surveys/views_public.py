"""The respondents' pages: public (no account), light (no JavaScript, a few DSFR style
sheets), and never cached, since the form shows this browser's own earlier answers.

A code is looked up at most CODE_FAILURES times in vain per client address and
CODE_WINDOW: beyond, every lookup from that address is refused for a while (429), so that
codes cannot be guessed by trying them. A browser signed in as the school's head or
référent does not answer the team's form: the leadership answers on its own page.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from paliers.core import ratelimit
from paliers.core.client import rate_limit_subject
from paliers.frameworks.languages import text_cache_key

from .access import LEAD_ROLES, may
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

CODE_FAILURES = 20  # codes not found, per client address and window
CODE_WINDOW = 10 * 60  # seconds
CODE_SCOPE = "code-questionnaire"


class TooManyCodes(Exception):
    """This address looked up too many unknown codes lately."""


def _client(request):
    return rate_limit_subject(request)


def _find(request, code):
    """The questionnaire with this code, None when there is none (a failure counted against
    the client's address); TooManyCodes when the address has failed too often lately."""
    client = _client(request)
    if ratelimit.current(CODE_SCOPE, client, CODE_WINDOW) >= CODE_FAILURES:
        raise TooManyCodes
    code = code.strip().upper()
    found = None
    if len(code) == CODE_LENGTH:
        found = TeamSurvey.objects.select_related("campaign__framework", "school").filter(code=code).first()
    if found is None:
        ratelimit.take(CODE_SCOPE, client, CODE_FAILURES, CODE_WINDOW)
    return found


def _too_many_codes(request, code=""):
    response = render(
        request,
        "surveys/enter_code.html",
        {
            "code": code[: CODE_LENGTH * 2],
            "error": _(
                "Trop de codes inconnus essayés depuis cette adresse : attendez quelques minutes, "
                "puis vérifiez le code sur l’affiche ou le message reçu."
            ),
        },
        status=429,
    )
    response["Retry-After"] = str(CODE_WINDOW)
    return response


def _survey(request, code):
    found = _find(request, code)
    if found is None:
        raise Http404("Aucun questionnaire ne porte ce code.")
    return found


@require_safe
@login_not_required
def enter_code(request):
    """Where a code read on a poster is typed: /q/?code=ABC234 leads to its questionnaire."""
    code = "".join(request.GET.get("code", "").split()).upper()
    error = None
    if code:
        try:
            found = _find(request, code)
        except TooManyCodes:
            return _too_many_codes(request, code)
        if found is not None:
            return redirect("surveys:respond", found.code)
        error = _("Aucun questionnaire ne porte ce code : vérifiez-le sur l’affiche ou le message reçu.")
    return render(
        request, "surveys/enter_code.html", {"code": code[:CODE_LENGTH * 2], "error": error},
        status=404 if error else 200,
    )  # fmt: skip


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_not_required
def respond(request, code):
    try:
        survey = _survey(request, code)
    except TooManyCodes:
        return _too_many_codes(request, code)
    state = survey.state(timezone.localdate())
    if state != SurveyState.OPEN:
        return _not_open(request, survey, state)
    if request.user.is_authenticated and may(request.user, survey.school, LEAD_ROLES):
        return _leadership_session(request, survey)
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
        submit_response(survey, questionnaire, token, form.answers(), client=_client(request))
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


def _leadership_session(request, survey):
    """The head or the référent, signed in, opened the team's link: their answer belongs on
    the leadership's page. A response from their session would count as a teacher's (and
    let them stand in for the team): refused."""
    return render(
        request,
        "surveys/leadership_session.html",
        {"survey": survey},
        status=403 if request.method == "POST" else 200,
    )


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


# The questions with nothing chosen, as HTML, per framework and language (text_cache_key):
# the same for every new respondent, and three quarters of the page's rendering
# (bench/survey_load.py). In DEBUG the template is read again, as one edits it.
_blank = {}


def _blank_axes(framework, form):
    key = (*text_cache_key(framework), translation.get_language())
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
    try:
        survey = _survey(request, code)
    except TooManyCodes:
        return _too_many_codes(request, code)
    answered = previous_answers(survey, browser_token(request)) is not None
    return render(
        request,
        "surveys/thanks.html",
        {"survey": survey, "answered": answered, "respond_url": survey.get_respond_url()},
    )
