"""Structured logs: one JSON object per line, for a log collector to index without parsing
prose. Chosen with PALIERS_LOG_FORMAT=json (the default in production)."""

import json
import logging
from datetime import UTC, datetime

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
