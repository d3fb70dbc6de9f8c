"""Each role's home, on the demonstration data, in Chromium, every page checked by axe-core:
what each person sees first is asserted against the scoping function and the models, and a
school not started joins « à suivre en priorité » two weeks before its campaign closes
(time-machine moves the clock of the test and of its live server alike)."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from paliers.accompaniment.models import RequestStatus, SupportRequest
from paliers.accounts.scoping import schools_for
from paliers.assessments.aggregate_models import StageTally
from paliers.assessments.models import Assessment, Campaign
from paliers.core.calendar import school_year
from paliers.frameworks.models import Audience
from paliers.homes import school_choices
from paliers.surveys.models import TeamSurvey
from paliers.surveys.results import MIN_RESPONSES

from .conftest import tab_to

pytestmark = pytest.mark.browser
PARIS = ZoneInfo("Europe/Paris")
DEMO_COMMANDS = ("load_frameworks", "demo_accounts", "demo_campaigns", "demo_objectives",
                 "demo_accompaniment", "demo_surveys")  # fmt: skip


@pytest.fixture
def demo(transactional_db):
    for command in DEMO_COMMANDS:
        call_command(command, verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return get_user_model().objects


def sign_in(checked_page, username):
    page = checked_page.page
    checked_page.visit("/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("paliers-demo")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()


def words(page):
    return " ".join(page.locator("main").inner_text().split())


def open_today(school, today):
    return list(
        Assessment.objects.filter(
            school=school, campaign__opens_on__lte=today, campaign__closes_on__gte=today
        ).exclude(campaign__framework__audience=Audience.EQUIPE)
    )


def test_school_people_see_their_school_today(new_checked_page, demo):
    today = datetime.date.today()
    for username in ("directeur", "principale", "membre"):
        person = demo.get(username=username)
        (school,) = school_choices(person)
        assert set(school_choices(person)) <= set(schools_for(person))
        checked = new_checked_page()
        sign_in(checked, username)  # lands on the home page
        page = checked.page
        assert page.locator("h1").inner_text() == school.name
        text = words(page)
        positionings = open_today(school, today)
        if positionings:
            rows = page.get_by_role("table", name="Les campagnes ouvertes aujourd’hui").locator("tbody tr")
            assert rows.count() == len(positionings)
            for assessment in positionings:
                assert str(assessment.stage.label) in text.lower()
        else:
            assert "Aucune campagne de positionnement n’est ouverte en ce moment" in text
        surveys = TeamSurvey.objects.filter(school=school, opens_on__lte=today, closes_on__gte=today)
        for survey in surveys:  # the count as every page shows it: none under the threshold
            count = survey.responses.count()
            shown = f"{count} réponse" if count >= MIN_RESPONSES else "moins de 5 réponses pour l’instant"
            assert shown in text
            assert count >= MIN_RESPONSES or f"{count} réponse" not in text
        open_requests = SupportRequest.objects.filter(school=school).exclude(status=RequestStatus.CLOSED)
        section = page.locator("h2#accompagnement + ul li")
        assert section.count() == open_requests.count()
        checked.page.context.close()


def test_the_directeur_during_the_campaign(new_checked_page, demo):
    ecoles = Campaign.objects.get(
        framework__slug="creteil-ecoles", school_year=school_year(datetime.date.today())
    )
    directeur = demo.get(username="directeur")
    (school,) = school_choices(directeur)
    assessment = Assessment.objects.get(school=school, campaign=ecoles)
    checked = new_checked_page()
    # Signed in on the day travelled to: a session begun months earlier would have ended.
    with time_machine.travel(datetime.datetime.combine(ecoles.closes_on - datetime.timedelta(days=10),
                                                       datetime.time(10), PARIS)):  # fmt: skip
        sign_in(checked, "directeur")
        checked.visit("/")
        page = checked.page
        row = page.get_by_role("table", name="Les campagnes ouvertes aujourd’hui").locator("tbody tr").first
        cells = " ".join(row.inner_text().split())
        total = ecoles.framework.criteria.count()
        assert (
            assessment.stage.label.upper() in cells.upper()
            and f"{assessment.answered_count} / {total}" in cells
        )
        assert "dans 10 jours" in cells
        tab_to(page, f'main a[href="{assessment.get_absolute_url()}"]')
        with page.expect_navigation():
            page.keyboard.press("Enter")
        checked.check()
        assert page.url.endswith(assessment.get_absolute_url())


def caseload_count(page):
    """The « N écoles et établissements concernés » the caseload says it lists."""
    tag = page.get_by_role("list", name="Écoles par état").locator("a").first.inner_text()
    return int(re.match(r"(\d+)", tag.replace("\u202f", "")).group(1))


def test_the_animator_sees_a_school_not_started_two_weeks_before_closing(new_checked_page, demo):
    ecoles = Campaign.objects.get(
        framework__slug="creteil-ecoles", school_year=school_year(datetime.date.today())
    )
    animator = demo.get(username="animateur")
    scope = schools_for(animator)
    late = (
        Assessment.objects.filter(campaign=ecoles, school__in=scope, answered_count=0, status="brouillon")
        .select_related("school")
        .order_by("school__sort_name")
        .first()
        .school
    )
    checked = new_checked_page()
    sign_in(checked, "animateur")
    page = checked.page
    assert page.locator("h1").inner_text() == "Suivi des écoles"
    # Every school of the scoping function that the round concerns.
    concerned = scope.filter(assessments__campaign=ecoles)
    assert caseload_count(page) == concerned.count() > 0
    table = page.get_by_role("table", name=re.compile("Vos écoles et établissements"))
    assert table.locator("tbody tr").count() == min(50, concerned.count())
    filtered = f"/?campagne={ecoles.framework_id}.{ecoles.school_year}&attention=on"

    def listed_at(day):
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(10), PARIS)):
            sign_in(checked, "animateur")  # the session of another day has ended
            checked.visit(filtered)
            return page.locator("tbody th[scope=row]", has_text=late.name).count() == 1

    assert not listed_at(ecoles.closes_on - datetime.timedelta(days=15))
    assert listed_at(ecoles.closes_on - datetime.timedelta(days=14))
    row = page.locator("tbody tr", has=page.locator("th", has_text=late.name))
    assert "non commencé à moins de 14 jours de la clôture" in row.inner_text().lower()  # a badge: capitals
    assert not listed_at(ecoles.closes_on + datetime.timedelta(days=1))
    # Sorting with the keyboard: the state column, from its header.
    checked.visit(f"/?campagne={ecoles.framework_id}.{ecoles.school_year}")
    tab_to(page, 'thead a[href*="tri=etat"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked.check()
    assert page.locator('th[aria-sort="ascending"]').inner_text().strip() == "État"


def test_the_observer_and_the_academy(new_checked_page, demo):
    ecoles = Campaign.objects.get(
        framework__slug="creteil-ecoles", school_year=school_year(datetime.date.today())
    )
    observer = new_checked_page({"width": 360, "height": 800})  # a phone: the table scrolls, readable
    sign_in(observer, "inspectrice")
    scope = schools_for(demo.get(username="inspectrice"))
    # The schools of the scoping function that the écoles' round concerns; not its collèges.
    assert caseload_count(observer.page) == scope.filter(assessments__campaign=ecoles).count() < scope.count()
    width = observer.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # the wide table scrolls in its own region, the page does not

    admin = new_checked_page()
    with time_machine.travel(datetime.datetime.combine(ecoles.closes_on - datetime.timedelta(days=10),
                                                       datetime.time(10), PARIS)):  # fmt: skip
        sign_in(admin, "dan")
        admin.visit("/")
        page = admin.page
        assert page.locator("h1").inner_text() == "Votre académie aujourd’hui"
        open_campaigns = Campaign.objects.filter(
            academy__code="99", opens_on__lte=ecoles.closes_on, closes_on__gte=ecoles.closes_on
        ).exclude(framework__audience=Audience.EQUIPE)
        for campaign in open_campaigns:
            table = page.get_by_role("table", name=f"Participation par département : {campaign}")
            totals = StageTally.objects.filter(campaign=campaign)
            not_started = sum(t.schools for t in totals if t.stage == "not_started")
            last = table.locator("tbody tr").count()
            assert last == len({t.department_id for t in totals})
            shown = sum(
                int(table.locator("tbody tr").nth(i).locator("td").first.inner_text()) for i in range(last)
            )
            assert shown == not_started
            assert page.get_by_role("img", name=f"Participation par département : {campaign}").count() == 1
        tab_to(page, 'main a[href*="etat=not_started"]')
        with page.expect_navigation():
            page.keyboard.press("Enter")
        admin.check()
        assert "etat=not_started" in page.url
