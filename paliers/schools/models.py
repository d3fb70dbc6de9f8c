"""The directory of schools, as the ministry's open data describes it.

Académie → département → school; districts (circonscriptions du 1er degré, bassins de
formation, zones d'animation pédagogique) group schools as the files say, a school
belonging to several districts of different kinds.
"""

import functools
import unicodedata
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .uai import uai_error

VOWELS = set("AEIOUYÂÉÈÊÎÏÔ")


def elided(name):
    """Whether « de » before this name becomes « d’ » (« académie d’Amiens »)."""
    return name[:1].upper() in VOWELS


class Academy(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("académie")
        verbose_name_plural = _("académies")
        ordering = ["name"]

    def __str__(self):
        if self.name.lower().startswith("académie"):
            return self.name
        if elided(self.name):  # the directory's « Amiens », « Orléans-Tours »
            return gettext("Académie d’%(name)s") % {"name": self.name}
        return gettext("Académie de %(name)s") % {"name": self.name}


class Department(models.Model):
    academy = models.ForeignKey(Academy, on_delete=models.PROTECT, related_name="departments")
    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class DistrictKind(models.TextChoices):
    CIRCONSCRIPTION = "circonscription", _("circonscription du 1er degré")
    BASSIN = "bassin", _("bassin de formation")
    ZAP = "zap", _("zone d’animation pédagogique")
    DISTRICT = "district", _("district")


class District(models.Model):
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="districts")
    kind = models.CharField(_("nature"), max_length=20, choices=DistrictKind.choices)
    # The ministry's code where the file gives one (a circonscription has a UAI), else
    # a code derived from the name, so that re-importing finds the same district.
    code = models.CharField(_("code"), max_length=120)
    name = models.CharField(_("nom"), max_length=200)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["department", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                name="district_unique_kind_code",
                violation_error_message=_("Ce district existe déjà."),
            )
        ]

    def __str__(self):
        return self.label

    @cached_property
    def label(self):
        """Its kind and its place, short enough for a chart: « Circonscription d'inspection du
        1er degré de Fresnes » reads « Circonscription de Fresnes ». Where two of a list share
        this label, `district_labels` adds their codes."""
        words = self.name.split()
        folded = [_fold(word) for word in words]
        for prefix in NAME_PREFIXES.get(self.kind, ()):
            if folded[: len(prefix)] == prefix and len(words) > len(prefix):
                words = words[len(prefix) :]
                break
        else:
            if folded[:1] == [_fold(SHORT_KIND[self.kind])]:
                words = words[1:]  # « ZAP 094 n° 2 »: the kind is there already
        return " ".join([SHORT_KIND.get(self.kind, ""), *words]).strip()


class SchoolKind(models.TextChoices):
    MATERNELLE = "maternelle", _("école maternelle")
    ELEMENTAIRE = "elementaire", _("école élémentaire")
    PRIMAIRE = "primaire", _("école primaire")
    COLLEGE = "college", _("collège")
    LGT = "lgt", _("lycée général et technologique")
    LP = "lp", _("lycée professionnel")
    LPO = "lpo", _("lycée polyvalent")
    EREA = "erea", "EREA"
    AGRICOLE = "agricole", _("lycée agricole")
    OTHER = "autre", _("autre")


ECOLE_KINDS = (SchoolKind.MATERNELLE, SchoolKind.ELEMENTAIRE, SchoolKind.PRIMAIRE)


class Sector(models.TextChoices):
    PUBLIC = "public", _("public")
    PRIVATE = "prive", _("privé")


class PriorityEducation(models.TextChoices):
    NONE = "", _("hors éducation prioritaire")
    REP = "REP", "REP"
    REP_PLUS = "REP+", "REP+"


class SchoolState(models.TextChoices):
    OPEN = "ouvert", _("ouvert")
    TO_OPEN = "a_ouvrir", _("à ouvrir")
    TO_CLOSE = "a_fermer", _("à fermer")


def sort_key(name):
    """The name without accents or case: "École" sorts with "Ecole", before "Lycée"
    (databases compare bytes, where É comes after every unaccented letter)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()[:300]


def validate_uai(value):
    error = uai_error(value)
    if error:
        raise ValidationError(error)


class School(models.Model):
    uai = models.CharField("UAI", max_length=8, unique=True, validators=[validate_uai])
    name = models.CharField(_("nom"), max_length=300)
    # Kept in step with name by save() and by the bulk writers (import, demo).
    sort_name = models.CharField(_("nom pour le tri"), max_length=300, editable=False, default="")
    kind = models.CharField(_("type"), max_length=20, choices=SchoolKind.choices, default=SchoolKind.OTHER)
    sector = models.CharField(_("secteur"), max_length=10, choices=Sector.choices, default=Sector.PUBLIC)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="schools")
    districts = models.ManyToManyField(District, related_name="schools", blank=True)
    commune_code = models.CharField(_("code commune"), max_length=5, blank=True)
    commune = models.CharField(_("commune"), max_length=150, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    priority_education = models.CharField(
        _("éducation prioritaire"), max_length=4, choices=PriorityEducation.choices, blank=True, default=""
    )
    state = models.CharField(_("état"), max_length=10, choices=SchoolState.choices, default=SchoolState.OPEN)
    email = models.EmailField(_("adresse électronique"), blank=True)
    # Where the directory places it (WGS 84): the observatory's maps draw it there.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # Pupils, where the file gives them (the ministry's effectifs): « similar size » in
    # similarity.py; unknown for the annuaire and geolocation extracts as published.
    pupils = models.PositiveIntegerField(_("effectif"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("école ou établissement")
        verbose_name_plural = _("écoles et établissements")
        ordering = ["sort_name", "uai"]
        indexes = [
            models.Index(fields=["sort_name", "uai"], name="school_sort_name_uai"),
            models.Index(fields=["department", "kind"], name="school_department_kind"),
            models.Index(fields=["commune"], name="school_commune"),
        ]

    def __str__(self):
        return f"{self.name} ({self.uai})"

    def save(self, *args, **kwargs):
        self.sort_name = sort_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:detail", args=[self.uai])

    @property
    def is_ecole(self):
        return self.kind in ECOLE_KINDS


def search_condition(text):
    """Schools whose name holds `text` (accents and case aside: « jaures » finds « École
    Jean-Jaurès »), whose UAI is `text`, or whose commune holds it."""
    text = text.strip()
    return Q(sort_name__contains=sort_key(text)) | Q(uai__iexact=text) | Q(commune__icontains=text)


@functools.lru_cache(maxsize=4096)
def _fold(word):
    """A word compared without accents, case or the kind of apostrophe. Cached: district
    labels fold the same few words (« circonscription », « d'inspection »…) for every row."""
    return sort_key(word.replace("’", "'"))


# What a district's name starts with in the ministry's files, by kind, folded: the label
# keeps what follows (the place). Longest first.
NAME_PREFIXES = {
    kind: [[_fold(word) for word in prefix.split()] for prefix in prefixes]
    for kind, prefixes in {
        DistrictKind.CIRCONSCRIPTION: (
            "circonscription d'inspection du premier degré",
            "circonscription d'inspection du 1er degré",
            "circonscription d'inspection de l'éducation nationale",
            "circonscription d'inspection",
            "circonscription du premier degré",
            "circonscription du 1er degré",
            "circonscription",
        ),
        DistrictKind.BASSIN: ("bassin d'éducation et de formation", "bassin de formation", "bassin"),
        DistrictKind.ZAP: ("zone d'animation pédagogique", "zap"),
        DistrictKind.DISTRICT: ("district",),
    }.items()
}
SHORT_KIND = {
    DistrictKind.CIRCONSCRIPTION: "Circonscription",
    DistrictKind.BASSIN: "Bassin",
    DistrictKind.ZAP: "ZAP",
    DistrictKind.DISTRICT: "District",
}


def district_labels(districts):
    """{district id: label} for districts shown together: a label two of them share gets
    each one's code, so that no two rows read the same."""
    districts = list(districts)
    counts = Counter(d.label for d in districts)
    return {d.pk: f"{d.label} ({d.code})" if counts[d.label] > 1 else d.label for d in districts}


class SimilarGroup(models.Model):
    """Schools of an académie alike in kind, sector, éducation prioritaire and size: what a
    school is compared with beside its district (similarity.py says how a school's group is
    chosen). The criteria are stored, not the members: the members are whoever matches them
    in the directory as it stands."""

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="similar_groups")
    kinds = models.CharField(_("types"), max_length=100)  # SchoolKind values, comma-separated
    sector = models.CharField(_("secteur"), max_length=10, blank=True)  # blank: any
    priorities = models.CharField(_("éducation prioritaire"), max_length=20, default="*")  # "*": any
    pupils_min = models.PositiveIntegerField(_("effectif minimal"), default=0)
    pupils_max = models.PositiveIntegerField(_("effectif maximal (exclu)"), default=0)  # 0: any size

    class Meta:
        verbose_name = _("groupe d’écoles semblables")
        verbose_name_plural = _("groupes d’écoles semblables")
        constraints = [
            models.UniqueConstraint(
                fields=["academy", "kinds", "sector", "priorities", "pupils_min", "pupils_max"],
                name="similar_group_criteria",
            )
        ]

    def __str__(self):
        return self.label

    def condition(self, prefix=""):
        """The Q of its members, on School (prefix "") or on a model with a `school` (« school__ »)."""
        found = {
            f"{prefix}department__academy_id": self.academy_id,
            f"{prefix}kind__in": self.kinds.split(","),
        }
        if self.sector:
            found[f"{prefix}sector"] = self.sector
        if self.priorities != "*":
            found[f"{prefix}priority_education__in"] = self.priorities.split(",")
        if self.pupils_max:
            found[f"{prefix}pupils__gte"] = self.pupils_min
            found[f"{prefix}pupils__lt"] = self.pupils_max
        return Q(**found)

    def matches(self, academy_id, kind, sector, priority, pupils):
        """Whether a school of these attributes is a member (condition(), in Python)."""
        return (
            academy_id == self.academy_id
            and kind in self.kinds.split(",")
            and (not self.sector or sector == self.sector)
            and (self.priorities == "*" or priority in self.priorities.split(","))
            and (not self.pupils_max or (pupils is not None and self.pupils_min <= pupils < self.pupils_max))
        )

    def members(self):
        return School.objects.filter(self.condition())

    @cached_property
    def label(self):
        """« écoles élémentaires, public, REP+, 100 à 199 élèves ».

        The kinds' labels, the sector, the éducation prioritaire and the size band."""
        kinds = [SchoolKind(kind).label for kind in self.kinds.split(",")]
        parts = [_either(kinds)]
        if self.sector:
            parts.append(str(Sector(self.sector).label))
        if self.priorities != "*":
            labels = [PriorityEducation(p).label for p in self.priorities.split(",")]
            parts.append(_either(labels))
        if self.pupils_max:
            parts.append(
                gettext("%(low)s à %(high)s élèves") % {"low": self.pupils_min, "high": self.pupils_max - 1}
            )
        return ", ".join(str(part) for part in parts)


def _either(labels):
    """« école maternelle ou école primaire »: the labels joined by « ou »."""
    text = str(labels[0])
    for label in labels[1:]:
        text = gettext("%(some)s ou %(other)s") % {"some": text, "other": label}
    return text
