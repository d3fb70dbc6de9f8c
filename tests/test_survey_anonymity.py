"""The team questionnaire's anonymity against its own head (surveys/results.py, the rule).

The attack: the head answers the public form from fresh browsers as often as the rate limit
allows, reads what is published, and subtracts their own answers. Before this rule, a lone
teacher's answers came out exact (their one response plus the head's made 5). Now the head
reads nothing before the close, not even a count that moves under 5, cannot answer from
their own session, cannot reopen to compare two publications, and reads counts carrying a
secret noise: their best guess of the teacher's answer to an axis is wrong two times in three.
"""

import random
import re
from datetime import date, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from paliers.api.models import ApiToken
from paliers.core.models import RateCount
from paliers.surveys import views_public
from paliers.surveys.models import SurveyResponse, TeamSurvey
from paliers.surveys.results import (
    DONT_KNOW,
    NOISE_ALPHA,
    median_level,
    noise,
    published_tally,
    responses_in,
    tallies_by_survey,
)
from paliers.surveys.views_public import CODE_FAILURES

from .test_surveys import AFTER, AXES, DURING, PARIS, make_survey_world, respond

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")


@pytest.fixture
def world(db):
    return make_survey_world()


@pytest.fixture
def during():
    with time_machine.travel(DURING, tick=False) as traveller:
        yield traveller


TEACHER = {"DYN": 3, "ORG": 1, "ESP": 4, "RES": 2, "LIT": 0}  # the only real teacher
OPTIONS = (1, 2, 3, 4, DONT_KNOW)
# The head's answers, made to single out the teacher under any exact display: four of
# their responses on every option of every axis, so that the teacher's option shows one more.
HEAD_ANSWERS = [{code: OPTIONS[n % 5] for code in AXES} for n in range(20)]


def fakes():
    """The head's own counts: {(axis, option): n}."""
    counts = {}
    for answers in HEAD_ANSWERS:
        for code, level in answers.items():
            counts[code, level] = counts.get((code, level), 0) + 1
    return counts


def best_guess(published, code):
    """The head's best reading of the teacher's answer to an axis: the option whose published
    count most exceeds their own responses (ties: the first)."""
    own = fakes()
    return max(OPTIONS, key=lambda level: published.get((code, level), 0) - own.get((code, level), 0))


def the_head_reads(client, world):
    client.force_login(world.head)
    key = ApiToken.issue(world.head, "curieux")[1]
    page = client.get(reverse("surveys:results", args=[world.survey.pk]))
    api = client.get(
        f"/api/v1/team-surveys/{world.survey.pk}/results", headers={"Authorization": f"Bearer {key}"}
    ).json()
    detail = client.get(reverse("surveys:detail", args=[world.survey.pk])).content.decode()
    return page, api, detail


def test_the_head_answering_from_fresh_browsers_cannot_read_a_teachers_answers(client, world, during):
    phone = Client(REMOTE_ADDR="203.0.113.7")
    assert respond(phone, world.survey, TEACHER).status_code == 302
    # The head first tries from their own session: refused, nothing stored.
    client.force_login(world.head)
    assert respond(client, world.survey, HEAD_ANSWERS[0]).status_code == 403
    assert SurveyResponse.objects.count() == 1
    # Then from a fresh browser each time (one address: within their share of the limit).
    seen_counts = set()
    for n, answers in enumerate(HEAD_ANSWERS):
        browser = Client(REMOTE_ADDR="198.51.100.20")
        assert respond(browser, world.survey, answers).status_code == 302
        if n < 3:  # 2 to 4 responses: what the head reads does not move, on any page
            page, api, detail = the_head_reads(client, world)
            home = " ".join(client.get("/").content.decode().split())
            seen_counts.add((
                api["responses"], "Moins de 5 réponses pour l’instant." in detail,
                "moins de 5 réponses pour l’instant." in home, re.search(r"[234] réponses", home),
            ))  # fmt: skip
        during.shift(4)  # well within the rate limit
    assert seen_counts == {(None, True, True, None)}
    assert SurveyResponse.objects.count() == 21
    # Before the close: no distribution, however many responses.
    page, api, _ = the_head_reads(client, world)
    assert api["responses"] == 21 and not api["available"] and api["axes"] == []
    assert "<svg" not in page.content.decode()
    during.move_to(AFTER)
    client.force_login(world.head)
    # A closed questionnaire never reopens: no second publication to compare.
    refused = client.post(
        reverse("surveys:dates", args=[world.survey.pk]),
        {"opens_on": "2026-01-05", "closes_on": "2026-03-31"},
    )
    assert refused.status_code == 422 and "ses dates ne changent plus" in refused.content.decode()
    world.survey.refresh_from_db()
    assert world.survey.closes_on == date(2026, 1, 30)
    # After the close the head reads the published counts, the same everywhere…
    page, api, _ = the_head_reads(client, world)
    assert api["available"] and api["responses"] == 21
    exact = tallies_by_survey([world.survey.pk])[world.survey.pk]
    published = published_tally(exact, world.survey.noise_seed, world.survey.pk)
    read = {}
    for axis in api["axes"]:
        for count in axis["counts"]:
            read[axis["code"], count["level"]] = count["count"]
        read[axis["code"], DONT_KNOW] = axis["dont_know"]
    assert read == {key: published[key] for key in read}
    assert "écart aléatoire" in page.content.decode()
    # …which are not the exact ones: subtracting their own answers leaves noise, not the teacher.
    residual = {key: read[key] - fakes().get(key, 0) for key in read}
    one_hot = {(code, level): int(TEACHER[code] == level) for code in AXES for level in OPTIONS}
    assert residual != one_hot
    assert read != {key: exact[key] for key in read}


def test_the_heads_best_guess_is_wrong_two_times_in_three():
    """The same attack over many secret seeds (the head never knows the seed): the best
    guess of one axis is right about a third of the time (chance: a fifth; without the
    noise: always), all five axes right almost never."""
    rng = random.Random(18)  # noqa: S311 (reproducible draws of seeds)
    exact = fakes()
    for code, level in TEACHER.items():
        exact[code, level] += 1
    right_axes = all_right = 0
    trials = 1500
    for _ in range(trials):
        seed = f"{rng.getrandbits(128):032x}"
        published = published_tally(exact, seed, 1)
        right = sum(best_guess(published, code) == TEACHER[code] for code in AXES)
        right_axes += right
        all_right += right == len(AXES)
    share = right_axes / (trials * len(AXES))
    assert 0.2 < share < 0.45
    assert all_right / trials < 0.02
    assert responses_in(exact, AXES) == 21


def test_the_noise_is_fixed_secret_and_mostly_small():
    draws = [noise("graine", f"clé-{n}") for n in range(6000)]
    assert draws == [noise("graine", f"clé-{n}") for n in range(6000)]  # the same on every reading
    assert draws[:200] != [noise("autre graine", f"clé-{n}") for n in range(200)]
    zero = draws.count(0) / len(draws)
    expected = (1 - NOISE_ALPHA) / (1 + NOISE_ALPHA)  # a third
    assert abs(zero - expected) < 0.03
    assert abs(sum(draws) / len(draws)) < 0.15  # centred
    assert sum(abs(d) <= 2 for d in draws) / len(draws) > 0.75
    assert published_tally({("DYN", 1): 0, ("DYN", 2): 9}, "graine", 1)[("DYN", 1)] >= 0  # never below zero


def test_results_stay_readable_for_a_real_team():
    """The price of the noise for a real team of 30 with a clear median (jalon 2): it moves by
    a whole jalon about once in fifty questionnaires (more often for a small team, or one
    split down the middle: README)."""
    rng = random.Random(30)  # noqa: S311
    exact = {("DYN", level): n for level, n in zip(OPTIONS, (3, 15, 7, 3, 2), strict=True)}
    moved = 0
    for _ in range(500):
        published = published_tally(exact, f"{rng.getrandbits(64)}", 1)
        counts = {level: published["DYN", level] for level in OPTIONS}
        moved += abs(median_level(counts) - 2.0) >= 1
    assert moved / 500 < 0.05


def test_a_teacher_with_an_account_answers_the_heads_own_do_not(client, world, during):
    client.force_login(world.member)  # a teacher of the school, signed in
    assert respond(client, world.survey, TEACHER).status_code == 302
    client.force_login(world.referent)
    page = client.get(reverse("surveys:respond", args=[world.survey.code]))
    assert page.status_code == 200 and "Répondre comme équipe de direction" in page.content.decode()
    assert respond(client, world.survey, TEACHER).status_code == 403
    assert SurveyResponse.objects.count() == 1


def test_aggregates_add_the_published_counts_of_closed_questionnaires(client, world, during):
    for n in range(6):
        respond(Client(REMOTE_ADDR=f"203.0.113.{n}"), world.survey, TEACHER)
    during.move_to(AFTER)
    client.force_login(world.animator)
    found = client.get(reverse("surveys:aggregates")).context["results"]
    exact = tallies_by_survey([world.survey.pk])[world.survey.pk]
    published = published_tally(exact, world.survey.noise_seed, world.survey.pk)
    assert found.responses == 6 and found.axes[0].counts == tuple(
        published.get(("DYN", n), 0) for n in (1, 2, 3, 4)
    )


# --- guessing codes ---------------------------------------------------------------------------


def test_codes_cannot_be_guessed_by_trying_them(world):
    guesser = Client(REMOTE_ADDR="198.51.100.9")
    with time_machine.travel(datetime(2026, 1, 12, 10, 0, tzinfo=PARIS), tick=False) as clock:
        tried = [
            guesser.get(reverse("surveys:enter"), {"code": f"ZZZZ{n:02d}"}).status_code for n in range(15)
        ]
        tried += [
            guesser.get(reverse("surveys:respond", args=[f"YYYY{n:02d}"])).status_code for n in range(5)
        ]
        assert tried == [404] * CODE_FAILURES
        # Beyond: every lookup from that address is refused, the right code too.
        blocked = guesser.get(reverse("surveys:enter"), {"code": world.survey.code})
        assert blocked.status_code == 429 and "Trop de codes inconnus" in blocked.content.decode()
        assert guesser.get(reverse("surveys:respond", args=[world.survey.code])).status_code == 429
        # Another address is not concerned; the counters name neither address nor time.
        teacher = Client(REMOTE_ADDR="203.0.113.5")
        assert teacher.get(reverse("surveys:enter"), {"code": world.survey.code}).status_code == 302
        assert not RateCount.objects.filter(key__contains="198.51.100.9").exists()
        clock.shift(views_public.CODE_WINDOW)
        assert guesser.get(reverse("surveys:enter"), {"code": world.survey.code}).status_code == 302


def test_a_new_ipv6_address_per_try_does_not_escape_the_throttle(world):
    """An IPv6 machine has a whole /64 to itself: it is counted as one client."""
    with time_machine.travel(datetime(2026, 1, 12, 10, 0, tzinfo=PARIS), tick=False):
        tried = [
            Client(REMOTE_ADDR=f"2001:db8:5:6::{n:x}").get(reverse("surveys:enter"), {"code": f"ZZZZ{n:02d}"})
            for n in range(CODE_FAILURES + 1)
        ]
        assert [r.status_code for r in tried] == [404] * CODE_FAILURES + [429]
        neighbour = Client(REMOTE_ADDR="2001:db8:5:7::1")  # another network
        assert neighbour.get(reverse("surveys:enter"), {"code": world.survey.code}).status_code == 302


def test_the_throttle_is_per_client_behind_the_proxy(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    with time_machine.travel(datetime(2026, 1, 12, 10, 0, tzinfo=PARIS), tick=False):
        for n in range(CODE_FAILURES):
            Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9").get(
                reverse("surveys:enter"), {"code": f"ZZZZ{n:02d}"}
            )
        other = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
        assert other.get(reverse("surveys:enter"), {"code": world.survey.code}).status_code == 302
    assert TeamSurvey.objects.count() == 1
