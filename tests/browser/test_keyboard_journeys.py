"""The main journey of each role done with the keyboard alone, the focus visible at every
step (RGAA 7.3 and 10.7): each person signs in, reaches the page from their home page by
Tab and Enter, and acts there with Tab, Space, the arrow keys and typing — no click, no
address typed after the first page. axe-core checks every page on the way (the conftest),
and each journey asserts what it changed or read in the database."""

import datetime

import pytest

from paliers.accounts.scoping import schools_for
from paliers.assessments.models import AssessmentStatus, Campaign, ContributionAnswer
from paliers.objectives.models import Objective

from ..observatory_world import make_observatory_world
from .conftest import assert_focus_visible, tab_to
from .test_assessment import world  # noqa: F401 (the fixture)

# The 2025-2026 campaigns they answer are open that day (tests/conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("during_campaign")]


@pytest.fixture
def academy(transactional_db):
    """Créteil's écoles answering their 2025-2026 campaign (tests/observatory_world.py)."""
    return make_observatory_world()


def words(page):
    return " ".join(page.locator("main").inner_text().split())


def enter(checked_page):
    """Press Enter on the focused link or button and check the page it leads to."""
    with checked_page.page.expect_navigation():
        checked_page.page.keyboard.press("Enter")
    checked_page.check()


def follow(checked_page, target):
    tab_to(checked_page.page, target)
    enter(checked_page)


def sign_in(checked_page, username):
    """The sign-in form by keyboard (the factories' password): the identifier has the focus
    on arrival."""
    page = checked_page.page
    checked_page.visit("/comptes/connexion/")
    assert page.evaluate("() => document.activeElement.id") == "id_username"
    page.keyboard.type(username)
    tab_to(page, "#id_password")
    page.keyboard.type("mot de passe de test")
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
    options = page.evaluate("() => [...document.activeElement.options].map(o => o.label)")
    raise AssertionError(f"« {label} » introuvable au clavier dans {target} : {options}")


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
    if not page.evaluate("() => document.activeElement.checked"):  # the first, not yet ticked
        if saved:
            with page.expect_response(lambda r: saved in r.url):
                page.keyboard.press("Space")
        else:
            page.keyboard.press("Space")
    assert_focus_visible(page)


def test_a_head_answers_submits_reads_the_results_and_sets_an_objective(new_checked_page, world):  # noqa: F811
    head = new_checked_page()
    page = head.page
    sign_in(head, "principale")
    follow(head, f'main a[href="{world.assessment.get_absolute_url()}"]')
    answers = {
        "PIL.1": "atteint",
        "PIL.2": "atteint",
        "FOR.1": "atteint",
        "FOR.2": "en_cours",
        "EQU.1": "atteint",
    }
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


def test_a_teacher_contributes_from_the_home_page(new_checked_page, world):  # noqa: F811
    teacher = new_checked_page()
    page = teacher.page
    sign_in(teacher, "enseignant")
    follow(teacher, f'main a[href="{world.assessment.get_absolute_url()}"]')
    follow(teacher, 'main a[href$="/ma-contribution/"]')
    mine = {"PIL.1": "en_cours", "FOR.1": "atteint"}
    for code, value in mine.items():
        radio_to(page, f"{code}-value", value, saved=f"/ma-contribution/{code}/")
    page.get_by_text("Votre réponse est enregistrée").first.wait_for()
    teacher.check()
    saved = ContributionAnswer.objects.filter(contribution__user=world.teacher)
    assert dict(saved.values_list("criterion__code", "value")) == mine


def test_the_animator_reads_the_caseload_and_opens_a_school(new_checked_page, academy):
    animator = new_checked_page()
    page = animator.page
    sign_in(animator, "animateur")  # the home page is the caseload
    assert page.locator("h1").inner_text() == "Suivi des écoles"
    assessments = academy.campaign.assessments.filter(school__in=schools_for(academy.animator))
    submitted = sorted(a.school.name for a in assessments.filter(status=AssessmentStatus.SUBMITTED))
    assert f"{assessments.count()} écoles et établissements" in words(page)
    assert f"{len(submitted)} soumis" in words(page)
    choose(page, "#id_etat", "soumis")
    follow(animator, page.get_by_role("button", name="Afficher"))
    assert "etat=submitted" in page.url
    assert sorted(page.locator("tbody th[scope=row] a").all_inner_texts()) == submitted
    follow(animator, page.locator("tbody th[scope=row] a", has_text=academy.b.name))
    assert page.locator("h1").inner_text() == academy.b.name


def test_the_observer_reads_the_observatory(new_checked_page, academy):
    observer = new_checked_page()
    page = observer.page
    sign_in(observer, "inspectrice")
    follow(observer, 'a.fr-nav__link[href="/observatoire/"]')
    choose(page, "#id_type", "école élémentaire")
    follow(observer, page.get_by_role("button", name="Afficher"))
    assert "type=elementaire" in page.url
    # The elementary écoles of the observer's département: Doisneau and Sainte-Marie have
    # submitted, Victor Hugo and Paul Bert not begun (tests/observatory_world.py).
    elementary = academy.campaign.assessments.filter(
        school__in=schools_for(academy.observer), school__kind="elementaire"
    )
    submitted = elementary.filter(status=AssessmentStatus.SUBMITTED).count()
    table = page.get_by_role("table", name="Participation à la campagne")
    whole = table.locator("tbody tr", has_text="Ensemble").locator("td")
    assert whole.all_inner_texts()[:4] == [str(elementary.count() - submitted), "0", str(submitted),
                                           str(elementary.count())]  # fmt: skip
    follow(observer, page.get_by_role("link", name="Carte de chaleur"))
    assert "type=elementaire" in page.url  # the filters follow
    heat = page.get_by_role("table", name="Données de la carte de chaleur : score de progression moyen")
    row = heat.locator("tbody tr", has_text="Circonscription de Fresnes").locator("td")
    assert row.first.inner_text() == "1,6"  # Pilotage: Doisneau 1.25 and Sainte-Marie 2.0


def test_the_academy_opens_a_campaign(new_checked_page, academy):
    admin = new_checked_page()
    page = admin.page
    sign_in(admin, "dan")
    follow(admin, 'a.fr-nav__link[href="/campagnes/"]')
    follow(admin, page.get_by_role("link", name="Ouvrir une campagne"))
    choose(page, "#id_framework", "Paliers de maturité numérique des établissements (2014)")
    type_in(page, "#id_school_year", "2025-2026")
    choose(page, "#id_school_group", "établissements (collèges, lycées, EREA)")
    type_date(page, "#id_opens_on", datetime.date(2026, 3, 16))
    type_date(page, "#id_closes_on", datetime.date(2026, 6, 30))
    follow(admin, page.get_by_role("button", name="Ouvrir la campagne"))
    assert "2 positionnements seront créés" in words(page)  # the collège and the lycée
    assert not Campaign.objects.filter(framework__slug="creteil-etablissements").exists()
    follow(admin, "button[name=confirm]")
    campaign = Campaign.objects.get(framework__slug="creteil-etablissements")
    assert (campaign.school_year, campaign.opens_on, campaign.closes_on) == (
        "2025-2026",
        datetime.date(2026, 3, 16),
        datetime.date(2026, 6, 30),
    )
    assert {a.school for a in campaign.assessments.all()} == {academy.college, academy.lycee}
    assert "campagne ouverte" in words(page).lower()
    assert "Aujourd’hui : 0 soumis, 0 en cours, 2 non commencés, sur 2." in words(page)
