import json
import logging

from django.test import RequestFactory

from paliers.core.logs import JsonFormatter


def test_a_log_line_is_one_json_object_with_the_request_and_extras():
    request = RequestFactory().get("/annuaire/")
    record = logging.makeLogRecord(
        {"name": "paliers.api", "levelname": "ERROR", "msg": "échec %s", "args": ("ici",),
         "request": request, "school": "0940176F", "count": 3}
    )  # fmt: skip
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "échec ici" and entry["level"] == "ERROR" and entry["logger"] == "paliers.api"
    assert entry["method"] == "GET" and entry["path"] == "/annuaire/"
    assert entry["school"] == "0940176F" and entry["count"] == 3 and entry["time"].endswith("+00:00")


def test_exceptions_are_kept_in_the_line():
    try:
        raise ValueError("cassé")
    except ValueError:
        import sys

        record = logging.makeLogRecord({"msg": "oups", "exc_info": sys.exc_info()})
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: cassé" in entry["exception"]


def test_a_refusal_is_logged_in_one_line_with_its_reason(client, db, caplog):
    """403 and 404: a warning of one line saying why, never the exception's traceback."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("curieux"))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/annuaire/0000000A/").status_code == 404
        assert client.get("/journal/").status_code == 403
        assert client.get("/pas/une/adresse/").status_code == 404
    lines = [(record.levelname, record.getMessage(), record.exc_info) for record in caplog.records]
    assert [line[2] for line in lines] == [None, None, None]
    assert lines[0][:2] == ("WARNING", "Not Found: /annuaire/0000000A/")
    assert lines[1] == (
        "WARNING",
        "Forbidden (Permission denied): /journal/ — Cette page est réservée à d’autres rôles.",
        None,
    )
    assert lines[2][1] == "Not Found: /pas/une/adresse/"  # not the list of every URL pattern tried
    formatted = [logging.Formatter("%(levelname)s %(message)s").format(record) for record in caplog.records]
    assert all("\n" not in line and "Traceback" not in line for line in formatted)
