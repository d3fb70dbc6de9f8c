"""Crosswalks (tables de correspondance) as plain data: read, checked, compared.

A crosswalk maps the criteria of a source framework (an earlier version, or another
framework) to those of a target framework, many to many, each link typed; its rule says
how the answers of a target criterion's sources combine when answers are carried over
(assessments/carrying.py). Like frameworks, a crosswalk is a YAML document (or a sheet of
the framework workbook) checked whole before anything is written, every fault named by
its place.
"""

from dataclasses import dataclass

import yaml
from django.utils.translation import gettext as _

from .models import CarryRule, LinkType
from .validation import FrameworkInvalid, LineLoader, fault_at, unreadable_yaml

TOP_KEYS = {"source", "target", "rule", "links"}
END_KEYS = {"slug", "version"}
LINK_KEYS = {"source", "target", "type", "note"}


@dataclass(frozen=True)
class LinkSpec:
    source: str
    target: str
    type: str
    note: str = ""


@dataclass(frozen=True)
class CrosswalkSpec:
    source_slug: str
    source_version: str
    target_slug: str
    target_version: str
    rule: str
    links: tuple[LinkSpec, ...]

    @property
    def source_key(self):
        return (self.source_slug, self.source_version)

    @property
    def target_key(self):
        return (self.target_slug, self.target_version)

    @property
    def key(self):
        return f"{self.source_slug} {self.source_version} → {self.target_slug} {self.target_version}"

    def to_data(self):
        return {
            "source": {"slug": self.source_slug, "version": self.source_version},
            "target": {"slug": self.target_slug, "version": self.target_version},
            "rule": self.rule,
            "links": [
                {"source": link.source, "target": link.target, "type": link.type}
                | ({"note": link.note} if link.note else {})
                for link in self.links
            ],
        }


@dataclass(frozen=True)
class CrosswalkDocument:
    """A spec and where its parts were written: `locate(link index or None, field)` names the
    place of a fault (a YAML line, a spreadsheet cell) for the checks made later."""

    spec: CrosswalkSpec
    locate: object

    def fault(self, index, field, message):
        return _("%(place)s : %(message)s") % {"place": self.locate(index, field), "message": message}


def crosswalk_from_data(data):
    """The spec of data written by `to_data` (already checked once)."""
    return CrosswalkSpec(
        source_slug=data["source"]["slug"],
        source_version=data["source"]["version"],
        target_slug=data["target"]["slug"],
        target_version=data["target"]["version"],
        rule=data["rule"],
        links=tuple(LinkSpec(**link) for link in data["links"]),
    )


def export_yaml(spec):
    return yaml.safe_dump(spec.to_data(), allow_unicode=True, sort_keys=False, width=100)


def parse_crosswalk_text(text, source_name="<texte>"):
    """The document read from YAML, or FrameworkInvalid with every fault of its shape.
    Codes are checked against the frameworks when loading (crosswalk_loading.py)."""
    try:
        data = yaml.load(text, Loader=LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as error:
        raise FrameworkInvalid([unreadable_yaml(source_name, error)]) from None
    errors = []

    def fail(place, node, message):
        errors.append(fault_at(source_name, place, getattr(node, "line", None), message))

    def mapping(place, node, allowed, required, parent):
        if not isinstance(node, dict):
            fail(place, parent, _("une table de clés est attendue."))
            return None
        for key in node:
            if key not in allowed:
                fail(
                    place,
                    node,
                    _("clé inconnue « %(key)s » (clés possibles : %(keys)s).")
                    % {"key": key, "keys": ", ".join(sorted(allowed))},
                )
        for key in sorted(required - set(node)):
            fail(place, node, _("clé obligatoire « %(key)s » absente.") % {"key": key})
        return node

    def text(place, node, key, required=True):
        value = node.get(key)
        if isinstance(value, bool) or not isinstance(value, str | int | float | None):
            fail(f"{place}.{key}", node, _("un texte est attendu."))
            return ""
        value = "" if value is None else str(value).strip()
        if required and not value and key in node:
            fail(f"{place}.{key}", node, _("texte manquant."))
        return value

    if mapping("document", data, TOP_KEYS, TOP_KEYS, None) is None:
        raise FrameworkInvalid(errors)
    ends = {}
    for end in ("source", "target"):
        node = data.get(end)
        if node is not None and mapping(end, node, END_KEYS, END_KEYS, data) is not None:
            ends[end] = (text(end, node, "slug"), text(end, node, "version"))
        else:
            ends[end] = ("", "")
    rule = text("rule", data, "rule")
    if rule and rule not in CarryRule.values:
        fail(
            "rule",
            data,
            _("règle « %(rule)s » inconnue (règles possibles : %(rules)s).")
            % {"rule": rule, "rules": ", ".join(CarryRule.values)},
        )
    links, lines = [], []
    nodes = data.get("links")
    if not isinstance(nodes, list) or not nodes:
        fail("links", data, _("une liste de liens est attendue."))
        nodes = []
    for i, node in enumerate(nodes):
        place = f"links[{i + 1}]"
        if mapping(place, node, LINK_KEYS, LINK_KEYS - {"note"}, data) is None:
            continue
        link = LinkSpec(
            source=text(place, node, "source"),
            target=text(place, node, "target"),
            type=text(place, node, "type"),
            note=text(place, node, "note", required=False),
        )
        links.append(link)
        lines.append(getattr(node, "line", None))

    def locate(index, field):
        if index is None:
            line = getattr(data.get(field), "line", None) or data.line
            return _("%(source)s › %(place)s (ligne %(line)s)") % {
                "source": source_name,
                "place": field,
                "line": line,
            }
        return _("%(source)s › %(place)s (ligne %(line)s).%(field)s") % {
            "source": source_name,
            "place": f"links[{index + 1}]",
            "line": lines[index],
            "field": field,
        }

    document = CrosswalkDocument(CrosswalkSpec(*ends["source"], *ends["target"], rule, tuple(links)), locate)
    errors.extend(document.fault(*fault) for fault in check_links(document.spec))
    if errors:
        raise FrameworkInvalid(errors)
    return document


def check_links(spec):
    """[(link index, field, message)]: what is wrong with the links whatever the frameworks."""
    faults, seen = [], {}
    for i, link in enumerate(spec.links):
        if link.type and link.type not in LinkType.values:
            faults.append(
                (
                    i,
                    "type",
                    _("type de lien « %(type)s » inconnu (types possibles : %(types)s).")
                    % {"type": link.type, "types": ", ".join(LinkType.values)},
                )
            )
        pair = (link.source, link.target)
        if all(pair) and pair in seen:
            faults.append(
                (
                    i,
                    "source",
                    _("lien %(source)s → %(target)s déjà donné (lien %(first)s).")
                    % {"source": link.source, "target": link.target, "first": seen[pair] + 1},
                )
            )
        seen.setdefault(pair, i)
    return faults


def check_codes(spec, source_codes, target_codes):
    """[(link index, field, message)] for every code the frameworks do not hold."""
    faults = []
    source_name = f"{spec.source_slug} {spec.source_version}"
    target_name = f"{spec.target_slug} {spec.target_version}"
    for i, link in enumerate(spec.links):
        if link.source and link.source not in source_codes:
            faults.append(
                (
                    i,
                    "source",
                    _("critère « %(code)s » inconnu dans le référentiel source %(framework)s.")
                    % {"code": link.source, "framework": source_name},
                )
            )
        if link.target and link.target not in target_codes:
            faults.append(
                (
                    i,
                    "target",
                    _("critère « %(code)s » inconnu dans le référentiel cible %(framework)s.")
                    % {"code": link.target, "framework": target_name},
                )
            )
    return faults


def find_cycle(edges):
    """A list of framework keys going round in a circle through `edges` (pairs source →
    target), or None. Carrying answers follows crosswalks from older to newer: a circle
    would make « the previous campaign » endless."""
    following = {}
    for source, target in edges:
        following.setdefault(source, set()).add(target)
    state = {}  # key → "open" while being explored, "done" after

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(following.get(node, ())):
            if state.get(nxt) == "open":  # on the current path: round in a circle
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt, [*path, nxt])
                if found:
                    return found
        state[node] = "done"
        return None

    for start in sorted(following):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None
