"""Structured logs: one JSON object per line, for a log collector to index without parsing
prose. Chosen with PALIERS_LOG_FORMAT=json (the default in production)."""

import json
import logging
from datetime import UTC, datetime

from django.urls import Resolver404

# Attributes every LogRecord has: what is left in a record's __dict__ was passed as `extra`.
STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            entry["method"], entry["path"] = request.method, request.path
        for key, value in vars(record).items():
            if key not in STANDARD and key != "request":
                entry[key] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RefusalsInOneLine(logging.Filter):
    """A 403 or a 404 is a refusal, not a fault: Django logs it with the exception's
    traceback, tens of lines for a mistyped address. Kept as one line, with the reason."""

    def filter(self, record):
        if record.exc_info and 400 <= getattr(record, "status_code", 500) < 500:
            exception = record.exc_info[1]
            if isinstance(exception, Resolver404) or not exception or not exception.args:
                reason = ""  # Resolver404's argument lists every URL pattern tried
            else:
                reason = " ".join(str(exception).split())[:300]
            record.msg, record.args = record.getMessage() + (f" — {reason}" if reason else ""), None
            record.exc_info, record.exc_text = None, None
        return True
