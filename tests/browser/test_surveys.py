"""Browser tests of the team questionnaire: a teacher answers on a phone with the keyboard
alone, then changes the answer; the leadership's pages and the aggregates pass axe too."""

import datetime

import pytest
from django.utils import timezone

from paliers.assessments.campaigns import open_campaign
from paliers.frameworks.loading import framework_files, load_specs, parse_files
from paliers.frameworks.models import Framework
from paliers.surveys.models import SurveyResponse, TeamSurvey
from paliers.surveys.opening import open_survey
from paliers.surveys.questionnaire import questionnaire_for
from paliers.surveys.responding import submit_response

from ..factories import make_world
from .conftest import assert_focus_visible, tab_to
from .test_assessment import sign_in

# The 2025-2026 campaigns they answer are open that day (tests/conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("during_campaign")]

PHONE = {"width": 360, "height": 740}
MINE = {"DYN": 2, "ORG": 1, "ESP": 0, "RES": 3, "LIT": 4}


@pytest.fixture
def world(transactional_db):
    load_specs(parse_files([f for f in framework_files() if "jalons" in f.name]))
    w = make_world()
    today = timezone.localdate()  # the live server answers on the real date
    w.campaign = open_campaign(
        framework=Framework.objects.get(slug="creteil-jalons"), school_year="2025-2026",
        academy=w.creteil, school_group="ecoles", opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=30), user=w.admin,
    )  # fmt: skip
    w.survey = open_survey(w.campaign, w.ecole, today, today + datetime.timedelta(days=14), w.head)
    w.questionnaire = questionnaire_for(w.campaign.framework)
    return w


def choose_with_keyboard(page, code, level):
    """Tab into the axis's radio group, tick its first jalon with Space, then move with the
    arrow keys (which tick as they move) to `level` — « je ne sais pas », 0, comes last."""
    tab_to(page, f'input[name="axe-{code}"]')
    page.keyboard.press("Space")
    for _ in range((level or 5) - 1):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.id") == f"axe-{code}-{level}"
    assert_focus_visible(page)  # on the jalon ticked, drawn by its label


def close_yesterday(survey):
    """Close the questionnaire as its dates would (results are published after the close):
    straight in the database, since the head may not move a date into the past."""
    today = timezone.localdate()
    TeamSurvey.objects.filter(pk=survey.pk).update(
        opens_on=today - datetime.timedelta(days=10), closes_on=today - datetime.timedelta(days=1)
    )


def no_sideways_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_a_teacher_answers_on_a_phone_with_the_keyboard_then_changes_it(new_checked_page, world):
    checked_page = new_checked_page(viewport=PHONE)
    page = checked_page.page
    checked_page.visit(f"/q/{world.survey.code}/")
    assert no_sideways_scroll(page)
    assert page.evaluate("() => document.scripts.length") == 0  # no JavaScript of ours (axe is the test's)
    # A forgotten axis: the page comes back with the message, the other choices kept.
    for code, level in list(MINE.items())[:4]:
        choose_with_keyboard(page, code, level)
    tab_to(page, 'button[type="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()
    assert page.get_by_text("Choisissez un jalon, ou « Je ne sais pas ».").is_visible()
    assert page.is_checked("#axe-DYN-2") and not SurveyResponse.objects.exists()

    page.keyboard.press("Home")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    choose_with_keyboard(page, "LIT", 4)
    tab_to(page, 'button[type="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()
    assert page.get_by_role("heading", name="Merci, votre réponse est enregistrée").is_visible()
    assert SurveyResponse.objects.get().answers == MINE

    # The same browser comes back: its answer is shown, and it changes one axis.
    tab_to(page, f'a[href="/q/{world.survey.code}/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()
    assert page.get_by_text("Vous avez déjà répondu depuis ce navigateur").is_visible()
    assert all(page.is_checked(f"#axe-{code}-{level}") for code, level in MINE.items())
    tab_to(page, 'input[name="axe-RES"]')  # the checked radio takes the focus
    assert page.evaluate("() => document.activeElement.id") == "axe-RES-3"
    page.keyboard.press("ArrowDown")
    tab_to(page, 'button[type="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()
    assert SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().answers == {**MINE, "RES": 4}


def test_the_code_page_on_a_phone(new_checked_page, world):
    checked_page = new_checked_page(viewport=PHONE)
    page = checked_page.page
    checked_page.visit("/q/")
    tab_to(page, "#code")
    page.keyboard.type("ZZZZZZ")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()
    assert page.get_by_text("Aucun questionnaire ne porte ce code").is_visible()
    page.fill("#code", world.survey.code.lower())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()
    assert page.url.endswith(f"/q/{world.survey.code}/") and no_sideways_scroll(page)


def test_the_leadership_shares_answers_and_reads_the_results(new_checked_page, world):
    for n in range(6):
        answers = {code: (level + n) % 5 for code, level in MINE.items()}
        submit_response(world.survey, world.questionnaire, f"navigateur-{n}", answers)
    checked_page = new_checked_page()
    page = checked_page.page
    sign_in(checked_page, "directeur")
    detail = world.survey.get_absolute_url()
    for path in ("/questionnaires-equipe/", detail, f"{detail}affiche/", f"{detail}direction/"):
        checked_page.visit(path)
    for code, level in MINE.items():
        choose_with_keyboard(page, code, level)
    tab_to(page, 'button[type="submit"].fr-btn')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()
    assert page.get_by_text("Réponse de l’équipe de direction enregistrée.").is_visible()
    checked_page.visit(f"{detail}resultats/")  # open: nothing yet, and when
    assert page.get_by_text("Les résultats s’afficheront après la clôture").is_visible()
    assert page.locator("figure svg[role=img]").count() == 0
    close_yesterday(world.survey)
    checked_page.visit(f"{detail}resultats/")
    assert page.get_by_text("6 réponses.").is_visible()
    assert page.locator("figure svg[role=img]").count() == 6
    checked_page.visit(detail)  # closed for good: nothing to share any more
    assert page.get_by_text("son lien et son code n’acceptent plus de réponses").is_visible()
    assert page.locator("img.paliers-qr").count() == 0


def test_the_aggregates_page(new_checked_page, world):
    for n in range(5):
        submit_response(world.survey, world.questionnaire, f"navigateur-{n}", MINE)
    close_yesterday(world.survey)
    checked_page = new_checked_page()
    sign_in(checked_page, "inspectrice")
    checked_page.visit("/observatoire/questionnaires-equipe/")
    counted = "dont 1 clos avec au moins 5 réponses (5 réponses comptées)"
    assert checked_page.page.get_by_text(counted).is_visible()


def test_the_heads_session_is_sent_to_the_leadership_page_and_a_closed_one_keeps_its_dates(
    new_checked_page, world
):
    checked_page = new_checked_page()
    page = checked_page.page
    sign_in(checked_page, "directeur")
    checked_page.visit(f"/q/{world.survey.code}/")
    assert page.get_by_text("ce formulaire est celui des enseignants").is_visible()
    tab_to(page, "a.fr-btn")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()
    assert page.url.endswith(f"{world.survey.get_absolute_url()}direction/")
    close_yesterday(world.survey)
    checked_page.visit(f"{world.survey.get_absolute_url()}dates/")
    assert page.get_by_text("ses dates ne changent plus").is_visible()
    assert page.locator("form[method=post] input[name=closes_on]").count() == 0
