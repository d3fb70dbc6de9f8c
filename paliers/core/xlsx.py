"""Spreadsheets that come from outside, and text cells that stay text.

Shared by every upload of an XLSX file (an assessment filled offline, a framework written
in Excel or LibreOffice). An uploaded workbook is untrusted: it must be a real XLSX of
reasonable size, an archive that would inflate beyond reason is refused before it is
parsed, and openpyxl reads it read-only (with defusedxml installed, entity tricks are
refused too). Whoever reads cells names the sheet and the cell of every fault.
"""

import io
import warnings
import zipfile

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from . import xlsx_reading

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 40 * 1024 * 1024  # an export of the largest framework is < 100 kB
MAX_MEMBERS = 200
MAX_RATIO = 100  # the XML of a real workbook deflates 5 to 20 times
MAX_FAULTS = 50


class SpreadsheetInvalid(Exception):
    """The file cannot be taken: `faults` says why, in French, cell by cell where it can."""

    def __init__(self, faults):
        self.faults = list(faults)
        super().__init__("\n".join(self.faults))


def where(sheet, row, column):
    """« feuille « Critères », cellule C12 »: how every fault names its place."""
    return _("feuille « %(sheet)s », cellule %(cell)s") % {
        "sheet": sheet,
        "cell": f"{get_column_letter(column)}{row}",
    }


def check_archive(content):
    """Refuse what is not an XLSX, or would inflate beyond reason, before parsing it."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise SpreadsheetInvalid(
            [_("Fichier trop volumineux : %(max)s Mo au plus.") % {"max": MAX_UPLOAD_BYTES // (1024 * 1024)}]
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise SpreadsheetInvalid([_("Ce fichier n’est pas un classeur Excel (.xlsx).")]) from None
    with archive:
        members = archive.infolist()
        total = sum(member.file_size for member in members)
        inflating = any(
            member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1)
            for member in members
        )
        if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED_BYTES or inflating:
            raise SpreadsheetInvalid(
                [_("Ce classeur se décompresse en un volume démesuré : il est refusé par prudence.")]
            )
        if "xl/workbook.xml" not in archive.namelist():
            raise SpreadsheetInvalid([_("Ce fichier n’est pas un classeur Excel (.xlsx).")])
        damaged = xlsx_reading.check_members(archive)
        if damaged:
            raise SpreadsheetInvalid([damaged])


def open_workbook(content):
    """The workbook, read-only, formulas kept as formulas (so that they can be refused)."""
    check_archive(content)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            return load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises anything on a crafted workbook
        raise SpreadsheetInvalid(
            [
                _(
                    "Classeur illisible (%(reason)s) : enregistrez-le de nouveau depuis votre tableur, "
                    "ou repartez d’un nouvel export."
                )
                % {"reason": xlsx_reading.why(error)}
            ]
        ) from None


def read_cells(sheet, max_row, max_column):
    """{(row, column): (value, data type)} of a read-only sheet, up to that row and column;
    SpreadsheetInvalid naming each cell or row that cannot be read (xlsx_reading.py)."""
    cells, faults = xlsx_reading.read_cells(sheet, max_row, max_column)
    if faults:
        extra = len(faults) - MAX_FAULTS
        raise SpreadsheetInvalid(
            faults[:MAX_FAULTS]
            + (
                [
                    ngettext("… et %(count)s autre erreur.", "… et %(count)s autres erreurs.", extra)
                    % {"count": extra}
                ]
                if extra > 0
                else []
            )
        )
    return cells


def put(sheet, row, column, value, **style):
    """Write a cell; a text stays a text (never a formula), styles given by name."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell
