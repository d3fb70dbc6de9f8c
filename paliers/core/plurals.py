"""French is the source language: its plural rule applies to the source messages.

gettext chooses between a message's singular and plural by the catalog's rule; a message
that no catalog translates — every French message, French being the source — falls back
to the English rule (n == 1), which writes « 0 critères ». In French 0 and 1 take the
singular (CLDR, gettext's `plural=(n > 1)`). `SourceLanguageTranslation` gives the source
language's translation object that rule as its last fallback; other languages keep
theirs, from their own catalogs.
"""

import gettext

from asgiref.local import Local
from django.conf import settings
from django.utils.translation import trans_real


class FrenchPlurals(gettext.NullTranslations):
    def ngettext(self, msgid1, msgid2, n):
        return msgid1 if abs(n) < 2 else msgid2


class SourceLanguageTranslation(trans_real.DjangoTranslation):
    def __init__(self, language, *args, **kwargs):
        super().__init__(language, *args, **kwargs)
        if language.split("-")[0] == settings.LANGUAGE_CODE.split("-")[0] == "fr":
            self.add_fallback(FrenchPlurals())


def install():
    """Called once from CoreConfig.ready(). A translation object built earlier (while
    another app got ready) is dropped, as Django's own setting_changed handler does."""
    trans_real.DjangoTranslation = SourceLanguageTranslation
    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = Local()
