"""The observatory an animator can work from: districts named so that no two rows read the
same, « Une école et ses moyennes » that finds a school by name, UAI or commune (never a bare
404), the team questionnaires' synthesis in its navigation, and no internal note on a page."""

from pathlib import Path

import pytest
from django.urls import reverse

from paliers.core.aggregate_charts import heatmap
from paliers.schools.models import District, DistrictKind, district_labels

from .observatory_world import make_observatory_world
from .pages import page_html

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")


@pytest.mark.parametrize(
    ("kind", "name", "label"),
    [
        ("circonscription", "Circonscription d'inspection du 1er degré de Fresnes",
         "Circonscription de Fresnes"),
        ("circonscription", "Circonscription d'inspection  du 1er degre d'Orly", "Circonscription d'Orly"),
        ("circonscription", "Circonscription d’inspection de l’éducation nationale de Vitry",
         "Circonscription de Vitry"),
        ("circonscription", "Circonscription d'inspection du 1er degré 094-3", "Circonscription 094-3"),
        ("bassin", "Bassin de formation de Créteil", "Bassin de Créteil"),
        ("bassin", "Créteil", "Bassin Créteil"),
        ("zap", "ZAP 094 n° 2", "ZAP 094 n° 2"),
        ("zap", "Zone d’animation pédagogique de Melun", "ZAP de Melun"),
        ("circonscription", "Circonscription", "Circonscription"),
    ],
)  # fmt: skip
def test_a_district_reads_its_kind_and_place(kind, name, label):
    district = District(kind=kind, name=name, code="X")
    assert district.label == label == str(district)


def test_codes_only_where_two_read_the_same():
    districts = [
        District(pk=1, kind=DistrictKind.CIRCONSCRIPTION, code="0941", name="Circonscription de Créteil"),
        District(pk=2, kind=DistrictKind.CIRCONSCRIPTION, code="0942",
                 name="Circonscription d'inspection du 1er degré de Créteil"),
        District(pk=3, kind=DistrictKind.BASSIN, code="B1", name="Bassin de formation de Créteil"),
    ]  # fmt: skip
    assert district_labels(districts) == {
        1: "Circonscription de Créteil (0941)",
        2: "Circonscription de Créteil (0942)",
        3: "Bassin de Créteil",
    }


def test_the_heatmap_keeps_a_long_place_whole_on_two_lines():
    svg = heatmap(["Circonscription de Boissy-Saint-Léger"], ["Pilotage"], [[1.5]], "T", 3)
    assert ">Circonscription de</tspan>" in svg and ">Boissy-Saint-Léger</tspan>" in svg and "…" not in svg


@pytest.fixture
def world(db):
    return make_observatory_world()


def test_observatory_rows_and_selects_name_districts_unambiguously(client, world):
    w = world
    name = "Circonscription d'inspection du 1er degré de Fresnes"  # reads as the other one
    twin = District.objects.create(
        department=w.val_de_marne, kind=DistrictKind.CIRCONSCRIPTION, code="0949999Z", name=name
    )
    w.c.districts.add(twin)
    client.force_login(w.observer)
    html = page_html(client.get(reverse("observatory:heatmap")))
    assert "Circonscription de Fresnes (0940927X)" in html and "Circonscription de Fresnes (0949999Z)" in html


def test_the_finder_opens_the_one_school_found(client, world):
    w = world
    client.force_login(w.animator)
    finder = reverse("observatory:school_search")
    for query in (w.a.uai.lower(), "lilas", "LES LILAS"):
        response = client.get(finder, {"q": query})
        assert response.status_code == 302 and response["Location"] == reverse(
            "observatory:school", args=[w.a.uai]
        )


def test_the_finder_lists_several_and_says_when_none(client, world):
    w = world
    client.force_login(w.observer)
    finder = reverse("observatory:school_search")
    several = client.get(finder, {"q": "victor hugo paul"})  # nothing holds both
    assert several.status_code == 200 and "Aucune école ni aucun établissement" in page_html(several)
    listed = client.get(finder, {"q": "Fresnes"})  # the commune of the école and of the collège
    assert listed.status_code == 200
    assert [s.name for s in listed.context["page"]] == [w.college.name, w.ecole.name]
    client.force_login(w.animator)  # the collège is outside the animator's district: not found, not leaked
    assert client.get(finder, {"q": w.college.uai}).context["page"].paginator.count == 0


def test_never_a_bare_404(client, world):
    w = world
    client.force_login(w.animator)
    response = client.get(reverse("observatory:school", args=[w.college.uai]))
    html = page_html(response)
    assert response.status_code == 404
    assert f"n’a l’UAI « {w.college.uai} »" in html and 'name="q"' in html  # the finder, to try again


def test_the_team_questionnaires_are_a_page_of_the_observatory(client, world):
    client.force_login(world.observer)
    response = client.get(reverse("surveys:aggregates"))
    html = page_html(response)
    assert reverse("surveys:aggregates").startswith("/observatoire/")
    assert (
        'aria-label="Pages de l’observatoire"' in html
        and 'aria-current="page">Questionnaires d’équipe' in html
    )
    overview = page_html(client.get(reverse("observatory:overview")))
    for name in ("caseload:observatory", "observatory:school_search", "surveys:aggregates"):
        assert reverse(name) in overview


TEMPLATES = Path(__file__).resolve().parent.parent / "paliers"
INTERNAL = ("rejoindra", "TODO", "FIXME", "XXX", "issue #", "(à venir)", "bientôt disponible")


def test_no_template_shows_an_internal_note():
    """Notes meant for the developers (« cette page rejoindra l’observatoire ») stay out of
    the pages: template comments ({# … #}) are not shown, so they are not searched."""
    import re

    found = []
    for path in TEMPLATES.rglob("templates/**/*.html"):
        text = re.sub(r"{#.*?#}|{% comment %}.*?{% endcomment %}", "", path.read_text(), flags=re.S)
        found += [f"{path.name}: {word}" for word in INTERNAL if word in text]
    assert found == []
