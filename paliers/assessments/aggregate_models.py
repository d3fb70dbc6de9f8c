"""The aggregate tables: what the observatory reads instead of the answers.

Two levels, both kept up to date in the transaction that changes an assessment
(aggregates.refresh) and rebuilt in bulk after raw writes (aggregates.rebuild):

- `AssessmentSummary`, one row per assessment: its stage, its levels and scores, and its
  answers as one letter per criterion. Small groups (a district, a school's peers) are
  computed from these rows.
- the tallies, counts per campaign × département × type × sector × éducation prioritaire ×
  stage: how many schools (`StageTally`), how many reached each level of each domain and
  the sum of their scores (`DomainTally`), how many met each criterion (`CriterionTally`).
  A département, an académie or the nation adds up a few thousand of these rows.

Models named by string ("assessments.Campaign"): this module is imported by models.py.
Scores are stored in thousandths (integers), so that sums stay exact when added and taken
away a million times.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .stages import STARTED, Stage  # noqa: F401 (read from here by the observatory's modules)

MIN_SCHOOLS = 5  # the small-group rule (aggregates.disclosed)
KEY_FIELDS = ("campaign", "department", "kind", "sector", "priority_education", "stage")


class AssessmentSummary(models.Model):
    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    campaign = models.ForeignKey("assessments.Campaign", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    # The school's as tallied: a refresh takes its old contribution from here, even if the
    # directory changed the school since.
    department = models.ForeignKey("schools.Department", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("type"), max_length=20)
    sector = models.CharField(_("secteur"), max_length=10)
    priority_education = models.CharField(_("éducation prioritaire"), max_length=4, blank=True)
    stage = models.CharField(_("étape"), max_length=12, choices=Stage.choices)
    answered = models.PositiveIntegerField(_("critères renseignés"))
    met = models.PositiveIntegerField(_("critères atteints"))
    overall_level = models.PositiveSmallIntegerField(_("niveau global"))
    overall_score = models.PositiveIntegerField(_("score global (millièmes)"))
    # {domain id: [level reached, score in thousandths]}
    domains = models.JSONField(_("niveaux et scores par domaine"))
    # One letter per criterion, in order: A atteint, E en cours, N non atteint, - non renseigné.
    answers = models.TextField(_("réponses"))

    class Meta:
        verbose_name = _("synthèse de positionnement")
        verbose_name_plural = _("synthèses de positionnements")
        indexes = [
            models.Index(fields=["campaign", "department", "stage"], name="summary_campaign_department"),
            models.Index(fields=["school", "campaign"], name="summary_school_campaign"),
        ]

    def __str__(self):
        return f"synthèse du positionnement {self.assessment_id}"


class Tally(models.Model):
    campaign = models.ForeignKey("assessments.Campaign", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("schools.Department", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("type"), max_length=20)
    sector = models.CharField(_("secteur"), max_length=10)
    priority_education = models.CharField(_("éducation prioritaire"), max_length=4, blank=True)
    stage = models.CharField(_("étape"), max_length=12, choices=Stage.choices)

    class Meta:
        abstract = True


class StageTally(Tally):
    schools = models.IntegerField(pgettext_lazy("count", "écoles"))

    class Meta:
        verbose_name = _("décompte de participation")
        verbose_name_plural = _("décomptes de participation")
        constraints = [models.UniqueConstraint(fields=KEY_FIELDS, name="stage_tally_key")]

    def __str__(self):
        return f"{self.campaign_id}/{self.department_id}/{self.stage} : {self.schools}"


class DomainTally(Tally):
    domain = models.ForeignKey("frameworks.Domain", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("niveau atteint"))
    schools = models.IntegerField(pgettext_lazy("count", "écoles"))
    score_sum = models.BigIntegerField(_("somme des scores (millièmes)"))

    class Meta:
        verbose_name = _("décompte par domaine")
        verbose_name_plural = _("décomptes par domaine")
        constraints = [
            models.UniqueConstraint(fields=[*KEY_FIELDS, "domain", "level"], name="domain_tally_key")
        ]

    def __str__(self):
        return (
            f"{self.campaign_id}/{self.department_id}/{self.domain_id} niveau {self.level} : {self.schools}"
        )


class CriterionTally(Tally):
    criterion = models.ForeignKey("frameworks.Criterion", on_delete=models.CASCADE, related_name="+")
    met = models.IntegerField(_("atteint"))
    in_progress = models.IntegerField(_("en cours"))
    not_met = models.IntegerField(_("non atteint"))

    class Meta:
        verbose_name = _("décompte par critère")
        verbose_name_plural = _("décomptes par critère")
        constraints = [models.UniqueConstraint(fields=[*KEY_FIELDS, "criterion"], name="criterion_tally_key")]

    def __str__(self):
        return f"{self.campaign_id}/{self.department_id}/{self.criterion_id} : {self.met} atteint"


class FigureKind(models.TextChoices):
    PUBLISHED = "published", _("publiée")  # during the campaign, under the rule of publication.py
    CLOSE = "close", _("clôture")  # frozen when the campaign closes (the campaign life cycle)


class FigureArea(models.TextChoices):
    DISTRICT = "district", _("district")
    DEPARTMENT = "department", _("département")
    ACADEMY = "academy", _("académie")
    SIMILAR = "similar", _("écoles semblables")  # area_id: a schools.SimilarGroup


class PublishedFigure(models.Model):
    """The comparison averages of one area for one campaign round, as published: pages,
    reports and the API read these rows, never live sums (publication.py says when a row
    changes). `members` keeps a short digest of each school's contribution, so that the
    rule can count how many schools changed since."""

    framework = models.ForeignKey("frameworks.Framework", on_delete=models.CASCADE, related_name="+")
    school_year = models.CharField(_("année scolaire"), max_length=9)
    area = models.CharField(_("territoire"), max_length=12, choices=FigureArea.choices)
    area_id = models.PositiveBigIntegerField(_("identifiant du territoire"))
    kind = models.CharField(_("nature"), max_length=10, choices=FigureKind.choices)
    schools = models.PositiveIntegerField(pgettext_lazy("count", "écoles"))  # submitted positionings counted
    score_sums = models.JSONField(_("sommes des scores par domaine (millièmes)"))  # {domain id: sum}
    members = models.JSONField(_("empreinte de chaque école"))  # {school id: digest of its scores}
    published_at = models.DateTimeField(_("publiée le"))
    checked_at = models.DateTimeField(_("vérifiée le"))

    class Meta:
        verbose_name = _("moyenne publiée")
        verbose_name_plural = _("moyennes publiées")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "school_year", "area", "area_id", "kind"], name="published_figure_key"
            )
        ]

    def __str__(self):
        return f"{self.get_area_display()} {self.area_id}, {self.school_year} ({self.get_kind_display()})"
