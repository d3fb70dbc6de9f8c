"""Rate limits counted in the database, so that every application process shares them.

`take(scope, subject, limit, period)` counts one event of `subject` (a questionnaire, a
client address) in the current window of `period` seconds and says whether it stays within
`limit`; a refused event is not counted (its increment is taken back). The count is one
INSERT … ON CONFLICT … RETURNING (SQLite and PostgreSQL) in the caller's transaction: when
that transaction rolls back (a submission refused for another reason), its events do not
count either.

Privacy: a row holds keyed hashes (HMAC with the SECRET_KEY) of the subject and of the
window's number, never an address or a time of day; rows of earlier windows are deleted as
soon as a subject's first event of a later window is counted.
"""

import hashlib
import hmac

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone

from .models import RateCount


def _digest(*parts):
    message = "\x1f".join(str(part) for part in parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _window(scope, period, now):
    number = int((now or timezone.now()).timestamp()) // period
    return number, _digest("fenêtre", scope, number)[:32]


def current(scope, subject, period, now=None):
    """Events of `subject` counted in the current window."""
    number, _ = _window(scope, period, now)
    found = RateCount.objects.filter(key=_digest(scope, subject, number)[:64]).values_list("count", flat=True)
    return found.first() or 0


def take(scope, subject, limit, period, now=None):
    """Count one event; False (and nothing counted) when it would go beyond `limit`."""
    number, window = _window(scope, period, now)
    key = _digest(scope, subject, number)[:64]
    q = connection.ops.quote_name
    table, columns = q(RateCount._meta.db_table), [q(name) for name in ("key", "scope", "window", "count")]
    # Names from the model, values as parameters; "window" is a reserved word, hence the quotes.
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES (%s, %s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({columns[0]}) DO UPDATE SET {columns[3]} = {table}.{columns[3]} + 1 "
        f"RETURNING {columns[3]}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, scope, window])
        (count,) = cursor.fetchone()
    if count == 1:  # a new window: the rows of the earlier ones go
        RateCount.objects.filter(scope=scope).exclude(window=window).delete()
    if count > limit:
        RateCount.objects.filter(key=key).update(count=F("count") - 1)
        return False
    return True
