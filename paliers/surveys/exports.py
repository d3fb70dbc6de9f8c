"""The school's results as CSV for French Excel and LibreOffice: UTF-8 with a BOM (or
Excel reads it as Windows-1252), `;` between fields and decimal commas (or Excel splits
numbers and dates in two). Only the results (results.py): never a response."""

import csv
import io

from django.utils.translation import gettext_lazy as _

from paliers.core.charts import format_decimal

HEADER_AFTER_LEVELS = (
    _("Je ne sais pas"),
    _("Jalon médian"),
    _("Équipe de direction"),
    _("Écart (direction − équipe)"),
)


def _number(value):
    return "" if value is None else format_decimal(value)


def results_csv(results):
    """A heading line, then one line per axis. `results` must be available."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Axe"), _("Réponses"), *(label for __, label in results.levels), *HEADER_AFTER_LEVELS])
    for axis in results.axes:
        leadership = _("je ne sais pas") if axis.leadership_dont_know else _number(axis.leadership)
        counts = [results.responses, *axis.counts, axis.dont_know]
        writer.writerow([axis.title, *counts, _number(axis.median), leadership, _number(axis.gap)])
    return out.getvalue().encode("utf-8")
