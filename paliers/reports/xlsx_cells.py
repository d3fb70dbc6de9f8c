"""Cells and sheets of the exported workbook: styles, text cells that stay text, headings,
protection and print settings."""

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

from paliers.core.xlsx import put

BLUE = "000091"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14, color=BLUE)
HEADER_FILL = PatternFill("solid", fgColor="E3E3FD")
DOMAIN_FILL = PatternFill("solid", fgColor="F6F6F6")
INPUT_FILL = PatternFill("solid", fgColor="FFF9E6")  # the cells to fill in
THIN = Side(style="thin", color="929292")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)
UNLOCKED = Protection(locked=False)
DATE_FORMAT = "DD/MM/YYYY"


def formula(sheet, row, column, text, **style):
    cell = sheet.cell(row=row, column=column, value=text)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def wrapped_lines(text, width):
    """Lines a text wraps to in a column `width` characters wide (about)."""
    return sum(max(1, -(-len(paragraph) // int(width * 1.1))) for paragraph in (text or "").split("\n"))


def print_across(sheet):
    """Landscape, as wide as the page, as many pages down as needed."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def print_on_one_page(sheet):
    print_across(sheet)
    sheet.page_setup.fitToHeight = 1


def protect(sheet):
    """Protected without a password: a guard against slips (the import checks anyway), not
    a lock. Column widths and row heights stay adjustable."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def heading(sheet, assessment, subtitle, now):
    school = assessment.school
    put(sheet, 1, 1, f"{school.name} ({school.uai})", font=TITLE)
    framework = assessment.campaign.framework
    put(
        sheet,
        2,
        1,
        _("%(framework)s, version %(version)s — campagne %(year)s — exporté de Paliers le %(day)s à %(time)s")
        % {
            "framework": framework.title,
            "version": framework.version,
            "year": assessment.campaign.school_year,
            "day": f"{now:%d/%m/%Y}",
            "time": f"{now:%H:%M}",
        },
    )
    put(sheet, 3, 1, subtitle, alignment=Alignment(wrap_text=False))
