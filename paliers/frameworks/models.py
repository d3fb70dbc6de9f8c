"""Frameworks (référentiels): domains → components → criteria, each criterion at a level.

A framework is identified by slug + version and never changes once loaded (see
loading.py): assessments made on a version keep meaning what they meant.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .languages import shown_language


class Audience(models.TextChoices):
    ECOLE = "ecole", _("écoles")
    ETABLISSEMENT = "etablissement", _("établissements")
    EQUIPE = "equipe", _("équipes pédagogiques")


class LevelName(models.TextChoices):
    PALIER = "palier", pgettext_lazy("level name", "palier")
    ETAPE = "etape", pgettext_lazy("level name", "étape")
    JALON = "jalon", pgettext_lazy("level name", "jalon")


class Translated(models.Model):
    """A framework element whose texts may be shipped in other languages (languages.py).

    `translations` is {language: {field: text}}, a domain's level descriptions under
    {"level_descriptions": {"2": text}}. Rows are read in the active language; a row read
    translated is never saved (its French texts would be lost), which the immutability of a
    loaded framework makes a programming error.
    """

    translations = models.JSONField(_("traductions"), default=dict, blank=True, editable=False)
    shown_language = None  # the language of the translation shown, None: the French texts
    shown_fields = frozenset()  # the fields shown translated ("level_descriptions.2" for a level)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.shown_language:
            raise ValueError(
                f"{self!r} was read in « {self.shown_language} »: not saved over its French texts."
            )
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        texts = instance.__dict__.get("translations")
        if texts:
            language = shown_language()
            if language in texts:
                instance._show(language, texts[language])
        return instance

    def _show(self, language, texts):
        shown = set()
        for key, text in texts.items():
            if key != "level_descriptions":
                setattr(self, key, text)
                shown.add(key)
            elif "level_descriptions" in self.__dict__:
                self.level_descriptions = {**self.level_descriptions, **text}
                shown.update(f"level_descriptions.{n}" for n in text)
        self.shown_language, self.shown_fields = language, frozenset(shown)


class Framework(Translated):
    slug = models.SlugField(pgettext_lazy("framework", "identifiant"), max_length=80)
    version = models.CharField(_("version"), max_length=40)
    title = models.CharField(_("titre"), max_length=300)
    audience = models.CharField(pgettext_lazy("framework", "public"), max_length=20, choices=Audience.choices)
    level_name = models.CharField(_("nom des niveaux"), max_length=10, choices=LevelName.choices)
    source_publisher = models.CharField(_("éditeur de la source"), max_length=300)
    source_document = models.CharField(_("document source"), max_length=500)
    source_date = models.CharField(_("date de la source"), max_length=40, blank=True)
    source_url = models.URLField(_("adresse de la source"), max_length=500, blank=True)
    loaded_at = models.DateTimeField(_("chargé le"), auto_now_add=True)
    # When the translations last changed (loading.py): what is cached from a framework's
    # texts is cached per language and per this date (languages.text_cache_key).
    translated_at = models.DateTimeField(_("traductions changées le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("référentiel")
        verbose_name_plural = _("référentiels")
        ordering = ["title", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "version"],
                name="framework_unique_slug_version",
                violation_error_message=_(
                    "Un référentiel de même identifiant et de même version existe déjà."
                ),
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.version})"

    def get_absolute_url(self):
        return reverse("frameworks:detail", args=[self.slug, self.version])


class Level(Translated):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(_("numéro"))
    label = models.CharField(_("libellé"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("niveau")
        verbose_name_plural = _("niveaux")
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="level_unique_number")]

    def __str__(self):
        return self.label


class Part(Translated):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="parts")
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("titre"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("rang"))

    class Meta:
        verbose_name = _("partie")
        verbose_name_plural = _("parties")
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="part_unique_code")]

    def __str__(self):
        return self.title


class Domain(Translated):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="domains")
    part = models.ForeignKey(Part, on_delete=models.CASCADE, null=True, blank=True, related_name="domains")
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("titre"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # {"1": "…", "2": "…"}: what each level means in this domain (NumEA's étapes).
    level_descriptions = models.JSONField(_("description des niveaux"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("rang"))

    class Meta:
        verbose_name = _("domaine")
        verbose_name_plural = _("domaines")
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="domain_unique_code")]

    def __str__(self):
        return self.title


class Component(Translated):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="components")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="components")
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("titre"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("rang"))

    class Meta:
        verbose_name = _("composante")
        verbose_name_plural = _("composantes")
        ordering = ["domain", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="component_unique_code")]

    def __str__(self):
        return self.title


class Criterion(Translated):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="criteria")
    component = models.ForeignKey(
        Component, on_delete=models.CASCADE, null=True, blank=True, related_name="criteria"
    )
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="criteria")
    code = models.CharField(_("code"), max_length=60)
    text = models.TextField(_("texte"))
    note = models.TextField(_("note"), blank=True)
    # Order across the whole framework, so one ORDER BY lists criteria as the file does.
    position = models.PositiveIntegerField(_("rang"))

    class Meta:
        verbose_name = _("critère")
        verbose_name_plural = _("critères")
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="criterion_unique_code",
                violation_error_message=_("Ce code de critère existe déjà dans ce référentiel."),
            )
        ]

    def __str__(self):
        return f"{self.code} — {self.text[:60]}"


class LinkType(models.TextChoices):
    """How a source criterion relates to a target criterion (crosswalks.py says what each
    one proposes when an answer is carried)."""

    EQUAL = "equal", _("équivalent")
    SOURCE_COVERS_TARGET = "source_covers_target", _("la source couvre la cible")
    TARGET_COVERS_SOURCE = "target_covers_source", _("la cible couvre la source")
    PARTIAL = "partial", _("partiel")


class CarryRule(models.TextChoices):
    """How the answers of a target criterion's sources combine into one proposed answer."""

    ALL_SOURCES = "all_sources", _("toutes les sources")
    ANY_SOURCE = "any_source", _("au moins une source")


class Crosswalk(models.Model):
    """A table of correspondence from one framework (version) to another: answers given on
    the source are carried to the target, and the domains it relates are compared."""

    source = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="crosswalks_out")
    target = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="crosswalks_in")
    rule = models.CharField(_("règle"), max_length=20, choices=CarryRule.choices)
    loaded_at = models.DateTimeField(_("chargée le"), auto_now=True)

    class Meta:
        verbose_name = _("table de correspondance")
        verbose_name_plural = _("tables de correspondance")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"],
                name="crosswalk_unique_pair",
                violation_error_message=_("Une table de correspondance relie déjà ces deux référentiels."),
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")),
                name="crosswalk_not_to_itself",
                violation_error_message=_("Une table de correspondance relie deux référentiels différents."),
            ),
        ]

    def __str__(self):
        return f"{self.source} → {self.target}"

    def get_absolute_url(self):
        return reverse(
            "frameworks:crosswalk",
            args=[self.target.slug, self.target.version, self.source.slug, self.source.version],
        )


class CrosswalkLink(models.Model):
    crosswalk = models.ForeignKey(Crosswalk, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    type = models.CharField(_("type de lien"), max_length=25, choices=LinkType.choices)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveIntegerField(_("rang"))

    class Meta:
        verbose_name = _("lien de correspondance")
        verbose_name_plural = _("liens de correspondance")
        ordering = ["crosswalk", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["crosswalk", "source", "target"],
                name="crosswalk_link_unique",
                violation_error_message=_("Ces deux critères sont déjà reliés dans cette table."),
            )
        ]

    def __str__(self):
        return f"{self.source.code} → {self.target.code} ({self.get_type_display()})"
