"""CSV files that open cleanly in French Excel and LibreOffice.

UTF-8 with a BOM (or Excel reads Windows-1252), `;` between fields and decimal commas (or
Excel splits numbers in two), CRLF line ends. A text cell starting with = + - @ (or a tab
or carriage return) would run as a formula in a spreadsheet: it is written with a leading
apostrophe, which the spreadsheet shows as plain text.
"""

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal

from django.http import HttpResponse

from .charts import format_decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value, digits=2):
    """One value as French Excel reads it: None → empty, 1.5 → « 1,5 », dates as jj/mm/aaaa."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return format_decimal(float(value), digits).rstrip("0").rstrip(",") if value else "0"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file that hands back what is written: csv.writer then returns each line."""

    def write(self, value):
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text line by line, BOM first: a large export streams without sitting in memory."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([cell(name) for name in header])
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    return "".join(csv_lines(header, rows)).encode("utf-8")


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
