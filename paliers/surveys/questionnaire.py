"""The questionnaire a framework for teams gives: one question per axis (domain), whose
answers are its jalons (levels), each told by the axis's criteria at that level, plus
« je ne sais pas ». The same form serves the teachers and the leadership."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from paliers.frameworks.languages import text_cache_key
from paliers.frameworks.models import Criterion

from .models import DONT_KNOW

DONT_KNOW_LABEL = _("Je ne sais pas")


@dataclass(frozen=True)
class Option:
    level: int
    label: str  # « Jalon 2 »
    text: str  # what the jalon means on this axis


@dataclass(frozen=True)
class Axis:
    code: str
    title: str
    options: tuple[Option, ...]

    @property
    def field_name(self):
        return f"axe-{self.code}"


@dataclass(frozen=True)
class Questionnaire:
    axes: tuple[Axis, ...]
    levels: tuple[tuple[int, str], ...]  # (number, label) in order

    def level_label(self, level):
        return dict(self.levels).get(level, DONT_KNOW_LABEL if level == DONT_KNOW else "—")


# (framework, language, translations' date) → Questionnaire. A loaded framework's French
# texts never change (loading.py), and its translations are keyed by their date, so what is
# read once holds for the life of the process; every respondent's page and submission would
# otherwise read the same criteria again.
_questionnaires = {}


def questionnaire_for(framework):
    """The questionnaire of a framework in the reader's language, read once per process (one query)."""
    key = text_cache_key(framework)
    if key not in _questionnaires:
        _questionnaires[key] = _read(framework)
    return _questionnaires[key]


def _read(framework):
    criteria = (
        Criterion.objects.filter(framework=framework)
        .select_related("domain", "level")
        .order_by("domain__position", "level__number", "position")
    )
    axes, levels = {}, {}
    for criterion in criteria:
        levels[criterion.level.number] = criterion.level.label
        axis = axes.setdefault(criterion.domain_id, (criterion.domain, {}))
        axis[1].setdefault(criterion.level.number, []).append(criterion.text)
    return Questionnaire(
        axes=tuple(
            Axis(
                domain.code,
                domain.title,
                tuple(Option(n, levels[n], " ".join(texts)) for n, texts in sorted(by_level.items())),
            )
            for domain, by_level in axes.values()
        ),
        levels=tuple(sorted(levels.items())),
    )


class ResponseForm(forms.Form):
    """One choice per axis: a jalon or « je ne sais pas ». The template draws the radios
    (a fieldset per axis, each jalon's text as a hint), so this form only validates."""

    def __init__(self, questionnaire, *args, answers=None, **kwargs):
        initial = {axis.field_name: answers[axis.code] for axis in questionnaire.axes if answers}
        super().__init__(*args, initial=initial, **kwargs)
        self.questionnaire = questionnaire
        for axis in questionnaire.axes:
            choices = [(o.level, o.label) for o in axis.options] + [(DONT_KNOW, DONT_KNOW_LABEL)]
            self.fields[axis.field_name] = forms.TypedChoiceField(
                label=axis.title,
                choices=choices,
                coerce=int,
                error_messages={
                    "required": _("Choisissez un jalon, ou « Je ne sais pas »."),
                    "invalid_choice": _("Choisissez un des jalons proposés, ou « Je ne sais pas »."),
                },
            )

    def answers(self):
        """{axis code: level} once valid."""
        return {axis.code: self.cleaned_data[axis.field_name] for axis in self.questionnaire.axes}

    def blocks(self):
        """(axis, chosen level or None, errors) for the template, in the axes' order."""
        rows = []
        for axis in self.questionnaire.axes:
            value = self[axis.field_name].value()
            try:
                chosen = int(value) if value not in (None, "") else None
            except (TypeError, ValueError):
                chosen = None
            rows.append((axis, chosen, self.errors.get(axis.field_name, [])))
        return rows
