"""Reading back a workbook exported by Paliers and filled offline.

Checked before anything is written, every fault named by sheet and cell: the file must be
a real XLSX of reasonable size (core/xlsx.py, shared with the framework workbooks), it must
be this assessment's (school, campaign, framework version), its structure must be the
framework's, and every answer a known one. A formula is refused wherever an answer or a
comment is read: the import takes values typed by people, not computed ones.

Three-way, like a merge: the hidden sheet holds each answer as exported. A criterion the
file leaves as exported is not touched, even if Paliers changed it since (that change is
kept, and listed); a criterion the file changes is applied, flagged when Paliers changed
it too since the export. Applying passes the versions seen at the preview to
`replace_answers`, all or nothing: a change made in between is refused, not overwritten.
"""

import unicodedata
from dataclasses import asdict, dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from paliers.assessments.answering import replace_answers
from paliers.assessments.models import AnswerValue
from paliers.core.xlsx import MAX_FAULTS, SpreadsheetInvalid, open_workbook, read_cells
from paliers.core.xlsx import where as _where

from .xlsx_layout import (
    ANSWER,
    BASE_FIRST_ROW,
    CODE,
    COMMENT,
    FORMAT,
    IDENTITY,
    QUESTIONNAIRE,
    build_layout,
    comment_fingerprint,
    normalise_comment,
)

MAX_COMMENT = 5000
# The workbook is an exchange format read back by the import: its answer words stay French
# whatever the interface language (like the frameworks' texts).
with translation.override("fr"):
    ANSWER_LABELS = {value: str(label) for value, label in AnswerValue.choices}


@dataclass
class Change:
    criterion: str
    value: str
    comment: str
    old_value: str
    old_comment: str
    version: int
    changed_since_export: bool  # Paliers changed this answer after the export: the file's wins

    @property
    def value_label(self):
        return ANSWER_LABELS[self.value]

    @property
    def old_value_label(self):
        return ANSWER_LABELS[self.old_value]


@dataclass
class Plan:
    changes: list
    unchanged: int
    kept: list  # criteria Paliers changed since the export and the file did not: kept as they are

    def as_json(self):
        return [asdict(change) for change in self.changes]


def _plain(text):
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(text.replace("_", " ").casefold().split())


ANSWERS_READ = {_plain(label): value for value, label in ANSWER_LABELS.items()}
ANSWERS_READ[""] = AnswerValue.NOT_ANSWERED


def _value(cells, row, column):
    return cells.get((row, column), (None, None))


def _identity(workbook, assessment, layout):
    """The hidden sheet's facts, checked against the assessment; faults stop the reading."""
    if IDENTITY not in workbook.sheetnames or QUESTIONNAIRE not in workbook.sheetnames:
        raise SpreadsheetInvalid(
            [
                _(
                    "Feuilles « %(questionnaire)s » et « %(identity)s » attendues : ce fichier n’a pas été "
                    "exporté par Paliers, ou une feuille a été supprimée ou renommée."
                )
                % {"questionnaire": QUESTIONNAIRE, "identity": IDENTITY}
            ]
        )
    sheet = workbook[IDENTITY]
    cells = read_cells(sheet, BASE_FIRST_ROW + len(layout.places) + 5, 4)
    facts, rows = {}, {}
    for row in range(2, BASE_FIRST_ROW - 1):
        key, __ = _value(cells, row, 1)
        if key:
            facts[str(key)], rows[str(key)] = _value(cells, row, 2)[0], row
    school, framework = assessment.school, assessment.campaign.framework

    def fault(key, message):
        return _("%(where)s : %(message)s") % {
            "where": _where(IDENTITY, rows.get(key, 2), 2),
            "message": message,
        }

    faults = []
    if facts.get("format") != FORMAT:
        raise SpreadsheetInvalid(
            [fault("format", _("ce fichier n’a pas été exporté par Paliers (format inconnu)."))]
        )
    if str(facts.get("uai", "")).upper() != school.uai:
        faults.append(
            fault(
                "uai",
                _(
                    "ce fichier est celui de « %(file_school)s » (UAI %(file_uai)s), pas de « %(school)s » "
                    "(UAI %(uai)s)."
                )
                % {
                    "file_school": facts.get("école"),
                    "file_uai": facts.get("uai"),
                    "school": school.name,
                    "uai": school.uai,
                },
            )
        )
    if (facts.get("référentiel"), str(facts.get("version"))) != (framework.slug, framework.version):
        faults.append(
            fault(
                "version",
                _(
                    "ce fichier porte sur le référentiel « %(file_framework)s » version %(file_version)s ; "
                    "ce positionnement porte sur « %(framework)s » version %(version)s."
                )
                % {
                    "file_framework": facts.get("référentiel"),
                    "file_version": facts.get("version"),
                    "framework": framework.slug,
                    "version": framework.version,
                },
            )
        )
    elif str(facts.get("positionnement")) != str(assessment.pk):
        faults.append(
            fault(
                "positionnement",
                _(
                    "ce fichier a été exporté pour un autre positionnement (campagne %(campaign)s) ; "
                    "exportez celui-ci et reportez-y vos réponses."
                )
                % {"campaign": facts.get("campagne")},
            )
        )
    elif facts.get("structure") != layout.checksum():
        faults.append(fault("structure", _("la structure du fichier ne correspond pas à ce référentiel.")))
    if faults:
        raise SpreadsheetInvalid(faults)
    base = {}
    for offset in range(len(layout.places)):
        code, value, fingerprint, version = (
            _value(cells, BASE_FIRST_ROW + offset, c)[0] for c in range(1, 5)
        )
        base[str(code)] = (value, fingerprint, version)
    if set(base) != set(layout.places) or not all(isinstance(v, int) for __, __, v in base.values()):
        raise SpreadsheetInvalid(
            [
                _("%(where)s : la feuille d’identification a été modifiée.")
                % {"where": _where(IDENTITY, BASE_FIRST_ROW, 1)}
            ]
        )
    return base


def read_answers(workbook, layout):
    """{code: (value, comment)} from the questionnaire sheet, or every fault found."""
    sheet = workbook[QUESTIONNAIRE]
    cells = read_cells(sheet, layout.last_row, layout.last_column)
    found, faults = {}, []
    for code, place in layout.places.items():
        written, __ = _value(cells, place.row, place.column(CODE))
        if str(written or "").strip() != code:
            faults.append(
                _(
                    "%(where)s : « %(code)s » attendu, « %(found)s » trouvé ; une ligne ou une colonne a été "
                    "déplacée, ajoutée ou supprimée : repartez d’un nouvel export."
                )
                % {
                    "where": _where(QUESTIONNAIRE, place.row, place.column(CODE)),
                    "code": code,
                    "found": written or "",
                }
            )
            continue
        value, kind = _value(cells, place.row, place.column(ANSWER))
        comment, comment_kind = _value(cells, place.row, place.column(COMMENT))
        where = _where(QUESTIONNAIRE, place.row, place.column(ANSWER))
        answer = None
        if kind == "f":
            faults.append(
                _("%(where)s : une formule n’est pas une réponse ; choisissez une réponse dans la liste.")
                % {"where": where}
            )
        elif not isinstance(value, str | None) or _plain(value or "") not in ANSWERS_READ:
            faults.append(
                _(
                    "%(where)s : réponse « %(value)s » inconnue pour %(code)s ; choisissez non renseigné, "
                    "non atteint, en cours ou atteint."
                )
                % {"where": where, "value": value, "code": code}
            )
        else:
            answer = ANSWERS_READ[_plain(value or "")]
        where = _where(QUESTIONNAIRE, place.row, place.column(COMMENT))
        if comment_kind == "f":
            faults.append(_("%(where)s : une formule n’est pas un commentaire.") % {"where": where})
        elif len(str(comment or "")) > MAX_COMMENT:
            faults.append(
                _("%(where)s : commentaire trop long (%(max)s caractères au plus).")
                % {"where": where, "max": MAX_COMMENT}
            )
        elif answer is not None:
            found[code] = (answer, normalise_comment("" if comment is None else str(comment)))
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
    return found


def plan_import(assessment, content):
    """What importing this file would change; SpreadsheetInvalid with every fault otherwise."""
    layout = build_layout(assessment.campaign.framework)
    workbook = open_workbook(content)
    try:
        base = _identity(workbook, assessment, layout)
        found = read_answers(workbook, layout)
    finally:
        workbook.close()
    current = {a.criterion.code: a for a in assessment.answers.select_related("criterion")}
    changes, kept, unchanged = [], [], 0
    for code, (value, comment) in found.items():
        answer = current.get(code)
        now = (answer.value, answer.comment) if answer else (AnswerValue.NOT_ANSWERED, "")
        version = answer.version if answer else 0
        base_value, base_fingerprint, base_version = base[code]
        touched = (value, comment_fingerprint(comment)) != (base_value, base_fingerprint)
        moved = version != base_version
        if not touched:
            unchanged += 1
            if moved and (value, comment) != now:
                kept.append(code)
            continue
        if (value, comment) == now:
            unchanged += 1
            continue
        changes.append(Change(code, value, comment, now[0], now[1], version, moved))
    return Plan(changes, unchanged, kept)


def apply_import(assessment, changes, user):
    """Apply the previewed changes, all or nothing (AnswersInvalid on a later change,
    NotEditable once submitted)."""
    evidence = {a.criterion.code: a.evidence_url for a in assessment.answers.select_related("criterion")}
    items = [
        {
            "criterion": change["criterion"],
            "value": change["value"],
            "comment": change["comment"],
            # Not in the file: kept as it is.
            "evidence_url": evidence.get(change["criterion"], ""),
            "version": change["version"],
        }
        for change in changes
    ]
    return replace_answers(assessment, items, user=user, source="tableur")
