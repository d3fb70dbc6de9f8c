"""The directory of schools, as the ministry's open data describes it.

Académie → département → school; districts (circonscriptions du 1er degré, bassins de
formation, zones d'animation pédagogique) group schools as the files say, a school
belonging to several districts of different kinds.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .uai import uai_error


class Academy(models.Model):
    code = models.CharField("code", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "académie"
        verbose_name_plural = "académies"
        ordering = ["name"]

    def __str__(self):
        return f"Académie de {self.name}" if not self.name.lower().startswith("académie") else self.name


class Department(models.Model):
    academy = models.ForeignKey(Academy, on_delete=models.PROTECT, related_name="departments")
    code = models.CharField("code", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "département"
        verbose_name_plural = "départements"
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
    kind = models.CharField("nature", max_length=20, choices=DistrictKind.choices)
    # The ministry's code where the file gives one (a circonscription has a UAI), else
    # a code derived from the name, so that re-importing finds the same district.
    code = models.CharField("code", max_length=120)
    name = models.CharField("nom", max_length=200)

    class Meta:
        verbose_name = "district"
        verbose_name_plural = "districts"
        ordering = ["department", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                name="district_unique_kind_code",
                violation_error_message="Ce district existe déjà.",
            )
        ]

    def __str__(self):
        return self.name


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
    name = models.CharField("nom", max_length=300)
    # Kept in step with name by save() and by the bulk writers (import, demo).
    sort_name = models.CharField("nom pour le tri", max_length=300, editable=False, default="")
    kind = models.CharField("type", max_length=20, choices=SchoolKind.choices, default=SchoolKind.OTHER)
    sector = models.CharField("secteur", max_length=10, choices=Sector.choices, default=Sector.PUBLIC)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="schools")
    districts = models.ManyToManyField(District, related_name="schools", blank=True)
    commune_code = models.CharField("code commune", max_length=5, blank=True)
    commune = models.CharField("commune", max_length=150, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    priority_education = models.CharField(
        "éducation prioritaire", max_length=4, choices=PriorityEducation.choices, blank=True, default=""
    )
    state = models.CharField("état", max_length=10, choices=SchoolState.choices, default=SchoolState.OPEN)
    email = models.EmailField("adresse électronique", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "école ou établissement"
        verbose_name_plural = "écoles et établissements"
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
