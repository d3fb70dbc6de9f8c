from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from paliers.audit.models import AuditEvent

RETENTION = timedelta(days=365)


class Command(BaseCommand):
    help = "Efface les événements du journal de sécurité de plus d’un an (à lancer chaque jour, par cron)."

    def handle(self, *args, **options):
        deleted, _ = AuditEvent.objects.filter(at__lt=timezone.now() - RETENTION).delete()
        self.stdout.write(f"{deleted} événement(s) de plus d’un an effacé(s).")
