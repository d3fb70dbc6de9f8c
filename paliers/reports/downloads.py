"""HTTP responses for documents: attachments with a French file name that every browser
reads (ASCII fallback plus RFC 6266's UTF-8 form)."""

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def disposition(filename):
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip("-") or "document"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def attachment(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = disposition(filename)
    return response


def streamed_attachment(chunks, filename, content_type, length=None):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = disposition(filename)
    if length is not None:
        response["Content-Length"] = str(length)
    return response
