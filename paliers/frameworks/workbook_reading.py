"""Reading a framework workbook back into a spec, every fault named by sheet and cell.

The sheets are turned into the same data as a YAML document, then checked by the same
checker (validation.py), whose faults are placed on the cell they concern; what only the
workbook can get wrong (a missing sheet, a moved column, a formula, a criterion naming a
domain or a component that no sheet declares) is checked on the way. Nothing is written:
the caller loads the spec only once it reads without a fault.
"""

import re
import unicodedata
from datetime import date, datetime, time

from django.utils.translation import gettext as _

from paliers.core.xlsx import SpreadsheetInvalid, open_workbook, read_cells, where

from .crosswalk_loading import check_documents
from .crosswalks import CrosswalkDocument, CrosswalkSpec, LinkSpec, check_links
from .models import CarryRule, LinkType
from .spec import AUDIENCES, LEVEL_NAMES
from .validation import Checker, FrameworkInvalid, check_framework_data
from .workbook import (
    COLUMNS,
    COMPONENTS,
    CRITERIA,
    CROSSWALK,
    CROSSWALK_FIELDS,
    DOMAIN_LEVELS,
    DOMAINS,
    FIELD_WORDS,
    FIELDS,
    FRAMEWORK,
    KIND_WORDS,
    LEVEL_DESCRIPTION_WORD,
    LEVELS,
    LINK_COLUMNS,
    LINK_HEADER_ROW,
    PARTS,
    TRANSLATIONS,
    workbook_words,
)

MAX_ROWS = 5000  # per sheet: the largest shipped framework has 63 criteria
MAX_FAULTS = 100
SHEET_ORDER = (
    FRAMEWORK,
    LEVELS,
    PARTS,
    DOMAINS,
    DOMAIN_LEVELS,
    COMPONENTS,
    CRITERIA,
    CROSSWALK,
    TRANSLATIONS,
)
REQUIRED_SHEETS = SHEET_ORDER[:-1]  # « Traductions » came later: a workbook may lack it

KEY_AT_END = re.compile(r"(?:^|\.)([a-z_]+)$")  # a checker's place ends with the key at fault


def _plain(text):
    decomposed = unicodedata.normalize("NFKD", str(text))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def _written(cells, row, column):
    """What a cell holds, « » when empty: for comparing labels the reader expects."""
    value = cells.get((row, column), (None, None))[0]
    return "" if value is None else value


def _choices(pairs):
    """{plain label or code: code}: a cell may hold either."""
    return {_plain(code): code for code, _ in pairs} | {_plain(label): code for code, label in pairs}


AUDIENCE_READ = _choices(AUDIENCES.items())
LEVEL_NAME_READ = _choices(LEVEL_NAMES.items())
KIND_READ = _choices(KIND_WORDS.items())
FIELD_READ = _choices(FIELD_WORDS.items())
LEVEL_DESCRIPTION = re.compile(rf"^(?:{LEVEL_DESCRIPTION_WORD}|level_descriptions)[ .]*(\d+)$")


def _absent_domain(domain):
    return _("domaine « %(domain)s » absent de la feuille « %(sheet)s ».") % {
        "domain": domain or "",
        "sheet": DOMAINS,
    }


class Node(dict):
    """A mapping read from a sheet: `cells` gives the cell of each key, `row_cell` the row's."""

    line = None

    def __init__(self, row_cell=None):
        super().__init__()
        self.cells, self.row_cell = {}, row_cell


class _SheetChecker(Checker):
    """The YAML checker, placing each fault on its cell."""

    def __init__(self, reader):
        super().__init__("classeur")
        self.reader = reader

    def fail(self, place, node, message):
        found = KEY_AT_END.search(place)
        key = found[1] if found else None
        cell = getattr(node, "cells", {}).get(key) or getattr(node, "row_cell", None)
        self.reader.fault(cell, message)

    def choice_words(self, choices):
        """What may be written for a choice, in a fault: the workbook's words."""
        return ", ".join(choices.values())

    def translation_entries(self, data):
        return self.reader.translation_entries()

    def translation_fault(self, place, node, column, message):
        self.reader.fault(node.cells.get(column) or node.row_cell, message)

    def empty_list(self, key):
        if key == "criteria":
            return _("aucun critère de la feuille « %(sheet)s » ne nomme cette composante.") % {
                "sheet": CRITERIA
            }
        return super().empty_list(key)


class _Reader:
    def __init__(self, workbook):
        self.workbook = workbook
        self.faults = []  # (sheet rank, row, column, text)
        self.faulted = set()  # cells already at fault (a formula…): no second fault on them
        self.missing = False  # a sheet is missing: the rest would only repeat it

    def fault(self, cell, message):
        if cell is None:
            self.faults.append((len(SHEET_ORDER), 0, 0, message))
        elif cell not in self.faulted:
            self.faulted.add(cell)
            sheet, row, column = cell
            rank = SHEET_ORDER.index(sheet) if sheet in SHEET_ORDER else len(SHEET_ORDER)
            self.faults.append(
                (
                    rank,
                    row,
                    column,
                    _("%(place)s : %(message)s") % {"place": where(sheet, row, column), "message": message},
                )
            )

    def messages(self):
        found = [text for *__, text in sorted(set(self.faults))]
        extra = len(found) - MAX_FAULTS
        return found[:MAX_FAULTS] + (
            [_("… et %(count)s autres défauts.") % {"count": extra}] if extra > 0 else []
        )

    def sheet_cells(self, name, columns, rows=MAX_ROWS + 1):
        if name not in self.workbook.sheetnames:
            self.missing = True
            message = _(
                "feuille « %(sheet)s » absente : repartez du modèle de Paliers, sans renommer ni "
                "supprimer de feuille."
            ) % {"sheet": name}
            self.faults.append((SHEET_ORDER.index(name), 0, 0, message))
            return None
        return read_cells(self.workbook[name], rows + 1, columns)

    def value(self, cells, sheet, row, column):
        """A cell's value as typed, None when empty or unreadable (the fault is recorded)."""
        value, data_type = cells.get((row, column), (None, None))
        if value is None:
            return None
        here = (sheet, row, column)
        if data_type == "f":
            self.fault(here, _("une formule n’est pas acceptée : saisissez la valeur elle-même."))
            self.faulted.add(here)
            return None
        if data_type == "e":
            self.fault(
                here, _("valeur d’erreur « %(value)s » : saisissez la valeur elle-même.") % {"value": value}
            )
            self.faulted.add(here)
            return None
        if isinstance(value, bool):
            self.fault(here, _("VRAI ou FAUX n’est pas une valeur attendue ici."))
            self.faulted.add(here)
            return None
        if isinstance(value, datetime | date | time):
            self.fault(here, _("une date n’est pas attendue ici : saisissez-la comme un texte (« 2014 »)."))
            self.faulted.add(here)
            return None
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def translation_entries(self):
        """The entries of the « Traductions » sheet (validation.Checker.translation_entries):
        a row without a translation is a text left in French."""
        if TRANSLATIONS not in self.workbook.sheetnames:
            return []
        entries = []
        for row, values, places in self.table(TRANSLATIONS):
            if values["text"] is None:
                continue
            node = Node(places["text"])
            node.cells = places
            language = _plain(_text(values["language"]) or "")
            kind = KIND_READ.get(_plain(_text(values["kind"]) or ""))
            written_field = _plain(_text(values["field"]) or "")
            level = LEVEL_DESCRIPTION.match(written_field)
            field = f"level_descriptions.{int(level[1])}" if level else FIELD_READ.get(written_field)
            if kind is None:
                self.fault(
                    places["kind"],
                    _("élément « %(kind)s » inconnu (attendu : %(expected)s).")
                    % {"kind": values["kind"] or "", "expected": ", ".join(KIND_WORDS.values())},
                )
            elif field is None:
                self.fault(
                    places["field"],
                    _(
                        "champ « %(field)s » inconnu "
                        "(attendu : %(expected)s, ou « niveau 2 » pour un domaine)."
                    )
                    % {"field": values["field"] or "", "expected": ", ".join(FIELD_WORDS.values())},
                )
            else:
                code = "" if kind == "framework" else _text(values["code"]) or ""
                where_ = f"{TRANSLATIONS}[{row}]"
                entries.append((where_, node, language, kind, code, field, values["text"]))
        return entries

    def table(self, name):
        """[(row, {key: value}, {key: cell})] of a table sheet's non-empty rows."""
        columns = COLUMNS[name]
        cells = self.sheet_cells(name, len(columns))
        if cells is None:
            return []
        for column, (__, header) in enumerate(columns, start=1):
            written = _written(cells, 1, column)
            if _plain(written) != _plain(header):
                self.fault(
                    (name, 1, column),
                    _("colonne « %(header)s » attendue : ne déplacez, n’ajoutez ni ne supprimez de colonne.")
                    % {"header": header},
                )
                return []
        last = max((row for row, __ in cells), default=1)
        if last > MAX_ROWS:
            self.fault(
                (name, MAX_ROWS + 1, 1),
                _("plus de %(max)s lignes : ce n’est plus un référentiel.") % {"max": MAX_ROWS},
            )
            return []
        rows = []
        for row in range(2, last + 1):
            values = {key: self.value(cells, name, row, c) for c, (key, __) in enumerate(columns, start=1)}
            if any(v is not None for v in values.values()) or any(
                (name, row, c) in self.faulted for c in range(1, len(columns) + 1)
            ):
                rows.append(
                    (row, values, {key: (name, row, c) for c, (key, __) in enumerate(columns, start=1)})
                )
        return rows


def _text(value):
    return None if value is None else str(value)


def _number(value):
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


def _node(values, places, keys, optional=(), first="code"):
    """A Node of these keys, optional keys left out when empty, texts as texts."""
    node = Node(places[first])
    for key, read in keys.items():
        value = read(values[key])
        if value is None and key in optional:
            continue
        node[key] = value
        node.cells[key] = places[key]
    return node


TEXT = _text


def _framework_node(reader):
    cells = reader.sheet_cells(FRAMEWORK, 2, len(FIELDS) + 1)
    top = Node()
    source = Node()
    if cells is None:
        return top
    for row, (key, label) in enumerate(FIELDS, start=2):
        if _plain(_written(cells, row, 1)) != _plain(label):
            reader.fault(
                (FRAMEWORK, row, 1),
                _("« %(label)s » attendu : ne déplacez ni n’ajoutez de ligne.") % {"label": label},
            )
            reader.faulted.add((FRAMEWORK, row, 2))
            value = None
        else:
            value = _text(reader.value(cells, FRAMEWORK, row, 2))
        if key in {"audience", "level_name"} and value is not None:
            value = (AUDIENCE_READ if key == "audience" else LEVEL_NAME_READ).get(_plain(value), value)
        node = source if key in {"publisher", "document", "date", "url"} else top
        if value is None and key in {"date", "url"}:
            continue
        node[key] = value
        node.cells[key] = (FRAMEWORK, row, 2)
    top["source"] = source
    return top


def _framework_data(reader):
    top = _framework_node(reader)
    levels = [
        _node(v, p, {"number": _number, "label": TEXT, "description": TEXT}, {"description"}, "number")
        for __, v, p in reader.table(LEVELS)
    ]
    parts = [
        _node(v, p, {"code": TEXT, "title": TEXT, "description": TEXT}, {"description"})
        for __, v, p in reader.table(PARTS)
    ]
    level_numbers = {node["number"] for node in levels}
    domains = {}
    for __, values, places in reader.table(DOMAINS):
        node = _node(values, places, {"code": TEXT, "title": TEXT, "description": TEXT}, {"description"})
        part = _text(values["part"])
        if parts and part is None:
            reader.fault(
                places["part"],
                _("indiquez la partie de ce domaine (un code de la feuille « %(sheet)s »).")
                % {"sheet": PARTS},
            )
        elif part is not None and not parts:
            reader.fault(
                places["part"],
                _("aucune partie n’est déclarée dans la feuille « %(sheet)s ».") % {"sheet": PARTS},
            )
        elif part is not None:
            node["part"], node.cells["part"] = part, places["part"]
        domains.setdefault(node["code"], node)
    for __, values, places in reader.table(DOMAIN_LEVELS):
        domain, level, text = _text(values["domain"]), _number(values["level"]), _text(values["text"])
        if domain not in domains:
            reader.fault(places["domain"], _absent_domain(domain))
        elif level not in level_numbers:
            reader.fault(
                places["level"],
                _("niveau « %(level)s » absent de la feuille « %(sheet)s ».")
                % {"level": level or "", "sheet": LEVELS},
            )
        elif text is None:
            reader.fault(places["text"], _("texte manquant."))
        elif level in domains[domain].setdefault("level_descriptions", {}):
            reader.fault(
                places["level"],
                _("niveau %(level)s déjà décrit pour le domaine %(domain)s.")
                % {"level": level, "domain": domain},
            )
        else:
            domains[domain]["level_descriptions"][level] = text
    components = {}
    for __, values, places in reader.table(COMPONENTS):
        domain = _text(values["domain"])
        node = _node(values, places, {"code": TEXT, "title": TEXT, "description": TEXT}, {"description"})
        node.cells["criteria"] = places["code"]
        if domain not in domains:
            reader.fault(places["domain"], _absent_domain(domain))
            continue
        node["criteria"] = []
        domains[domain].setdefault("components", []).append(node)
        components.setdefault(node["code"], (domain, node))
    for __, values, places in reader.table(CRITERIA):
        domain, component = _text(values["domain"]), _text(values["component"])
        node = _node(values, places, {"code": TEXT, "level": _number, "text": TEXT, "note": TEXT}, {"note"})
        if domain not in domains:
            reader.fault(places["domain"], _absent_domain(domain))
        elif component is None and "components" in domains[domain]:
            reader.fault(
                places["component"], _("ce domaine a des composantes : indiquez celle de ce critère.")
            )
        elif component is not None and component not in components:
            reader.fault(
                places["component"],
                _("composante « %(component)s » absente de la feuille « %(sheet)s ».")
                % {"component": component, "sheet": COMPONENTS},
            )
        elif component is not None and components[component][0] != domain:
            reader.fault(
                places["component"],
                _("la composante « %(component)s » appartient au domaine %(domain)s.")
                % {"component": component, "domain": components[component][0]},
            )
        elif component is not None:
            components[component][1]["criteria"].append(node)
        else:
            domains[domain].setdefault("criteria", []).append(node)
    if not levels:
        reader.fault((LEVELS, 2, 1), _("aucun niveau : un référentiel en a au moins un."))
    if not domains:
        reader.fault((DOMAINS, 2, 1), _("aucun domaine : un référentiel en a au moins un."))
    top["levels"], top["domains"] = levels, list(domains.values())
    if parts:
        top["parts"] = parts
    top.cells.update({"levels": (LEVELS, 2, 1), "domains": (DOMAINS, 2, 1), "parts": (PARTS, 2, 1)})
    return top


def _crosswalk(reader, spec):
    """The crosswalk sheet as a document whose target is `spec`, or None when it is empty."""
    cells = reader.sheet_cells(CROSSWALK, len(LINK_COLUMNS))
    if cells is None:
        return None
    head = {}
    for row, (key, label) in enumerate(CROSSWALK_FIELDS, start=1):
        if _plain(_written(cells, row, 1)) != _plain(label):
            reader.fault(
                (CROSSWALK, row, 1),
                _("« %(label)s » attendu : ne déplacez ni n’ajoutez de ligne.") % {"label": label},
            )
        head[key] = _text(reader.value(cells, CROSSWALK, row, 2))
    for column, (__, header) in enumerate(LINK_COLUMNS, start=1):
        if _plain(_written(cells, LINK_HEADER_ROW, column)) != _plain(header):
            reader.fault(
                (CROSSWALK, LINK_HEADER_ROW, column),
                _("colonne « %(header)s » attendue.") % {"header": header},
            )
            return None
    rule_words, type_words = workbook_words(CarryRule), workbook_words(LinkType)
    type_read = _choices(type_words.items())
    links, rows = [], []
    last = max((row for row, __ in cells), default=LINK_HEADER_ROW)
    for row in range(LINK_HEADER_ROW + 1, min(last, MAX_ROWS) + 1):
        values = [_text(reader.value(cells, CROSSWALK, row, c)) for c in range(1, len(LINK_COLUMNS) + 1)]
        if not any(values):
            continue
        source, target, kind, note = values
        kind = type_read.get(_plain(kind), kind) if kind else kind
        for column, value in ((1, source), (2, target), (3, kind)):
            if value is None:
                reader.fault((CROSSWALK, row, column), _("valeur manquante."))
        links.append(LinkSpec(source or "", target or "", kind or "", note or ""))
        rows.append(row)
    if not links and not head["source_slug"] and not head["source_version"]:
        return None
    for row, key in ((1, "source_slug"), (2, "source_version"), (3, "rule")):
        if head[key] is None:
            reader.fault((CROSSWALK, row, 2), _("valeur manquante : la table de correspondance la demande."))
    rule = _choices(rule_words.items()).get(_plain(head["rule"] or ""), head["rule"] or "")
    if head["rule"] and rule not in CarryRule.values:
        labels = ", ".join(rule_words.values())
        reader.fault(
            (CROSSWALK, 3, 2),
            _("règle « %(rule)s » inconnue (attendu : %(rules)s).") % {"rule": head["rule"], "rules": labels},
        )
    if not links:
        reader.fault((CROSSWALK, LINK_HEADER_ROW + 1, 1), _("aucun lien entre critères."))
    columns = {field: c for c, (field, __) in enumerate(LINK_COLUMNS, start=1)}
    heads = {"source": 1, "target": 1, "rule": 3}

    def locate(index, field):
        if index is None:
            return where(CROSSWALK, heads.get(field, 1), 2)
        return where(CROSSWALK, rows[index], columns[field])

    spec_ = CrosswalkSpec(
        head["source_slug"] or "", head["source_version"] or "", spec.slug, spec.version, rule, tuple(links)
    )
    return CrosswalkDocument(spec_, locate)


def read_framework_workbook(content):
    """(FrameworkSpec, CrosswalkDocument or None) of an uploaded workbook; SpreadsheetInvalid
    with every fault, cell by cell, otherwise."""
    workbook = open_workbook(content)
    reader = _Reader(workbook)
    try:
        for name in REQUIRED_SHEETS:  # a missing sheet first: the rest would only repeat it
            reader.sheet_cells(name, 1, 1)
        if reader.missing:
            raise SpreadsheetInvalid(reader.messages())
        data = _framework_data(reader)
        spec = _SheetChecker(reader).framework(data)
        found = _crosswalk(reader, spec)
    finally:
        workbook.close()
    if reader.faults:
        raise SpreadsheetInvalid(reader.messages())
    if found is None:
        return spec, None
    faults = [found.fault(*fault) for fault in check_links(found.spec)]
    faults += check_documents([found], pending=[spec])
    if faults:
        raise SpreadsheetInvalid(faults)
    return spec, found


def check_data(data):
    """The spec of data kept between the preview and the load (spec.to_data())."""
    for domain in data["domains"]:
        if "level_descriptions" in domain:  # JSON made the level numbers texts
            domain["level_descriptions"] = {int(n): t for n, t in domain["level_descriptions"].items()}
    # (the translations' level numbers are read as texts or numbers alike)
    try:
        return check_framework_data(data, Checker(_("aperçu")))
    except FrameworkInvalid as invalid:
        raise SpreadsheetInvalid(invalid.errors) from None
