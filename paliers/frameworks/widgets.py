"""Choices that show a framework's texts: on a page in another language, each one shown in
French says so (RGAA 8.7), as `french_lang` marks the pages' texts."""

from django import forms
from django.conf import settings
from django.utils.html import format_html

from .languages import interface_language, stays_french


class FrenchGroup(str):
    """An option group's label (a domain's title) that stays French: its <optgroup> says so."""

    lang = settings.LANGUAGE_CODE


class FrameworkTextSelect(forms.Select):
    """A select whose options name framework rows: ` lang="fr"` on each shown in French.
    An option's row is its model instance (a ModelChoiceField's), else `rows[value]`; `field`
    is the text the options show (a level's "label", a domain's "title")."""

    template_name = "frameworks/widgets/select.html"

    def __init__(self, attrs=None, choices=(), field="title"):
        super().__init__(attrs, choices)
        self.field, self.rows = field, {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        row = getattr(value, "instance", None) or self.rows.get(str(value))
        language = interface_language()
        if row is not None and language != settings.LANGUAGE_CODE:
            # Each its own: a translated option in a group whose label stays French would
            # otherwise be read as French.
            option["attrs"]["lang"] = settings.LANGUAGE_CODE if stays_french(row, self.field) else language
        return option


def group_label(row, field="title"):
    """A domain's title as an option group's label, marked when it stays French."""
    text = getattr(row, field)
    return FrenchGroup(text) if stays_french(row, field) else text


def choice_label(text, row, field="title"):
    """A checkbox's or radio's label (HTML, unlike an option's) with its French part marked."""
    if not stays_french(row, field):
        return text
    return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, text)
