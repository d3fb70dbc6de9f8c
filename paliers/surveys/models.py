"""The anonymous team questionnaire: teachers place their own practice on the jalons,
axis by axis, beside the leadership's view of the same school.

Privacy by construction: a response row holds the answers, the day of the last change and
a hash of a random browser cookie — no account, name, e-mail, IP address, user agent or
time of day. Results are read from tallies kept up to date on every response, never from
the rows, once the questionnaire is closed, from MIN_RESPONSES responses, and with a fixed
secret noise on every count (results.py).
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from paliers.assessments.models import Campaign
from paliers.schools.models import School

# Short codes are read aloud and typed on phones: no 0/O, 1/I/L, nor U/V.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CODE_LENGTH = 6  # 29⁶ ≈ 595 million codes: guessing one that exists is hopeless
DONT_KNOW = 0  # the answer « je ne sais pas », stored as level 0


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_seed():
    return secrets.token_hex(32)


class SurveyState(models.TextChoices):
    # Dated, its opening day to come; a questionnaire not yet created is « à ouvrir » (surveys/list.html).
    UPCOMING = "upcoming", _("à venir")
    OPEN = "open", _("ouvert")
    CLOSED = "closed", _("clos")


class TeamSurvey(models.Model):
    """One school's team questionnaire within a campaign on a framework for teams (jalons)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="team_surveys")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="team_surveys")
    code = models.CharField(_("code court"), max_length=12, unique=True, default=new_code)
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(
        _("clôture"), help_text=_("Dernier jour pour répondre ou modifier sa réponse.")
    )
    opened_at = models.DateTimeField(_("ouvert le"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The secret of the noise added to the published counts (results.py): drawn once, never
    # shown, so that nobody can take the noise away, and the same on every reading.
    noise_seed = models.CharField(_("graine du bruit"), max_length=64, default=new_seed, editable=False)

    class Meta:
        verbose_name = _("questionnaire d’équipe")
        verbose_name_plural = _("questionnaires d’équipe")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "school"],
                name="team_survey_one_per_school_and_campaign",
                violation_error_message=_(
                    "Cette école a déjà un questionnaire d’équipe pour cette campagne."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="team_survey_closes_after_opening",
                violation_error_message=_("La clôture doit suivre l’ouverture."),
            ),
        ]

    def __str__(self):
        return f"{self.school} — {self.campaign}"

    def get_absolute_url(self):
        return reverse("surveys:detail", args=[self.pk])

    def get_respond_url(self):
        return reverse("surveys:respond", args=[self.code])

    def state(self, today):
        if today < self.opens_on:
            return SurveyState.UPCOMING
        return SurveyState.OPEN if today <= self.closes_on else SurveyState.CLOSED


class SurveyResponse(models.Model):
    """One browser's response. Deliberately nothing about the person: see the module's docstring."""

    survey = models.ForeignKey(TeamSurvey, on_delete=models.CASCADE, related_name="responses")
    # SHA-256 of the survey and the browser's random cookie: the same browser finds its
    # response again to change it; the row cannot lead back to the browser, nor link two surveys.
    browser_hash = models.CharField(_("empreinte du navigateur"), max_length=64)
    # {axis (domain) code: jalon number, 0 for « je ne sais pas »}
    answers = models.JSONField(_("réponses"))
    # The day only: a time of day could match a response to the person seen answering.
    answered_on = models.DateField(_("date de la réponse"))

    class Meta:
        verbose_name = _("réponse au questionnaire d’équipe")
        verbose_name_plural = _("réponses au questionnaire d’équipe")
        constraints = [
            models.UniqueConstraint(fields=["survey", "browser_hash"], name="survey_response_one_per_browser")
        ]

    def __str__(self):
        return f"réponse {self.pk} — {self.survey}"


class AxisTally(models.Model):
    """How many responses chose each jalon (0: « je ne sais pas ») on one axis, kept up to
    date with every response: pages and aggregates read these, never the responses."""

    survey = models.ForeignKey(TeamSurvey, on_delete=models.CASCADE, related_name="tallies")
    # The axis's (domain's) code, as in the responses: stable, since a framework never changes.
    axis = models.CharField(_("axe"), max_length=40)
    level = models.PositiveSmallIntegerField(_("jalon"))
    count = models.PositiveIntegerField(_("réponses"), default=0)

    class Meta:
        verbose_name = _("décompte par axe")
        verbose_name_plural = _("décomptes par axe")
        constraints = [models.UniqueConstraint(fields=["survey", "axis", "level"], name="axis_tally_unique")]

    def __str__(self):
        return f"{self.axis} {self.level} : {self.count}"


class LeadershipView(models.Model):
    """The « équipe de direction »'s answer to the same questionnaire: one collective answer
    that the head and the référent settle together, signed (they answer as the leadership,
    not anonymously), shown beside the team's results."""

    survey = models.OneToOneField(TeamSurvey, on_delete=models.CASCADE, related_name="leadership_view")
    answers = models.JSONField(_("réponses"))  # as SurveyResponse.answers
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("vue de l’équipe de direction")
        verbose_name_plural = _("vues de l’équipe de direction")

    def __str__(self):
        return f"équipe de direction — {self.survey}"
