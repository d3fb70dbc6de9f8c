"""What every app may use: the counters of the rate limits (ratelimit.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCount(models.Model):
    """How many events one subject (a questionnaire, a client address…) had in the current
    window of a rate limit. Keys are keyed hashes: neither the address, nor the subject, nor
    the time of day can be read from a row; rows of past windows are deleted as the next
    window starts."""

    key = models.CharField(_("clé"), max_length=64, unique=True)
    scope = models.CharField(_("limite"), max_length=40)
    window = models.CharField(_("fenêtre"), max_length=32)  # a hash of the window's number
    count = models.PositiveIntegerField(_("événements"), default=0)

    class Meta:
        verbose_name = _("compteur de limite de débit")
        verbose_name_plural = _("compteurs de limite de débit")
        indexes = [models.Index(fields=["scope", "window"], name="rate_count_scope_window")]

    def __str__(self):
        return f"{self.scope} : {self.count}"
