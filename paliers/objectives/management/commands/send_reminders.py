from django.core.management.base import BaseCommand

from paliers.objectives.reminders import WINDOW, send_reminders


class Command(BaseCommand):
    help = (
        f"Envoie par courriel aux pilotes les rappels des objectifs engagés dont l’échéance tombe dans "
        f"les {WINDOW.days} jours ou est dépassée. Chaque rappel part au plus une fois par jour : la "
        "commande peut être lancée plusieurs fois par jour (cron)."
    )

    def handle(self, *args, **options):
        emails, reminded = send_reminders()
        self.stdout.write(f"{emails} courriel(s) envoyé(s), {reminded} rappel(s) d’objectif.")
