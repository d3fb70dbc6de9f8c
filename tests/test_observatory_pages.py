"""The observatory's pages, CSV exports and open-data file; a school beside its averages on
the observatory and on its results page, with the small-group rule."""

import csv
import io
import re

import pytest
from django.urls import reverse

from paliers.accounts.models import Role
from paliers.assessments.benchmark import averages

from .factories import user
from .observatory_world import make_observatory_world
from .pages import page_html

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")


@pytest.fixture
def world(db):
    return make_observatory_world()


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def get(client, who, name, *args, **params):
    client.force_login(who)
    return client.get(reverse(name, args=args), params)


def test_overview_shows_participation_levels_and_criteria(client, world):
    page = page_html(get(client, world.admin, "observatory:overview"))
    assert "Paliers de maturité numérique des écoles (2014) — 2025-2026" in page
    assert "Val-de-Marne (094)" in page and "Seine-et-Marne (077)" in page
    assert 'role="img"' in page and "<desc" in page
    assert "Sur 4 positionnements comptés." in page


def test_the_figure_and_its_csv_give_the_same_numbers(client, world):
    w = world
    rows = read_csv(get(client, w.admin, "observatory:export", "participation"))
    assert rows[0] == ["Département", "Non commencés", "En cours", "Soumis", "Total", "Part soumise (%)"]
    assert ["Val-de-Marne (094)", "3", "1", "2", "6", "33,3"] in rows
    assert rows[-1] == ["Ensemble", "3", "1", "3", "7", "42,9"]
    levels = read_csv(get(client, w.admin, "observatory:export", "niveaux"))
    assert levels[0][:5] == ["Domaine", "Aucun niveau", "Palier 1", "Palier 2", "Palier 3"]
    assert levels[1] == ["Pilotage, impulsion et organisation", "1", "2", "1", "0", "4", "1,11"]
    heatmap = read_csv(get(client, w.admin, "observatory:export", "carte-de-chaleur"))
    assert heatmap[1][:2] == ["Seine-et-Marne (077)", "1"]
    assert heatmap[2][:2] == ["Val-de-Marne (094)", "1,15"]
    criteria = read_csv(get(client, w.admin, "observatory:export", "criteres"))
    assert criteria[2][0] == "PIL.1.2" and criteria[2][4:] == ["3", "0", "1", "75"]
    evolution = read_csv(get(client, w.admin, "observatory:export", "evolution"))
    assert [row[:4] for row in evolution[1:]] == [
        ["2024-2025", "7", "1", "14,3"],
        ["2025-2026", "7", "3", "42,9"],
    ]


def test_filters_narrow_the_figures(client, world):
    w = world
    rows = read_csv(
        get(client, w.admin, "observatory:export", "participation", departement=w.val_de_marne.pk)
    )
    assert rows[0][0] == "District" and rows[1] == ["Circonscription de Fresnes", "0", "1", "2", "3", "66,7"]
    assert rows[-1] == ["Ensemble", "3", "1", "2", "6", "33,3"]
    private = read_csv(get(client, w.admin, "observatory:export", "participation", secteur="prive"))
    assert private[-1] == ["Ensemble", "0", "0", "1", "1", "100"]
    submitted = read_csv(get(client, w.admin, "observatory:export", "niveaux", positionnements="soumis"))
    assert submitted[1][1:6] == ["0", "2", "1", "0", "3"]


def test_a_choice_outside_the_scope_is_refused(client, world):
    w = world
    response = get(client, w.observer, "observatory:overview", departement=w.seine_et_marne.pk)
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in page_html(response)


def test_an_animator_sees_the_figures_of_the_district(client, world):
    rows = read_csv(get(client, world.animator, "observatory:export", "participation"))
    assert rows[-1] == ["Ensemble", "0", "1", "2", "3", "66,7"]


def test_heatmap_and_evolution_pages(client, world):
    w = world
    heatmap = page_html(get(client, w.admin, "observatory:heatmap"))
    assert "Score de progression moyen par département et par domaine" in heatmap
    by_district = page_html(get(client, w.observer, "observatory:heatmap"))
    assert "Circonscription de Fresnes" in by_district
    evolution = page_html(get(client, w.admin, "observatory:evolution"))
    assert "2024-2025" in evolution and re.search(r"<td[^>]*>14 %</td>", evolution)


def test_open_data_leaves_small_groups_empty(client, world):
    w = world
    rows = read_csv(get(client, w.admin, "observatory:open_data"))
    header = rows[0]
    assert header[:8] == ["Niveau", "Code", "Nom", "Écoles concernées", "Non commencés", "En cours", "Soumis",
                          "Positionnements commencés"]  # fmt: skip
    by_name = {row[2]: row for row in rows[1:]}
    # Val-de-Marne: 6 écoles, shown; its 3 started positionings too few for averages.
    assert by_name["Val-de-Marne"][3:8] == ["6", "3", "1", "2", "3"]
    assert set(by_name["Val-de-Marne"][8:]) == {""}
    # Seine-et-Marne, 1 école; the district of Fresnes, 3: every figure left empty.
    assert by_name["Seine-et-Marne"][3:] == ["1", "", "", "", "", *[""] * 6]
    assert by_name["Circonscription de Fresnes"][3:] == ["3", "", "", "", "", *[""] * 6]


def test_open_data_shows_averages_over_five_schools(client, world):
    from paliers.assessments import answering

    w = world
    for school in (w.c, w.e):
        answering.replace_answers(
            w.campaign.assessments.get(school=school),
            [{"criterion": "PIL.1.1", "value": "atteint"}],
            user=w.admin,
        )
    rows = read_csv(get(client, w.admin, "observatory:open_data"))
    val_de_marne = next(row for row in rows if row[2] == "Val-de-Marne")
    assert val_de_marne[7] == "5"
    assert val_de_marne[8] == "0,77"  # PIL: (1.25 + 0.2 + 2.0 + 0.2 + 0.2) / 5


def test_a_school_beside_its_averages_follows_the_small_group_rule(world):
    w = world

    def seen_by(who):
        return {
            a.area: (a.schools, a.scores and round(a.scores["PIL"], 4)) for a in averages(w.assessment, who)
        }

    # Submitted: ecole and b in Fresnes and Val-de-Marne, d in Seine-et-Marne; the similar
    # schools (écoles publiques of Créteil, test_similar_schools.py): ecole and d.
    assert seen_by(w.admin) == {"district": (2, 1.625), "similar": (2, 1.125), "department": (2, 1.625),
                                "academy": (3, 1.4167)}  # fmt: skip
    assert seen_by(w.animator) == {"district": (2, 1.625), "similar": (2, None), "department": (2, 1.625),
                                   "academy": (3, None)}  # fmt: skip
    assert seen_by(w.head) == {"district": (2, None), "similar": (2, None), "department": (2, None),
                               "academy": (3, None)}  # fmt: skip


def test_the_results_page_shows_the_averages_it_may(client, world):
    w = world
    client.force_login(w.head)
    page = page_html(client.get(reverse("assessments:results", args=[w.assessment.pk])))
    assert "Comparaison avec le district, le département et l’académie" in page
    # Four averages (district, similar schools, département, académie), six domains.
    assert len(re.findall(r"<td[^>]*>\s*non diffusé\s*</td>", page)) == 4 * 6
    client.force_login(w.admin)
    page = page_html(client.get(reverse("assessments:results", args=[w.assessment.pk])))
    assert not re.findall(r"<td[^>]*>\s*non diffusé\s*</td>", page) and re.search(r"<td[^>]*>1,6</td>", page)


def test_the_observatory_school_page(client, world):
    w = world
    page = page_html(get(client, w.animator, "observatory:school", w.ecole.uai))
    assert "2025-2026" in page and "2024-2025" in page and "non diffusé" in page
    caption = r"Score de progression par domaine, [^,<]+\([^)]+\), 2025-2026 : l’école et les moyennes"
    assert re.search(caption, page)
    # Fresnes' average shown to its animator: ecole 1.25 and b 2.0 in PIL; the école's own 1.25.
    pil = re.search(
        r"Pilotage, impulsion et organisation</th>\s*<td[^>]*>([^<]*)</td>\s*<td[^>]*>\s*([^<]*?)\s*</td>",
        page,
    )
    assert pil.groups() == ("1,3", "1,6")  # 1.25 and 1.625, one decimal
    assert get(client, w.animator, "observatory:school", w.d.uai).status_code == 404
    found = get(client, w.admin, "observatory:school_search", uai=w.d.uai.lower())
    assert found.status_code == 302 and found["Location"] == reverse("observatory:school", args=[w.d.uai])


def test_no_campaign_in_scope(client, world):
    page = get(client, world.other_admin, "observatory:overview")
    assert page.status_code == 200
    assert "Aucune campagne de positionnement ne concerne encore votre périmètre." in page_html(page)


def test_school_roles_may_not_read_the_observatory(client, world):
    member = user("membre-b", Role.SCHOOL_MEMBER, world.b)
    for who in (world.head, member):
        assert get(client, who, "observatory:overview").status_code == 403
