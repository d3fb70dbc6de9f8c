"""Answering the team questionnaire without an account: one response per browser, which it
may change until the closing date, and a rate limit per questionnaire.

- The browser is known by a random cookie (BROWSER_COOKIE, 256 bits); the database keeps
  only a SHA-256 of it with the questionnaire's id, so no row leads back to a browser and a
  browser's responses to two questionnaires cannot be linked.
- The rate limit counts the submissions a questionnaire accepted in the current minute in
  its own database row, updated in one statement inside the submission's transaction: every
  application process shares the count (a process's memory would not), and two submissions
  cannot both take the last slot.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from .models import AxisTally, SurveyResponse, SurveyState, TeamSurvey

BROWSER_COOKIE = "paliers_repondant"
BROWSER_COOKIE_AGE = 365 * 24 * 60 * 60  # one school year and a bit: next year's questionnaire too
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
# A staff meeting of 150 teachers scanning the same QR code spreads its responses over a
# few minutes (answering takes one or two); 120 in one minute is already two a second,
# sustained. A script submitting in a loop reaches it in seconds.
SUBMISSIONS_PER_MINUTE = 120


class SurveyClosed(Exception):
    """The questionnaire is not open today: nothing is stored."""


class RateLimited(Exception):
    """Too many submissions to this questionnaire this minute: nothing is stored."""


@dataclass(frozen=True)
class Submitted:
    created: bool  # False: the browser changed its earlier response


def new_browser_token():
    return secrets.token_urlsafe(32)


def browser_token(request):
    """The browser's token from its cookie, or None when absent or not one of ours."""
    token = request.COOKIES.get(BROWSER_COOKIE, "")
    return token if TOKEN_PATTERN.fullmatch(token) else None


def remember_browser(response, request, token):
    response.set_cookie(
        BROWSER_COOKIE,
        token,
        max_age=BROWSER_COOKIE_AGE,
        path="/q/",
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def browser_hash(survey, token):
    return hashlib.sha256(f"paliers-questionnaire:{survey.pk}:{token}".encode()).hexdigest()


def previous_answers(survey, token):
    """The answers this browser gave to this questionnaire, or None."""
    if token is None:
        return None
    found = SurveyResponse.objects.filter(survey=survey, browser_hash=browser_hash(survey, token))
    return found.values_list("answers", flat=True).first()


def submit_response(survey, questionnaire, token, answers, now=None):
    """Store this browser's answers (a new response, or its earlier one changed) and keep the
    tallies in step, all or nothing. Raises SurveyClosed or RateLimited, storing nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    key = browser_hash(survey, token)
    axes = {axis.code for axis in questionnaire.axes}
    with transaction.atomic():
        if survey.state(today) != SurveyState.OPEN:
            raise SurveyClosed
        _take_a_slot(survey, now)
        try:
            with transaction.atomic():  # a savepoint: the same browser may post twice at once
                SurveyResponse.objects.create(
                    survey=survey, browser_hash=key, answers=answers, answered_on=today
                )
            created, old = True, None
        except IntegrityError:
            existing = SurveyResponse.objects.select_for_update().get(survey=survey, browser_hash=key)
            created, old = False, existing.answers
            SurveyResponse.objects.filter(pk=existing.pk).update(answers=answers, answered_on=today)
        if old is not None:
            _shift(survey, axes, old, -1)
        _shift(survey, axes, answers, +1)
    return Submitted(created)


def _take_a_slot(survey, now):
    window = now.replace(second=0, microsecond=0)
    # One statement: the CASE reads the row's old window, so a new minute starts again at 1.
    TeamSurvey.objects.filter(pk=survey.pk).update(
        rate_window=window,
        rate_count=Case(When(rate_window=window, then=F("rate_count") + 1), default=Value(1)),
    )
    count = TeamSurvey.objects.filter(pk=survey.pk).values_list("rate_count", flat=True).get()
    if count > SUBMISSIONS_PER_MINUTE:
        raise RateLimited  # rolls the increment back: only accepted submissions count


def _shift(survey, axes, answers, delta):
    """Add `delta` to the tally of each (axis, level) in `answers`, in one statement."""
    chosen = Q(pk__in=[])
    for code, level in answers.items():
        if code in axes:
            chosen |= Q(axis=code, level=level)
    AxisTally.objects.filter(chosen, survey=survey).update(count=F("count") + delta)


def create_tallies(survey, questionnaire):
    """One tally per axis and level, « je ne sais pas » included, all at zero."""
    AxisTally.objects.bulk_create(
        AxisTally(survey=survey, axis=axis.code, level=level)
        for axis in questionnaire.axes
        for level in [0, *(option.level for option in axis.options)]
    )


def recount(survey):
    """The tallies as the responses say ({(axis code, level): count}): a check, for tests and
    the benchmark, that the tallies kept up to date never drifted."""
    counts = {}
    for answers in SurveyResponse.objects.filter(survey=survey).values_list("answers", flat=True):
        for code, level in answers.items():
            counts[code, level] = counts.get((code, level), 0) + 1
    return counts
