"""The words for a school: « l’école », « ce collège », « 7 établissements »…

A page, an e-mail or a PDF that names a school says what the school is: a collège is
« le collège », never « l’école ». `school_words(subject)` gives the phrases for:

- a school (its `kind`): école (maternelle, élémentaire, primaire), collège, lycée (LGT,
  LP, LPO, lycée agricole), établissement (EREA, other kinds);
- a school group (a campaign's `school_group`: « ecoles » → école, « etablissements » →
  établissement) or a framework's `audience` (« ecole », « etablissement »);
- None or a mix of schools: « école ou établissement ».

Each phrase is written whole (article, elision, agreement) and translated whole: French
grammar is not composed from parts here. Templates use `{% load school_words %}`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ECOLE_KINDS, SchoolKind


@dataclass(frozen=True, eq=False)
class SchoolWords:
    word: str  # « école », « collège », « lycée », « établissement », « école ou établissement »
    words: str  # the plural: « écoles », « collèges »…
    the: str  # « l’école », « le collège »
    this: str  # « cette école », « ce collège », « cet établissement »
    your: str  # « votre école »
    of_the: str  # « de l’école », « du collège »
    a: str  # « une école », « un collège »
    head: str  # who leads it: « directeur ou directrice d’école », « chef d’établissement »
    plural: object  # n → « 1 école », « 7 écoles » (ngettext)

    def count(self, n):
        """« 1 école », « 7 écoles », by Django's plural rules."""
        return self.plural(n) % {"count": n}

    def __str__(self):
        return str(self.word)


# Literal calls, so that makemessages finds every phrase.
ECOLE = SchoolWords(
    _("école"), _("écoles"), _("l’école"), _("cette école"), _("votre école"), _("de l’école"),
    _("une école"), _("directeur ou directrice d’école"),
    lambda n: ngettext("%(count)s école", "%(count)s écoles", n),
)  # fmt: skip
COLLEGE = SchoolWords(
    _("collège"), _("collèges"), _("le collège"), _("ce collège"), _("votre collège"), _("du collège"),
    _("un collège"), _("chef d’établissement"),
    lambda n: ngettext("%(count)s collège", "%(count)s collèges", n),
)  # fmt: skip
LYCEE = SchoolWords(
    _("lycée"), _("lycées"), _("le lycée"), _("ce lycée"), _("votre lycée"), _("du lycée"),
    _("un lycée"), _("chef d’établissement"),
    lambda n: ngettext("%(count)s lycée", "%(count)s lycées", n),
)  # fmt: skip
ETABLISSEMENT = SchoolWords(
    _("établissement"), _("établissements"), _("l’établissement"), _("cet établissement"),
    _("votre établissement"), _("de l’établissement"), _("un établissement"), _("chef d’établissement"),
    lambda n: ngettext("%(count)s établissement", "%(count)s établissements", n),
)  # fmt: skip
ANY = SchoolWords(
    _("école ou établissement"), _("écoles et établissements"), _("l’école ou l’établissement"),
    _("cette école ou cet établissement"), _("votre école ou établissement"),
    _("de l’école ou de l’établissement"), _("une école ou un établissement"),
    _("directeur d’école ou chef d’établissement"),
    lambda n: ngettext("%(count)s école ou établissement", "%(count)s écoles et établissements", n),
)  # fmt: skip

BY_KIND = {
    **dict.fromkeys(ECOLE_KINDS, ECOLE),
    SchoolKind.COLLEGE: COLLEGE,
    **dict.fromkeys((SchoolKind.LGT, SchoolKind.LP, SchoolKind.LPO, SchoolKind.AGRICOLE), LYCEE),
    SchoolKind.EREA: ETABLISSEMENT,
    SchoolKind.OTHER: ETABLISSEMENT,
}
# A campaign's school group, a framework's audience: the word for the whole group.
BY_GROUP = {"ecoles": ECOLE, "ecole": ECOLE, "etablissements": ETABLISSEMENT, "etablissement": ETABLISSEMENT}


def school_words(subject=None):
    """The words for `subject`: a School (or anything with a `kind`), a school kind, a
    campaign (`school_group`), a framework (`audience`), a group or audience value, or an
    iterable of schools or kinds (one word if they share it). None: « école ou établissement »."""
    if subject is None or isinstance(subject, SchoolWords):
        return subject or ANY
    if isinstance(subject, str):
        return BY_KIND.get(subject) or BY_GROUP.get(subject) or ANY
    for attribute in ("kind", "school_group", "audience"):
        value = getattr(subject, attribute, None)
        if isinstance(value, str):
            return school_words(value)
    if hasattr(subject, "__iter__"):
        found = {school_words(item) for item in subject}
        if len(found) == 1:
            return found.pop()
        return ETABLISSEMENT if found and ECOLE not in found and ANY not in found else ANY
    return ANY
