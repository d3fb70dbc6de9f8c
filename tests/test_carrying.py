"""« Partir de l'an dernier » across a crosswalk: a 2014 campaign then a revised-table
campaign for the same collège; carried answers marked with their origin, « à confirmer »
until confirmed (one by one, by domain, all at once, with history), results saying so,
and the evolution comparing only the comparable domains."""

import re

import pytest
from django.urls import reverse

from paliers.api.models import ApiToken
from paliers.assessments import answering, carrying
from paliers.assessments.carrying import Carried, carry_across, propose
from paliers.assessments.models import Answer, AnswerChange
from paliers.assessments.results import evolution, framework_structure
from paliers.assessments.scoring import score_framework

from .carrying_world import PROPOSED, TO_ANSWER, make_carrying_world
from .pages import page_html

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")


@pytest.mark.parametrize(
    ("rule", "said", "expected"),
    [
        ("all_sources", ["atteint", "atteint"], "atteint"),
        ("all_sources", ["atteint", "en_cours"], "en_cours"),
        ("all_sources", ["non_atteint", "non_atteint"], "non_atteint"),
        ("all_sources", ["atteint", None], None),  # a partial link: à confirmer, nothing proposed
        ("all_sources", [], None),
        ("any_source", ["atteint", None], "atteint"),
        ("any_source", ["en_cours", "atteint"], "atteint"),
        ("any_source", ["en_cours", "non_atteint"], "non_atteint"),
        ("any_source", ["atteint", "non_atteint"], None),  # contradiction: the school decides
        ("any_source", [None, None], None),
        ("any_source", ["en_cours"], "en_cours"),
    ],
)
def test_the_rules(rule, said, expected):
    assert propose(rule, said) == expected


def test_what_each_link_type_proposes():
    links = [
        ("A", "EQ", "equal"),
        ("B", "SC", "source_covers_target"),
        ("C", "SC2", "source_covers_target"),
        ("B", "TC", "target_covers_source"),
        ("C", "TC2", "target_covers_source"),
        ("B", "PA", "partial"),
        ("Z", "NONE", "equal"),
    ]
    answers = {
        "A": ("en_cours", "Note", "https://e.org"),
        "B": ("atteint", "", ""),
        "C": ("non_atteint", "x", ""),
    }
    found = carry_across(links, "all_sources", answers)
    assert {code: c.value for code, c in found.items()} == {
        "EQ": "en_cours", "SC": "atteint", "SC2": "non_renseigne", "TC": "en_cours", "TC2": "non_atteint",
        "PA": "non_renseigne",
    }  # fmt: skip
    assert "NONE" not in found  # its source was not answered: nothing carried
    assert found["EQ"] == Carried(
        "en_cours", "Note", "https://e.org", ({"code": "A", "value": "en_cours", "type": "equal"},)
    )
    assert found["TC2"].comment == ""  # said of another criterion: not carried


@pytest.fixture
def world(db):
    return make_carrying_world()


def carried(assessment):
    return {
        a.criterion.code: a for a in Answer.objects.filter(assessment=assessment).select_related("criterion")
    }


def test_answers_carried_across_the_crosswalk_are_marked_with_their_origin(world):
    w = world
    assert carrying.previous_assessment(w.assessment) == w.old
    assert carrying.start_from_previous(w.assessment, w.principal) == len(PROPOSED)
    answers = carried(w.assessment)
    assert {code: a.value for code, a in answers.items()} == PROPOSED | dict.fromkeys(
        TO_ANSWER, "non_renseigne"
    )
    assert all(a.carried_over for a in answers.values())
    origin = answers["FOR.INT.3.2"].carried_origin
    assert (origin["school_year"], origin["framework"], origin["rule"]) == (
        "2024-2025", "creteil-etablissements 2014", "any_source",
    )  # fmt: skip
    assert origin["sources"] == [
        {"code": "FOR.2.5", "value": "atteint", "type": "target_covers_source"},
        {"code": "FOR.3.3", "value": "atteint", "type": "source_covers_target"},
    ]
    assert (answers["PIL.PRO.1.1"].comment, answers["PIL.PRO.1.1"].evidence_url) == (
        "Voté en CA",
        "https://example.org/p",
    )
    assert answers["PIL.COM.1.1"].comment == ""
    w.assessment.refresh_from_db()
    assert w.assessment.answered_count == len(PROPOSED) and w.assessment.started_from == w.old
    reprises = AnswerChange.objects.filter(assessment=w.assessment, source="reprise")
    assert set(reprises.values_list("criterion__code", flat=True)) == set(PROPOSED)


def test_the_pages_show_the_origin_and_the_results_say_they_are_provisional(client, world):
    w = world
    client.force_login(w.principal)
    offer = page_html(client.get(w.assessment.get_absolute_url()))
    assert "Une table de correspondance relie ses critères à ceux-ci" in offer
    response = client.post(reverse("assessments:start_from_previous", args=[w.assessment.pk]))
    assert response.status_code == 302
    page = page_html(client.get(w.assessment.get_absolute_url()))
    assert "6 réponses reprises de l’an dernier sont à confirmer." in page
    assert "2 critères reliés à l’an dernier attendent votre réponse." in page
    assert "Repris de 2024-2025 (version 2014) :" in page
    assert "FOR.2.5 « atteint », la cible couvre la source" in page
    assert "Confirmer « en cours »" in page
    assert "Les critères reliés ne suffisent pas à proposer une réponse" in page
    results = page_html(client.get(reverse("assessments:results", args=[w.assessment.pk])))
    assert (
        "Ces résultats comptent 6 réponses reprises de l’an dernier qui ne sont pas encore confirmées"
        in results
    )
    review = client.get(reverse("assessments:carried", args=[w.assessment.pk]))
    assert review.status_code == 200
    text = page_html(review)
    assert "Confirmer les 6 réponses reprises" in text
    assert "Confirmer les 2 réponses reprises de ce domaine" in text  # Pilotage: PIL.PRO.1.1, PIL.COM.1.1
    assert "Dispositif de formation aux usages du numérique pour les parents" in text  # a 2014 text


def confirm(client, w, items, **extra):
    data = {"confirm": [f"{code}:{version}" for code, version in items], **extra}
    return client.post(reverse("assessments:confirm_carried", args=[w.assessment.pk]), data, **(
        {"HTTP_HX_REQUEST": "true"} if extra.get("back") == "positionnement" else {}))  # fmt: skip


def unconfirmed(w):
    return set(carrying.to_confirm(w.assessment).values_list("criterion__code", flat=True))


def test_the_api_gives_a_carried_answer_its_origin_until_it_is_confirmed(client, world):
    w = world
    carrying.start_from_previous(w.assessment, w.principal)
    headers = {"Authorization": f"Bearer {ApiToken.issue(w.principal, 'tableur')[1]}"}

    def answers():
        response = client.get(f"/api/v1/assessments/{w.assessment.pk}", headers=headers)
        assert response.status_code == 200
        return {answer["criterion"]: answer for answer in response.json()["answers"]}

    given = answers()["FOR.INT.3.2"]
    assert given["carried_over"] and given["carried_origin"] == {
        "school_year": "2024-2025", "framework": "creteil-etablissements 2014", "same_framework": False,
        "rule": "any_source", "sources": [
            {"code": "FOR.2.5", "value": "atteint", "type": "target_covers_source"},
            {"code": "FOR.3.3", "value": "atteint", "type": "source_covers_target"},
        ],
    }  # fmt: skip
    to_answer = answers()["PIL.REF.1.1"]  # nothing proposed: still, where it would come from
    assert to_answer["value"] == "non_renseigne" and to_answer["carried_origin"]["sources"]
    client.force_login(w.principal)
    confirm(client, w, [("FOR.INT.3.2", 1)])
    assert answers()["FOR.INT.3.2"]["carried_origin"] is None  # confirmed: the school's own answer
    assert not any(
        a["carried_origin"] for code, a in answers().items() if code not in PROPOSED.keys() | TO_ANSWER
    )  # never carried


def test_confirming_one_by_domain_and_all_with_history(client, world):
    w = world
    carrying.start_from_previous(w.assessment, w.principal)
    client.force_login(w.college_referent)
    # One, from the assessment page (htmx): the criterion's news come back out of band, confirmed.
    response = confirm(client, w, [("PIL.PRO.1.1", 1)], back="positionnement")
    html = page_html(response)
    assert response.status_code == 200 and re.search(
        r'id="reprise-PIL.PRO.1.1"\s+hx-swap-oob="outerHTML"', html
    )
    assert "repris, à confirmer" not in page_html(response)
    assert unconfirmed(w) == set(PROPOSED) - {"PIL.PRO.1.1"}
    change = AnswerChange.objects.get(
        assessment=w.assessment, criterion__code="PIL.PRO.1.1", source="confirmation"
    )
    assert (change.old_value, change.new_value, change.changed_by) == (
        "atteint",
        "atteint",
        w.college_referent,
    )
    # By domain, as the review page posts it: « Formation ».
    response = confirm(client, w, [("FOR.INT.3.2", 1), ("FOR.REF.3.1", 1)])
    assert response.status_code == 302
    assert unconfirmed(w) == {"PIL.COM.1.1", "RES.VEI.1.1", "INF.VIS.1.1"}
    # All or nothing: one version seen is stale (someone changed it meanwhile): none confirmed.
    answering.save_answer(
        w.assessment,
        w.new_framework.criteria.get(code="INF.VIS.1.1"),
        value="en_cours",
        seen_version=1,
        user=w.principal,
    )
    response = confirm(client, w, [("PIL.COM.1.1", 1), ("RES.VEI.1.1", 1), ("INF.VIS.1.1", 1)])
    assert unconfirmed(w) == {"PIL.COM.1.1", "RES.VEI.1.1"}  # INF.VIS.1.1: answered, hence confirmed
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Rien n’a été confirmé" in m and "INF.VIS.1.1" in m for m in messages)
    # The rest, all at once.
    confirm(client, w, [("PIL.COM.1.1", 1), ("RES.VEI.1.1", 1)])
    assert unconfirmed(w) == set()
    assert AnswerChange.objects.filter(assessment=w.assessment, source="confirmation").count() == 5
    results = page_html(client.get(reverse("assessments:results", args=[w.assessment.pk])))
    assert "pas encore confirmée" not in results
    # The criteria without a proposal stay to answer, marked, until someone answers them.
    assert (
        set(w.assessment.answers.filter(carried_over=True).values_list("criterion__code", flat=True))
        == TO_ANSWER
    )


def test_saving_the_same_answer_confirms_it_in_the_history(world):
    w = world
    carrying.start_from_previous(w.assessment, w.principal)
    criterion = w.new_framework.criteria.get(code="RES.VEI.1.1")
    result = answering.save_answer(
        w.assessment, criterion, value="en_cours", seen_version=1, user=w.principal
    )
    assert not result.answer.carried_over
    assert AnswerChange.objects.filter(
        assessment=w.assessment, criterion=criterion, source="confirmation"
    ).exists()


def test_a_submitted_assessment_confirms_nothing(world):
    w = world
    carrying.start_from_previous(w.assessment, w.principal)
    answering.submit(w.assessment, w.principal)
    with pytest.raises(answering.NotEditable):
        carrying.confirm(w.assessment, {"PIL.PRO.1.1": 1}, w.principal)


def test_the_results_compare_only_the_comparable_domains(client, world):
    w = world
    carrying.start_from_previous(w.assessment, w.principal)
    since = evolution(w.assessment, framework_structure(w.new_framework))
    old_answers = dict(w.old.answers.values_list("criterion__code", "value"))
    before = score_framework(framework_structure(w.old_framework), old_answers)
    old_scores = {d.code: d.score for d in before.domains}
    assert since.scores == {"PIL": old_scores["PIL"], "FOR": old_scores["FOR"]}
    assert since.label == "2024-2025 (version 2014)"
    client.force_login(w.principal)
    response = client.get(reverse("assessments:results", args=[w.assessment.pk]))
    [previous] = [s for s in response.context["series"] if s.style == "previous"]
    assert previous.label == "2024-2025 (version 2014)"
    assert [v is not None for v in previous.values] == [True, True, False, False, False]
    page = page_html(response)
    assert "Depuis 2024-2025 (version 2014 du référentiel)" in page
    shown = [
        (c.target, c.comparable, before is not None) for c, before, _ in response.context["evolution_rows"]
    ]
    assert shown == [("PIL", True, True), ("FOR", True, True)] + [
        (c, False, False) for c in ("RES", "PED", "INF")
    ]
    assert "Il rassemble des critères de plusieurs domaines" in page


def test_the_observatory_evolution_shows_only_comparable_domains(client, world):
    w = world
    carrying.start_from_previous(w.assessment, w.principal)
    client.force_login(w.admin)
    response = client.get(reverse("observatory:evolution"))
    rows = response.context["rows"]
    assert [row[0] for row in rows] == ["2024-2025 (version 2014)", "2025-2026"]
    assert [isinstance(cell, float) for cell in rows[0][4:]] == [True, True, False, False, False]
    assert rows[0][6:] == ("non comparable",) * 3
    page = page_html(response)
    assert "Ce qui se compare avec la version 2014" in page
    assert "il rassemble des critères de plusieurs domaines" in page
    csv = client.get(reverse("observatory:export", args=["evolution"])).content.decode("utf-8-sig")
    assert "2024-2025 (version 2014)" in csv and "non comparable" in csv


def test_on_the_same_version_answers_are_carried_by_code_and_confirmed_alike(client, db):
    w = make_carrying_world(same_version=True)
    assert carrying.start_from_previous(w.assessment, w.principal) == 8
    answer = w.assessment.answers.get(criterion__code="PIL.2.1")
    assert answer.carried_origin["same_framework"] and answer.carried_origin["sources"][0]["type"] == "same"
    client.force_login(w.principal)
    page = page_html(client.get(w.assessment.get_absolute_url()))
    assert "Repris de 2024-2025, même critère." in page and "Confirmer « atteint »" in page
    items = [(code, 1) for code in unconfirmed(w)]
    assert confirm(client, w, items).status_code == 302
    assert unconfirmed(w) == set()
    assert AnswerChange.objects.filter(assessment=w.assessment, source="confirmation").count() == 8
