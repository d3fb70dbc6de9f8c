"""The observatory's maps: France by département (one shape per département, its figure in its
title and in the table), a département's schools as points (only those with coordinates;
neutral outside the viewer's scope), and the map data itself."""

import html
import re

import pytest
from django.urls import reverse

from paliers.observatory import maps

from .observatory_world import make_observatory_world
from .pages import page_html


@pytest.fixture
def world(db):
    w = make_observatory_world()
    for school, place in ((w.ecole, (48.7511, 2.3236)), (w.a, (48.76, 2.33)), (w.b, (48.755, 2.31)),
                          (w.c, (48.79, 2.39))):  # fmt: skip
        school.latitude, school.longitude = place
        school.save()
    return w  # e and f, in Val-de-Marne too, have no coordinates


def get(client, who, name, *args, **params):
    client.force_login(who)
    return client.get(reverse(name, args=args), params)


def shapes_of(page):
    """{map code: (fill, title)} of the map's départements."""
    found = re.findall(
        r'<path d="[^"]*" fill="([^"]*)"[^>]*data-code="([^"]*)"[^>]*><title>([^<]*)</title>', page
    )
    return {code: (fill, html.unescape(title)) for fill, code, title in found}


def table_rows(page):
    rows = re.findall(r"<tr>(.*?)</tr>", page.split("<table", 1)[1], re.S)
    # Spaces collapsed, the narrow no-break space of « 33 % » kept.
    return [re.sub(r"[ \n\t]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", row))).strip() for row in rows]


def test_the_map_data_holds_every_departement():
    codes = [s["code"] for s in maps.map_data()["departments"]] + [
        s["code"] for s in maps.map_data()["overseas"]
    ]
    assert len(codes) == len(set(codes)) == 101
    assert {"2A", "2B", "971", "972", "973", "974", "976", "94"} <= set(codes)
    assert maps.map_code("094") == "94" and maps.map_code("02A") == "2A" and maps.map_code("974") == "974"


def test_the_fitted_projection_puts_places_in_their_departement():
    """Créteil in Val-de-Marne, Brest in Finistère, Strasbourg in Bas-Rhin, Ajaccio in
    Corse-du-Sud, Paris, Lille, Marseille, the middle of La Réunion: inside their shapes."""
    shapes = maps.shapes()
    for code, lon, lat in (("94", 2.45, 48.79), ("29", -4.486, 48.390), ("67", 7.752, 48.573),
                           ("2A", 8.737, 41.919), ("75", 2.35, 48.86), ("59", 3.06, 50.63),
                           ("13", 5.37, 43.30), ("974", 55.53, -21.13)):  # fmt: skip
        assert maps.inside(maps.project(code, lon, lat), maps.rings(shapes[code]["path"])), code
    x, y = maps.project("29", -4.486, 48.390)
    assert maps.unproject(x, y) == pytest.approx((-4.486, 48.390), abs=1e-6)


def test_the_national_map_has_one_shape_per_departement_with_its_figure(client, world):
    page = page_html(get(client, world.admin, "observatory:map"))
    shapes = shapes_of(page)
    assert len(shapes) == 101  # 96 metropolitan, 5 overseas
    # Créteil's administrator: Val-de-Marne (2 écoles submitted of 6) and Seine-et-Marne (1 of 1).
    assert shapes["94"][1] == "Val-de-Marne (94) : 33 % soumis (2 sur 6)"
    assert shapes["77"][1] == "Seine-et-Marne (77) : 100 % soumis (1 sur 1)"
    assert shapes["94"][0] != shapes["77"][0]  # two bins, two shades
    assert shapes["78"] == ("#FFFFFF", "Yvelines")  # outside the scope: no figure
    rows = table_rows(page)
    assert "Val-de-Marne (094) 33 % soumis (2 sur 6) 6" in rows
    assert "Seine-et-Marne (077) 100 % soumis (1 sur 1) 1" in rows
    assert len(rows) == 3  # the head and the scope's two départements
    assert "<desc" in page and "Val-de-Marne (94) : 33 % soumis (2 sur 6)." in page
    assert reverse("observatory:map_department", args=["094"]) in page
    assert "CC BY 4.0" in page


def test_the_national_map_of_a_domain_average(client, world):
    page = page_html(get(client, world.admin, "observatory:map", indicateur="PIL"))
    shapes = shapes_of(page)
    # Started écoles of Val-de-Marne: ecole 1.25, a 0.2, b 2.0 → 1.15; Seine-et-Marne: d 1.0.
    assert shapes["94"][1].startswith("Val-de-Marne (94) : score moyen 1,2 sur ")
    assert shapes["94"][1].endswith("(3 positionnements)")
    assert shapes["77"][1].endswith("(1 positionnement)")
    assert any(row.startswith("Seine-et-Marne (077) score moyen 1,0 sur") for row in table_rows(page))


def points_of(page):
    return [html.unescape(t) for t in re.findall(r"<circle [^>]*><title>([^<]*)</title></circle>", page)]


def test_a_departement_map_has_points_only_for_placed_schools_and_hides_those_outside(client, world):
    w = world
    page = page_html(get(client, w.animator, "observatory:map_department", "094"))
    points = points_of(page)
    # Placed: ecole, a, b (Fresnes: the animator's), c (outside the district); e, f and the
    # collège have no coordinates: not drawn.
    assert len(points) == 4
    assert "École élémentaire Robert Doisneau (Fresnes) : positionnement soumis" in points
    assert f"{w.a.name} ({w.a.commune}) : positionnement en cours" in points
    # c is outside the animator's scope: a neutral mark, its state never said.
    assert f"{w.c.name} ({w.c.commune}) : hors de votre périmètre" in points
    assert w.c.name not in page.split("<table", 1)[1]
    rows = table_rows(page)
    assert any(row.startswith(w.ecole.name) and row.endswith("oui positionnement soumis") for row in rows)
    assert not any(w.e.name in row for row in rows)  # outside the animator's district
    # The observer sees the whole département: every point coloured, e in the table, unplaced.
    page = page_html(get(client, w.observer, "observatory:map_department", "094"))
    points = points_of(page)
    assert len(points) == 4 and not any("hors de votre périmètre" in p for p in points)
    assert f"{w.c.name} ({w.c.commune}) : positionnement non commencé" in points
    assert any(row.startswith(w.e.name) and "non : pas de coordonnées" in row for row in table_rows(page))


def test_a_departement_map_of_a_domain_and_of_a_district(client, world):
    w = world
    page = page_html(get(client, w.observer, "observatory:map_department", "094", indicateur="PIL"))
    points = points_of(page)
    level = w.framework.levels.get(number=2).label
    assert any(
        p.startswith(w.b.name) and p.endswith(f": Pilotage, impulsion et organisation : {level}")
        for p in points
    )
    page = page_html(get(client, w.observer, "observatory:map_department", "094", district=w.fresnes.pk))
    assert len(points_of(page)) == 3  # c is not in Fresnes


def test_a_departement_outside_the_scope_is_not_found(client, world):
    assert get(client, world.animator, "observatory:map_department", "077").status_code == 404
    assert get(client, world.other_admin, "observatory:map_department", "094").status_code == 404
