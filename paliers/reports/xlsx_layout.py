"""Where everything sits in the exported workbook: one layout, read by the export that
writes the cells and by the import that reads them back.

The questionnaire follows the NumEA workbook: one row per item (a component, or the domain
when it has none), one block of columns per level (« étape ») with the criterion, the
answer, a comment and the counts of SMART objectives « à conduire » and « atteints ». A
framework with several criteria of one level in an item (Créteil's) gives the item as
many rows as its fullest level.

The checksum covers the framework, the format and the place of every criterion: a file
whose structure no longer matches the framework version is refused before any cell is read.
"""

import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from paliers.frameworks.grid import framework_grid

FORMAT = "paliers-positionnement-1"
# The import finds the questionnaire and the hidden sheet by these names: they stay French
# whatever the interface language. The other sheets and the headers are read by people only.
QUESTIONNAIRE = "Questionnaire"
POSITIONING = _("Positionnement")
TIMETABLE = _("Échéancier")
IDENTITY = "Paliers"  # the hidden sheet: who the file belongs to, and the answers as exported

LEVEL_ROW, HEADER_ROW, FIRST_ROW = 5, 6, 7
ITEM_COLUMN = 1
BLOCK_COLUMNS = (  # headers (lazy: str() before writing them)
    _("Code"),
    _("Critère"),
    _("Réponse"),
    _("Commentaire"),
    _("Objectifs SMART à conduire"),
    _("Objectifs SMART atteints"),
)
CODE, TEXT, ANSWER, COMMENT, TO_DO, DONE = range(len(BLOCK_COLUMNS))
BASE_FIRST_ROW = 20  # on the hidden sheet: code, answer, comment fingerprint, version


@dataclass(frozen=True)
class Place:
    """A criterion's cells on the questionnaire sheet."""

    code: str
    level: int
    row: int
    first_column: int

    def column(self, which):
        return self.first_column + which

    def ref(self, which):
        return f"{get_column_letter(self.column(which))}{self.row}"


@dataclass
class Row:
    number: int
    title: str
    is_domain: bool = False
    height: int = 1  # rows the item title spans
    places: list = field(default_factory=list)
    descriptions: list = field(default_factory=list)  # a domain's own words for each level (NumEA)


@dataclass
class Layout:
    framework: object
    levels: list
    rows: list
    places: dict  # code → Place, in framework order

    @property
    def last_row(self):
        return max((row.number + row.height - 1 for row in self.rows), default=FIRST_ROW)

    @property
    def last_column(self):
        return block_column(len(self.levels) - 1) + len(BLOCK_COLUMNS) - 1

    def level_range(self, index, which):
        """A column of one level's block over the data rows, e.g. « E7:E80 »."""
        letter = get_column_letter(block_column(index) + which)
        return f"${letter}${FIRST_ROW}:${letter}${self.last_row}"

    def checksum(self):
        lines = [FORMAT, self.framework.slug, self.framework.version]
        lines += [f"{lv.number}|{lv.label}" for lv in self.levels]
        lines += [f"{p.code}|{p.level}|{p.row}|{p.first_column}" for p in self.places.values()]
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def block_column(level_index):
    return ITEM_COLUMN + 1 + level_index * len(BLOCK_COLUMNS)


def build_layout(framework):
    levels, sections = framework_grid(framework)
    rows, number = [], FIRST_ROW
    for section in sections:
        if section.has_components:
            rows.append(
                Row(number, section.domain.title, is_domain=True, descriptions=section.level_descriptions)
            )
            number += 1
        for grid_row in section.rows:
            height = max([len(cell) for cell in grid_row.cells] + [1])
            row = Row(number, grid_row.title, height=height)
            for index, cell in enumerate(grid_row.cells):
                for offset, criterion in enumerate(cell):
                    place = Place(criterion.code, levels[index].number, number + offset, block_column(index))
                    row.places.append((place, criterion))
            rows.append(row)
            number += height
    # In framework order, whatever the grid's.
    pairs = sorted((pair for row in rows for pair in row.places), key=lambda pair: pair[1].position)
    places = {place.code: place for place, __ in pairs}
    return Layout(framework=framework, levels=levels, rows=rows, places=places)


def comment_fingerprint(comment):
    """A short fingerprint of a comment: enough to tell whether the file changed it."""
    return hashlib.sha256(normalise_comment(comment).encode()).hexdigest()[:16]


def normalise_comment(comment):
    return (comment or "").replace("\r\n", "\n").replace("\r", "\n").strip()
