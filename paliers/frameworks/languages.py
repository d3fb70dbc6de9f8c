"""Which language a framework's texts are shown in.

A framework's rows keep their French texts, the reference; the texts it ships in another
language of the interface sit in each row's `translations`. A row read while such a language
is active shows that language's texts wherever they are read (`Translated.from_db`): pages,
PDF and exports alike, with the French text where a translation is missing. Inside
`french_texts()` rows show their French texts: exporting the framework, comparing it with a
file, writing a new version from it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.utils import translation

_french_only = ContextVar("framework_french_texts", default=False)


@contextmanager
def french_texts():
    token = _french_only.set(True)
    try:
        yield
    finally:
        _french_only.reset(token)


def text_cache_key(framework):
    """What a cache of a framework's texts is keyed by: the framework, the language its rows are
    read in, and when its translations last changed (they may change on a loaded version)."""
    return (framework.pk, shown_language(), framework.translated_at)


def interface_language():
    """The language of the interface now: "fr", "en"."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def shown_language():
    """The language whose translations the rows read now show; None: their French texts."""
    if _french_only.get():
        return None
    language = interface_language()
    return None if language == settings.LANGUAGE_CODE else language


def stays_french(element, field="title"):
    """Whether `element`'s `field` shows in French on a page in another language (its lang must
    then say so, RGAA 8.7). `element`: a framework row read now (`Translated`); anything without
    `shown_fields` (a title read as a plain value) counts as French."""
    if interface_language() == settings.LANGUAGE_CODE:
        return False
    return field not in getattr(element, "shown_fields", ())
