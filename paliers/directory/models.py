from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from paliers.workers.models import TrackedWork


class PendingImport(TrackedWork):
    """An uploaded directory file, from its preview to its application by a background task.

    Kept in the database rather than on a local disk so that any application process
    behind a load balancer, or any worker, can apply it. `queued_at` is empty while the
    administrator reads the preview; once they apply it, the task's progress (lines read)
    and its outcome (`result`, the summary of what changed) are followed here."""

    content = models.BinaryField(_("contenu"))
    filename = models.CharField(_("nom du fichier"), max_length=255)
    skip_invalid = models.BooleanField(_("importer malgré les lignes rejetées"), default=False)
    summary = models.JSONField(_("résumé de l’aperçu"), default=dict)
    result = models.JSONField(_("résumé de l’import appliqué"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("import en attente")
        verbose_name_plural = _("imports en attente")

    def __str__(self):
        return self.filename

    @property
    def previewed_only(self):
        return self.queued_at is None
