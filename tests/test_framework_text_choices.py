"""The choices that name a framework's rows mark their language (RGAA 8.7): on a page in
English, an option, option group or checkbox whose text stays French says lang="fr", one shown
translated says lang="en"; on a French page, none says anything (frameworks/widgets.py)."""

import re
from html import unescape

import pytest
from django import forms
from django.utils import translation

from paliers.accompaniment.forms import DomainChoiceField
from paliers.assessments.views_campaigns import CampaignForm
from paliers.authoring.forms import LoadForm
from paliers.frameworks.loading import load_specs
from paliers.frameworks.models import Domain, Framework
from paliers.objectives.forms import ObjectiveForm, TimetableFilterForm
from paliers.objectives.models import Objective
from paliers.observatory.forms import ObservatoryForm
from paliers.observatory.map_pages import MapForm
from paliers.observatory.selection import Round
from paliers.schools.models import Academy, Department

from .factories import school, user
from .test_framework_translations import ENGLISH, FRENCH, parse

# The example framework: its title, the domain PIL (« Leadership ») and the component PIL.COM
# ship in English; the domain EQU (« Équipement ») and the levels' labels do not.


@pytest.fixture
def framework(db):
    return load_specs([parse(FRENCH + ENGLISH)])[0].framework


def langs(html, tag="option"):
    """{text: its lang attribute or None} of each `tag` of the HTML."""
    found = {}
    for attrs, text in re.findall(rf"<{tag}([^>]*)>([^<]*)", html):
        label = re.search(r'label="([^"]*)"', attrs)
        lang = re.search(r'lang="([^"]*)"', attrs)
        found[unescape(label.group(1) if label else text).strip()] = lang.group(1) if lang else None
    return found


def test_an_objectives_targets_levels_and_criteria_say_their_language(framework):
    creteil = Academy.objects.create(code="24", name="Créteil")
    val_de_marne = Department.objects.create(code="094", name="Val-de-Marne", academy=creteil)
    college = school(val_de_marne, 1, "Collège")
    with translation.override("en"):
        framework = Framework.objects.get(pk=framework.pk)
        form = ObjectiveForm(school=college, framework=framework)
        target, level = str(form["target"]), str(form["level"])
        assert langs(target, "optgroup") == {"Leadership": None, "Équipement": "fr"}
        options = langs(target)
        assert options["Digital committee"] == "en"  # translated, inside a group in English
        assert options["Équipement — the whole domain"] == "fr"  # the domain's title, French
        assert options["Leadership — the whole domain"] == "en"
        assert langs(level)["1. Palier 1"] == "fr"
        pil = Domain.objects.get(framework=framework, code="PIL")
        with_criteria = ObjectiveForm(school=college, framework=framework, instance=Objective(domain=pil))
        checkboxes = str(with_criteria["criteria"])
        assert "PIL.COM.1 — A digital committee exists" in checkboxes  # translated: no mark
        assert '<span lang="fr">PIL.COM.2 — Elle se réunit chaque trimestre</span>' in checkboxes
        domains = Domain.objects.filter(framework=framework).order_by("position")
        assert langs(str(TimetableFilterForm(domains=domains)["domaine"])) == {
            "all": None, "Leadership": "en", "Équipement": "fr",
        }  # fmt: skip
    with translation.override("fr"):
        framework = Framework.objects.get(pk=framework.pk)
        html = str(ObjectiveForm(school=college, framework=framework)["target"])
        assert "lang=" not in html  # a French page: its language is the page's


def test_the_domain_framework_and_round_choices_say_their_language(framework):
    class RequestForm(forms.Form):
        domain = DomainChoiceField(queryset=Domain.objects.order_by("position"))

    admin = user("dan")
    with translation.override("en"):
        domains = langs(str(RequestForm()["domain"]))
        assert domains == {"---------": None, "Leadership": "en", "Équipement": "fr"}
        campaign = langs(str(CampaignForm(academies=Academy.objects.none())["framework"]))
        assert campaign["Example levels (1)"] == "en"
        read = Framework.objects.get(pk=framework.pk)
        observatory = ObservatoryForm(None, user=admin, rounds=[Round(read, "2025-2026")])
        assert langs(str(observatory["campagne"])) == {"Example levels (1) — 2025-2026": "en"}
        indicators = langs(str(MapForm(None, user=admin, rounds=[Round(read, "2025-2026")])["indicateur"]))
        assert indicators == {"Participation": None, "Leadership: average score": "en",
                              "Équipement: average score": "fr"}  # fmt: skip
    # A framework without its English texts: its title stays French, and says so.
    with translation.override("en"):
        load_specs([parse(FRENCH.replace("slug: exemple", "slug: autre"))])
        base = langs(str(LoadForm(spec=None)["base"]))
        assert base["Paliers d'exemple (autre)"] == "fr" and base["Example levels (exemple)"] == "en"
