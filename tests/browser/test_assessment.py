import datetime

import pytest
from playwright.sync_api import expect

from paliers.accounts.models import Role
from paliers.assessments.campaigns import open_campaign
from paliers.assessments.models import Assessment, AssessmentStatus, ContributionAnswer
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
    tab_to(page, f'input[type="radio"][id^="{code}-"]')
    # Arrow keys move within a radio group and select: the way a keyboard user answers.
    target = f"{code}-{value}"
    for _ in range(6):
        if page.evaluate("() => document.activeElement.id") == target:
            break
        with page.expect_response(lambda r: "/reponses/" in r.url):
            page.keyboard.press("ArrowRight")
        # htmx saves the criterion; only its news come back (the fields stay as the user left them).
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
    assert page.get_by_text("0 critère renseigné sur 5").is_visible()
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
    assert page.get_by_text("Niveau global (le plus bas des domaines) : 1").is_visible()
    world.assessment.refresh_from_db()
    assert world.assessment.status == AssessmentStatus.SUBMITTED


def test_individual_answers_appear_in_the_team_view(new_checked_page, world):
    teacher = new_checked_page()
    sign_in(teacher, "enseignant")
    teacher.visit(f"/positionnements/{world.assessment.pk}/ma-contribution/")
    page = teacher.page
    with page.expect_response(lambda r: "/ma-contribution/PIL.1/" in r.url):
        page.locator('label[for="moi-PIL.1-atteint"]').click()
    page.get_by_text("Votre réponse est enregistrée").wait_for()
    teacher.check()

    head = new_checked_page()
    sign_in(head, "principale")
    head.visit(f"/positionnements/{world.assessment.pk}/equipe/")
    row = head.page.locator("tr", has=head.page.get_by_role("link", name="PIL.1"))
    assert row.locator("td").nth(3).inner_text() == "1"  # one member: « atteint »
    assert head.page.get_by_text("1 membre a donné sa contribution.").is_visible()


THREE = [("PIL.1", "atteint"), ("FOR.1", "en_cours"), ("EQU.1", "non_atteint")]


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "sans-javascript"])
def test_a_member_changes_three_criteria_and_finds_them_after_reloading(new_checked_page, world, javascript):
    """With JavaScript each change saves; without, the last button saves the whole page
    and comes back to that criterion, the message beside it."""
    member = new_checked_page(javascript=javascript)
    sign_in(member, "enseignant")
    member.visit(f"/positionnements/{world.assessment.pk}/ma-contribution/")
    page = member.page
    for code, value in THREE:
        if javascript:
            with page.expect_response(lambda r, code=code: f"/ma-contribution/{code}/" in r.url):
                page.locator(f'label[for="moi-{code}-{value}"]').click()
        else:
            page.locator(f'label[for="moi-{code}-{value}"]').click()
    if not javascript:
        with page.expect_navigation():
            page.locator('[id="critere-EQU.1"]').get_by_role("button", name="Enregistrer").click()
        member.check()
        assert page.url.endswith("/ma-contribution/#enregistre-EQU.1")
        notice = page.locator('[id="enregistre-EQU.1"]')
        # Playwright compares texts with their spaces normalised: the page sets no-break ones.
        expect(notice).to_have_text("3 réponses enregistrées : PIL.1, FOR.1, EQU.1.")
        assert notice.is_visible() and page.locator('[id="critere-EQU.1"]').locator(notice).count() == 1
    page.reload()
    member.check()
    for code, value in THREE:
        assert page.locator(f'[id="moi-{code}-{value}"]').is_checked(), code
    saved = ContributionAnswer.objects.filter(contribution__user=world.teacher)
    assert dict(saved.values_list("criterion__code", "value")) == dict(THREE)


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "sans-javascript"])
def test_a_bad_link_keeps_the_text_and_says_why_beside_it(new_checked_page, world, javascript):
    head = new_checked_page(javascript=javascript)
    sign_in(head, "principale")
    head.visit(world.assessment.get_absolute_url())
    page = head.page
    block = page.locator('[id="critere-FOR.1"]')
    block.locator("summary").click()
    block.get_by_label("Commentaire", exact=False).first.fill("Stage de trois jours, avril.")
    link = block.get_by_label("Lien vers une preuve")
    link.fill("le classeur de la salle des profs")
    message = block.locator('[id="erreur-FOR.1-evidence_url"]')
    if javascript:
        # A live region is announced when its content changes, not when it is replaced.
        message.evaluate("(region) => { region.keptInPlace = true; }")
        with page.expect_response(lambda r: "/reponses/FOR.1/" in r.url):
            link.press("Tab")
    else:
        with page.expect_navigation():
            block.get_by_role("button", name="Enregistrer").click()
    message.get_by_text("Ce lien n’est pas une adresse web valide").wait_for()
    head.check()
    assert message.get_attribute("aria-live") == "assertive"
    if javascript:
        assert message.evaluate("(region) => region.keptInPlace === true")
    assert link.input_value() == "le classeur de la salle des profs"
    assert link.get_attribute("aria-describedby") == "erreur-FOR.1-evidence_url"
    if not javascript:  # the page says first what to look at, and links to it
        assert page.get_by_role("alert").filter(has_text="Rien n’a été enregistré").is_visible()
        assert (
            block.get_by_label("Commentaire", exact=False).first.input_value()
            == "Stage de trois jours, avril."
        )
    assert not world.assessment.answers.filter(criterion__code="FOR.1").exclude(evidence_url="").exists()
    link.fill("https://ent.example.fr/classeur")
    if javascript:
        with page.expect_response(lambda r: "/reponses/FOR.1/" in r.url):
            link.press("Tab")
        page.get_by_text("Enregistré par Patricia").first.wait_for()
    else:
        with page.expect_navigation():
            block.get_by_role("button", name="Enregistrer").click()
    head.check()
    assert (
        world.assessment.answers.get(criterion__code="FOR.1").evidence_url
        == "https://ent.example.fr/classeur"
    )


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
    expect(alert).to_contain_text("Patricia a enregistré « atteint »")
    assert world.assessment.answers.get(criterion__code="PIL.1").value == "atteint"

    assert "Votre saisie est gardée ci-dessous" in alert.inner_text()
    assert referent.page.locator('[id="PIL.1-non_atteint"]').is_checked()  # what was chosen, kept
    with referent.page.expect_response(lambda r: "/reponses/" in r.url):
        referent.page.locator('[id="critere-PIL.1"]').get_by_role("button", name="Enregistrer").click()
    referent.page.get_by_text("Enregistré par Romain").wait_for()
    referent.check()
    answer = world.assessment.answers.get(criterion__code="PIL.1")
    assert answer.value == "non_atteint"
    assert list(world.assessment.changes.values_list("new_value", flat=True).order_by("pk")) == [
        "atteint",
        "non_atteint",
    ]
