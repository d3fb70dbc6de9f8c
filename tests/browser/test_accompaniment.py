"""A head asks for support on a domain; the district animator opens the request from the
header, records a visit on it and adds the need to the plan — with the keyboard, axe-core
checking every page."""

import datetime

import pytest

from paliers.accompaniment.models import AccompanimentRecord, PlanAction, RequestStatus, SupportRequest
from paliers.assessments.answering import replace_answers
from paliers.assessments.campaigns import open_campaign
from paliers.frameworks.loading import framework_files, load_specs, parse_files

from ..factories import make_world
from .conftest import tab_to
from .test_assessment import sign_in

# The 2025-2026 campaigns they answer are open that day (tests/conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("during_campaign")]


@pytest.fixture
def world(transactional_db):
    load_specs(parse_files([f for f in framework_files() if f.name.startswith("creteil-ecoles")]))
    w = make_world()
    from paliers.frameworks.models import Framework

    open_campaign(
        framework=Framework.objects.get(slug="creteil-ecoles"), school_year="2025-2026", academy=w.creteil,
        school_group="ecoles", opens_on=datetime.date(2025, 9, 15), closes_on=datetime.date(2026, 6, 30),
        user=w.admin,
    )  # fmt: skip
    return w


def press_enter_and_check(checked_page):
    with checked_page.page.expect_navigation():
        checked_page.page.keyboard.press("Enter")
    checked_page.check()


def follow(checked_page, selector):
    """Tab to a link or button, press Enter, check the page it leads to."""
    tab_to(checked_page.page, selector)
    press_enter_and_check(checked_page)


def test_a_head_asks_and_the_animator_records_a_visit(new_checked_page, world):
    head = new_checked_page()
    sign_in(head, "directeur")
    head.visit(world.ecole.get_absolute_url())
    follow(head, f'a[href="/ecoles/{world.ecole.uai}/accompagnement/"]')
    follow(head, 'a[href$="/demandes/nouvelle/"]')
    page = head.page
    tab_to(page, "#id_domain")
    page.select_option("#id_domain", label="Formation")
    tab_to(page, "#id_message")
    page.keyboard.type("Une animation pédagogique sur les tablettes en cycle 2, s’il vous plaît.")
    follow(head, 'main button[type="submit"]')
    assert page.get_by_text("Votre demande est transmise").is_visible()
    support = SupportRequest.objects.get()
    assert (support.domain.code, support.created_by, support.status) == ("FOR", world.head, "ouverte")

    animator = new_checked_page()
    sign_in(animator, "animateur")
    page = animator.page
    animator.visit("/")
    follow(animator, 'a.fr-nav__link[href="/accompagnement/demandes/"]')
    row = page.locator("tr", has_text=world.ecole.name)
    assert "ouverte" in row.text_content() and "Formation" in row.text_content()
    follow(animator, f'a[href="{support.get_absolute_url()}"]')
    follow(animator, 'a[href*="/interventions/nouvelle/?demande="]')
    assert page.locator("#id_request").input_value() == str(support.pk)
    # Forgetting the kind: the form says so next to the field, and stays accessible.
    follow(animator, 'main button[type="submit"]')
    assert page.get_by_text("Choisissez la nature de l’intervention.").is_visible()
    tab_to(page, "#id_kind")
    page.select_option("#id_kind", label="visite")
    tab_to(page, "#id_participants")
    page.keyboard.type("Le directeur, six enseignants de cycle 2")
    tab_to(page, "#id_notes")
    page.keyboard.type("Visite de l’école : inventaire de la classe mobile, besoins de formation.")
    follow(animator, 'main button[type="submit"]')
    assert page.get_by_text("L’intervention est notée.").is_visible()
    assert page.get_by_text("prise en charge", exact=True).first.is_visible()
    support.refresh_from_db()
    record = AccompanimentRecord.objects.get()
    assert support.status == RequestStatus.TAKEN and support.taken_by == world.animator
    assert (record.kind, record.request, record.date) == ("visite", support, datetime.date.today())

    # The request's need goes to the plan, then to the school's page.
    follow(animator, 'a[href*="/plan/nouvelle-action/"]')
    assert "tablettes" in page.locator("#id_need").input_value()
    tab_to(page, "#id_action")
    page.keyboard.type("Animation pédagogique « Premiers pas avec la classe mobile ».")
    tab_to(page, "#id_school_year")
    page.keyboard.type("2025-2026")
    follow(animator, 'main button[type="submit"]')
    assert page.get_by_role("heading", name="Plan d’accompagnement et de formation").is_visible()
    action = PlanAction.objects.get()
    assert (action.request, action.domain.code, action.created_by) == (support, "FOR", world.animator)
    assert page.get_by_text("1 action au plan").is_visible()


def test_an_observer_reads_without_buttons_to_write(new_checked_page, world):
    assessment = world.ecole.assessments.get()
    SupportRequest.objects.create(
        school=world.ecole, domain=assessment.campaign.framework.domains.get(code="FOR"), message="Aide"
    )
    # Formation at level 1 of 3: a need from the results, with the criteria of level 2.
    replace_answers(assessment, [{"criterion": "FOR.1.1", "value": "atteint"}], user=world.head)
    observer = new_checked_page()
    sign_in(observer, "inspectrice")
    observer.visit(f"/ecoles/{world.ecole.uai}/accompagnement/")
    page = observer.page
    assert page.get_by_role("link", name="Aide").is_visible()
    assert page.get_by_text("Niveau 1 atteint sur 3.").is_visible()
    assert page.get_by_text("FOR.2.3 — Dispositif de formation").is_visible()
    for label in ("Demander un accompagnement", "Noter une intervention", "Ajouter au plan"):
        assert page.get_by_role("link", name=label).count() == 0
    observer.visit("/accompagnement/demandes/")
    assert page.get_by_text("1 demande", exact=True).is_visible()
