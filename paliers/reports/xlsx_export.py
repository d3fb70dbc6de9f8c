"""The assessment as an XLSX workbook in the NumEA layout: the questionnaire (items ×
levels, with the answers and the SMART objectives to conduct and achieved), the
positioning (share of criteria met per level, as formulas, and a native bar chart that
follows the answers typed offline), the SMART timetable, and a hidden sheet saying whose
file it is and what the answers were when it left Paliers (see xlsx_import.py).

Every text from the database is written as a text cell: openpyxl would otherwise store
a comment starting with « = » as a formula.
"""

import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from paliers.assessments.models import Answer, AnswerValue
from paliers.assessments.results import assessment_results, framework_structure
from paliers.objectives.steering import timetable

from .assessment_report import school_objectives
from .xlsx_cells import (
    BOLD,
    BOX,
    CENTER,
    DATE_FORMAT,
    DOMAIN_FILL,
    HEADER_FILL,
    INPUT_FILL,
    UNLOCKED,
    WRAP,
    formula,
    heading,
    print_across,
    print_on_one_page,
    protect,
    put,
    wrapped_lines,
)
from .xlsx_layout import (
    ANSWER,
    BASE_FIRST_ROW,
    BLOCK_COLUMNS,
    CODE,
    COMMENT,
    DONE,
    FIRST_ROW,
    FORMAT,
    HEADER_ROW,
    IDENTITY,
    ITEM_COLUMN,
    LEVEL_ROW,
    POSITIONING,
    QUESTIONNAIRE,
    TEXT,
    TIMETABLE,
    TO_DO,
    block_column,
    build_layout,
    comment_fingerprint,
)

# The workbook is an exchange format read back by the import: its answer words stay French
# whatever the interface language (like the frameworks' texts).
with translation.override("fr"):
    ANSWER_LABELS = {value: str(label) for value, label in AnswerValue.choices}


def objective_counts(objectives, criteria):
    """{criterion code: (à conduire, atteints)}: committed open objectives and achieved ones
    that name the criterion, or, naming none, aim at its domain (or component) and level."""
    counts = {c.code: [0, 0] for c in criteria}
    for objective in objectives:
        if objective.is_draft or objective.achieved is False:
            continue
        column = 1 if objective.achieved else 0
        named = {c.code for c in objective.criteria.all()}
        for criterion in criteria:
            aimed = criterion.code in named or (
                not named
                and criterion.domain_id == objective.domain_id
                and criterion.level_id == objective.level_id
                and (objective.component_id is None or criterion.component_id == objective.component_id)
            )
            if aimed:
                counts[criterion.code][column] += 1
    return counts


def assessment_workbook(assessment, now=None):
    """The workbook's bytes."""
    now = timezone.localtime(now)
    framework = assessment.campaign.framework
    layout = build_layout(framework)
    criteria = {c.code: c for c in framework.criteria.all()}
    answers = {a.criterion_id: a for a in Answer.objects.filter(assessment=assessment)}
    objectives = school_objectives(assessment.school, framework)
    workbook = Workbook()
    workbook.properties.title = _("Positionnement %(year)s — %(school)s") % {
        "year": assessment.campaign.school_year,
        "school": assessment.school.name,
    }
    workbook.properties.subject = f"{framework.title} ({framework.version})"
    workbook.properties.creator = "Paliers"
    workbook.properties.keywords = f"{assessment.school.uai} {framework.slug} {framework.version}"
    questionnaire = workbook.active
    questionnaire.title = QUESTIONNAIRE
    _questionnaire(questionnaire, assessment, layout, criteria, answers, objectives, now)
    _positioning(workbook.create_sheet(str(POSITIONING)), assessment, layout, now)
    _timetable(workbook.create_sheet(str(TIMETABLE)), assessment, objectives, now)
    _identity(workbook.create_sheet(IDENTITY), assessment, layout, criteria, answers, now)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _questionnaire(sheet, assessment, layout, criteria, answers, objectives, now):
    heading(
        sheet,
        assessment,
        _(
            "Renseignez les colonnes « Réponse » (non renseigné, non atteint, en cours ou atteint) et "
            "« Commentaire », puis importez le fichier dans Paliers. Ne déplacez ni n’ajoutez de lignes."
        ),
        now,
    )
    counts = objective_counts(objectives, list(criteria.values()))
    for index, level in enumerate(layout.levels):
        first = block_column(index)
        label = f"{level.label} : {level.description}" if level.description else level.label
        put(sheet, LEVEL_ROW, first, label, font=BOLD, fill=HEADER_FILL, alignment=WRAP)
        sheet.merge_cells(
            start_row=LEVEL_ROW,
            start_column=first,
            end_row=LEVEL_ROW,
            end_column=first + len(BLOCK_COLUMNS) - 1,
        )
        for offset, name in enumerate(BLOCK_COLUMNS):
            put(
                sheet,
                HEADER_ROW,
                first + offset,
                str(name),
                font=BOLD,
                fill=HEADER_FILL,
                alignment=CENTER,
                border=BOX,
            )
    put(
        sheet,
        HEADER_ROW,
        ITEM_COLUMN,
        _("Domaine, item"),
        font=BOLD,
        fill=HEADER_FILL,
        alignment=CENTER,
        border=BOX,
    )
    sheet.row_dimensions[LEVEL_ROW].height = 45
    sheet.row_dimensions[HEADER_ROW].height = 45
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(ANSWER_LABELS.values()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Réponse inconnue"),
        error=_("Choisissez : non renseigné, non atteint, en cours ou atteint."),
        promptTitle=_("Réponse"),
        prompt=_("non renseigné, non atteint, en cours ou atteint"),
        showInputMessage=True,
    )
    sheet.add_data_validation(validation)
    lines = {}
    for row in layout.rows:
        if row.is_domain:
            _domain_row(sheet, row, layout)
            continue
        put(sheet, row.number, ITEM_COLUMN, row.title, font=BOLD, alignment=WRAP, border=BOX)
        if row.height > 1:
            sheet.merge_cells(
                start_row=row.number,
                start_column=ITEM_COLUMN,
                end_row=row.number + row.height - 1,
                end_column=ITEM_COLUMN,
            )
        for place, criterion in row.places:
            answer = answers.get(criterion.pk)
            to_do, done = counts[criterion.code]
            put(sheet, place.row, place.column(CODE), criterion.code, border=BOX, alignment=WRAP)
            put(sheet, place.row, place.column(TEXT), criterion.text, border=BOX, alignment=WRAP)
            value = ANSWER_LABELS[answer.value if answer else AnswerValue.NOT_ANSWERED]
            put(sheet, place.row, place.column(ANSWER), value, border=BOX, alignment=WRAP, fill=INPUT_FILL,
                protection=UNLOCKED)  # fmt: skip
            validation.add(place.ref(ANSWER))
            put(sheet, place.row, place.column(COMMENT), answer.comment if answer else "", border=BOX,
                alignment=WRAP, fill=INPUT_FILL, protection=UNLOCKED)  # fmt: skip
            put(sheet, place.row, place.column(TO_DO), to_do, border=BOX, alignment=CENTER)
            put(sheet, place.row, place.column(DONE), done, border=BOX, alignment=CENTER)
            lines[place.row] = max(
                lines.get(place.row, 1),
                wrapped_lines(criterion.text, 45),
                wrapped_lines(answer.comment if answer else "", 30),
            )
    # Neither Excel nor LibreOffice fits wrapped rows on opening: heights from the text's length.
    for number, count in lines.items():
        sheet.row_dimensions[number].height = 15 * count
    sheet.column_dimensions[get_column_letter(ITEM_COLUMN)].width = 30
    for index in range(len(layout.levels)):
        first = block_column(index)
        for offset, width in enumerate((9, 45, 14, 30, 11, 11)):
            sheet.column_dimensions[get_column_letter(first + offset)].width = width
    sheet.freeze_panes = f"{get_column_letter(ITEM_COLUMN + 1)}{FIRST_ROW}"
    protect(sheet)
    print_across(sheet)
    sheet.print_title_rows = f"{LEVEL_ROW}:{HEADER_ROW}"


def _domain_row(sheet, row, layout):
    """The domain's title, and over each level's block what that level means in it."""
    put(sheet, row.number, ITEM_COLUMN, row.title.upper(), font=BOLD, fill=DOMAIN_FILL, alignment=WRAP)
    for index, level in enumerate(layout.levels):
        first = block_column(index)
        description = row.descriptions[index] if index < len(row.descriptions) else ""
        text = f"{level.label} : {description}" if description else level.label
        put(sheet, row.number, first, text, fill=DOMAIN_FILL, alignment=WRAP)
        last = first + len(BLOCK_COLUMNS) - 1
        sheet.merge_cells(start_row=row.number, start_column=first, end_row=row.number, end_column=last)
    if any(row.descriptions):
        sheet.row_dimensions[row.number].height = 48


def _positioning(sheet, assessment, layout, now):
    heading(
        sheet,
        assessment,
        _(
            "Pourcentage de critères atteints pour chaque niveau : calculé à partir de la feuille "
            "« %(sheet)s », il suit les réponses saisies dans ce fichier."
        )
        % {"sheet": QUESTIONNAIRE},
        now,
    )
    top = 5
    for column, name in enumerate(
        (_("Niveau"), _("Critères"), _("Critères atteints"), _("Pourcentage")), start=1
    ):
        put(sheet, top, column, name, font=BOLD, fill=HEADER_FILL, border=BOX, alignment=CENTER)
    sheet_ref = f"'{QUESTIONNAIRE}'"
    for index, level in enumerate(layout.levels):
        row = top + 1 + index
        put(sheet, row, 1, level.label, border=BOX)
        # How many criteria a level has is the framework's: a number, not a formula.
        criteria = sum(1 for place in layout.places.values() if place.level == level.number)
        put(sheet, row, 2, criteria, border=BOX)
        formula(
            sheet, row, 3, f'=COUNTIF({sheet_ref}!{layout.level_range(index, ANSWER)},"atteint")', border=BOX
        )
        formula(sheet, row, 4, f"=IF(B{row}>0,C{row}/B{row},0)", border=BOX, number_format="0%")
    last = top + len(layout.levels)
    chart = BarChart()
    chart.type = "col"
    chart.title = _("Pourcentage d’items atteints pour chaque niveau")
    chart.y_axis.title = _("Critères atteints")
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.majorUnit = 0.25
    # openpyxl hides both axes by default; Excel then draws a chart without scales.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend = None
    chart.add_data(Reference(sheet, min_col=4, min_row=top, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=top + 1, max_row=last))
    chart.height, chart.width = 8, 14
    sheet.add_chart(chart, f"F{top}")
    _domain_levels(sheet, assessment, last + 3)
    sheet.column_dimensions["A"].width = 40
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 16
    protect(sheet)
    print_on_one_page(sheet)


def _domain_levels(sheet, assessment, top):
    """Levels per domain as Paliers computed them at export (levels need every criterion of
    the lower levels met: too much for a formula a reader can follow)."""
    result = assessment_results(assessment, framework_structure(assessment.campaign.framework))
    put(sheet, top - 1, 1, _("Niveau atteint par domaine, au moment de l’export"), font=BOLD)
    for column, name in enumerate((_("Domaine"), _("Niveau atteint"), _("Score de progression")), start=1):
        put(sheet, top, column, name, font=BOLD, fill=HEADER_FILL, border=BOX, alignment=CENTER)
    for offset, domain in enumerate(result.domains, start=1):
        put(sheet, top + offset, 1, domain.title, border=BOX, alignment=WRAP)
        put(sheet, top + offset, 2, domain.level, border=BOX)
        put(sheet, top + offset, 3, round(domain.score, 2), border=BOX, number_format="0.00")


def _timetable(sheet, assessment, objectives, now):
    heading(
        sheet,
        assessment,
        _("UAI %(uai)s — %(school)s — mise à jour le %(day)s")
        % {"uai": assessment.school.uai, "school": assessment.school.name, "day": f"{now:%d/%m/%Y}"},
        now,
    )
    levels = list(assessment.campaign.framework.levels.order_by("number"))
    names = [
        (_("Domaine, item"), 30),
        *[(_("Objectif SMART — %(level)s") % {"level": level.label}, 30) for level in levels],
        (_("Descriptif de l’objectif SMART"), 40),
        (_("Pilote"), 20),
        (_("Échéance prévue"), 13),
        (_("Point de situation : date"), 13),
        (_("Point de situation : état"), 13),
        (_("Point de situation : date"), 13),
        (_("Point de situation : état"), 13),
        (_("Objectif SMART atteint"), 12),
        (_("Observations"), 30),
    ]
    top = 5
    for column, (name, width) in enumerate(names, start=1):
        put(sheet, top, column, name, font=BOLD, fill=HEADER_FILL, border=BOX, alignment=CENTER)
        sheet.column_dimensions[get_column_letter(column)].width = width
    today = timezone.localdate()
    rows = timetable([o for o in objectives if not o.is_draft], sort="domaine", today=today)
    for offset, objective in enumerate(rows, start=1):
        row = top + offset
        target = objective.domain.title + (
            f" — {objective.component.title}" if objective.component_id else ""
        )
        cells = [target]
        cells += [objective.title if level.pk == objective.level_id else "" for level in levels]
        points = list(reversed(objective.latest_checkpoints(2)))  # older first, as NumEA reads
        points += [None] * (2 - len(points))
        achieved = "" if objective.achieved is None else (_("OUI") if objective.achieved else _("NON"))
        cells += [objective.description, objective.pilot_label, objective.due_on]
        for point in points:
            cells += [point.date, point.get_state_display().upper()] if point else ["", _("NON ENGAGÉ")]
        cells += [achieved, objective.observations]
        for column, value in enumerate(cells, start=1):
            cell = put(sheet, row, column, value, border=BOX, alignment=WRAP)
            if hasattr(value, "year"):
                cell.number_format = DATE_FORMAT
    if not rows:
        put(sheet, top + 1, 1, _("Aucun objectif SMART engagé sur ce référentiel."))
    sheet.freeze_panes = f"B{top + 1}"
    protect(sheet)
    print_across(sheet)


def _identity(sheet, assessment, layout, criteria, answers, now):
    """Whose file this is, and each answer as exported (value, comment fingerprint, version):
    the import applies only what the file changed, and knows what Paliers changed since."""
    framework = assessment.campaign.framework
    facts = [
        ("format", FORMAT),
        ("uai", assessment.school.uai),
        ("école", assessment.school.name),
        ("positionnement", str(assessment.pk)),
        ("campagne", assessment.campaign.school_year),
        ("référentiel", framework.slug),
        ("version", framework.version),
        ("structure", layout.checksum()),
        ("exporté le", now.isoformat(timespec="seconds")),
    ]
    put(sheet, 1, 1, _("Identification du fichier : ne pas modifier cette feuille."), font=BOLD)
    for offset, (key, value) in enumerate(facts, start=2):
        put(sheet, offset, 1, key)
        put(sheet, offset, 2, value)
    for column, name in enumerate(("critère", "réponse", "commentaire (empreinte)", "version"), start=1):
        put(sheet, BASE_FIRST_ROW - 1, column, name, font=BOLD)
    for offset, code in enumerate(layout.places):
        answer = answers.get(criteria[code].pk)
        row = BASE_FIRST_ROW + offset
        put(sheet, row, 1, code)
        put(sheet, row, 2, answer.value if answer else AnswerValue.NOT_ANSWERED)
        put(sheet, row, 3, comment_fingerprint(answer.comment if answer else ""))
        put(sheet, row, 4, answer.version if answer else 0)
    sheet.sheet_state = "hidden"
    protect(sheet)


def workbook_name(assessment):
    stamp = timezone.localdate().strftime("%Y%m%d")
    return f"positionnement-{assessment.school.uai}-{assessment.campaign.school_year}-{stamp}.xlsx"
