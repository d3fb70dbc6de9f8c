"""What the authoring of frameworks keeps between two requests: a workbook read and checked,
waiting for its preview to be confirmed."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PendingFramework(models.Model):
    """A framework workbook read without a fault, waiting to be loaded.

    In the database (not on a local disk) so that any application process can load it;
    only the checked data is kept, never the uploaded file."""

    filename = models.CharField(_("nom du fichier"), max_length=255)
    # {"framework": the YAML document's data, "crosswalk": the crosswalk's data or null}
    data = models.JSONField(_("contenu vérifié"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("référentiel déposé en attente")
        verbose_name_plural = _("référentiels déposés en attente")

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        return reverse("authoring:preview", args=[self.pk])
