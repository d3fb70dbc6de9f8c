"""Marking the language of a framework's texts (RGAA 8.7: every change of language is marked).

A framework's texts are French unless it ships a translation into the reader's language
(frameworks/languages.py). On a page in another language, each French text says so:
`<p{{ criterion|french_lang:"text" }}>{{ criterion.text }}</p>` writes ` lang="fr"` there,
and nothing where the text is shown translated or the page is French.
"""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from paliers.frameworks.languages import stays_french

register = template.Library()

FRENCH = mark_safe(f' lang="{settings.LANGUAGE_CODE}"')  # noqa: S308 (a constant)


@register.filter
def french_lang(element, field="title"):
    """` lang="fr"` when `element`'s `field` is shown in French on a page in another language.
    `element` is a framework row, a spec, or None; `field` a text's name ("level_descriptions.2")."""
    return FRENCH if stays_french(element, field) else ""
