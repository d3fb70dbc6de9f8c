"""What each role sees first at `/` (paliers/homes.py), on the observatory's small world built
while its campaign 2025-2026 is open: the school's positionings, objectives, questionnaire and
requests; the animator's caseload; the académie's campaigns, invitations and imports."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from paliers.accompaniment.models import SupportRequest
from paliers.accounts.invitations import invite
from paliers.accounts.models import Membership, Role
from paliers.accounts.scoping import schools_for
from paliers.assessments.aggregate_models import StageTally
from paliers.assessments.campaigns import open_campaign
from paliers.audit.journal import record
from paliers.audit.models import EventKind
from paliers.frameworks.loading import framework_files, load_specs, parse_files
from paliers.frameworks.models import Framework
from paliers.objectives.models import Objective
from paliers.surveys.opening import open_survey
from paliers.surveys.questionnaire import questionnaire_for
from paliers.surveys.responding import submit_response

from .factories import user
from .observatory_world import make_observatory_world

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")

PARIS = ZoneInfo("Europe/Paris")
TODAY = datetime.date(2026, 3, 3)


def moment(day=TODAY):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), PARIS), tick=False)


@pytest.fixture
def world(db):
    with moment(datetime.date(2026, 3, 2)):
        w = make_observatory_world()
        load_specs(parse_files([f for f in framework_files() if "jalons" in f.name]))
        w.pilotage = w.framework.domains.get(code="PIL")
        w.team_campaign = open_campaign(
            framework=Framework.objects.get(slug="creteil-jalons"), school_year="2025-2026",
            academy=w.creteil, school_group="ecoles", opens_on=datetime.date(2026, 1, 5),
            closes_on=datetime.date(2026, 6, 30), user=w.admin,
        )  # fmt: skip
        w.survey = open_survey(
            w.team_campaign, w.ecole, datetime.date(2026, 3, 1), datetime.date(2026, 3, 20), w.head
        )
        questionnaire = questionnaire_for(w.team_campaign.framework)
        answers = {axis.code: 1 for axis in questionnaire.axes}
        for n in range(3):
            submit_response(w.survey, questionnaire, f"navigateur-{n}", answers)
    return w


def home(client, who, **params):
    client.force_login(who)
    with moment():
        return client.get(reverse("home"), params)


def goal(world, title, due_on, **fields):
    values = {
        "school": world.ecole,
        "framework": world.framework,
        "domain": world.pilotage,
        "level": world.framework.levels.first(),
        "title": title,
        "is_draft": False,
        "due_on": due_on,
    }
    return Objective.objects.create(**{**values, **fields})  # fmt: skip


def test_a_school_sees_its_positionings_objectives_questionnaire_and_requests(client, world):
    w = world
    goal(w, "En retard", datetime.date(2026, 2, 1))
    goal(w, "Dans un mois", TODAY + datetime.timedelta(days=30))
    goal(w, "Plus tard", TODAY + datetime.timedelta(days=31))
    goal(w, "Brouillon", TODAY, is_draft=True)
    SupportRequest.objects.create(school=w.ecole, domain=w.pilotage, message="Aide")
    SupportRequest.objects.create(school=w.ecole, domain=w.pilotage, message="Aide").close(w.animator)
    response = home(client, w.head)
    found = response.context["home"]
    assert response.context["view"] == "ecole" and found.school == w.ecole
    # The écoles' campaign open today — not the jalons' one, answered by the questionnaire.
    (line,) = found.positionings
    assert (line.assessment, line.stage.label, line.total) == (
        w.assessment,
        "soumis",
        w.framework.criteria.count(),
    )
    assert line.days_left == (datetime.date(2026, 6, 30) - TODAY).days
    assert [o.title for o in found.objectives] == ["En retard", "Dans un mois"]
    assert [(survey, n) for survey, n in found.surveys] == [(w.survey, None)]  # 3: under the threshold
    assert len(found.requests) == 1
    html = " ".join(response.content.decode().split())
    assert "soumis" in html and "7 / " in html and "30/06/2026" in html
    assert reverse("assessments:results", args=[w.assessment.pk]) in html
    assert w.survey.get_respond_url() in html and w.survey.get_absolute_url() in html


def test_a_questionnaire_closed_lately_points_the_leadership_to_its_results(client, world):
    w = world
    results = reverse("surveys:results", args=[w.survey.pk])
    after = datetime.date(2026, 3, 25)  # closed on 20/03 with 3 responses

    def home_on(day, who):
        with moment(day):
            client.force_login(who)  # a session of that day
            return client.get(reverse("home"))

    response = home_on(after, w.head)
    assert response.context["home"].closed_survey == (w.survey, False)
    html = " ".join(response.content.decode().split())
    assert "clos le 20/03/2026 a reçu moins de 5 réponses : pas de résultats" in html and results not in html
    questionnaire = questionnaire_for(w.team_campaign.framework)
    with moment(datetime.date(2026, 3, 10)):
        for n in range(3, 5):
            submit_response(
                w.survey, questionnaire, f"navigateur-{n}", {a.code: 2 for a in questionnaire.axes}
            )
    assert results in home_on(after, w.head).content.decode()
    with moment(after):
        assert client.get(results).status_code == 200
    assert results not in home_on(after, w.member).content.decode()  # the leadership's to share
    assert home_on(datetime.date(2026, 4, 20), w.head).context["home"].closed_survey is None  # a month on


def test_a_member_contributes_and_a_person_of_two_schools_chooses(client, world):
    w = world
    member = user("membre-a", Role.SCHOOL_MEMBER, w.a)
    Membership.objects.create(user=member, role=Role.SCHOOL_MEMBER, school=w.b)
    response = home(client, member)
    assert [s.name for s in response.context["schools"]] == [w.a.name, w.b.name]  # name order
    assert response.context["home"].school == w.a
    assessment = w.campaign.assessments.get(school=w.a)
    html = response.content.decode()
    assert reverse("assessments:contribution", args=[assessment.pk]) in html and "en cours" in html
    assert w.survey.get_respond_url() not in html  # the école's questionnaire, not a's
    other = home(client, member, ecole=w.b.uai)
    assert other.context["home"].school == w.b
    assert home(client, member, ecole=w.college.uai).context["home"].school == w.a  # not theirs: the first


def test_the_animator_and_the_observer_see_their_caseload(client, world):
    w = world
    for who in (w.animator, w.observer):
        response = home(client, who)
        assert response.context["view"] == "suivi"
        assert response.context["counts"]["total"] == schools_for(who).count()
        # The schools the round concerns (a positioning in one of its campaigns): not the
        # observer's collège.
        campaigns = response.context["caseload"].campaigns
        concerned = schools_for(who).filter(assessments__campaign__in=campaigns)
        assert {row.school for row in response.context["rows"]} == set(concerned)
        assert response.context["counts"]["concerned"] == concerned.count()


def test_a_head_who_is_also_an_animator_switches(client, world):
    w = world
    Membership.objects.create(user=w.head, role=Role.ANIMATOR, district=w.fresnes)
    response = home(client, w.head)
    assert response.context["view"] == "suivi"
    assert [key for key, _ in response.context["homes"]] == ["suivi", "ecole"]
    assert home(client, w.head, vue="ecole").context["home"].school == w.ecole


def test_the_academy_sees_its_campaigns_invitations_and_imports(client, world):
    w = world
    with moment():
        invite(email="nouvelle@example.org", role=Role.SCHOOL_REFERENT, scope=w.c, invited_by=w.admin)
        record(EventKind.IMPORT, user=w.admin, academy=w.creteil, detail="annuaire.csv : 7 écoles")
    response = home(client, w.admin)
    found = response.context["home"]
    (open_,) = found.campaigns
    assert open_.campaign == w.campaign
    # Participation per département, as the tallies count it: Seine-et-Marne, then Val-de-Marne.
    assert open_.rows == [("Seine-et-Marne (077)", 0, 0, 1, 1), ("Val-de-Marne (094)", 3, 1, 2, 6)]
    assert open_.total == (3, 1, 3, 7)
    assert sum(t.schools for t in StageTally.objects.filter(campaign=w.campaign)) == 7
    assert [(c, n) for c, n in found.team_campaigns] == [(w.team_campaign, 1)]
    assert found.invitations == 1 and found.latest_invitations[0].user.email == "nouvelle@example.org"
    assert [e.detail for e in found.imports] == ["annuaire.csv : 7 écoles"]
    ((round, counts),) = response.context["summaries"]  # one positioning round: the écoles'
    assert round.key == open_.round_key and counts["total"] == schools_for(w.admin).count()
    assert counts["concerned"] == 7 and counts["none"] == 2  # the collège and the lycée
    html = " ".join(response.content.decode().split())
    assert f"campagne={open_.round_key}&amp;etat=not_started" in html
    assert 'role="img"' in html  # the chart, beside its table
    other = home(client, w.other_admin).context["home"]  # Versailles: nothing of Créteil
    assert other.campaigns == [] and other.invitations == 0 and other.imports == []


def test_the_academy_sees_the_caseload_of_each_round_of_the_year(client, world):
    w = world
    with moment(datetime.date(2026, 3, 2)):
        etablissements = open_campaign(
            framework=Framework.objects.get(slug="creteil-etablissements"), school_year="2025-2026",
            academy=w.creteil, school_group="etablissements", opens_on=datetime.date(2026, 1, 5),
            closes_on=datetime.date(2026, 6, 30), user=w.admin,
        )  # fmt: skip
    response = home(client, w.admin)
    summaries = response.context["summaries"]
    assert [round.framework for round, __ in summaries] == [w.framework, etablissements.framework]
    assert [counts["concerned"] for __, counts in summaries] == [7, 2]  # the collège and the lycée
    html = " ".join(response.content.decode().split())
    for round, counts in summaries:
        assert f"{round.label} : {counts['concerned']} écoles et établissements concernés" in html
        assert f"?campagne={round.key}&amp;etat=all&amp;attention=on" in html
    assert "creteil-jalons" not in {round.framework.slug for round, __ in summaries}  # a team questionnaire


def test_visitors_and_people_without_a_role(client, world):
    response = client.get(reverse("home"))
    assert response.status_code == 200 and "Référentiels disponibles" in response.content.decode()
    response = home(client, world.nobody)
    assert "aucun rôle" in response.content.decode() and "home" not in response.context


def test_between_campaigns_the_academy_sees_where_its_schools_stopped(client, world):
    w = world
    with moment(w.campaign.closes_on + datetime.timedelta(days=1)):  # the day after it closed
        client.force_login(w.admin)  # signed in that day: a session of months before has ended
        response = client.get(reverse("home"))
    found = response.context["home"]
    assert found.campaigns == []
    (closed,) = found.recent
    assert closed.campaign == w.campaign and closed.total == (3, 1, 3, 7)  # as while it was open
    html = " ".join(response.content.decode().split())
    assert "Aucune campagne de positionnement n’est ouverte aujourd’hui." in html
    assert f"close le {w.campaign.closes_on:%d/%m/%Y}" in html
    assert found.invitations == 0 and "Toutes les personnes invitées ont choisi leur mot de passe." in html
    with moment():  # while it is open, the open campaign alone
        client.force_login(w.admin)
        assert client.get(reverse("home")).context["home"].recent == []
