"""Nothing typed is lost on a page of answers: the collective answer and one's own
contribution save each criterion on change (htmx) and the whole page at once without
JavaScript, all or nothing; a refused value stays as typed, its reason beside it."""

import pytest
from django.urls import reverse

from paliers.assessments import answering
from paliers.assessments.contributing import save_contribution_answer
from paliers.assessments.models import Answer, Contribution, ContributionAnswer

from .pages import page_html
from .test_assessments import make_assessment_world

HTMX = {"HX-Request": "true"}

pytestmark = pytest.mark.usefixtures("during_campaign")  # the test worlds' 2025-2026 campaigns are open


@pytest.fixture
def world(db):
    return make_assessment_world()


def page(world):
    return reverse("assessments:save_answers", args=[world.assessment.pk])


def shown(client, url):
    """What the page sends back untouched: every criterion's fields as rendered."""
    response = client.get(url)
    data = {}
    for section in response.context["sections"]:
        for group in section.groups:
            for block in group.blocks:
                code = block.criterion.code
                data |= {
                    f"{code}-value": block.value, f"{code}-comment": block.comment,
                    f"{code}-evidence_url": block.evidence_url, f"{code}-seen_version": block.seen_version,
                    f"{code}-seen_digest": block.seen_digest,
                }  # fmt: skip
    return data


def test_one_submit_saves_every_changed_criterion_and_comes_back_there(client, world):
    client.force_login(world.principal)
    data = shown(client, world.assessment.get_absolute_url())
    data |= {"PIL.1.1-value": "atteint", "PIL.1.2-value": "en_cours", "PIL.1.3-comment": "Voté en CA."}
    response = client.post(page(world), {**data, "return_to": "PIL.1.3"})
    assert response.status_code == 302 and response.url.endswith("/#enregistre-PIL.1.3")
    answers = {a.criterion.code: (a.value, a.comment) for a in world.assessment.answers.all()}
    assert answers == {
        "PIL.1.1": ("atteint", ""), "PIL.1.2": ("en_cours", ""), "PIL.1.3": ("non_renseigne", "Voté en CA."),
    }  # fmt: skip
    world.assessment.refresh_from_db()
    assert world.assessment.answered_count == 2
    # The message is said beside the criterion whose button was pressed, not at the top.
    html = page_html(client.get(response.url))
    assert html.count("3 réponses enregistrées : PIL.1.1, PIL.1.2, PIL.1.3.") == 1
    assert html.index('id="enregistre-PIL.1.3"') > html.index('id="critere-PIL.1.3"')


def test_a_page_leaves_untouched_criteria_alone_even_if_someone_saved_them(client, world):
    client.force_login(world.principal)
    data = shown(client, world.assessment.get_absolute_url())
    carried = world.campaign.framework.criteria.get(code="PIL.1.4")
    Answer.objects.create(assessment=world.assessment, criterion=carried, value="atteint", carried_over=True)
    answering.save_answer(
        world.assessment, world.criterion, value="non_atteint", seen_version=0, user=world.college_referent
    )
    data |= {"PIL.1.2-value": "atteint"}  # PIL.1.1 and PIL.1.4 sent back as the page showed them
    response = client.post(page(world), data)
    assert response.status_code == 302
    assert world.assessment.answers.get(criterion=world.criterion).value == "non_atteint"
    assert world.assessment.answers.get(criterion=carried).carried_over  # not confirmed by a page sent back


def test_a_bad_link_refuses_the_page_and_keeps_everything_typed(client, world):
    client.force_login(world.principal)
    data = shown(client, world.assessment.get_absolute_url())
    long_comment = "x" * 2001
    data |= {
        "PIL.1.1-value": "atteint", "PIL.1.1-evidence_url": "voir le classeur partagé",
        "PIL.1.2-value": "en_cours", "PIL.1.2-comment": long_comment,
        "PIL.1.3-value": "atteint",
    }  # fmt: skip
    response = client.post(page(world), data)
    assert response.status_code == 422 and not world.assessment.answers.exists()  # all or nothing
    html = page_html(response)
    assert "Rien n’a été enregistré : 2 critères sont à revoir" in html
    assert "Ce lien n’est pas une adresse web valide" in html
    assert "Le commentaire compte 2001 caractères : 2 000 au plus." in html
    # Beside the field, named by it, and what was typed kept in it.
    assert 'value="voir le classeur partagé"' in html and f">{long_comment}</textarea>" in html
    assert (
        'aria-describedby="erreur-PIL.1.1-evidence_url"' in html
        and 'id="erreur-PIL.1.1-evidence_url"' in html
    )
    blocks = {b.criterion.code: b for s in response.context["sections"] for g in s.groups for b in g.blocks}
    assert blocks["PIL.1.3"].value == "atteint" and blocks["PIL.1.2"].comment == long_comment
    data["PIL.1.1-evidence_url"], data["PIL.1.2-comment"] = "https://ent.example.fr/classeur", "Court."
    assert client.post(page(world), data).status_code == 302
    assert world.assessment.answers.filter(value__in=["atteint", "en_cours"]).count() == 3


def test_a_conflict_on_a_page_keeps_it_typed_and_saving_again_keeps_it(client, world):
    client.force_login(world.college_referent)
    data = shown(client, world.assessment.get_absolute_url())
    answering.save_answer(
        world.assessment, world.criterion, value="atteint", seen_version=0, user=world.principal
    )
    data |= {
        "PIL.1.1-value": "non_atteint",
        "PIL.1.1-comment": "Pas dans toutes les salles.",
        "PIL.1.2-value": "atteint",
    }
    response = client.post(page(world), data)
    assert response.status_code == 409
    assert world.assessment.answers.count() == 1  # nothing of the page written
    block = next(b for s in response.context["sections"] for g in s.groups for b in g.blocks if b.conflict)
    assert (block.criterion.code, block.value, block.comment) == (
        "PIL.1.1",
        "non_atteint",
        "Pas dans toutes les salles.",
    )
    assert "Patricia a enregistré « atteint »" in page_html(response)
    data |= {"PIL.1.1-seen_version": block.seen_version, "PIL.1.1-seen_digest": block.seen_digest}
    assert client.post(page(world), data).status_code == 302
    assert world.assessment.answers.get(criterion=world.criterion).value == "non_atteint"


def contribution_url(world, code=None):
    if code:
        return reverse("assessments:contribution_answer", args=[world.assessment.pk, code])
    return reverse("assessments:contribution", args=[world.assessment.pk])


def test_a_contribution_saves_on_change_with_the_conflict_rule(client, world):
    client.force_login(world.teacher)
    url = contribution_url(world, "PIL.1.1")
    first = client.post(url, {"PIL.1.1-value": "atteint", "PIL.1.1-seen_version": 0}, headers=HTMX)
    assert first.status_code == 200 and 'id="moi-version-PIL.1.1"' in page_html(first)
    mine = ContributionAnswer.objects.get(contribution__user=world.teacher)
    assert (mine.value, mine.version) == ("atteint", 1)
    second = client.post(url, {"PIL.1.1-value": "en_cours", "PIL.1.1-seen_version": 1}, headers=HTMX)
    assert second.status_code == 200
    # The same person's other page, still at version 1: refused, said, and nothing overwritten.
    stale = client.post(url, {"PIL.1.1-value": "non_atteint", "PIL.1.1-seen_version": 1}, headers=HTMX)
    assert "Vous avez enregistré ce critère depuis une autre page" in page_html(stale)
    mine.refresh_from_db()
    assert (mine.value, mine.version) == ("en_cours", 2)
    assert not world.assessment.answers.exists()  # never the collective answer


def test_a_contribution_page_saves_every_changed_criterion_without_javascript(client, world):
    client.force_login(world.teacher)
    data = {k: v for k, v in shown(client, contribution_url(world)).items() if "evidence" not in k}
    data |= {"PIL.1.1-value": "atteint", "PIL.1.2-value": "non_atteint", "PIL.1.3-value": "en_cours"}
    response = client.post(contribution_url(world), {**data, "return_to": "PIL.1.3"})
    assert response.status_code == 302 and response.url.endswith("/ma-contribution/#enregistre-PIL.1.3")
    saved = dict(ContributionAnswer.objects.values_list("criterion__code", "value"))
    assert saved == {"PIL.1.1": "atteint", "PIL.1.2": "non_atteint", "PIL.1.3": "en_cours"}
    html = page_html(client.get(response.url))
    assert "3 réponses enregistrées : PIL.1.1, PIL.1.2, PIL.1.3." in html


def test_the_contribution_rule(world):
    """A change made over an unseen version is a conflict; one already saved as typed is nothing."""
    mine = Contribution.objects.create(assessment=world.assessment, user=world.teacher)
    entry = {
        "criterion": world.criterion,
        "value": "atteint",
        "comment": "",
        "seen_version": 0,
        "seen_digest": "",
    }
    assert save_contribution_answer(mine, entry).saved == [world.criterion]
    again = save_contribution_answer(mine, {**entry, "value": "non_atteint"})
    assert list(again.conflicts) == ["PIL.1.1"] and not again.saved
    same = save_contribution_answer(mine, entry)  # already saved as typed: nothing to do, no conflict
    assert not same.saved and not same.conflicts
