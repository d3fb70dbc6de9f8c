"""Opening a team questionnaire, changing its dates, and the leadership's own answer."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paliers.assessments.models import Campaign
from paliers.frameworks.models import Audience
from paliers.schools.words import school_words

from .models import LeadershipView, SurveyState, TeamSurvey, new_code
from .questionnaire import questionnaire_for
from .responding import create_tallies


def team_campaigns():
    """Campaigns on a framework for teaching teams (the Créteil jalons): the only ones with
    a team questionnaire."""
    return Campaign.objects.filter(framework__audience=Audience.EQUIPE)


def check_dates(campaign, opens_on, closes_on):
    """The questionnaire lives within its campaign: faults as {field: message}."""
    faults = {}
    if opens_on < campaign.opens_on:
        faults["opens_on"] = _("La campagne ouvre le %(date)s : pas avant.") % {
            "date": f"{campaign.opens_on:%d/%m/%Y}"
        }
    if closes_on > campaign.closes_on:
        faults["closes_on"] = _("La campagne se clôt le %(date)s : pas après.") % {
            "date": f"{campaign.closes_on:%d/%m/%Y}"
        }
    if closes_on < opens_on:
        faults["closes_on"] = _("La clôture doit suivre l’ouverture.")
    return faults


def open_survey(campaign, school, opens_on, closes_on, user):
    """Create the school's questionnaire for the campaign, with its short code and its
    tallies at zero. The school must take part in the campaign (it has an assessment)."""
    if campaign.framework.audience != Audience.EQUIPE:
        raise ValidationError(_("Cette campagne ne porte pas sur un référentiel pour les équipes."))
    if not campaign.assessments.filter(school=school).exists():
        raise ValidationError(
            capfirst(_("%(this)s ne fait pas partie de la campagne.") % {"this": school_words(school).this})
        )
    faults = check_dates(campaign, opens_on, closes_on)
    if faults:
        raise ValidationError(faults)
    questionnaire = questionnaire_for(campaign.framework)
    for _attempt in range(5):  # a code already taken: draw again (one chance in millions)
        try:
            with transaction.atomic():
                if TeamSurvey.objects.filter(campaign=campaign, school=school).exists():
                    raise ValidationError(
                        capfirst(
                            _("%(this)s a déjà un questionnaire d’équipe pour cette campagne.")
                            % {"this": school_words(school).this}
                        )
                    )
                survey = TeamSurvey.objects.create(
                    campaign=campaign,
                    school=school,
                    code=new_code(),
                    opens_on=opens_on,
                    closes_on=closes_on,
                    opened_by=user,
                )
                create_tallies(survey, questionnaire)
                return survey
        except IntegrityError:
            continue
    raise RuntimeError("Pas de code court libre après 5 tirages.")


CLOSED_FOR_GOOD = gettext_lazy(
    "Ce questionnaire est clos et ses résultats sont publiés : ses dates ne changent plus. "
    "Un questionnaire rouvert permettrait de comparer deux publications."
)


def change_dates(survey, opens_on, closes_on, today=None):
    """New dates, within the campaign; never for a closed questionnaire (results.py, rule 1)."""
    if survey.state(today or timezone.localdate()) == SurveyState.CLOSED:
        raise ValidationError(CLOSED_FOR_GOOD)
    faults = check_dates(survey.campaign, opens_on, closes_on)
    if faults:
        raise ValidationError(faults)
    survey.opens_on, survey.closes_on = opens_on, closes_on
    # Not the rate-limit fields: a submission may be counting them at this very moment.
    survey.save(update_fields=["opens_on", "closes_on"])


def save_leadership_view(survey, answers, user):
    LeadershipView.objects.update_or_create(survey=survey, defaults={"answers": answers, "updated_by": user})
