from django.db import DatabaseError
from django.urls import reverse

from paliers.core import health


def test_healthy_without_login(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_pending_migrations_make_it_unhealthy(client, db, monkeypatch):
    class Executor:
        def __init__(self, connection):
            self.loader = type(
                "Loader", (), {"graph": type("Graph", (), {"leaf_nodes": lambda self: []})()}
            )()

        def migration_plan(self, targets):
            return [("objectives", "0002_future")]

    monkeypatch.setattr(health, "MigrationExecutor", Executor)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 migration(s) à appliquer"


def test_an_unreachable_database_is_503(client, db, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "connection", Unreachable())
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "erreur",
        "database": "injoignable : DatabaseError",
        "migrations": "non vérifiées",
    }
