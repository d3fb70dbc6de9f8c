"""The health endpoint for load balancers and monitoring: the database answers and every
migration is applied. JSON, no login, nothing secret; 503 when something is wrong."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"injoignable : {type(error).__name__}"
    return "ok"


def check_migrations():
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return f"illisibles : {type(error).__name__}"
    return "ok" if not pending else f"{len(pending)} migration(s) à appliquer"


@never_cache
@require_safe
@login_not_required
def health(request):
    database = check_database()
    checks = {"database": database, "migrations": check_migrations() if database == "ok" else "non vérifiées"}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "erreur", **checks}, status=200 if healthy else 503)
