"""A campaign's life as the DAN lives it, in Chromium at 1280 and 360 px, every page checked
by axe-core: created after the confirmation of the schools concerned, its dates edited,
closed now, then extended (time-machine moves the clock of the test and its live server)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from paliers.assessments.models import Campaign
from paliers.audit.models import AuditEvent, EventKind

from .conftest import tab_to
from .test_homes import sign_in, words

pytestmark = pytest.mark.browser
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def demo(transactional_db):
    for command in ("load_frameworks", "demo_accounts"):
        call_command(command, verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def fits(page, width):
    return page.evaluate("() => document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 360])
def test_create_with_confirmation_edit_close_extend(new_checked_page, demo, width):
    with time_machine.travel(datetime.datetime(2026, 10, 1, 10, tzinfo=PARIS), tick=True):
        checked = new_checked_page({"width": width, "height": 900})
        page = checked.page
        sign_in(checked, "dan")
        checked.visit("/campagnes/nouvelle/")
        page.locator("#id_framework").select_option(label="Paliers de maturité numérique des écoles (2014)")
        page.locator("#id_school_year").fill("2026-2027")
        page.locator("#id_school_group").select_option("ecoles")
        page.locator("#id_opens_on").fill("2026-09-14")
        page.locator("#id_closes_on").fill("2027-09-30")  # outside the school year
        with page.expect_navigation():
            page.get_by_role("button", name="Ouvrir la campagne").click()
        checked.check()
        assert "la clôture doit y tomber" in words(page)
        page.locator("#id_closes_on").fill("2026-11-30")
        with page.expect_navigation():
            page.get_by_role("button", name="Ouvrir la campagne").click()
        checked.check()
        assert "Confirmer la campagne" in words(page) and "positionnements seront créés" in words(page)
        assert not Campaign.objects.exists() and fits(page, width)
        tab_to(page, "button[name=confirm]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        checked.check()
        campaign = Campaign.objects.get()
        assert "campagne ouverte" in words(page).lower() and fits(page, width)
        # Filters: the schools not started, then the edit of the dates.
        page.locator("#id_stage").select_option("not_started")
        with page.expect_navigation():
            page.get_by_role("button", name="Filtrer").click()
        checked.check()
        with page.expect_navigation():
            page.get_by_role("link", name="Modifier les dates ou prolonger").click()
        checked.check()
        page.locator("#id_closes_on").fill("2026-12-15")
        with page.expect_navigation():
            page.get_by_role("button", name="Enregistrer").click()
        checked.check()
        assert "au 15/12/2026" in words(page)
        # Closed now: read-only, figures frozen.
        with page.expect_navigation():
            page.get_by_role("link", name="Clore maintenant").click()
        checked.check()
        with page.expect_navigation():
            page.get_by_role("button", name="Clore la campagne").click()
        checked.check()
        assert "Campagne close le 30/09/2026" in words(page)
        campaign.refresh_from_db()
        assert campaign.frozen_at is not None
        # Extended: open again until the new date.
        with page.expect_navigation():
            page.get_by_role("link", name="Modifier les dates ou prolonger").click()
        checked.check()
        page.locator("#id_closes_on").fill("2026-10-31")
        with page.expect_navigation():
            page.get_by_role("button", name="Enregistrer").click()
        checked.check()
        assert "campagne ouverte" in words(page).lower() and fits(page, width)
        campaign.refresh_from_db()
        assert campaign.frozen_at is None and campaign.closes_on == datetime.date(2026, 10, 31)
        assert AuditEvent.objects.filter(kind=EventKind.CAMPAIGN).count() == 3
