"""The anonymous team questionnaire: opening, answering without an account, one response per
browser, privacy of the stored rows, results only after the close and from 5 responses
everywhere (pages, API, exports, aggregates), the rate limits and the closing date (on a
controlled clock). The attack of a head answering the form themselves, and the published
noise, are in test_survey_anonymity.py."""

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse

from paliers.accounts.models import Role
from paliers.api.models import ApiToken
from paliers.assessments.campaigns import open_campaign
from paliers.assessments.models import Campaign
from paliers.core.models import RateCount
from paliers.frameworks.loading import framework_files, load_specs, parse_files
from paliers.frameworks.models import Framework
from paliers.surveys import responding, results
from paliers.surveys.models import CODE_ALPHABET, AxisTally, LeadershipView, SurveyResponse, TeamSurvey
from paliers.surveys.opening import open_survey, save_leadership_view
from paliers.surveys.questionnaire import questionnaire_for
from paliers.surveys.responding import BROWSER_COOKIE, recount, submit_response
from paliers.surveys.results import build_results, median_level

from .factories import make_world, user
from .pages import page_html

PARIS = ZoneInfo("Europe/Paris")
DURING = datetime(2026, 1, 12, 10, 30, tzinfo=PARIS)
AFTER = datetime(2026, 2, 2, 9, 0, tzinfo=PARIS)  # the questionnaire closed on 30 January
AXES = ("DYN", "ORG", "ESP", "RES", "LIT")
MINE = {"DYN": 2, "ORG": 1, "ESP": 0, "RES": 3, "LIT": 4}
USER_AGENT = "Mozilla/5.0 (Linux; Android 14; Pixel 8) Navigateur-de-test/1.0"
ADDRESS = "192.0.2.77"


@pytest.fixture
def world(db):
    return make_survey_world()


def make_survey_world():
    load_specs(parse_files([f for f in framework_files() if "jalons" in f.name]))
    w = make_world()
    w.framework = Framework.objects.get(slug="creteil-jalons")
    w.campaign = open_campaign(
        framework=w.framework, school_year="2025-2026", academy=w.creteil, school_group="ecoles",
        opens_on=date(2025, 9, 1), closes_on=date(2026, 6, 30), user=w.admin,
    )  # fmt: skip
    w.survey = open_survey(w.campaign, w.ecole, date(2026, 1, 5), date(2026, 1, 30), w.head)
    w.questionnaire = questionnaire_for(w.framework)
    return w


@pytest.fixture
def during():
    with time_machine.travel(DURING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def no_noise(monkeypatch):
    """The published counts equal the exact ones: for tests of what is shown where (the
    noise itself: test_survey_anonymity.py)."""
    monkeypatch.setattr(results, "noise", lambda seed, key: 0)


def form(answers):
    return {f"axe-{code}": str(level) for code, level in answers.items()}


def respond(client, survey, answers, **extra):
    return client.post(reverse("surveys:respond", args=[survey.code]), form(answers), **extra)


def add_responses(world, answers_list, survey=None):
    """Responses from as many new browsers, straight through submit_response."""
    survey = survey or world.survey
    start = SurveyResponse.objects.filter(survey=survey).count()
    for n, answers in enumerate(answers_list, start):
        submit_response(survey, world.questionnaire, f"navigateur-{n}", answers, now=DURING)


def tallies(survey):
    return {
        (code, level): n
        for code, level, n in AxisTally.objects.filter(survey=survey, count__gt=0).values_list(
            "axis", "level", "count"
        )
    }


# --- plain functions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "median"),
    [
        ({}, None),
        ({0: 4}, None),  # « je ne sais pas » only
        ({1: 1}, 1.0),
        ({1: 1, 2: 1}, 1.5),
        ({1: 2, 3: 1, 0: 5}, 1.0),
        ({1: 1, 2: 1, 3: 1, 4: 1}, 2.5),
        ({2: 3, 4: 3}, 3.0),
        ({1: 10, 4: 1}, 1.0),
    ],
)
def test_median_level_leaves_dont_know_out(counts, median):
    assert median_level(counts) == median


def test_below_the_threshold_results_carry_no_distribution():
    axes, levels = [("DYN", "Dynamique")], [(1, "Jalon 1"), (2, "Jalon 2")]
    four = build_results(axes, levels, {("DYN", 1): 3, ("DYN", 0): 1}, {"DYN": [2]})
    assert (four.responses, four.available, four.axes) == (4, False, ())
    five = build_results(axes, levels, {("DYN", 1): 3, ("DYN", 2): 1, ("DYN", 0): 1}, {"DYN": [2]})
    assert five.available and five.axes[0].counts == (3, 1) and five.axes[0].dont_know == 1
    assert five.axes[0].median == 1.0 and five.axes[0].gap == 1.0 and five.axes[0].highlighted


# --- opening -------------------------------------------------------------------------


def test_a_campaign_on_the_jalons_opens_for_ecoles_or_etablissements(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("assessments:campaign_create"),
        {"framework": world.framework.pk, "school_year": "2026-2027", "school_group": "etablissements",
         "opens_on": "2026-09-01", "closes_on": "2027-06-30", "confirm": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    campaign = Campaign.objects.get(school_year="2026-2027")
    assert set(campaign.assessments.values_list("school__uai", flat=True)) == {
        world.college.uai,
        world.lycee.uai,
    }
    response = client.post(
        reverse("assessments:campaign_create"),
        {"framework": world.framework.pk, "school_year": "2027-2028", "school_group": "ecoles",
         "opens_on": "2027-09-01", "closes_on": "2028-06-30", "confirm": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Campaign.objects.get(school_year="2027-2028").assessments.get().school == world.ecole


def test_the_head_opens_the_questionnaire_with_a_code_and_tallies(client, world, during):
    world.survey.delete()
    url = reverse("surveys:open", args=[world.campaign.pk, world.ecole.uai])
    client.force_login(world.referent)
    assert client.get(url).status_code == 403
    client.force_login(world.head)
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"]["closes_on"].value() == date(2026, 2, 2)
    outside = client.post(url, {"opens_on": "2026-01-12", "closes_on": "2026-07-10"})
    assert outside.status_code == 422 and "30/06/2026" in outside.context["form"].errors["closes_on"][0]
    response = client.post(url, {"opens_on": "2026-01-12", "closes_on": "2026-02-15"})
    survey = TeamSurvey.objects.get(campaign=world.campaign, school=world.ecole)
    assert response.status_code == 302 and response["Location"] == survey.get_absolute_url()
    assert len(survey.code) == 6 and set(survey.code) <= set(CODE_ALPHABET)
    assert AxisTally.objects.filter(survey=survey).count() == 5 * 5  # 4 jalons + « je ne sais pas »
    assert client.get(url)["Location"] == survey.get_absolute_url()  # once per school and campaign


def test_only_a_team_campaign_has_a_questionnaire(client, world):
    load_specs(parse_files([f for f in framework_files() if f.name.startswith("creteil-ecoles")]))
    other = open_campaign(
        framework=Framework.objects.get(slug="creteil-ecoles"), school_year="2025-2026",
        academy=world.creteil, school_group="ecoles", opens_on=date(2025, 9, 1),
        closes_on=date(2026, 6, 30), user=world.admin,
    )  # fmt: skip
    client.force_login(world.head)
    assert client.get(reverse("surveys:open", args=[other.pk, world.ecole.uai])).status_code == 404
    # A school outside the campaign's group (a collège in a campaign for écoles): 404 too.
    college_head = make_head(world.college)
    client.force_login(college_head)
    assert client.get(reverse("surveys:open", args=[world.campaign.pk, world.college.uai])).status_code == 404


def make_head(school):
    return user(f"chef-{school.uai}", Role.SCHOOL_HEAD, school)


def test_the_head_moves_the_dates_within_the_campaign(client, world, during):
    client.force_login(world.head)
    url = reverse("surveys:dates", args=[world.survey.pk])
    # The date fields open with the dates, as the browser's date field reads them (ISO).
    page = page_html(client.get(url))
    assert (
        f'value="{world.survey.opens_on:%Y-%m-%d}"' in page
        and f'value="{world.survey.closes_on:%Y-%m-%d}"' in page
    )
    assert client.post(url, {"opens_on": "2026-01-05", "closes_on": "2026-01-04"}).status_code == 422
    assert client.post(url, {"opens_on": "2026-01-05", "closes_on": "2026-03-01"}).status_code == 302
    world.survey.refresh_from_db()
    assert world.survey.closes_on == date(2026, 3, 1)
    client.force_login(world.referent)
    assert client.get(url).status_code == 403


# --- answering -----------------------------------------------------------------------


def test_a_teacher_answers_without_an_account(client, world, during):
    url = reverse("surveys:respond", args=[world.survey.code.lower()])  # a code typed in lower case
    page = client.get(url)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page_html(page)
    assert html.count('<fieldset class="fr-fieldset"') == 5 and "Je ne sais pas" in html
    assert "htmx" not in html and "<script" not in html  # light: no JavaScript at all
    assert client.head(url).status_code == 200  # link previews of messaging apps
    response = respond(client, world.survey, MINE)
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:thanks", args=[world.survey.code])
    cookie = response.cookies[BROWSER_COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/q/" and cookie["samesite"] == "Lax"
    assert SurveyResponse.objects.get().answers == MINE
    assert tallies(world.survey) == {(code, level): 1 for code, level in MINE.items()}
    thanks = client.get(response["Location"])
    assert "Merci, votre réponse est enregistrée" in page_html(thanks)


def test_one_response_per_browser_which_it_may_change(client, world, during, django_assert_max_num_queries):
    respond(client, world.survey, MINE)
    page = client.get(reverse("surveys:respond", args=[world.survey.code]))
    assert "Vous avez déjà répondu depuis ce navigateur" in page_html(page)
    assert page.context["form"].blocks()[0][1] == MINE["DYN"]
    changed = {**MINE, "DYN": 4, "ESP": 1}
    # A change: 10 statements, and 5 savepoints because the test runs in a transaction.
    with django_assert_max_num_queries(15):
        assert respond(client, world.survey, changed).status_code == 302
    assert SurveyResponse.objects.count() == 1 and SurveyResponse.objects.get().answers == changed
    assert tallies(world.survey) == {(code, level): 1 for code, level in changed.items()}
    other_browser = Client()
    respond(other_browser, world.survey, MINE)
    assert SurveyResponse.objects.count() == 2
    assert tallies(world.survey) == recount(world.survey)


def test_a_missing_or_unknown_choice_is_refused_and_nothing_stored(client, world, during):
    missing = respond(client, world.survey, {code: 1 for code in AXES[:4]})
    assert missing.status_code == 422
    assert "Choisissez un jalon, ou « Je ne sais pas »." in page_html(missing)
    assert "Il manque une réponse : voyez le message sous l’axe concerné." in page_html(missing)
    three = respond(client, world.survey, {code: 1 for code in AXES[:2]})
    assert "Il manque 3 réponses : voyez les messages sous les axes concernés." in page_html(three)
    assert respond(client, world.survey, {**MINE, "ORG": 7}).status_code == 422
    assert not SurveyResponse.objects.exists() and not tallies(world.survey)
    assert BROWSER_COOKIE not in missing.cookies


def test_the_code_page_leads_to_the_questionnaire(client, world):
    response = client.get(reverse("surveys:enter"), {"code": f" {world.survey.code.lower()} "})
    assert response.status_code == 302 and response["Location"] == world.survey.get_respond_url()
    unknown = client.get(reverse("surveys:enter"), {"code": "ZZZZZZ"})
    assert unknown.status_code == 404 and "Aucun questionnaire ne porte ce code" in page_html(unknown)
    assert client.get("/q/ZZZZZZ/").status_code == 404


# --- privacy -------------------------------------------------------------------------


def test_a_stored_response_holds_no_personal_data(client, world, during):
    client.force_login(world.member)  # signed in or not, the response is anonymous
    response = respond(client, world.survey, MINE, HTTP_USER_AGENT=USER_AGENT, REMOTE_ADDR=ADDRESS)
    token = response.cookies[BROWSER_COOKIE].value
    fields = {f.name for f in SurveyResponse._meta.get_fields()}
    assert fields == {"id", "survey", "browser_hash", "answers", "answered_on"}
    assert not any(isinstance(f, models.DateTimeField) for f in SurveyResponse._meta.get_fields())
    assert not any(
        f.related_model and f.related_model.__name__ == "User" for f in SurveyResponse._meta.get_fields()
    )
    row = SurveyResponse.objects.values().get()
    stored = json.dumps(row, default=str)
    for personal in (ADDRESS, USER_AGENT, "Pixel", token, world.member.username):
        assert personal not in stored
    assert row["answered_on"] == date(2026, 1, 12) and len(row["browser_hash"]) == 64
    # The same browser on another questionnaire: another hash, the two cannot be linked.
    assert responding.browser_hash(world.survey, token) == row["browser_hash"]
    assert responding.browser_hash(TeamSurvey(pk=world.survey.pk + 1), token) != row["browser_hash"]


def test_the_leadership_view_is_one_signed_answer(client, world, during):
    client.force_login(world.referent)
    url = reverse("surveys:leadership", args=[world.survey.pk])
    assert client.post(url, form({**MINE, "LIT": 9})).status_code == 422
    assert client.post(url, form(MINE)).status_code == 302
    client.force_login(world.head)
    client.post(url, form({**MINE, "DYN": 3}))
    view = LeadershipView.objects.get()
    assert view.answers["DYN"] == 3 and view.updated_by == world.head
    assert not SurveyResponse.objects.exists()  # not counted as a team response


# --- the threshold ---------------------------------------------------------------------

TEAM = [
    {"DYN": 1, "ORG": 2, "ESP": 1, "RES": 0, "LIT": 2},
    {"DYN": 1, "ORG": 2, "ESP": 2, "RES": 3, "LIT": 2},
    {"DYN": 2, "ORG": 3, "ESP": 1, "RES": 3, "LIT": 0},
    {"DYN": 1, "ORG": 2, "ESP": 1, "RES": 4, "LIT": 1},
    {"DYN": 2, "ORG": 1, "ESP": 1, "RES": 3, "LIT": 2},
]
LEADERSHIP = {"DYN": 3, "ORG": 2, "ESP": 1, "RES": 0, "LIT": 2}


def results_everywhere(client, world):
    """What the head reads on the results page, in the export and through the API."""
    client.force_login(world.head)
    page = client.get(reverse("surveys:results", args=[world.survey.pk]))
    export = client.get(reverse("surveys:export", args=[world.survey.pk]))
    key = ApiToken.issue(world.head, "tests")[1]
    api = client.get(
        f"/api/v1/team-surveys/{world.survey.pk}/results", headers={"Authorization": f"Bearer {key}"}
    )
    return page, export, api.json()


def test_nothing_is_shown_below_five_responses(client, world, during):
    save_leadership_view(world.survey, LEADERSHIP, world.head)
    add_responses(world, TEAM[:4])
    during.move_to(AFTER)  # closed: still nothing, not even the exact count
    page, export, api = results_everywhere(client, world)
    html = page_html(page)
    assert "Moins de 5 réponses." in html and "clos avec moins de 5 réponses" in html
    assert "4 réponses" not in html
    assert "<svg" not in html and "Jalon médian" not in html and "Exporter" not in html
    assert export.status_code == 302 and export["Location"] == reverse(
        "surveys:results", args=[world.survey.pk]
    )
    assert api == {
        "survey": world.survey.pk, "responses": None, "threshold": 5, "closed": True, "available": False,
        "axes": [],
    }  # fmt: skip


def test_nothing_is_shown_before_the_close(client, world, during, no_noise):
    save_leadership_view(world.survey, LEADERSHIP, world.head)
    add_responses(world, TEAM + TEAM)
    page, export, api = results_everywhere(client, world)
    html = page_html(page)
    assert "10 réponses." in html and "Les résultats s’afficheront après la clôture, le 30/01/2026" in html
    assert "<svg" not in html and "Jalon médian" not in html and "Exporter" not in html
    assert export.status_code == 302
    assert (api["responses"], api["closed"], api["available"], api["axes"]) == (10, False, False, [])


def test_after_the_close_from_five_responses_the_results_and_the_gaps(client, world, during, no_noise):
    save_leadership_view(world.survey, LEADERSHIP, world.head)
    add_responses(world, TEAM)
    during.move_to(AFTER)
    page, export, api = results_everywhere(client, world)
    html = page_html(page)
    assert "5 réponses." in html and html.count("<svg") == 6  # the radar and one chart per axis
    assert "collective : jalon médian de l’équipe 1, équipe de direction 3." in html
    dyn = api["axes"][0]
    assert dyn["code"] == "DYN" and [c["count"] for c in dyn["counts"]] == [3, 2, 0, 0]
    assert (dyn["median"], dyn["leadership"], dyn["gap"], dyn["highlighted"]) == (1.0, 3.0, 2.0, True)
    res = api["axes"][3]
    assert res["dont_know"] == 1 and res["median"] == 3.0 and res["leadership"] is None
    assert res["leadership_dont_know"] and not res["highlighted"]
    lit = api["axes"][4]
    assert lit["median"] == 2.0 and lit["gap"] == 0.0  # (1, 2, 2, 2): « je ne sais pas » left out
    assert export.status_code == 200 and export["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="questionnaire-equipe-' in export["Content-Disposition"]
    text = export.content.decode("utf-8")
    assert text.startswith("\ufeffAxe;Réponses;Jalon 1;Jalon 2;Jalon 3;Jalon 4;Je ne sais pas;Jalon médian;")
    lines = text.strip("\ufeff").split("\r\n")
    assert lines[1] == "S'engager dans une dynamique collective;5;3;2;0;0;0;1,0;3,0;2,0"
    assert lines[4].endswith(";0;0;3;1;1;3,0;je ne sais pas;")
    assert len([line for line in lines if line]) == 1 + 5  # the axes, never a response


def test_aggregates_leave_out_the_questionnaires_open_or_under_the_threshold(client, world, during, no_noise):
    add_responses(world, TEAM)  # the école: 5 responses, counted once closed
    college_campaign = open_campaign(
        framework=world.framework, school_year="2025-2026", academy=world.creteil,
        school_group="etablissements", opens_on=date(2025, 9, 1), closes_on=date(2026, 6, 30),
        user=world.admin,
    )  # fmt: skip
    college = open_survey(college_campaign, world.college, date(2026, 1, 5), date(2026, 1, 30), None)
    lycee = open_survey(college_campaign, world.lycee, date(2026, 1, 5), date(2026, 1, 30), None)
    add_responses(world, [{code: 4 for code in AXES}] * 4, survey=college)  # 4: left out
    add_responses(world, TEAM + TEAM, survey=lycee)  # another département's
    url = reverse("surveys:aggregates")
    client.force_login(world.admin)
    open_yet = client.get(url, {"campagne": college_campaign.pk}).context["results"]
    assert (open_yet.responses, open_yet.schools, open_yet.schools_below) == (0, 0, 2)  # not closed yet
    during.move_to(AFTER)
    client.force_login(world.observer)  # Val-de-Marne: the école and the collège
    page = client.get(url, {"campagne": college_campaign.pk})
    results = page.context["results"]
    assert (results.responses, results.schools, results.schools_below) == (0, 0, 1)
    assert "<svg" not in page_html(page) and "Jalon 4" not in page_html(page)
    page = client.get(url, {"campagne": world.campaign.pk})
    assert page.context["results"].responses == 5 and page.context["results"].axes[0].counts == (3, 2, 0, 0)
    client.force_login(world.admin)  # the académie: the collège still adds nothing, the lycée 10
    results = client.get(url, {"campagne": college_campaign.pk}).context["results"]
    assert (results.responses, results.schools, results.schools_below) == (10, 1, 1)
    assert results.axes[0].counts == (6, 4, 0, 0)
    client.force_login(world.head)
    assert client.get(url).status_code == 403
    key = ApiToken.issue(world.admin, "tests")[1]
    api = client.get(
        f"/api/v1/campaigns/{college_campaign.pk}/team-surveys/results",
        headers={"Authorization": f"Bearer {key}"},
    ).json()
    assert (api["responses"], api["schools"], api["schools_below"]) == (10, 1, 1)


# --- rate limit and dates ----------------------------------------------------------------


def test_submissions_are_rate_limited_per_questionnaire_and_minute(client, world, during, monkeypatch):
    monkeypatch.setattr(responding, "SUBMISSIONS_PER_MINUTE", 3)
    browsers = [Client(REMOTE_ADDR=f"192.0.2.{n}") for n in range(4)]
    for browser in browsers[:3]:
        assert respond(browser, world.survey, MINE).status_code == 302
    refused = respond(browsers[3], world.survey, MINE)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "renvoyez-les dans une minute" in page_html(refused)
    assert refused.context["form"].blocks()[0][1] == MINE["DYN"]  # the choices are kept
    assert SurveyResponse.objects.count() == 3 and BROWSER_COOKIE not in refused.cookies
    # Changing one's answer is a submission too; another questionnaire has its own count.
    assert respond(browsers[0], world.survey, MINE).status_code == 429
    other_campaign = open_campaign(
        framework=world.framework, school_year="2025-2026", academy=world.creteil,
        school_group="etablissements", opens_on=date(2025, 9, 1), closes_on=date(2026, 6, 30),
        user=world.admin,
    )  # fmt: skip
    other = open_survey(other_campaign, world.college, date(2026, 1, 5), date(2026, 1, 30), None)
    assert respond(browsers[3], other, MINE).status_code == 302
    # In the database, where every application process counts; keyed hashes, no time of day.
    assert RateCount.objects.filter(scope="questionnaire", count=3).count() == 1
    assert all(len(row.key) == 64 and str(world.survey.pk) != row.key for row in RateCount.objects.all())
    assert not [
        f for f in TeamSurvey._meta.fields if isinstance(f, models.DateTimeField) and f.name != "opened_at"
    ]
    during.shift(60)
    assert respond(browsers[3], world.survey, MINE).status_code == 302
    assert SurveyResponse.objects.filter(survey=world.survey).count() == 4
    assert tallies(world.survey) == recount(world.survey)


def test_one_client_takes_at_most_its_share_of_the_limit(world, during, monkeypatch):
    """A script looping from one address can no longer lock the teachers out: it is refused
    once it has taken its share, and its refusals take nothing from the others."""
    monkeypatch.setattr(responding, "SUBMISSIONS_PER_MINUTE", 6)
    monkeypatch.setattr(responding, "SUBMISSIONS_PER_CLIENT_PER_MINUTE", 3)
    script = Client(REMOTE_ADDR="198.51.100.66")
    answered = [
        respond(Client(REMOTE_ADDR="198.51.100.66"), world.survey, MINE).status_code for _ in range(10)
    ]
    assert answered == [302] * 3 + [429] * 7
    assert respond(script, world.survey, MINE).status_code == 429
    teachers = [
        respond(Client(REMOTE_ADDR=f"203.0.113.{n}"), world.survey, MINE).status_code for n in range(3)
    ]
    assert teachers == [302, 302, 302]
    assert SurveyResponse.objects.filter(survey=world.survey).count() == 6


def test_the_limit_is_far_above_a_staff_meeting():
    # 150 teachers answering within a few minutes stay far below it; a script does not.
    assert 60 <= responding.SUBMISSIONS_PER_MINUTE <= 300
    assert responding.SUBMISSIONS_PER_CLIENT_PER_MINUTE * 2 <= responding.SUBMISSIONS_PER_MINUTE


def test_answers_are_taken_until_the_end_of_the_closing_day_in_paris(client, world):
    with time_machine.travel(datetime(2026, 1, 4, 23, 59, tzinfo=PARIS), tick=False):
        page = client.get(reverse("surveys:respond", args=[world.survey.code]))
        assert "Ce questionnaire ouvre le 5 janvier 2026" in page_html(page)
        assert respond(client, world.survey, MINE).status_code == 403
    with time_machine.travel(datetime(2026, 1, 30, 23, 30, tzinfo=PARIS), tick=False):  # 22:30 UTC
        assert respond(client, world.survey, MINE).status_code == 302
    with time_machine.travel(datetime(2026, 1, 31, 0, 30, tzinfo=PARIS), tick=False):  # still the 30th in UTC
        page = client.get(reverse("surveys:respond", args=[world.survey.code]))
        assert page.status_code == 200 and "clos depuis le 30 janvier 2026" in page_html(page)
        refused = respond(client, world.survey, {**MINE, "DYN": 4})  # changing is refused too
        assert refused.status_code == 403
    assert SurveyResponse.objects.get().answers == MINE
    with pytest.raises(responding.SurveyClosed):
        submit_response(world.survey, world.questionnaire, "x", MINE, now=datetime(2026, 2, 1, tzinfo=PARIS))


# --- sharing -------------------------------------------------------------------------------


def test_link_code_qr_and_poster(client, world, during):
    client.force_login(world.referent)
    link = f"http://testserver/q/{world.survey.code}/"
    detail = page_html(client.get(reverse("surveys:detail", args=[world.survey.pk])))
    assert link in detail and world.survey.code in detail and 'src="data:image/svg+xml' in detail
    poster = page_html(client.get(reverse("surveys:poster", args=[world.survey.pk])))
    assert f"Code QR menant à {link}" in poster and "paliers-poster-code" in poster
    svg = client.get(reverse("surveys:qr", args=[world.survey.pk]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<?xml") and b"<svg" in svg.content and link.encode() in svg.content
    # Closed for good: the page no longer offers to share it.
    during.move_to(AFTER)
    client.force_login(world.referent)  # weeks later: a new session
    detail = page_html(client.get(reverse("surveys:detail", args=[world.survey.pk])))
    assert link not in detail and "son lien et son code n’acceptent plus de réponses" in detail


def test_the_list_offers_the_head_to_open_and_shows_the_counts(client, world, during):
    add_responses(world, TEAM[:2])
    client.force_login(world.referent)
    page = client.get(reverse("surveys:list"))
    assert page.context["rows"][0]["responses"] is None and not page.context["rows"][0]["can_open"]
    assert "moins de 5" in page_html(page)  # the count does not move under the threshold
    add_responses(world, TEAM[:3])
    assert client.get(reverse("surveys:list")).context["rows"][0]["responses"] == 5
    world.survey.delete()
    client.force_login(world.head)
    assert client.get(reverse("surveys:list")).context["rows"][0]["can_open"]


# --- API matrix ------------------------------------------------------------------------------

API_USERS = [
    "admin",
    "other_admin",
    "animator",
    "observer",
    "head",
    "referent",
    "member",
    "other_head",
    "nobody",
]
LEAD = {
    "admin": 403, "other_admin": 404, "animator": 403, "observer": 403, "head": 200,
    "referent": 200, "member": 403, "other_head": 404, "nobody": 404,
}  # fmt: skip
AGGREGATE = {
    **dict.fromkeys(API_USERS, 403),
    "admin": 200,
    "animator": 200,
    "observer": 200,
    "other_admin": 404,  # an aggregate role, but no school of this campaign in Versailles
}


MATRIX_OPERATIONS = {  # covered for every user by test_api_matrix
    ("get", "/team-surveys"), ("get", "/team-surveys/{survey_id}/results"),
    ("get", "/campaigns/{campaign_id}/team-surveys/results"),
}  # fmt: skip


@pytest.fixture
def keys(world):
    return {who: ApiToken.issue(getattr(world, who), "tests")[1] for who in API_USERS}


def api_get(client, key, path):
    return client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {key}"} if key else {})


@pytest.mark.parametrize("who", API_USERS)
def test_api_matrix(client, world, keys, who):
    add_responses(world, TEAM)
    with time_machine.travel(AFTER, tick=False):
        _api_matrix(client, world, keys, who)


def _api_matrix(client, world, keys, who):
    results = api_get(client, keys[who], f"/team-surveys/{world.survey.pk}/results")
    assert results.status_code == LEAD[who] and results["Content-Type"].startswith("application/json")
    listed = api_get(client, keys[who], "/team-surveys").json()
    assert [s["code"] for s in listed] == ([world.survey.code] if LEAD[who] == 200 else [])
    aggregate = api_get(client, keys[who], f"/campaigns/{world.campaign.pk}/team-surveys/results")
    assert aggregate.status_code == AGGREGATE[who]
    if aggregate.status_code == 200:
        assert aggregate.json()["responses"] == 5
    for path in ("/team-surveys", f"/team-surveys/{world.survey.pk}/results"):
        assert api_get(client, None, path).status_code == 401


def test_api_list_describes_the_questionnaire(client, world, keys):
    add_responses(world, TEAM[:2])
    with time_machine.travel(DURING, tick=False):
        [item] = api_get(client, keys["head"], "/team-surveys").json()
    assert item == {
        "id": world.survey.pk, "campaign": world.campaign.pk, "school": world.ecole.uai,
        "code": world.survey.code, "opens_on": "2026-01-05", "closes_on": "2026-01-30",
        "state": "open", "responses": None,
    }  # fmt: skip


# --- demonstration -------------------------------------------------------------------------------


def test_demo_surveys_is_idempotent(db):
    from io import StringIO

    out = StringIO()
    with time_machine.travel(DURING, tick=False):
        call_command("load_frameworks", stdout=StringIO())
        call_command("demo_surveys", stdout=out)
        counts = (TeamSurvey.objects.count(), SurveyResponse.objects.count())
        call_command("demo_surveys", stdout=out)
    text = out.getvalue()
    assert "créés" in text and "rien n’a été modifié" in text and "/q/" in text
    assert (TeamSurvey.objects.count(), SurveyResponse.objects.count()) == counts
    assert counts[0] > 2
    by_group = {
        s.campaign.school_group: s.responses.count()
        for s in TeamSurvey.objects.select_related("campaign")
        if s.school.uai in text
    }
    assert by_group["etablissements"] >= 5 > by_group["ecoles"]
    states = {
        s.campaign.school_group: s.state(DURING.date())
        for s in TeamSurvey.objects.all()
        if s.school.uai in text
    }
    assert states == {"etablissements": "closed", "ecoles": "open"}  # the collège's results are out
    for survey in TeamSurvey.objects.all():
        assert tallies(survey) == recount(survey)


def test_the_questionnaire_speaks_each_readers_language_whoever_came_first(client, world, during):
    """The blank questions are kept once rendered (bench/survey_load.py): per language, so an
    English reader first does not leave the page in English for the French ones after."""
    from django.conf import settings

    url = reverse("surveys:respond", args=[world.survey.code])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "I don’t know" in page_html(client.get(url))
    html = page_html(client.__class__().get(url))  # another browser, in French
    assert "Je ne sais pas" in html and "I don’t know" not in html
