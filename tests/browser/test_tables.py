"""Every table readable: on every page of the demonstration that has one, as the school's
head, an école's director, the académie and an animator see them — every column inside
the viewport at 1280 px, readable at 360 px (tests/browser/tables.py)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from ..crawl import crawl, route_of
from .tables import NARROW, WIDE, table_problems

pytestmark = pytest.mark.browser

DEMO = ("load_frameworks", "demo_accounts", "demo_campaigns", "demo_objectives", "demo_accompaniment",
        "demo_surveys", "demo_roadmap")  # fmt: skip
ROLES = ("principale", "directeur", "dan", "animateur")


@pytest.fixture
def demo(transactional_db):
    for command in DEMO:
        call_command(command, stdout=StringIO())


def table_pages():
    """One address per URL pattern whose page has a table, the first role that reaches it."""
    found = {}
    for username in ROLES:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        for path, response in crawl(client, per_route=1):
            route = route_of(path)
            html = response["Content-Type"].startswith("text/html") and response.status_code == 200
            if html and route not in found and b"<table" in response.content:
                found[route] = (username, path)
    return found


def sign_in(checked_page, username):
    page = checked_page.page
    checked_page.visit("/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("paliers-demo")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()


def test_every_table_of_every_page_is_readable_wide_and_on_a_phone(new_checked_page, demo):
    pages = table_pages()
    # The pages the issue named, among others: the team view, the échéancier, the people list.
    assert {"assessments:consensus", "objectives:list", "people:list", "data_protection"} <= set(pages)
    assert len(pages) >= 20
    browsers, problems = {}, {}
    for username, path in sorted(pages.values()):
        if username not in browsers:
            browsers[username] = new_checked_page()
            sign_in(browsers[username], username)
        checked = browsers[username]
        for width in (WIDE, NARROW):
            checked.page.set_viewport_size({"width": width, "height": 900})
            checked.visit(path)
            found = table_problems(checked.page, scroll_allowed=width < WIDE)
            if found:
                problems[f"{path} à {width} px"] = found
    assert not problems, "\n".join(f"{where} : {found}" for where, found in problems.items())


def test_the_team_view_and_the_timetable_show_their_last_columns(new_checked_page, demo):
    """The columns the issue found hidden: « Réponse collective » of the team view, the
    échéancier's « État » and latest points de situation."""
    from paliers.assessments.models import Assessment

    head = get_user_model().objects.get(username="principale")
    school = head.memberships.get().school
    assessment = Assessment.objects.filter(school=school, contributions__isnull=False).first()
    checked = new_checked_page()
    sign_in(checked, "principale")
    page = checked.page
    for path, headers in [
        (f"/positionnements/{assessment.pk}/equipe/", ["Avis", "Réponse collective"]),
        (f"/ecoles/{school.uai}/objectifs/", ["État", "Derniers points de situation"]),
    ]:
        checked.visit(path)
        for header in headers:
            cell = page.get_by_role("columnheader", name=header, exact=True).first
            box = cell.bounding_box()
            assert box and box["x"] + box["width"] <= WIDE, (path, header, box)
        page.set_viewport_size({"width": NARROW, "height": 900})
        checked.visit(path)
        # Stacked rows: each value is said with its column's name, inside the screen.
        labelled = page.locator(f'td[data-label="{headers[-1]}"]').first
        box = labelled.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= NARROW, (path, box)
        assert labelled.evaluate("(cell) => getComputedStyle(cell, '::before').content").startswith(
            f'"{headers[-1]}'
        )
        assert not table_problems(page, scroll_allowed=True)
        page.set_viewport_size({"width": WIDE, "height": 900})
