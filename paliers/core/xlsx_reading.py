"""Reading an untrusted workbook's cells without ever failing on what it holds.

openpyxl reads a read-only sheet lazily, converting each cell as it parses it: a crafted
file (a cell reference like « ZZZZZ5 », a number that is not one, a shared string that does
not exist, a date out of any calendar, a row numbered « abc », XML cut short, a member whose
checksum is wrong) raises in the middle of the iteration. Here every such fault becomes a
French message naming the sheet and the cell — or the row after which the sheet could not be
read — and the reading goes on where it can.

This leans on openpyxl's WorkSheetParser and on attributes of its read-only workbook and
sheet (`_get_source`, `_shared_strings`, `epoch`, `_date_formats`): the version is pinned
in uv.lock, and tests/test_xlsx_hostile.py exercises each of them.
"""

import warnings
import zipfile
import zlib
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser

# What a damaged archive or unreadable XML raises while it is being read.
UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, ParseError, OSError, NotImplementedError)
CELL_ERRORS = (ValueError, IndexError, TypeError, OverflowError, KeyError, AttributeError)


def why(error):
    """A French reason for what reading raised."""
    if isinstance(error, zipfile.BadZipFile | zlib.error | EOFError | OSError | NotImplementedError):
        return _("archive endommagée (somme de contrôle ou compression)")
    if isinstance(error, ParseError):
        return _("XML mal formé")
    if isinstance(error, IndexError):
        return _("texte partagé introuvable")
    if isinstance(error, OverflowError):
        return _("nombre ou date hors limites")
    return _("valeur ou référence impossible")


class _TolerantParser(WorkSheetParser):
    """A sheet parser that notes a cell or a row it cannot read and goes on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.faults = []  # (row number, place, reason)

    def parse_row(self, row):
        try:
            return super().parse_row(row)
        except CELL_ERRORS as error:
            # A row number that is not one: the row is left out, the next ones still read.
            self.row_counter += 1
            place = _("ligne après la ligne %(row)s") % {"row": self.row_counter - 1}
            self.faults.append((self.row_counter, place, why(error)))
            return self.row_counter, []

    def parse_cell(self, element):
        try:
            return super().parse_cell(element)
        except CELL_ERRORS as error:
            self.col_counter += 1
            place = element.get("r") or f"{get_column_letter(self.col_counter)}{self.row_counter}"
            self.faults.append((self.row_counter, _("cellule %(cell)s") % {"cell": place[:20]}, why(error)))
            # A cell nobody can use: an error value, which every reader refuses as an answer.
            return {
                "row": self.row_counter, "column": self.col_counter, "value": "#VALEUR!",
                "data_type": "e", "style_id": 0,
            }  # fmt: skip


def read_cells(sheet, max_row, max_column):
    """({(row, column): (value, data type)}, [faults in French]) of a read-only sheet, up to
    that row and column; the faults of the rows read, each naming the sheet."""
    workbook, cells, last = sheet.parent, {}, 0
    faults = []
    try:
        source = sheet._get_source()
    except UNREADABLE as error:
        return cells, [
            _("feuille « %(sheet)s » : illisible (%(reason)s).")
            % {"sheet": sheet.title, "reason": why(error)}
        ]
    parser = _TolerantParser(
        source,
        sheet._shared_strings,
        data_only=workbook.data_only,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dates out of range: openpyxl warns, then gives « #VALUE! »
            for number, row in parser.parse():
                if number > max_row:
                    break
                last = max(last, number)
                for cell in row:
                    if cell["row"] <= max_row and cell["column"] <= max_column:
                        cells[cell["row"], cell["column"]] = (cell["value"], cell["data_type"])
    except UNREADABLE as error:
        faults.append(
            _(
                "feuille « %(sheet)s », après la ligne %(row)s : illisible (%(reason)s) ; "
                "enregistrez de nouveau le classeur depuis votre tableur, ou repartez d’un nouvel export."
            )
            % {"sheet": sheet.title, "row": last, "reason": why(error)}
        )
    finally:
        source.close()
    faults[:0] = [
        _("feuille « %(sheet)s », %(place)s : %(reason)s ; corrigez ou effacez-la.")
        % {"sheet": sheet.title, "place": place, "reason": reason}
        for number, place, reason in parser.faults
        if number <= max_row
    ]
    return cells, faults


def check_members(archive):
    """Read every member to its end (its size is bounded before): a wrong checksum or a
    broken compression, named by member, rather than in the middle of a sheet."""
    for member in archive.infolist():
        try:
            with archive.open(member) as data:
                while data.read(1 << 20):
                    pass
        except UNREADABLE as error:
            return _(
                "Le fichier interne « %(member)s » du classeur est endommagé (%(reason)s) : "
                "enregistrez de nouveau le classeur depuis votre tableur, ou repartez d’un nouvel export."
            ) % {"member": member.filename[:100], "reason": why(error)}
    return None
