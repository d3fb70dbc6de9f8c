"""Workbooks written as an académie administrator would: the template, filled in."""

import io

from openpyxl import load_workbook

from paliers.frameworks.workbook import (
    COMPONENTS,
    CRITERIA,
    CROSSWALK,
    DOMAINS,
    FRAMEWORK,
    LEVELS,
    LINK_HEADER_ROW,
    framework_workbook,
)

SMALL = {
    FRAMEWORK: ["exemple-colleges", "2025", "Paliers d’exemple des collèges", "établissements", "palier",
                "Académie d’exemple", "Note de service n° 1", None, None],
    LEVELS: [(1, "Palier 1", "Premiers pas"), (2, "Palier 2", None)],
    DOMAINS: [("PIL", "Pilotage", None, "Le pilotage du numérique."), ("EQU", "Équipement", None, None)],
    COMPONENTS: [("PIL", "PIL.COM", "Commission numérique", None), ("PIL", "PIL.REF", "Référent", None)],
    CRITERIA: [
        ("PIL", "PIL.COM", "PIL.COM.1", 1, "Une commission numérique existe", None),
        ("PIL", "PIL.COM", "PIL.COM.2", 2, "Elle se réunit chaque trimestre", "Compte rendu à l’appui."),
        ("PIL", "PIL.REF", "PIL.REF.1", 1, "Un référent numérique est nommé", None),
        ("EQU", None, "EQU.1", 1, "=Chaque salle a un vidéoprojecteur", None),  # a text, not a formula
        ("EQU", None, "EQU.2", 2, "Les élèves ont des postes individuels", None),
    ],
}  # fmt: skip


class Formula(str):
    """A cell to write as a formula (any other text starting with « = » is written as a text)."""


def fill(content, rows, crosswalk=None):
    """The workbook `content` with `rows` ({sheet: rows}) written from row 2 (column B of the
    « Référentiel » sheet), and `crosswalk`: (source slug, version, rule, [(source, target, type)])."""
    workbook = load_workbook(io.BytesIO(content))
    for name, values in rows.items():
        sheet = workbook[name]
        if name == FRAMEWORK:
            for row, value in enumerate(values, start=2):
                sheet.cell(row=row, column=2, value=value)
            continue
        for row, line in enumerate(values, start=2):
            for column, value in enumerate(line, start=1):
                cell = sheet.cell(row=row, column=column, value=value)
                if isinstance(value, str) and not isinstance(value, Formula):
                    cell.data_type = "s"
    if crosswalk:
        sheet = workbook[CROSSWALK]
        source, version, rule, links = crosswalk
        for row, value in enumerate((source, version, rule), start=1):
            sheet.cell(row=row, column=2, value=value)
        for row, link in enumerate(links, start=LINK_HEADER_ROW + 1):
            for column, value in enumerate(link, start=1):
                sheet.cell(row=row, column=column, value=value)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def small_workbook(**changes):
    """The template filled with SMALL, some sheets' rows replaced by `changes`."""
    return fill(framework_workbook(), {**SMALL, **changes})
