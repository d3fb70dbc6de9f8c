import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from paliers.accounts.models import Role
from paliers.assessments import answering, carrying
from paliers.assessments.campaigns import open_campaign
from paliers.assessments.models import AnswerChange, Assessment, AssessmentStatus, SchoolGroup
from paliers.frameworks.loading import framework_files, load_specs, parse_files
from paliers.frameworks.models import Framework

from .factories import during, make_world, user
from .pages import page_html

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")


def load(prefix):
    load_specs(parse_files([f for f in framework_files() if f.name.startswith(prefix)]))
    return Framework.objects.get(slug=prefix.rsplit("-", 1)[0])


def campaign_for(world, year="2025-2026", framework=None):
    return open_campaign(
        framework=framework or Framework.objects.get(slug="creteil-etablissements"),
        school_year=year,
        academy=world.creteil,
        school_group=SchoolGroup.ETABLISSEMENTS,
        opens_on=datetime.date(int(year[:4]), 9, 15),
        closes_on=datetime.date(int(year[5:]), 6, 30),
        user=world.admin,
    )


@pytest.fixture
def world(db):
    return make_assessment_world()


def make_assessment_world():
    """A collège in a 2025-2026 campaign on the Créteil établissements framework, its people."""
    w = make_world()
    load("creteil-etablissements-2014")
    w.campaign = campaign_for(w)
    w.assessment = Assessment.objects.get(campaign=w.campaign, school=w.college)
    w.principal = user("principale", Role.SCHOOL_HEAD, w.college, first_name="Patricia")
    w.college_referent = user("referent-college", Role.SCHOOL_REFERENT, w.college, first_name="Romain")
    w.teacher = user("enseignant", Role.SCHOOL_MEMBER, w.college)
    w.criterion = w.campaign.framework.criteria.get(code="PIL.1.1")
    return w


def test_a_campaign_creates_the_assessments_of_the_schools_concerned(world):
    schools = set(world.campaign.assessments.values_list("school__name", flat=True))
    assert schools == {"Collège Francine Fromond", "Lycée Uruguay France"}  # not the école, not Versailles


def test_saving_records_history_version_and_progress(world):
    result = answering.save_answer(
        world.assessment,
        world.criterion,
        value="atteint",
        comment="Voté en CA",
        seen_version=0,
        user=world.principal,
    )
    assert not result.conflict and result.answer.version == 1
    world.assessment.refresh_from_db()
    assert world.assessment.answered_count == 1
    [change] = AnswerChange.objects.all()
    assert (change.old_value, change.new_value, change.changed_by) == (
        "non_renseigne",
        "atteint",
        world.principal,
    )


def test_the_assessment_states_where_it_stands_in_the_words_of_every_page(client, world):
    """« non commencé » until a first answer, « en cours », « soumis »: the page's badge says
    what the school page and the campaign's table say."""
    client.force_login(world.principal)
    badge = '<p class="fr-badge fr-badge--info">\n      non commencé'
    assert badge in page_html(client.get(world.assessment.get_absolute_url()))
    assert "(non commencé)" in page_html(client.get(world.college.get_absolute_url()))
    answering.save_answer(
        world.assessment, world.criterion, value="en_cours", comment="", seen_version=0, user=world.principal
    )
    world.assessment.refresh_from_db()
    assert world.assessment.stage_label == "en cours"
    assert "en cours" in page_html(client.get(world.assessment.get_absolute_url()))
    assert "non commencé" not in page_html(client.get(world.college.get_absolute_url()))


def test_a_save_over_an_unseen_version_is_refused(world):
    answering.save_answer(
        world.assessment, world.criterion, value="atteint", seen_version=0, user=world.principal
    )
    late = answering.save_answer(
        world.assessment, world.criterion, value="non_atteint", seen_version=0, user=world.college_referent
    )
    assert late.conflict
    assert late.answer.value == "atteint" and late.answer.updated_by == world.principal
    kept = answering.save_answer(
        world.assessment,
        world.criterion,
        value="non_atteint",
        seen_version=late.answer.version,
        user=world.college_referent,
    )
    assert not kept.conflict and kept.answer.value == "non_atteint"
    assert AnswerChange.objects.count() == 2


def test_submit_freezes_and_reopen_makes_a_new_revision(world):
    answering.save_answer(
        world.assessment, world.criterion, value="atteint", seen_version=0, user=world.principal
    )
    answering.submit(world.assessment, world.principal)
    with pytest.raises(answering.NotEditable):
        answering.save_answer(
            world.assessment, world.criterion, value="en_cours", seen_version=1, user=world.principal
        )
    reopened = answering.reopen(world.assessment, world.principal)
    assert (reopened.status, reopened.revision) == (AssessmentStatus.DRAFT, 2)
    answering.save_answer(reopened, world.criterion, value="en_cours", seen_version=1, user=world.principal)
    assert reopened.submitted_revisions.get(number=1).answers["PIL.1.1"]["value"] == "atteint"


def test_starting_from_last_year_maps_by_code_and_marks_the_answers(world):
    old_campaign = campaign_for(world, "2024-2025")
    old = Assessment.objects.get(campaign=old_campaign, school=world.college)
    with during(old_campaign):
        answering.replace_answers(
            old,
            [{"criterion": "PIL.1.1", "value": "atteint"}, {"criterion": "FOR.1.1", "value": "en_cours"}],
            user=world.principal,
        )
    answering.save_answer(
        world.assessment, world.criterion, value="non_atteint", seen_version=0, user=world.principal
    )
    copied = carrying.start_from_previous(world.assessment, world.principal)
    assert copied == 1  # PIL.1.1 was already answered this year: left alone
    carried = world.assessment.answers.get(criterion__code="FOR.1.1")
    assert carried.carried_over and carried.value == "en_cours"
    confirmed = answering.save_answer(
        world.assessment,
        carried.criterion,
        value="en_cours",
        seen_version=carried.version,
        user=world.principal,
    )
    assert not confirmed.answer.carried_over


def test_replacing_answers_is_all_or_nothing(world):
    with pytest.raises(answering.AnswersInvalid) as raised:
        answering.replace_answers(
            world.assessment,
            [{"criterion": "PIL.1.1", "value": "atteint"}, {"criterion": "XXX", "value": "atteint"}],
            user=world.principal,
        )
    assert raised.value.errors == [{"criterion": "XXX", "error": "critère inconnu dans ce référentiel"}]
    assert not world.assessment.answers.exists()


def save_url(world, code="PIL.1.1"):
    return reverse("assessments:save_answer", args=[world.assessment.pk, code])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("principal", 302),
        ("college_referent", 302),
        ("teacher", 403),
        ("observer", 403),
        ("admin", 403),
        ("head", 404),
    ],
)
def test_who_may_answer(client, world, who, status):
    client.force_login(getattr(world, who))
    response = client.post(save_url(world), {"value": "atteint", "seen_version": 0})
    assert response.status_code == status


def test_htmx_save_returns_the_news_out_of_band_and_the_progress(client, world):
    client.force_login(world.principal)
    response = client.post(
        save_url(world),
        {"PIL.1.1-value": "en_cours", "PIL.1.1-seen_version": 0},
        headers={"HX-Request": "true"},
    )
    html = page_html(response)
    assert response.status_code == 200
    # Never the fields again (they keep what the user types): the seen version, the status, the progress.
    assert 'name="PIL.1.1-value"' not in html
    assert 'id="version-PIL.1.1"' in html and 'value="1"' in html and 'hx-swap-oob="true"' in html
    assert "1 critère renseigné sur 58" in html and "Enregistré par Patricia" in html


def test_a_conflict_keeps_what_was_typed_beside_the_other_answer(client, world):
    answering.save_answer(
        world.assessment, world.criterion, value="atteint", seen_version=0, user=world.principal
    )
    client.force_login(world.college_referent)
    response = client.post(
        save_url(world),
        {"PIL.1.1-value": "non_atteint", "PIL.1.1-comment": "pas encore", "PIL.1.1-seen_version": 0},
    )
    html = page_html(response)
    assert response.status_code == 409
    assert "Patricia a enregistré « atteint »" in html and "Votre saisie est gardée ci-dessous" in html
    block = next(b for s in response.context["sections"] for g in s.groups for b in g.blocks if b.conflict)
    assert (block.value, block.comment, block.seen_version) == ("non_atteint", "pas encore", 1)
    assert world.assessment.answers.get().value == "atteint"


def test_an_invalid_answer_is_refused_with_a_message(client, world):
    client.force_login(world.principal)
    response = client.post(
        save_url(world),
        {"PIL.1.1-value": "peut-être", "PIL.1.1-seen_version": 0},
        headers={"HX-Request": "true"},
    )
    assert "Choisissez l’une des réponses proposées." in page_html(response)
    assert not world.assessment.answers.exists()


def test_submitting_lists_the_unanswered_criteria_and_asks_for_confirmation(client, world):
    client.force_login(world.principal)
    url = reverse("assessments:submit", args=[world.assessment.pk])
    assert "58 critères ne sont pas renseignés" in page_html(client.get(url))
    client.post(url)
    world.assessment.refresh_from_db()
    assert world.assessment.status == AssessmentStatus.DRAFT
    assert client.post(url, {"confirm_unanswered": "1"}).status_code == 302
    world.assessment.refresh_from_db()
    assert world.assessment.status == AssessmentStatus.SUBMITTED


def test_only_the_head_submits(client, world):
    client.force_login(world.college_referent)
    assert client.post(reverse("assessments:submit", args=[world.assessment.pk])).status_code == 403


def test_contributions_appear_in_the_team_view(client, world):
    for member, value in [
        (world.teacher, "atteint"),
        (world.college_referent, "atteint"),
        (world.principal, "non_atteint"),
    ]:
        client.force_login(member)
        client.post(
            reverse("assessments:contribution", args=[world.assessment.pk]),
            {"PIL.1.1-value": value, "PIL.1.2-value": "en_cours"},
        )
    client.force_login(world.principal)
    response = client.get(reverse("assessments:consensus", args=[world.assessment.pk]))
    blocks = {b.criterion.code: b for s in response.context["sections"] for g in s.groups for b in g.blocks}
    assert dict((v, n) for v, _, n in blocks["PIL.1.1"].counts)["atteint"] == 2
    assert blocks["PIL.1.1"].divergence and not blocks["PIL.1.1"].consensus
    assert blocks["PIL.1.2"].consensus
    assert not world.assessment.answers.exists()  # contributions never touch the collective answer
    client.force_login(world.teacher)
    assert client.get(reverse("assessments:consensus", args=[world.assessment.pk])).status_code == 403


def test_history_page(client, world):
    answering.save_answer(
        world.assessment, world.criterion, value="atteint", seen_version=0, user=world.principal
    )
    client.force_login(world.observer)
    html = page_html(client.get(reverse("assessments:history", args=[world.assessment.pk, "PIL.1.1"])))
    assert "Patricia" in html and "non renseigné" in html and "atteint" in html


def test_campaign_page_counts_participation(client, world):
    answering.save_answer(
        world.assessment, world.criterion, value="atteint", seen_version=0, user=world.principal
    )
    client.force_login(world.admin)
    response = client.get(world.campaign.get_absolute_url())
    assert response.context["overall"] == {"not_started": 1, "in_progress": 1, "submitted": 0, "total": 2}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"school_year": "2025-2027"}, "school_year", "Année scolaire attendue"),
        ({"school_group": SchoolGroup.ECOLES}, "school_group", "Ce référentiel s’adresse aux établissements"),
        ({"closes_on": "2026-09-14"}, "closes_on", "La clôture doit suivre"),
        (
            {"closes_on": "2027-09-30"},
            "closes_on",
            "va du 01/09/2026 au 31/08/2027 : la clôture doit y tomber",
        ),
        ({"opens_on": "2020-09-01"}, "opens_on", "l’ouverture doit y tomber"),
    ],
)
def test_opening_a_campaign_checks_its_fields(client, world, data, field, message):
    client.force_login(world.admin)
    form = {
        "framework": Framework.objects.get(slug="creteil-etablissements").pk,
        "school_year": "2026-2027",
        "school_group": SchoolGroup.ETABLISSEMENTS,
        "opens_on": "2026-09-15",
        "closes_on": "2027-06-30",
        **data,
    }
    response = client.post(reverse("assessments:campaign_create"), form)
    assert message in " ".join(response.context["form"].errors[field])


def test_opening_a_campaign_for_a_department(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("assessments:campaign_create"),
        {
            "framework": Framework.objects.get(slug="creteil-etablissements").pk,
            "school_year": "2026-2027",
            "department": world.seine_et_marne.pk,
            "school_group": SchoolGroup.ETABLISSEMENTS,
            "opens_on": "2026-09-15",
            "closes_on": "2027-06-30",
            "confirm": "1",  # after the confirmation page (test_campaign_life.py)
        },
    )
    assert response.status_code == 302
    campaign = world.seine_et_marne.campaigns.get()
    assert list(campaign.assessments.values_list("school__name", flat=True)) == ["Lycée Uruguay France"]


def test_a_second_campaign_over_the_same_schools_is_refused_at_the_first_step(client, world):
    """A school has one positioning per framework version and year: the académie's 2025-2026
    campaign already holds the Seine-et-Marne lycée, so a département's campaign of the same
    version and year is refused before its confirmation page, and nothing is created. Another
    year, or a département with no school taken, opens."""
    client.force_login(world.admin)
    form = {
        "framework": world.campaign.framework.pk,
        "school_year": "2025-2026",
        "department": world.seine_et_marne.pk,
        "school_group": SchoolGroup.ETABLISSEMENTS,
        "opens_on": "2025-09-15",
        "closes_on": "2026-06-30",
    }
    for step in ({}, {"confirm": "1"}):
        response = client.post(reverse("assessments:campaign_create"), {**form, **step})
        assert response.status_code == 200
        [message] = response.context["form"].non_field_errors()
        assert "1 école de ce périmètre en a déjà un" in message
        assert f"« {world.campaign} » ({world.creteil})" in message
        html = page_html(response)
        assert message in html and "Le formulaire n’a pas été accepté : voyez le message ci-dessous." in html
        assert f'href="{world.campaign.get_absolute_url()}"' in html  # where to go instead
    assert not world.seine_et_marne.campaigns.exists() and Assessment.objects.count() == 2
    with pytest.raises(ValidationError, match="2 écoles de ce périmètre en ont déjà un"):
        campaign_for(world)  # the same académie-wide campaign, opened twice by another path
    response = client.post(
        reverse("assessments:campaign_create"), {**form, "school_year": "2026-2027", "confirm": "1",
                                                 "opens_on": "2026-09-15", "closes_on": "2027-06-30"}
    )  # fmt: skip
    assert response.status_code == 302
    # Editing the campaign that holds them is not a second campaign.
    world.campaign.closes_on = datetime.date(2026, 6, 15)
    world.campaign.full_clean()


def test_results_page(client, world):
    items = [
        {"criterion": c.code, "value": "atteint"}
        for c in world.campaign.framework.criteria.filter(level__number=1)
    ]
    answering.replace_answers(world.assessment, items, user=world.principal)
    client.force_login(world.observer)
    response = client.get(reverse("assessments:results", args=[world.assessment.pk]))
    html = page_html(response)
    assert response.status_code == 200
    result = response.context["result"]
    assert result.overall_level == 1 and all(d.level == 1 for d in result.domains)
    assert html.count('role="img"') == 2  # the radar and the bars, each with its text alternative
    assert "Pilotage, impulsion et organisation : 1" in html
    assert "100 %" in html  # every level-1 criterion met
    first = response.context["suggestions"][0]
    assert first.level.number == 2 and first.criteria[0].code in html
    assert first.existing is None and not response.context["can_steer"]  # an observer only reads
    assert "En faire un objectif" not in html


def test_results_in_progress_are_provisional_and_say_what_decides_a_level(client, world):
    """Level 1 met everywhere but one criterion left unanswered: that domain's level is « à
    compléter », and so is the overall one; strengths and next steps agree with the table."""
    level_1 = list(world.campaign.framework.criteria.filter(level__number=1).select_related("domain"))
    left = level_1[0]
    items = [{"criterion": c.code, "value": "atteint"} for c in level_1[1:]]
    items += [
        {"criterion": c.code, "value": "non_atteint"}
        for c in world.campaign.framework.criteria.filter(level__number__gt=1)
    ]
    answering.replace_answers(world.assessment, items, user=world.principal)
    client.force_login(world.principal)
    response = client.get(reverse("assessments:results", args=[world.assessment.pk]))
    html = " ".join(page_html(response).split())
    result = response.context["result"]
    assert response.context["provisional"] and result.unanswered > 0
    assert "Résultats provisoires" in html and "1 critère sur 58 n’est pas encore renseigné" in html
    blocked = next(d for d in result.domains if d.code == left.domain.code)
    assert (blocked.level, blocked.decided, blocked.unanswered) == (0, False, 1)
    assert f"{blocked.title} : 1 critère non renseigné" in html
    assert "Niveau global (le plus bas des domaines) : à compléter (0 aujourd’hui, 1 au plus)" in html
    # Strengths: the domains at level 1, the best reached — not the one the table shows at 0.
    assert blocked not in response.context["strengths"] and response.context["strengths"]
    assert all(d.level == 1 for d in response.context["strengths"])
    suggestion = next(s for s in response.context["suggestions"] if s.domain.code == left.domain.code)
    assert suggestion.level.number == 1 and suggestion.criteria == [left]  # what decides it, said so
    assert "non renseigné" in html.split(left.code, 1)[1][:600]
