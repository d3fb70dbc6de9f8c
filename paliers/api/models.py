"""Personal API tokens: a user acts through the API with their own rights.

Only a SHA-256 hash of each token is stored: the token is shown once, when it is
created, and a copy of the database gives no one a working token. A plain hash (no
salt, no slow hashing) is enough because a token is 32 random bytes, not a password
someone chose; it also lets a request find its token with one indexed lookup.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

PREFIX = "pal_"


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("nom", max_length=100)
    key_hash = models.CharField("empreinte", max_length=64, unique=True)
    # The first characters of the token, so that its owner can tell their tokens apart.
    prefix = models.CharField("début du jeton", max_length=8)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d’accès à l’API"
        verbose_name_plural = "jetons d’accès à l’API"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name):
        """A new token for `user`: returns (ApiToken, the token itself, to show once)."""
        key = PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=hash_key(key), prefix=key[:8])
        return token, key

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
