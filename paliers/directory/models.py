from django.conf import settings
from django.db import models


class PendingImport(models.Model):
    """An uploaded directory file between its preview and its application.

    Kept in the database rather than on a local disk so that any application process
    behind a load balancer can apply it.
    """

    content = models.BinaryField("contenu")
    filename = models.CharField("nom du fichier", max_length=255)
    skip_invalid = models.BooleanField("importer malgré les lignes rejetées", default=False)
    summary = models.JSONField("résumé de l’aperçu", default=dict)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "import en attente"
        verbose_name_plural = "imports en attente"

    def __str__(self):
        return self.filename
