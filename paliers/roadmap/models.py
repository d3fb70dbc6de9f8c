"""The académie's roadmap (feuille de route): axes, each with its état des lieux, objectives,
actions, means and actors, and indicators (Limoges 2016-2017, seed 002).

An indicator has a target and values over time: entered by hand, or computed from the
observatory's aggregates by a definition (indicators.py) — the number or share of the
schools of a scope that submitted their positioning, meet a criterion, reach a level in a
domain, or achieved an objective in a domain.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from paliers.frameworks.models import Criterion, Domain, Framework
from paliers.schools.models import Academy, Department, District, SchoolKind, Sector


class Roadmap(models.Model):
    academy = models.ForeignKey(
        Academy, on_delete=models.PROTECT, related_name="roadmaps", verbose_name=_("académie")
    )
    title = models.CharField(_("intitulé"), max_length=300)
    period = models.CharField(_("période"), max_length=20, help_text=_("Par exemple 2016-2017 ou 2023-2027."))
    introduction = models.TextField(_("contexte"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("feuille de route")
        verbose_name_plural = _("feuilles de route")
        ordering = ["-period", "title"]

    def __str__(self):
        return f"{self.title} ({self.period})"

    def get_absolute_url(self):
        return reverse("roadmap:detail", args=[self.pk])


class Axis(models.Model):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="axes")
    position = models.PositiveSmallIntegerField(_("rang"), default=0)
    section = models.CharField(
        _("partie"), max_length=200, blank=True, help_text=_("Par exemple « Objectifs stratégiques ».")
    )
    title = models.CharField(_("axe"), max_length=300)
    description = models.TextField(_("précisions"), blank=True)
    situation = models.TextField(_("état des lieux"), blank=True)
    objectives = models.TextField(_("objectifs"), blank=True)
    actions = models.TextField(_("actions à mener"), blank=True)
    resources = models.TextField(_("moyens et acteurs mobilisés"), blank=True)

    class Meta:
        verbose_name = _("axe")
        verbose_name_plural = _("axes")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmap:detail", args=[self.roadmap_id]) + f"#axe-{self.pk}"

    def sections(self):
        """[(heading, [lines])] of the texts that are filled in: one item per line."""
        found = []
        for name in ("situation", "objectives", "actions", "resources"):
            lines = [line.strip() for line in getattr(self, name).splitlines() if line.strip()]
            if lines:
                found.append((self._meta.get_field(name).verbose_name, lines))
        return found


class Measure(models.TextChoices):
    COUNT = "nombre", _("nombre")
    SHARE = "part", _("pourcentage")


class Definition(models.TextChoices):
    MANUAL = "", _("aucune : valeurs saisies à la main")
    SUBMITTED = "soumis", _("écoles ayant soumis leur positionnement")
    CRITERION_MET = "critere", _("écoles qui remplissent un critère (réponse « atteint »)")
    DOMAIN_LEVEL = "niveau", _("écoles dont le niveau atteint dans un domaine est au moins N")
    OBJECTIVE_ACHIEVED = "objectif", _("écoles ayant atteint un objectif SMART dans un domaine")


PRIORITIES = (
    ("", _("toutes")),
    ("REP", "REP"),
    ("REP+", "REP+"),
    ("ep", _("REP ou REP+")),
    ("hors", _("hors éducation prioritaire")),
)


class Indicator(models.Model):
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(_("rang"), default=0)
    title = models.CharField(_("indicateur"), max_length=300)
    measure = models.CharField(_("mesure"), max_length=10, choices=Measure.choices, default=Measure.COUNT)
    target = models.DecimalField(_("cible"), max_digits=12, decimal_places=2, null=True, blank=True)
    definition = models.CharField(
        _("calcul à partir des données"), max_length=10, choices=Definition.choices, blank=True, default=""
    )
    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("référentiel"),
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("critère"),
    )
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("domaine")
    )
    level = models.PositiveSmallIntegerField(_("niveau minimal"), null=True, blank=True)
    # The scope: the roadmap's académie, or one of its départements or districts.
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("département"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    school_kind = models.CharField(_("type d’école"), max_length=20, choices=SchoolKind.choices, blank=True)
    sector = models.CharField(_("secteur"), max_length=10, choices=Sector.choices, blank=True)
    priority = models.CharField(_("éducation prioritaire"), max_length=4, choices=PRIORITIES, blank=True)
    submitted_only = models.BooleanField(_("positionnements soumis seulement"), default=False)

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(definition="") | Q(framework__isnull=False),
                name="indicator_computed_has_framework",
                violation_error_message=_("Un indicateur calculé porte sur un référentiel."),
            ),
            models.CheckConstraint(
                condition=~Q(definition="critere") | Q(criterion__isnull=False),
                name="indicator_criterion_definition_has_criterion",
                violation_error_message=_("Choisissez le critère."),
            ),
            models.CheckConstraint(
                condition=~Q(definition__in=("niveau", "objectif")) | Q(domain__isnull=False),
                name="indicator_domain_definition_has_domain",
                violation_error_message=_("Choisissez le domaine."),
            ),
            models.CheckConstraint(
                condition=~Q(definition="niveau") | Q(level__isnull=False),
                name="indicator_level_definition_has_level",
                violation_error_message=_("Indiquez le niveau minimal."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmap:indicator", args=[self.pk])

    @property
    def computed(self):
        return bool(self.definition)

    @property
    def unit(self):
        return "%" if self.measure == Measure.SHARE else ""

    def clean(self):
        if self.district_id and self.department_id and self.district.department_id != self.department_id:
            raise ValidationError({"district": _("Ce district n’est pas dans le département choisi.")})


class IndicatorValue(models.Model):
    """A value entered by hand, dated."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    on = models.DateField(_("date"))
    value = models.DecimalField(_("valeur"), max_digits=12, decimal_places=2)
    comment = models.CharField(_("commentaire"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("saisie le"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("valeur d’indicateur")
        verbose_name_plural = _("valeurs d’indicateurs")
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.indicator} : {self.value} ({self.on:%d/%m/%Y})"
