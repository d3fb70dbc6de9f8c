import datetime

import pytest

from paliers.accounts.models import Role
from paliers.assessments.campaigns import open_campaign
from paliers.assessments.models import Assessment, AssessmentStatus
from paliers.frameworks.loading import load_specs
from paliers.frameworks.validation import parse_framework_text

from ..factories import make_world, user
from .conftest import tab_to

# The 2025-2026 campaigns they answer are open that day (tests/conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("during_campaign")]

# A small framework: enough to answer everything with the keyboard in a test.
FRAMEWORK = """
slug: mini
version: "1"
title: Mini-référentiel
audience: etablissement
source: {publisher: Tests, document: Test}
level_name: palier
levels:
  - {number: 1, label: Palier 1, description: Premiers pas}
  - {number: 2, label: Palier 2, description: Usages installés}
domains:
  - code: PIL
    title: Pilotage
    criteria:
      - {code: PIL.1, level: 1, text: Une commission numérique existe}
      - {code: PIL.2, level: 2, text: Elle se réunit chaque trimestre}
  - code: FOR
    title: Formation
    criteria:
      - {code: FOR.1, level: 1, text: Le référent est formé}
      - {code: FOR.2, level: 2, text: La moitié des enseignants est formée}
  - code: EQU
    title: Équipement
    criteria:
      - {code: EQU.1, level: 1, text: Chaque salle a un vidéoprojecteur}
"""


@pytest.fixture
def world(transactional_db):
    w = make_world()
    [loaded] = load_specs([parse_framework_text(FRAMEWORK)])
    campaign = open_campaign(
        framework=loaded.framework,
        school_year="2025-2026",
        academy=w.creteil,
        school_group="etablissements",
        opens_on=datetime.date(2025, 9, 15),
        closes_on=datetime.date(2026, 6, 30),
        user=w.admin,
    )
    w.assessment = Assessment.objects.get(campaign=campaign, school=w.college)
    w.principal = user("principale", Role.SCHOOL_HEAD, w.college, first_name="Patricia")
    w.college_referent = user("referent-college", Role.SCHOOL_REFERENT, w.college, first_name="Romain")
    w.teacher = user("enseignant", Role.SCHOOL_MEMBER, w.college, first_name="Eva")
    return w


def sign_in(checked_page, username):
    page = checked_page.page
    checked_page.visit("/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("mot de passe de test")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()


def answer_with_keyboard(checked_page, code, value):
    page = checked_page.page
    tab_to(page, f'input[name="value"][id="{code}-non_renseigne"], input[name="value"][id^="{code}-"]')
    # Arrow keys move within a radio group and select: the way a keyboard user answers.
    target = f"{code}-{value}"
    for _ in range(6):
        if page.evaluate("() => document.activeElement.id") == target:
            break
        with page.expect_response(lambda r: "/reponses/" in r.url):
            page.keyboard.press("ArrowRight")
        # htmx swaps the criterion's block, then gives the focus back to the same radio.
        page.wait_for_function(
            "(code) => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
            " && document.activeElement.id.startsWith(code + '-')",
            arg=code,
        )
    assert page.evaluate("() => document.activeElement.id") == target
    page.wait_for_function(
        "(id) => document.getElementById(id) && document.getElementById(id).checked", arg=target
    )


def test_a_head_answers_with_the_keyboard_submits_and_reads_the_results(new_checked_page, world):
    checked_page = new_checked_page()
    page = checked_page.page
    sign_in(checked_page, "principale")
    checked_page.visit(world.assessment.get_absolute_url())
    assert page.get_by_text("0 critères renseignés sur 5").is_visible()
    answers = [("PIL.1", "atteint"), ("PIL.2", "en_cours"), ("FOR.1", "atteint"), ("FOR.2", "atteint")]
    for code, value in [*answers, ("EQU.1", "atteint")]:
        answer_with_keyboard(checked_page, code, value)
    checked_page.check()  # the page as htmx left it
    assert page.get_by_text("5 critères renseignés sur 5").is_visible()
    world.assessment.refresh_from_db()
    assert world.assessment.answered_count == 5

    page.keyboard.press("Home")
    page.evaluate("() => document.activeElement.blur()")
    tab_to(page, 'a[href$="/soumettre/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()
    tab_to(page, 'button[name="soumettre"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()
    assert page.get_by_role("heading", name="Résultats du positionnement").is_visible()
    assert page.get_by_text("Niveau global : 1").is_visible()
    world.assessment.refresh_from_db()
    assert world.assessment.status == AssessmentStatus.SUBMITTED


def test_individual_answers_appear_in_the_team_view(new_checked_page, world):
    teacher = new_checked_page()
    sign_in(teacher, "enseignant")
    teacher.visit(f"/positionnements/{world.assessment.pk}/ma-contribution/")
    page = teacher.page
    page.locator('label[for="moi-PIL.1-atteint"]').click()
    with page.expect_navigation():
        page.locator("#critere-PIL\\.1").get_by_role("button").click()
    teacher.check()
    assert page.get_by_text("Votre réponse au critère PIL.1 est enregistrée.").is_visible()

    head = new_checked_page()
    sign_in(head, "principale")
    head.visit(f"/positionnements/{world.assessment.pk}/equipe/")
    row = head.page.locator("tr", has=head.page.get_by_role("link", name="PIL.1"))
    assert row.locator("td").nth(3).inner_text() == "1"  # one member: « atteint »
    assert head.page.get_by_text("1 membre a donné sa contribution.").is_visible()


def test_a_conflicting_save_shows_the_conflict_and_loses_nothing(new_checked_page, world):
    principal, referent = new_checked_page(), new_checked_page()
    sign_in(principal, "principale")
    sign_in(referent, "referent-college")
    principal.visit(world.assessment.get_absolute_url())
    referent.visit(world.assessment.get_absolute_url())  # both pages show version 0

    with principal.page.expect_response(lambda r: "/reponses/" in r.url):
        principal.page.locator('label[for="PIL.1-atteint"]').click()
    with referent.page.expect_response(lambda r: "/reponses/" in r.url):
        referent.page.locator('label[for="PIL.1-non_atteint"]').click()
    alert = referent.page.get_by_role("alert").filter(has_text="Quelqu’un a enregistré ce critère avant vous")
    alert.wait_for()
    referent.check()
    assert "Patricia a enregistré « atteint »" in alert.inner_text()
    assert world.assessment.answers.get(criterion__code="PIL.1").value == "atteint"

    with referent.page.expect_response(lambda r: "/reponses/" in r.url):
        alert.get_by_role("button", name="Garder ma réponse").click()
    referent.page.get_by_text("Enregistré par Romain").wait_for()
    referent.check()
    answer = world.assessment.answers.get(criterion__code="PIL.1")
    assert answer.value == "non_atteint"
    assert list(world.assessment.changes.values_list("new_value", flat=True).order_by("pk")) == [
        "atteint",
        "non_atteint",
    ]
