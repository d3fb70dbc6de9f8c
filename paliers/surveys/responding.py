"""Answering the team questionnaire without an account: one response per browser, which it
may change until the closing date, and rate limits per questionnaire and per client.

- The browser is known by a random cookie (BROWSER_COOKIE, 256 bits); the database keeps
  only a SHA-256 of it with the questionnaire's id, so no row leads back to a browser and a
  browser's responses to two questionnaires cannot be linked.
- The rate limits (core/ratelimit.py) count the submissions a questionnaire accepted in the
  current minute, in all and from each client address, inside the submission's transaction:
  every application process shares the counts, a refused submission counts for nothing, and
  one client (a script) can take at most its share, leaving the rest to the others. The
  counters hold keyed hashes, never an address nor a time of day.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from paliers.core import ratelimit

from .models import AxisTally, SurveyResponse, SurveyState

BROWSER_COOKIE = "paliers_repondant"
BROWSER_COOKIE_AGE = 365 * 24 * 60 * 60  # one school year and a bit: next year's questionnaire too
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
# A staff meeting of 150 teachers scanning the same QR code spreads its responses over a
# few minutes (answering takes one or two); 120 in one minute is already two a second,
# sustained. A script submitting in a loop reaches it in seconds.
SUBMISSIONS_PER_MINUTE = 120
# One client address takes at most half of them: a script looping from one machine leaves
# the other half to the teachers, and a staff room behind one address still sends 60 a minute.
SUBMISSIONS_PER_CLIENT_PER_MINUTE = 60


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


def submit_response(survey, questionnaire, token, answers, now=None, client=None):
    """Store this browser's answers (a new response, or its earlier one changed) and keep the
    tallies in step, all or nothing. Raises SurveyClosed or RateLimited, storing nothing.
    `client`: the client's address, for its share of the rate limit (None: no share)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    key = browser_hash(survey, token)
    axes = {axis.code for axis in questionnaire.axes}
    with transaction.atomic():
        if survey.state(today) != SurveyState.OPEN:
            raise SurveyClosed
        _take_a_slot(survey, client, now)
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


def _take_a_slot(survey, client, now):
    # Inside the submission's transaction: a refusal rolls both counts back.
    if client is not None and not ratelimit.take(
        "questionnaire-client", f"{survey.pk}:{client}", SUBMISSIONS_PER_CLIENT_PER_MINUTE, 60, now
    ):
        raise RateLimited
    if not ratelimit.take("questionnaire", survey.pk, SUBMISSIONS_PER_MINUTE, 60, now):
        raise RateLimited


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
