"""The roadmap editor: an académie administrator writes the roadmap, its axes and indicators
(by hand or computed), records values; others read, or are refused."""

from datetime import date

import pytest
from django.urls import reverse

from paliers.assessments.models import Campaign
from paliers.roadmap.models import Axis, Indicator, IndicatorValue, Roadmap

from .observatory_world import make_observatory_world

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")


@pytest.fixture
def world(db):
    w = make_observatory_world()
    w.roadmap = Roadmap.objects.create(academy=w.creteil, title="Feuille de route 2025", period="2025-2026")
    w.axis = Axis.objects.create(roadmap=w.roadmap, title="Pilotage", actions="Réunir\nFormer")
    return w


INDICATOR = {"title": "Écoles ayant soumis", "measure": "part", "target": "60", "position": "0",
             "definition": "", "framework": "", "criterion": "", "domain": "", "level": "",
             "department": "", "district": "", "school_kind": "", "sector": "", "priority": ""}  # fmt: skip


def test_writing_a_roadmap_axis_and_indicators(client, world):
    w = world
    client.force_login(w.admin)
    created = client.post(
        reverse("roadmap:create"), {"academy": w.creteil.pk, "title": "Nouvelle", "period": "2026-2027"}
    )
    roadmap = Roadmap.objects.get(title="Nouvelle")
    assert created.status_code == 302 and roadmap.created_by == w.admin
    axis_form = {"title": "Formation", "position": "0", "actions": "Former les référents\nAccompagner"}
    assert client.post(reverse("roadmap:axis_create", args=[roadmap.pk]), axis_form).status_code == 302
    axis = roadmap.axes.get()
    computed = {**INDICATOR, "definition": "critere", "framework": w.framework.pk,
                "criterion": w.framework.criteria.get(code="PIL.1.2").pk}  # fmt: skip
    assert client.post(reverse("roadmap:indicator_create", args=[axis.pk]), computed).status_code == 302
    indicator = Indicator.objects.get(axis=axis)
    assert (indicator.definition, indicator.criterion.code, indicator.target) == ("critere", "PIL.1.2", 60)
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert "Aujourd’hui (2025-2026)" in page and "42,9\u00a0%" in page  # 3 of 7
    detail = client.get(roadmap.get_absolute_url()).content.decode()
    assert "Former les référents" in detail and "60\u00a0%" in detail


def test_the_form_refuses_an_incomplete_or_inconsistent_calculation(client, world):
    w = world
    client.force_login(w.admin)
    url = reverse("roadmap:indicator_create", args=[w.axis.pk])
    etablissements = w.framework.__class__.objects.get(slug="creteil-etablissements")
    dates = {"opens_on": date(2025, 9, 1), "closes_on": date(2026, 6, 1)}
    Campaign.objects.create(
        framework=etablissements,
        school_year="2025-2026",
        academy=w.creteil,
        school_group="etablissements",
        **dates,
    )
    cases = [
        ({"definition": "critere", "framework": w.framework.pk}, "criterion", "Choisissez le critère."),
        ({"definition": "niveau", "framework": w.framework.pk, "domain": w.framework.domains.first().pk},
         "level", "Indiquez le niveau minimal."),
        ({"definition": "soumis"}, "framework", "Choisissez le référentiel du calcul."),
        ({"definition": "critere", "framework": etablissements.pk,
          "criterion": w.framework.criteria.first().pk}, "criterion", "pas dans le référentiel choisi"),
        ({"definition": "soumis", "framework": w.framework.pk, "department": w.seine_et_marne.pk,
          "district": w.fresnes.pk}, "district", "pas dans le département choisi"),
    ]  # fmt: skip
    for fields, field, message in cases:
        response = client.post(url, {**INDICATOR, **fields})
        assert response.status_code == 422
        assert any(message in error for error in response.context["form"].errors[field])
    assert not Indicator.objects.exists()


def test_a_manual_indicator_keeps_no_calculation_and_takes_values(client, world):
    w = world
    client.force_login(w.admin)
    fields = {
        **INDICATOR,
        "title": "Réunions",
        "measure": "nombre",
        "framework": w.framework.pk,
        "level": "2",
    }
    client.post(reverse("roadmap:indicator_create", args=[w.axis.pk]), fields)
    indicator = Indicator.objects.get()
    assert indicator.framework is None and indicator.level is None
    url = reverse("roadmap:value_add", args=[indicator.pk])
    assert client.post(url, {"on": "2026-01-15", "value": "3", "comment": "Premier CTNÉ"}).status_code == 302
    assert client.post(url, {"on": "", "value": "x"}).status_code == 422
    assert list(IndicatorValue.objects.values_list("value", "recorded_by")) == [(3, w.admin.pk)]
    assert "Premier CTNÉ" in client.get(indicator.get_absolute_url()).content.decode()


def test_a_computed_indicator_takes_no_value_by_hand(client, world):
    w = world
    indicator = Indicator.objects.create(
        axis=w.axis, title="Soumis", definition="soumis", framework=w.framework
    )
    client.force_login(w.admin)
    response = client.post(
        reverse("roadmap:value_add", args=[indicator.pk]), {"on": "2026-01-15", "value": "3"}
    )
    assert response.status_code == 403 and not IndicatorValue.objects.exists()


def test_readers_read_and_only_the_academy_administrator_writes(client, world):
    w = world
    for who in (w.animator, w.observer):
        client.force_login(who)
        assert client.get(w.roadmap.get_absolute_url()).status_code == 200
        assert client.get(reverse("roadmap:axis_edit", args=[w.axis.pk])).status_code == 403
    client.force_login(w.other_admin)
    assert client.get(w.roadmap.get_absolute_url()).status_code == 404
    client.force_login(w.head)
    assert client.get(w.roadmap.get_absolute_url()).status_code == 403


def test_loading_the_example_and_deleting(client, world):
    w = world
    client.force_login(w.admin)
    response = client.post(reverse("roadmap:load_example"))
    example = Roadmap.objects.get(period="2016-2017")
    assert response.status_code == 302 and response["Location"] == example.get_absolute_url()
    assert client.post(reverse("roadmap:load_example")).status_code == 302
    assert Roadmap.objects.filter(period="2016-2017").count() == 1
    assert client.post(reverse("roadmap:axis_delete", args=[w.axis.pk])).status_code == 302
    assert client.post(reverse("roadmap:delete", args=[example.pk])).status_code == 302
    assert list(Roadmap.objects.values_list("title", flat=True)) == ["Feuille de route 2025"]
    assert not Axis.objects.exists()
