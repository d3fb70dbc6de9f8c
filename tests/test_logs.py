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
