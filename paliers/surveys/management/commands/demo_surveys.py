from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone

from paliers.surveys.demo import create_demo_surveys
from paliers.surveys.models import SurveyState
from paliers.surveys.results import MIN_RESPONSES


class Command(BaseCommand):
    help = (
        "Crée les questionnaires d’équipe de démonstration (campagnes sur les jalons de l’année en "
        "cours : celui du collège clos hier, résultats publiés ; celui de l’école ouvert aujourd’hui) "
        "et affiche leurs liens ; s’ils existent déjà, ne change rien."
    )

    def handle(self, *args, **options):
        result = create_demo_surveys()
        if result.created:
            self.stdout.write("Questionnaires d’équipe de démonstration créés :")
        else:
            self.stdout.write("Questionnaires d’équipe de démonstration déjà là, rien n’a été modifié :")
        site = f"{settings.SITE_PROTOCOL}://{settings.SITE_DOMAIN}"
        today = timezone.localdate()
        for survey, responses in result.surveys:
            if responses < MIN_RESPONSES:
                shown = f"moins de {MIN_RESPONSES}, résultats non publiés"
            elif survey.state(today) == SurveyState.CLOSED:
                shown = "clos : résultats publiés"
            else:
                shown = "résultats publiés à la clôture"
            self.stdout.write(
                f"  {survey.school} — {survey.campaign.school_year}, du {survey.opens_on:%d/%m/%Y} au "
                f"{survey.closes_on:%d/%m/%Y} : {responses} réponses ({shown})\n"
                f"    code {survey.code} — répondre : {site}{survey.get_respond_url()}"
            )
        self.stdout.write(
            f"  et {result.others} questionnaires d’autres écoles, pour les synthèses de « animateur », "
            f"« inspectrice » et « dan » ({site}{reverse('surveys:aggregates')})."
        )
