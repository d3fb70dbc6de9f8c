"""A framework as a workbook (XLSX): the template to fill, and any framework to download.

The second door to the same spec as the YAML file: one sheet per kind (levels, parts,
domains, what each level means in a domain, components, criteria), the crosswalk from
an earlier version on its own sheet, instructions first. `workbook_reading.py` reads it
back into the same spec: writing then reading gives the spec written.
"""

import io

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from paliers.core.xlsx import put

from .models import CarryRule, LinkType
from .spec import AUDIENCES, LEVEL_NAMES
from .validation import translation_languages

# Not read back: the only sheet named in the interface's language.
INSTRUCTIONS = gettext_lazy("Mode d’emploi")
# The sheets, the labels of column A and the headers below are read back by
# workbook_reading.py: they stay French whatever the interface's language.
FRAMEWORK = "Référentiel"
LEVELS = "Niveaux"
PARTS = "Parties"
DOMAINS = "Domaines"
DOMAIN_LEVELS = "Niveaux des domaines"
COMPONENTS = "Composantes"
CRITERIA = "Critères"
CROSSWALK = "Correspondances"
TRANSLATIONS = "Traductions"  # optional: a workbook without it has no translations

# The « Référentiel » sheet: one field a row, label in A, value in B.
FIELDS = (
    ("slug", "Identifiant"),
    ("version", "Version"),
    ("title", "Titre"),
    ("audience", "Public"),
    ("level_name", "Nom des niveaux"),
    ("publisher", "Éditeur de la source"),
    ("document", "Document source"),
    ("date", "Date de la source"),
    ("url", "Adresse de la source"),
)


def workbook_words(choices):
    """{value: French label} of these choices: what the workbook writes and reads back,
    French whatever the interface's language (the labels are the catalogue's msgids)."""
    with translation.override(None):
        return {value: str(label) for value, label in choices.choices}


def field_help():
    """The help of each field of the « Référentiel » sheet (column C, not read back)."""
    return {
        "slug": _("obligatoire ; minuscules, chiffres et tirets, par exemple « mon-referentiel »"),
        "version": _("obligatoire ; identifiant + version est unique, par exemple « 2025 »"),
        "title": _("obligatoire"),
        "audience": _("obligatoire : %(choices)s") % {"choices": ", ".join(AUDIENCES.values())},
        "level_name": _("obligatoire : %(choices)s") % {"choices": ", ".join(LEVEL_NAMES.values())},
        "publisher": _("obligatoire, par exemple « Académie de Créteil »"),
        "document": _("obligatoire : le document d’où vient le contenu"),
        "date": _("facultatif"),
        "url": _("facultatif"),
    }


# Each table sheet: (key, header) per column; data from row 2.
COLUMNS = {
    LEVELS: (("number", "Numéro"), ("label", "Libellé"), ("description", "Description")),
    PARTS: (("code", "Code"), ("title", "Titre"), ("description", "Description")),
    DOMAINS: (("code", "Code"), ("title", "Titre"), ("part", "Partie"), ("description", "Description")),
    DOMAIN_LEVELS: (("domain", "Domaine"), ("level", "Niveau"), ("text", "Description")),
    COMPONENTS: (("domain", "Domaine"), ("code", "Code"), ("title", "Titre"), ("description", "Description")),
    CRITERIA: (
        ("domain", "Domaine"),
        ("component", "Composante"),
        ("code", "Code"),
        ("level", "Niveau"),
        ("text", "Texte"),
        ("note", "Note"),
    ),
}
COLUMNS[TRANSLATIONS] = (
    ("language", "Langue"),
    ("kind", "Élément"),
    ("code", "Code"),
    ("field", "Champ"),
    ("source", "Texte français (non lu)"),
    ("text", "Traduction"),
)
# The words of the « Traductions » sheet for the spec's kinds of element and fields.
KIND_WORDS = {
    "framework": "référentiel",
    "levels": "niveau",
    "parts": "partie",
    "domains": "domaine",
    "components": "composante",
    "criteria": "critère",
}
FIELD_WORDS = {
    "title": "titre",
    "label": "libellé",
    "description": "description",
    "text": "texte",
    "note": "note",
}
LEVEL_DESCRIPTION_WORD = "niveau"  # « niveau 2 »: what level 2 means in a domain


def field_word(field):
    if field.startswith("level_descriptions."):
        return f"{LEVEL_DESCRIPTION_WORD} {field.split('.', 1)[1]}"
    return FIELD_WORDS[field]


WIDTHS = {"description": 60, "text": 70, "note": 45, "title": 45, "label": 25, "source": 70}
# The « Correspondances » sheet: the source framework and the rule in B1:B3, links below.
CROSSWALK_FIELDS = (
    ("source_slug", "Référentiel source (identifiant)"),
    ("source_version", "Référentiel source (version)"),
    ("rule", "Règle"),
)
LINK_HEADER_ROW = 5
LINK_COLUMNS = (
    ("source", "Critère source"),
    ("target", "Critère de ce référentiel"),
    ("type", "Type de lien"),
    ("note", "Note"),
)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E3E3FD")
TITLE_FONT = Font(bold=True, size=14, color="000091")
WRAP = Alignment(wrap_text=True, vertical="top")


def instruction_lines():
    """(text, font) of each line of the instructions sheet, in the interface's language; the
    sheets and the words to write are named as the workbook has them, in French."""
    types = " ; ".join(workbook_words(LinkType).values())
    rules = " ; ".join(workbook_words(CarryRule).values())
    return (
        (_("Écrire un référentiel dans ce classeur"), TITLE_FONT),
        (_("Remplissez une feuille par sorte d’élément, une ligne par élément, sans déplacer ni "
           "renommer les feuilles et les colonnes. Déposez ensuite le classeur dans Paliers "
           "(Référentiels › Déposer un référentiel) : tout est vérifié, chaque défaut est signalé "
           "avec sa feuille et sa cellule, et rien n’est chargé avant que vous ayez vu l’aperçu."), None),
        ("", None),
        (_("« %(sheet)s » : l’identifiant, la version, le titre, le public, le nom des niveaux et "
           "la source, colonne B.") % {"sheet": FRAMEWORK}, None),
        (_("« %(sheet)s » : numérotés 1, 2, 3… dans l’ordre, avec un libellé (« Palier 1 ») et une "
           "description facultative.") % {"sheet": LEVELS}, None),
        (_("« %(sheet)s » : facultatif ; des groupes de domaines (les deux parties de NumEA). Si vous en "
           "déclarez, chaque domaine indique sa partie.") % {"sheet": PARTS}, None),
        (_("« %(sheet)s » : au moins un ; code en majuscules et chiffres (« PIL »).") % {"sheet": DOMAINS},
         None),
        (_("« %(sheet)s » : facultatif ; ce que signifie chaque niveau dans un domaine.")
         % {"sheet": DOMAIN_LEVELS}, None),
        (_("« %(sheet)s » : facultatif ; un domaine a des composantes, ou des critères directement.")
         % {"sheet": COMPONENTS}, None),
        (_("« %(sheet)s » : le domaine (et la composante s’il en a), un code stable (« PIL.1.1 »), le "
           "numéro du niveau, le texte et une note facultative. Gardez le code d’un critère d’une "
           "version à l’autre quand son sens ne change pas.") % {"sheet": CRITERIA}, None),
        (_("« %(sheet)s » : facultatif ; la table de correspondance depuis la version précédente "
           "(ou un autre référentiel chargé) : son identifiant et sa version en B1 et B2, la règle en "
           "B3, puis une ligne par lien entre un critère source et un critère de ce référentiel.")
         % {"sheet": CROSSWALK}, None),
        ("", None),
        (_("« %(sheet)s » : facultatif ; les textes du référentiel dans une autre langue de "
           "l’interface (« en »), une ligne par texte : la colonne F, la traduction, est lue ; une "
           "ligne sans traduction garde le texte français. Le texte français reste la référence.")
         % {"sheet": TRANSLATIONS}, None),
        ("", None),
        (_("Types de lien : %(types)s. Règles : %(rules)s. Le détail est dans la documentation "
           "(docs/frameworks.md).") % {"types": types, "rules": rules}, None),
        (_("Codes : lettres majuscules et chiffres séparés par des points, uniques dans le "
           "référentiel. Textes : du texte simple, pas de formule."), None),
    )  # fmt: skip


def _header(sheet, row, headers):
    for column, text in enumerate(headers, start=1):
        put(sheet, row, column, text, font=HEADER_FONT, fill=HEADER_FILL)


def _table(workbook, name, rows):
    sheet = workbook.create_sheet(name)
    columns = COLUMNS[name]
    _header(sheet, 1, [header for _, header in columns])
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            if value not in ("", None):
                put(sheet, row, column, value, alignment=WRAP)
    for column, (key, __) in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = WIDTHS.get(key, 14)
    sheet.freeze_panes = "A2"
    return sheet


def _choices(sheet, cells, labels):
    """A drop-down list of the labels on these cells (typing something else is checked on upload)."""
    validation = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True)
    validation.showErrorMessage = False
    sheet.add_data_validation(validation)
    validation.add(cells)


def framework_workbook(spec=None, crosswalk=None):
    """The XLSX bytes of `spec` (a FrameworkSpec) and its `crosswalk` (a CrosswalkSpec whose
    target it is); without a spec, the blank template."""
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = str(INSTRUCTIONS)
    for row, (text, font) in enumerate(instruction_lines(), start=1):
        put(instructions, row, 1, text, alignment=WRAP, **({"font": font} if font else {}))
    instructions.column_dimensions["A"].width = 110

    sheet = workbook.create_sheet(FRAMEWORK)
    _header(sheet, 1, [_("Champ"), _("Valeur"), _("Aide")])
    values = {}
    if spec is not None:
        values = {
            "slug": spec.slug,
            "version": spec.version,
            "title": spec.title,
            "audience": AUDIENCES.get(spec.audience, spec.audience),
            "level_name": LEVEL_NAMES.get(spec.level_name, spec.level_name),
            "publisher": spec.source.publisher,
            "document": spec.source.document,
            "date": spec.source.date,
            "url": spec.source.url,
        }
    helps = field_help()
    for row, (key, label) in enumerate(FIELDS, start=2):
        put(sheet, row, 1, label, font=HEADER_FONT)
        if values.get(key):
            put(sheet, row, 2, values[key], alignment=WRAP)
        put(sheet, row, 3, helps[key], font=Font(italic=True, color="666666"))
    _choices(sheet, "B5", AUDIENCES.values())
    _choices(sheet, "B6", LEVEL_NAMES.values())
    for column, width in (("A", 24), ("B", 60), ("C", 60)):
        sheet.column_dimensions[column].width = width

    levels = [(lv.number, lv.label, lv.description) for lv in spec.levels] if spec else []
    _table(workbook, LEVELS, levels)
    _table(workbook, PARTS, [(p.code, p.title, p.description) for p in spec.parts] if spec else [])
    domains = spec.domains if spec else ()
    _table(workbook, DOMAINS, [(d.code, d.title, d.part, d.description) for d in domains])
    _table(workbook, DOMAIN_LEVELS, [(d.code, n, text) for d in domains for n, text in d.level_descriptions])
    _table(
        workbook,
        COMPONENTS,
        [(d.code, c.code, c.title, c.description) for d in domains for c in d.components],
    )
    criteria = []
    for domain in domains:
        if domain.components:
            for component in domain.components:
                criteria += [
                    (domain.code, component.code, c.code, c.level, c.text, c.note) for c in component.criteria
                ]
        else:
            criteria += [(domain.code, "", c.code, c.level, c.text, c.note) for c in domain.criteria]
    _table(workbook, CRITERIA, criteria)
    _crosswalk_sheet(workbook, crosswalk)
    _table(workbook, TRANSLATIONS, translation_rows(spec) if spec else [])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def translation_rows(spec):
    """One row per text of the framework and language of the interface, its translation
    when the framework has one: the translator fills column F."""
    given = {(t.language, t.kind, t.code, t.field): t.text for t in spec.translations}
    languages = sorted({*translation_languages(), *spec.languages()})
    return [
        (language, KIND_WORDS[kind], code, field_word(key), text, given.get((language, kind, code, key), ""))
        for language in languages
        for (kind, code, key), text in spec.translatable_texts().items()
    ]


def _crosswalk_sheet(workbook, crosswalk):
    sheet = workbook.create_sheet(CROSSWALK)
    rules = workbook_words(CarryRule)
    values = (
        (crosswalk.source_slug, crosswalk.source_version, rules[crosswalk.rule])
        if crosswalk
        else ("", "", "")
    )
    for row, ((__, label), value) in enumerate(zip(CROSSWALK_FIELDS, values, strict=True), start=1):
        put(sheet, row, 1, label, font=HEADER_FONT)
        if value:
            put(sheet, row, 2, value)
    _choices(sheet, "B3", rules.values())
    _header(sheet, LINK_HEADER_ROW, [header for _, header in LINK_COLUMNS])
    types = workbook_words(LinkType)
    for row, link in enumerate(crosswalk.links if crosswalk else (), start=LINK_HEADER_ROW + 1):
        for column, value in enumerate((link.source, link.target, types[link.type], link.note), start=1):
            if value:
                put(sheet, row, column, value, alignment=WRAP)
    _choices(sheet, f"C{LINK_HEADER_ROW + 1}:C{LINK_HEADER_ROW + 2000}", types.values())
    for column, width in (("A", 32), ("B", 28), ("C", 28), ("D", 60)):
        sheet.column_dimensions[column].width = width
