"""Radio buttons and checkboxes of a list of choices are drawn by the DSFR's templates of
options (its `django/forms/widgets/*_option.html`, which must win over Django's: `dsfr` comes
before `django.forms` in INSTALLED_APPS). Otherwise they render as the browser's bare inputs,
unlike every other field of the same form."""

from paliers.authoring.forms import LoadForm
from paliers.frameworks.loading import load_specs
from paliers.frameworks.models import Domain, Framework
from paliers.objectives.forms import CloseForm, ObjectiveForm
from paliers.objectives.models import Objective

from .factories import make_world
from .test_framework_translations import FRENCH, parse


def test_radio_buttons_and_checkboxes_of_choices_are_the_dsfrs(db):
    load_specs([parse(FRENCH)])
    w = make_world()
    framework = Framework.objects.get(slug="exemple")
    domain = Domain.objects.get(framework=framework, code="PIL")
    fields = [
        (CloseForm()["achieved"], "fr-radio-group", 2),
        (LoadForm(spec=None)["mode"], "fr-radio-group", 2),
        (ObjectiveForm(school=w.ecole, framework=framework, instance=Objective(domain=domain))["criteria"],
         "fr-checkbox-group", 2),
    ]  # fmt: skip
    for field, group, options in fields:
        html = str(field)
        assert html.count(f'<div class="{group}">') == options, field.name
        assert html.count('<label class="fr-label"') == options, field.name
