"""The main journey of each role done with the keyboard alone, the focus visible at every
step (RGAA 12.13 and 10.7): each person signs in, reaches the page from their home page by
Tab and Enter, and acts there with Tab, Space, the arrow keys and typing — no click, no
address typed after the first page. axe-core checks every page on the way (the conftest),
and each journey asserts what it changed or read in the database."""

import datetime

import pytest

from paliers.assessments.models import AssessmentStatus, ContributionAnswer
from paliers.objectives.models import Objective

from .conftest import assert_focus_visible, tab_to
from .test_assessment import world  # noqa: F401 (the fixture)

# The 2025-2026 campaigns they answer are open that day (tests/conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("during_campaign")]


def enter(checked_page):
    """Press Enter on the focused link or button and check the page it leads to."""
    with checked_page.page.expect_navigation():
        checked_page.page.keyboard.press("Enter")
    checked_page.check()


def follow(checked_page, target):
    tab_to(checked_page.page, target)
    enter(checked_page)


def sign_in(checked_page, username, password="mot de passe de test"):
    """The sign-in form by keyboard: the identifier has the focus on arrival."""
    page = checked_page.page
    checked_page.visit("/comptes/connexion/")
    assert page.evaluate("() => document.activeElement.id") == "id_username"
    page.keyboard.type(username)
    tab_to(page, "#id_password")
    page.keyboard.type(password)
    enter(checked_page)


def type_in(page, target, text):
    tab_to(page, target)
    page.keyboard.type(text)


def choose(page, target, label):
    """A closed list: Tab to it, then the arrow keys until `label` is the selected option."""
    tab_to(page, target)
    for _ in range(50):
        if page.evaluate("() => document.activeElement.selectedOptions[0]?.label") == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"« {label} » introuvable au clavier dans {target}")


def type_date(page, target, day):
    """A date field: Tab to it and type the day, month and year in the order it shows them
    — French, or American where the browser's language pack is English only."""
    tab_to(page, target)
    for order in ("%d%m%Y", "%m%d%Y"):
        page.keyboard.type(f"{day:{order}}")
        if page.evaluate("() => document.activeElement.value") == f"{day:%Y-%m-%d}":
            return
        for _ in range(2):  # back to the field's first part
            page.keyboard.press("Shift+Tab")
    raise AssertionError(f"{target} ne prend pas la date {day:%d/%m/%Y} au clavier")


def tick(page, target):
    tab_to(page, target)
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked")


def radio_to(page, name, value, saved=None):
    """A radio group: Tab into it, then the arrow keys (which tick as they move) to `value`;
    `saved` is the address part of the htmx request each move sends, awaited."""
    tab_to(page, f'input[type="radio"][name="{name}"]')
    for _ in range(8):
        if page.evaluate("() => document.activeElement.value") == value:
            break
        if saved:
            with page.expect_response(lambda r: saved in r.url):
                page.keyboard.press("ArrowRight")
            page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")
        else:
            page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.value") == value
    if not page.evaluate("() => document.activeElement.checked"):
        page.keyboard.press("Space")  # the first of the group, reached but not yet ticked
    assert_focus_visible(page)


def test_a_head_answers_submits_reads_the_results_and_sets_an_objective(new_checked_page, world):  # noqa: F811
    head = new_checked_page()
    page = head.page
    sign_in(head, "principale")
    follow(head, f'main a[href="{world.assessment.get_absolute_url()}"]')
    answers = {"PIL.1": "atteint", "PIL.2": "atteint", "FOR.1": "atteint", "FOR.2": "en_cours", "EQU.1": "atteint"}
    for code, value in answers.items():
        radio_to(page, f"{code}-value", value, saved=f"/reponses/{code}/")
    page.get_by_text("5 critères renseignés sur 5").wait_for()
    head.check()  # the page as htmx left it
    assert dict(world.assessment.answers.values_list("criterion__code", "value")) == answers

    follow(head, 'main a[href$="/soumettre/"]')
    follow(head, 'button[name="soumettre"]')
    world.assessment.refresh_from_db()
    assert world.assessment.status == AssessmentStatus.SUBMITTED
    assert page.get_by_role("heading", name="Résultats du positionnement").is_visible()
    assert page.get_by_text("Niveau global (le plus bas des domaines) : 1").is_visible()

    follow(head, page.get_by_role("button", name="En faire un objectif : Formation, Palier 2"))
    draft = Objective.objects.get()
    assert draft.is_draft and list(draft.criteria.values_list("code", flat=True)) == ["FOR.2"]
    title = "Former la moitié des enseignants à l’ENT"
    tab_to(page, "#id_title")
    page.keyboard.press("Control+A")
    page.keyboard.type(title)
    choose(page, "#id_pilot", "Romain")
    due = datetime.date(2026, 5, 29)
    type_date(page, "#id_due_on", due)
    for name in ("smart_specific", "smart_measurable", "smart_time_bound"):
        tick(page, f"#id_{name}")
    tick(page, "#id_commit")
    follow(head, page.get_by_role("button", name="Enregistrer l’objectif"))
    draft.refresh_from_db()
    assert (draft.title, draft.is_draft, draft.due_on, draft.smart_count) == (title, False, due, 3)
    assert draft.pilot == world.college_referent
