"""Reading a directory file into one entry per UAI, with its rejected rows (no database).

The first step of an import (importing.py): the rows of a file, whatever the ministry's
format or a spreadsheet made of it (import_formats.py), become `Entry`s; rows that cannot be
schools become `Rejection`s with their line number.
"""

import csv
import itertools
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from . import import_formats as formats
from .import_formats import ImportFileError
from .models import Academy, Department, District, School, SchoolKind
from .uai import normalize_uai, uai_error

PROGRESS_EVERY = 1000


@dataclass
class Rejection:
    line: int
    reason: str


@dataclass
class Entry:
    """One school as the file gives it, its rows merged."""

    uai: str
    lines: list[int]
    values: dict  # school field → value, for the fields the file gives
    department: str
    districts: dict  # district kind → {code: name}


@dataclass
class ParsedFile:
    format_name: str
    entries: dict = field(default_factory=dict)  # uai → Entry, in the file's order
    departments: dict = field(default_factory=dict)  # code → [name, académie code]
    academies: dict = field(default_factory=dict)  # code → name
    rejected: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def parse(file, progress=None):
    """The file's schools, one entry per UAI, and its rejected rows (no database)."""
    with formats.open_text(file) as (text, line_count):
        return _parse_rows(text, line_count, progress)


def _parse_rows(text, line_count, progress):
    header_line = text.readline()
    reader = csv.reader(itertools.chain([header_line], text), delimiter=formats.detect_delimiter(header_line))
    columns = formats.recognise(next(reader, []))
    parsed = ParsedFile(columns.format.name)
    read = formats.row_reader(columns)
    total = max(line_count - 1, 1)
    done, end_of_previous = 0, reader.line_num
    try:
        for cells in reader:
            line, end_of_previous = end_of_previous + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(min(done, total), total)
            _add_row(parsed, line, *read(cells))
    except csv.Error as error:
        raise ImportFileError(
            _("fichier CSV illisible à la ligne %(line)s : guillemets ou champ démesuré (%(error)s)")
            % {"line": end_of_previous + 1, "error": error}
        ) from None
    _check_entries(parsed)
    if progress:
        progress(done, done)
    return parsed


def _add_row(parsed, line, uai, values, department, districts, place):
    error = uai_error(uai)
    if error:
        parsed.rejected.append(Rejection(line, error))
        return
    uai = normalize_uai(uai)
    department_name, academy_code, academy_name = place
    too_long = _too_long_place(department, place, districts)
    if too_long:
        parsed.rejected.append(
            Rejection(line, _("UAI %(uai)s : %(reason)s") % {"uai": uai, "reason": too_long})
        )
        return
    if department:
        known = parsed.departments.setdefault(department, ["", ""])
        known[0] = known[0] or department_name
        known[1] = known[1] or academy_code
    if academy_code and not parsed.academies.get(academy_code):
        parsed.academies[academy_code] = academy_name
    entry = parsed.entries.get(uai)
    if entry is None:
        parsed.entries[uai] = Entry(uai, [line], values, department, districts)
        return
    # The first row wins; later rows fill its blanks and add their districts.
    entry.lines.append(line)
    for name, value in values.items():
        if value and not entry.values.get(name):
            entry.values[name] = value
    entry.department = entry.department or department
    for kind, found in districts.items():
        for code, name in found.items():
            entry.districts.setdefault(kind, {}).setdefault(code, name)


def _too_long(model, name, value, what=""):
    """Why a text does not fit its column (PostgreSQL would refuse it), or ""."""
    field = model._meta.get_field(name)
    limit = getattr(field, "max_length", None)
    if not isinstance(value, str) or not limit or len(value) <= limit:
        return ""
    return _("%(field)s trop long (%(length)s caractères, %(limit)s au plus)") % {
        "field": what or field.verbose_name,
        "length": len(value),
        "limit": limit,
    }


def _too_long_place(department, place, districts):
    """Why a row's académie, département or district texts do not fit their columns, or ""."""
    department_name, academy_code, academy_name = place
    checks = [
        (Department, "code", department, _("code du département")),
        (Department, "name", department_name, _("nom du département")),
        (Academy, "code", academy_code, _("code de l'académie")),
        (Academy, "name", academy_name, _("nom de l'académie")),
    ]
    for found in districts.values():
        for code, name in found.items():
            checks.append((District, "code", code, _("code du district")))
            checks.append((District, "name", name, _("nom du district")))
    return next((reason for check in checks if (reason := _too_long(*check))), "")


def _check_entries(parsed):
    """Reject the schools that have no name, or a text too long for its column, on every
    line they come from."""
    for uai, entry in list(parsed.entries.items()):
        if not entry.values["name"] and entry.values.get("kind"):
            # The ministry lists some schools before they have a name (a collège "à ouvrir"):
            # the school exists, its kind is known, so it gets a name that says so.
            # The name is stored: in French whatever the importer's language.
            with translation.override(settings.LANGUAGE_CODE):
                kind = str(SchoolKind(entry.values["kind"]).label)
            provisional = f"{kind.capitalize()} sans nom ({uai})"
            entry.values["name"] = provisional
            parsed.notes.append(
                _("UAI %(uai)s (ligne %(line)s) : pas de nom dans le fichier, nommé « %(name)s »")
                % {"uai": uai, "line": entry.lines[0], "name": provisional}
            )
        reason = "" if entry.values["name"] else _("nom de l'établissement manquant")
        for name, value in entry.values.items():
            reason = reason or _too_long(School, name, value)
        if not entry.department:
            reason = reason or _("code du département manquant")
        if reason:
            del parsed.entries[uai]
            reason = _("UAI %(uai)s : %(reason)s") % {"uai": uai, "reason": reason}
            parsed.rejected.extend(Rejection(line, reason) for line in entry.lines)
