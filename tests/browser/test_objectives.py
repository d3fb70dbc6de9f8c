"""A head turns a suggestion of the results into an objective, the pilot reports on it,
the head closes it as achieved; axe checks every page on the way."""

import datetime

import pytest
from django.utils import timezone

from paliers.accounts.models import Role
from paliers.assessments import answering
from paliers.objectives.models import Objective

from ..factories import user
from .test_assessment import sign_in, world  # noqa: F401 (the fixture)

# The test worlds' 2025-2026 campaigns, answered here, are open on that day (time-machine).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("during_campaign")]


def test_from_suggestion_to_achieved_objective(new_checked_page, world):  # noqa: F811
    answering.replace_answers(
        world.assessment,
        [{"criterion": code, "value": "atteint"} for code in ("PIL.1", "FOR.1", "EQU.1")],
        user=world.principal,
    )
    user("pilote", Role.SCHOOL_MEMBER, world.college, first_name="Paul", last_name="Pilote")
    head = new_checked_page()
    page = head.page
    sign_in(head, "principale")
    head.visit(f"/positionnements/{world.assessment.pk}/resultats/")
    with page.expect_navigation():
        page.get_by_role("button", name="En faire un objectif : Formation, Palier 2").click()
    head.check()
    assert "Brouillon d’objectif créé" in page.content()
    draft = Objective.objects.get()
    assert draft.is_draft and list(draft.criteria.values_list("code", flat=True)) == ["FOR.2"]
    # The draft's form: name the pilot, a due date, tick the SMART boxes, commit.
    page.get_by_label("Intitulé").fill("Former la moitié des enseignants à l’ENT")
    page.get_by_label("Un membre du collège", exact=False).select_option(label="Paul Pilote")
    # Dates around today: due ahead, the point and the closing not in the future (the date rules).
    today = timezone.localdate()
    page.locator("#id_due_on").fill(f"{today + datetime.timedelta(days=30):%Y-%m-%d}")
    for name in ("smart_specific", "smart_measurable", "smart_time_bound"):
        page.locator(f"label[for=id_{name}]").click()
    page.locator("label[for=id_commit]").click()  # a draft until then
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer l’objectif").click()
    head.check()
    draft.refresh_from_db()
    assert not draft.is_draft and draft.pilot.username == "pilote" and draft.smart_count == 3

    pilot = new_checked_page()
    sign_in(pilot, "pilote")
    pilot.visit(f"/objectifs/{draft.pk}/")
    ppage = pilot.page
    ppage.get_by_label("Date").fill(f"{today - datetime.timedelta(days=1):%Y-%m-%d}")
    ppage.get_by_label("État").select_option("en_cours")
    ppage.get_by_label("Commentaire").fill("Première session faite : 12 enseignants.")
    ppage.get_by_label("Commentaire").focus()
    with ppage.expect_navigation():
        ppage.keyboard.press("Tab")
        ppage.keyboard.press("Enter")
    pilot.check()
    assert "Le point de situation est enregistré." in ppage.content()
    assert "Clôturer l’objectif" not in ppage.content()  # the pilot reports; the head closes

    head.visit(f"/objectifs/{draft.pk}/")
    page.get_by_text("oui", exact=True).click()
    page.locator("#id_closed_on").fill(f"{today:%Y-%m-%d}")
    with page.expect_navigation():
        page.get_by_role("button", name="Clôturer", exact=True).click()
    head.check()
    draft.refresh_from_db()
    assert draft.achieved is True and draft.closed_on == today
    assert draft.checkpoints.get().comment.startswith("Première session")
    head.visit(f"/ecoles/{world.college.uai}/objectifs/")
    assert "atteint" in page.locator("table").text_content()
