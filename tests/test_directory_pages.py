import pytest
from django.urls import reverse

from paliers.schools.models import PriorityEducation, SchoolKind

from .factories import make_world, school


@pytest.fixture
def world(db):
    w = make_world()
    w.rep = school(
        w.val_de_marne,
        6006,
        "Collège Pablo Picasso",
        commune="Champigny-sur-Marne",
        priority_education=PriorityEducation.REP_PLUS,
    )
    return w


def names(response):
    return [s.name for s in response.context["page"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {},
            [
                "Collège Francine Fromond",
                "Collège Pablo Picasso",
                "École élémentaire Robert Doisneau",
                "Lycée Uruguay France",
            ],
        ),
        ({"q": "picasso"}, ["Collège Pablo Picasso"]),
        ({"q": "champigny"}, ["Collège Pablo Picasso"]),
        ({"q": "0940176f"}, ["École élémentaire Robert Doisneau"]),
        ({"kind": SchoolKind.LGT}, ["Lycée Uruguay France"]),
        ({"priority_education": "REP+"}, ["Collège Pablo Picasso"]),
        ({"priority_education": "hors", "kind": SchoolKind.COLLEGE}, ["Collège Francine Fromond"]),
        ({"sector": "prive"}, []),
    ],
)
def test_search_and_filters(client, world, params, expected):
    client.force_login(world.admin)
    assert names(client.get(reverse("directory:list"), params)) == expected


def test_filters_by_department_and_district(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("directory:list"), {"department": world.seine_et_marne.pk})
    assert names(response) == ["Lycée Uruguay France"]
    response = client.get(reverse("directory:list"), {"district": world.fresnes.pk})
    assert names(response) == ["École élémentaire Robert Doisneau"]


def test_the_directory_shows_only_the_scope(client, world):
    client.force_login(world.animator)
    assert names(client.get(reverse("directory:list"))) == ["École élémentaire Robert Doisneau"]
    client.force_login(world.nobody)
    assert names(client.get(reverse("directory:list"))) == []


def test_an_unknown_filter_value_is_an_error_not_a_crash(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("directory:list"), {"department": "999999", "kind": "navire"})
    assert response.status_code == 200
    assert names(response) == []
    assert response.context["form"].errors["kind"]


def test_pagination_keeps_the_filters(client, world):
    for number in range(60):
        school(world.seine_et_marne, 7000 + number, f"École Test {number:02d}", SchoolKind.MATERNELLE)
    client.force_login(world.admin)
    response = client.get(reverse("directory:list"), {"kind": SchoolKind.MATERNELLE})
    assert len(names(response)) == 50
    assert "kind=maternelle&amp;page=2" in response.content.decode()
    assert len(names(client.get(reverse("directory:list"), {"kind": SchoolKind.MATERNELLE, "page": 2}))) == 10


def test_school_page(client, world):
    client.force_login(world.admin)
    html = client.get(world.ecole.get_absolute_url()).content.decode()
    assert "Circonscription de Fresnes" in html
    assert "Académie de Créteil" in html
    assert "Équipe dans Paliers" in html and "directeur" in html
    client.force_login(world.observer)
    assert "Équipe dans Paliers" not in client.get(world.ecole.get_absolute_url()).content.decode()


def test_with_many_departments_the_district_filter_waits_for_one(client, world, django_user_model):
    from paliers.schools.models import Department

    for number in range(9):
        department = Department.objects.create(
            code=f"0{60 + number}", name=f"D{number}", academy=world.creteil
        )
        school(department, 100 + number, f"École {number}")
    client.force_login(world.admin)
    form = client.get(reverse("directory:list")).context["form"]
    assert not form.fields["district"].queryset.exists()
    assert form.fields["district"].help_text == "Choisissez d’abord un département."
    form = client.get(reverse("directory:list"), {"department": world.val_de_marne.pk}).context["form"]
    assert list(form.fields["district"].queryset) == [world.fresnes]
