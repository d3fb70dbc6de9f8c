"""Authentication of API requests: `Authorization: Bearer <personal token>`."""

from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken, hash_key

# Writing last_used_at on every request would make every read a write (and, on SQLite,
# take the database's single write lock): once a minute is precise enough for a person
# deciding whether a token is still in use.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if not token:
            return None
        found = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(key_hash=hash_key(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        # The permission functions read request.user, as for the web pages.
        request.user = found.user
        request.api_token = found
        return found.user
