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

MIN_SCHOOLS = 5  # the small-group rule (aggregates.disclosed)


class Stage(models.TextChoices):
    NOT_STARTED = "not_started", _("non commencé")
    IN_PROGRESS = "in_progress", _("en cours")
    SUBMITTED = "submitted", _("soumis")


STARTED = (Stage.IN_PROGRESS, Stage.SUBMITTED)
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
    kind = models.CharField("type", max_length=20)
    sector = models.CharField("secteur", max_length=10)
    priority_education = models.CharField("éducation prioritaire", max_length=4, blank=True)
    stage = models.CharField("étape", max_length=12, choices=Stage.choices)
    answered = models.PositiveIntegerField("critères renseignés")
    met = models.PositiveIntegerField("critères atteints")
    overall_level = models.PositiveSmallIntegerField("niveau global")
    overall_score = models.PositiveIntegerField("score global (millièmes)")
    # {domain id: [level reached, score in thousandths]}
    domains = models.JSONField("niveaux et scores par domaine")
    # One letter per criterion, in order: A atteint, E en cours, N non atteint, - non renseigné.
    answers = models.TextField("réponses")

    class Meta:
        verbose_name = "synthèse de positionnement"
        verbose_name_plural = "synthèses de positionnements"
        indexes = [
            models.Index(fields=["campaign", "department", "stage"], name="summary_campaign_department"),
            models.Index(fields=["school", "campaign"], name="summary_school_campaign"),
        ]

    def __str__(self):
        return f"synthèse du positionnement {self.assessment_id}"


class Tally(models.Model):
    campaign = models.ForeignKey("assessments.Campaign", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("schools.Department", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("type", max_length=20)
    sector = models.CharField("secteur", max_length=10)
    priority_education = models.CharField("éducation prioritaire", max_length=4, blank=True)
    stage = models.CharField("étape", max_length=12, choices=Stage.choices)

    class Meta:
        abstract = True


class StageTally(Tally):
    schools = models.IntegerField("écoles")

    class Meta:
        verbose_name = "décompte de participation"
        verbose_name_plural = "décomptes de participation"
        constraints = [models.UniqueConstraint(fields=KEY_FIELDS, name="stage_tally_key")]

    def __str__(self):
        return f"{self.campaign_id}/{self.department_id}/{self.stage} : {self.schools}"


class DomainTally(Tally):
    domain = models.ForeignKey("frameworks.Domain", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField("niveau atteint")
    schools = models.IntegerField("écoles")
    score_sum = models.BigIntegerField("somme des scores (millièmes)")

    class Meta:
        verbose_name = "décompte par domaine"
        verbose_name_plural = "décomptes par domaine"
        constraints = [
            models.UniqueConstraint(fields=[*KEY_FIELDS, "domain", "level"], name="domain_tally_key")
        ]

    def __str__(self):
        return (
            f"{self.campaign_id}/{self.department_id}/{self.domain_id} niveau {self.level} : {self.schools}"
        )


class CriterionTally(Tally):
    criterion = models.ForeignKey("frameworks.Criterion", on_delete=models.CASCADE, related_name="+")
    met = models.IntegerField("atteint")
    in_progress = models.IntegerField("en cours")
    not_met = models.IntegerField("non atteint")

    class Meta:
        verbose_name = "décompte par critère"
        verbose_name_plural = "décomptes par critère"
        constraints = [models.UniqueConstraint(fields=[*KEY_FIELDS, "criterion"], name="criterion_tally_key")]

    def __str__(self):
        return f"{self.campaign_id}/{self.department_id}/{self.criterion_id} : {self.met} atteint"
