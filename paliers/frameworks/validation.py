"""Read a framework YAML document and check it, naming the file, the place and the fault.

Every fault of a document is collected (not only the first), so that whoever writes a
framework fixes them in one go. Messages are in French: académie staff read them.
"""

import re
from pathlib import Path

import yaml

from .spec import (
    AUDIENCES,
    LEVEL_NAMES,
    ComponentSpec,
    CriterionSpec,
    DomainSpec,
    FrameworkSpec,
    LevelSpec,
    PartSpec,
    SourceSpec,
)

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CODE_PATTERN = re.compile(r"^[A-Z0-9]+(\.[A-Z0-9]+)*$")
MAX_VERSION_LENGTH = 40

TOP_KEYS = {"slug", "version", "title", "audience", "source", "level_name", "levels", "parts", "domains"}
SOURCE_KEYS = {"publisher", "document", "date", "url"}
LEVEL_KEYS = {"number", "label", "description"}
PART_KEYS = {"code", "title", "description"}
DOMAIN_KEYS = {"code", "title", "part", "description", "level_descriptions", "components", "criteria"}
COMPONENT_KEYS = {"code", "title", "description", "criteria"}
CRITERION_KEYS = {"code", "level", "text", "note"}


class FrameworkInvalid(Exception):
    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


class LineDict(dict):
    """A mapping that remembers the line it starts on, for error messages."""

    line = None


# The C loader (libyaml, in the PyYAML wheels) when present: several times faster.
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"clé « {key} » en double",
                    key_node.start_mark,
                )
            seen.add(key)
        mapping = LineDict(super().construct_mapping(node, deep=deep))
        mapping.line = node.start_mark.line + 1
        return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)
# Public: the roadmap loader reads its YAML with line numbers too.
LineLoader = _LineLoader

# Bounds on what a YAML file may make us build. Aliases let 13 kB of nested « *a » stand
# for billions of nodes (6 GB once walked): the document's size is counted *with* its
# aliases expanded, on the composed graph (linear, whatever the expansion), before
# anything is built. The largest shipped framework is 44 kB and under 800 nodes.
MAX_YAML_CHARACTERS = 1_000_000
MAX_YAML_NODES = 100_000


class YamlRefused(ValueError):
    """A YAML document refused before it is built; the message says why, in French."""


def _children(node):
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return ()


def expanded_size(root, limit=MAX_YAML_NODES):
    """Nodes of the document once every alias is expanded (stops counting beyond `limit`);
    YamlRefused for an alias inside itself. Iterative: a deep nesting cannot exhaust the stack."""
    sizes, in_progress, stack = {}, set(), [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            in_progress.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > limit:
                return sizes[key]
        elif key not in sizes:
            if key in in_progress:
                raise YamlRefused("un alias renvoie à l’élément qui le contient (structure sans fin)")
            in_progress.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]


def load_yaml(text, loader_class=LineLoader):
    """The document of `text`, through a SafeLoader, within the bounds above; YamlRefused
    beyond them, yaml.YAMLError on a syntax error."""
    if len(text) > MAX_YAML_CHARACTERS:
        raise YamlRefused(f"fichier trop volumineux ({len(text)} caractères, {MAX_YAML_CHARACTERS} au plus)")
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        size = expanded_size(root)
        if size > MAX_YAML_NODES:
            raise YamlRefused(
                f"plus de {MAX_YAML_NODES} éléments une fois les alias (*…) développés : le fichier est "
                "refusé par prudence ; écrivez les éléments plutôt que de les répéter par des alias"
            )
        try:
            return loader.construct_document(root)
        except RecursionError:
            raise YamlRefused("structure trop imbriquée") from None
    finally:
        loader.dispose()


def parse_framework_file(path):
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FrameworkInvalid([f"{path} : le fichier n’est pas encodé en UTF-8."]) from None
    except OSError as error:
        raise FrameworkInvalid([f"{path} : lecture impossible ({error.strerror})."]) from None
    return parse_framework_text(text, str(path))


def parse_framework_text(text, source_name="<texte>"):
    try:
        data = load_yaml(text)
    except YamlRefused as error:
        raise FrameworkInvalid([f"{source_name} : {error}."]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", ligne {mark.line + 1}, colonne {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise FrameworkInvalid([f"{source_name}{where} : YAML illisible ({problem})."]) from None
    return check_framework_data(data, Checker(source_name))


def check_framework_data(data, checker):
    """The spec of a YAML document's data, or FrameworkInvalid with every fault the checker
    found (the workbook reader passes data read from sheets, and a checker naming cells)."""
    spec = checker.framework(data)
    if checker.errors:
        raise FrameworkInvalid(checker.errors)
    return spec


class Checker:
    def __init__(self, source_name):
        self.source_name = source_name
        self.errors = []
        self.part_nodes = {}

    def fail(self, place, node, message):
        line = getattr(node, "line", None)
        at = f" (ligne {line})" if line else ""
        self.errors.append(f"{self.source_name} › {place}{at} : {message}")

    def mapping(self, place, value, allowed, required, parent=None):
        if not isinstance(value, dict):
            self.fail(place, parent, f"une table de clés est attendue, pas {_kind(value)}.")
            return None
        for key in value:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.fail(place, value, f"clé inconnue « {key} » (clés possibles : {expected}).")
        for key in required:
            if key not in value:
                self.fail(place, value, f"clé obligatoire « {key} » absente.")
        return value

    def text(self, place, node, key, required=True):
        value = node.get(key)
        if value is None:
            if required and key in node:
                self.fail(f"{place}.{key}", node, "texte manquant.")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(f"{place}.{key}", node, f"un texte est attendu, pas {_kind(value)}.")
            return ""
        value = str(value).strip()
        if required and not value:
            self.fail(f"{place}.{key}", node, "texte manquant.")
        return value

    def items(self, place, node, key, required=True):
        value = node.get(key)
        if value is None:
            if required and key in node:
                self.fail(f"{place}.{key}", node, "liste vide.")
            return []
        if not isinstance(value, list):
            self.fail(f"{place}.{key}", node, f"une liste est attendue, pas {_kind(value)}.")
            return []
        if required and not value:
            self.fail(f"{place}.{key}", node, "liste vide.")
        return value

    def code(self, place, node, seen, kind):
        code = self.text(place, node, "code")
        if not code:
            return code
        if not CODE_PATTERN.match(code):
            self.fail(
                f"{place}.code",
                node,
                f"code « {code} » invalide : lettres majuscules et chiffres, séparés par des points.",
            )
        if code in seen:
            self.fail(f"{place}.code", node, f"code de {kind} « {code} » en double.")
        seen.add(code)
        return code

    def framework(self, data):
        required = TOP_KEYS - {"parts"}
        if self.mapping("document", data, TOP_KEYS, required) is None:
            return None
        slug = self.text("slug", data, "slug")
        if slug and not SLUG_PATTERN.match(slug):
            self.fail("slug", data, f"« {slug} » invalide : minuscules, chiffres et tirets.")
        version = self.text("version", data, "version")
        if len(version) > MAX_VERSION_LENGTH:
            self.fail("version", data, f"plus de {MAX_VERSION_LENGTH} caractères.")
        audience = self.text("audience", data, "audience")
        if audience and audience not in AUDIENCES:
            self.fail("audience", data, f"« {audience} » inconnu (attendu : {', '.join(AUDIENCES)}).")
        level_name = self.text("level_name", data, "level_name")
        if level_name and level_name not in LEVEL_NAMES:
            self.fail("level_name", data, f"« {level_name} » inconnu (attendu : {', '.join(LEVEL_NAMES)}).")
        levels = self.levels(data)
        parts = self.parts(data)
        seen = {"domain": set(), "component": set(), "criterion": set()}
        level_numbers = {level.number for level in levels}
        domains = [
            self.domain(f"domains[{i + 1}]", node, parts, level_numbers, seen, data)
            for i, node in enumerate(self.items("domains", data, "domains"))
        ]
        domains = [domain for domain in domains if domain is not None]
        used_parts = {domain.part for domain in domains}
        for i, part in enumerate(parts):
            if part.code not in used_parts:
                node = self.part_nodes.get(part.code, data)
                self.fail(f"parts[{i + 1}]", node, f"la partie « {part.code} » ne regroupe aucun domaine.")
        return FrameworkSpec(
            slug=slug,
            version=version,
            title=self.text("title", data, "title"),
            audience=audience,
            source=self.source(data),
            level_name=level_name,
            levels=tuple(levels),
            parts=tuple(parts),
            domains=tuple(domains),
        )

    def source(self, data):
        if "source" not in data:
            return SourceSpec("", "")
        node = self.mapping("source", data["source"], SOURCE_KEYS, {"publisher", "document"}, data)
        if node is None:
            return SourceSpec("", "")
        return SourceSpec(
            publisher=self.text("source", node, "publisher"),
            document=self.text("source", node, "document"),
            date=self.text("source", node, "date", required=False),
            url=self.text("source", node, "url", required=False),
        )

    def levels(self, data):
        levels = []
        for i, node in enumerate(self.items("levels", data, "levels")):
            place = f"levels[{i + 1}]"
            if self.mapping(place, node, LEVEL_KEYS, {"number", "label"}, data) is None:
                continue
            number = node.get("number")
            if number != i + 1 or isinstance(number, bool):
                self.fail(
                    f"{place}.number",
                    node,
                    f"numéro {number!r} : les niveaux sont numérotés 1, 2, 3… dans l’ordre.",
                )
                continue
            levels.append(
                LevelSpec(
                    number=number,
                    label=self.text(place, node, "label"),
                    description=self.text(place, node, "description", required=False),
                )
            )
        return levels

    def parts(self, data):
        parts, seen = [], set()
        for i, node in enumerate(self.items("parts", data, "parts", required="parts" in data)):
            place = f"parts[{i + 1}]"
            if self.mapping(place, node, PART_KEYS, {"code", "title"}, data) is None:
                continue
            parts.append(
                PartSpec(
                    code=self.code(place, node, seen, "partie"),
                    title=self.text(place, node, "title"),
                    description=self.text(place, node, "description", required=False),
                )
            )
            self.part_nodes.setdefault(parts[-1].code, node)
        return parts

    def domain(self, place, node, parts, level_numbers, seen, parent):
        required = {"code", "title"} | ({"part"} if parts else set())
        if self.mapping(place, node, DOMAIN_KEYS, required, parent) is None:
            return None
        code = self.code(place, node, seen["domain"], "domaine")
        place = f"{place} « {code or '?'} »"
        part = self.text(place, node, "part", required=False)
        if part and not parts:
            self.fail(f"{place}.part", node, "« part » sans liste « parts » déclarée.")
        elif part and part not in {p.code for p in parts}:
            self.fail(f"{place}.part", node, f"partie « {part} » inconnue.")
        descriptions = self.level_descriptions(place, node, level_numbers)
        has_components = node.get("components") is not None
        has_criteria = node.get("criteria") is not None
        components, criteria = (), ()
        if has_components and has_criteria:
            self.fail(place, node, "un domaine a des composantes ou des critères, pas les deux.")
        elif has_components:
            components = tuple(
                component
                for i, component_node in enumerate(self.items(place, node, "components"))
                if (
                    component := self.component(
                        f"{place}.components[{i + 1}]", component_node, level_numbers, seen, node
                    )
                )
            )
        elif has_criteria:
            criteria = self.criteria(place, node, level_numbers, seen)
        else:
            self.fail(place, node, "domaine vide : ni composantes ni critères.")
        return DomainSpec(
            code=code,
            title=self.text(place, node, "title"),
            part=part,
            description=self.text(place, node, "description", required=False),
            level_descriptions=descriptions,
            components=components,
            criteria=criteria,
        )

    def level_descriptions(self, place, node, level_numbers):
        value = node.get("level_descriptions")
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.fail(f"{place}.level_descriptions", node, f"une table est attendue, pas {_kind(value)}.")
            return ()
        pairs = []
        for number, text in value.items():
            if number not in level_numbers:
                self.fail(f"{place}.level_descriptions", value, f"niveau {number!r} inconnu.")
            elif not isinstance(text, str) or not text.strip():
                self.fail(f"{place}.level_descriptions[{number}]", value, "texte manquant.")
            else:
                pairs.append((number, text.strip()))
        return tuple(sorted(pairs))

    def component(self, place, node, level_numbers, seen, parent):
        if self.mapping(place, node, COMPONENT_KEYS, {"code", "title", "criteria"}, parent) is None:
            return None
        code = self.code(place, node, seen["component"], "composante")
        place = f"{place} « {code or '?'} »"
        return ComponentSpec(
            code=code,
            title=self.text(place, node, "title"),
            description=self.text(place, node, "description", required=False),
            criteria=self.criteria(place, node, level_numbers, seen),
        )

    def criteria(self, place, node, level_numbers, seen):
        criteria = []
        for i, criterion in enumerate(self.items(place, node, "criteria")):
            at = f"{place}.criteria[{i + 1}]"
            if self.mapping(at, criterion, CRITERION_KEYS, CRITERION_KEYS - {"note"}, node) is None:
                continue
            code = self.code(at, criterion, seen["criterion"], "critère")
            at = f"{at} « {code or '?'} »"
            level = criterion.get("level")
            if "level" in criterion and (isinstance(level, bool) or level not in level_numbers):
                known = ", ".join(str(n) for n in sorted(level_numbers))
                self.fail(f"{at}.level", criterion, f"niveau {level!r} inconnu (niveaux déclarés : {known}).")
            criteria.append(
                CriterionSpec(
                    code=code,
                    level=level,
                    text=self.text(at, criterion, "text"),
                    note=self.text(at, criterion, "note", required=False),
                )
            )
        return tuple(criteria)


def _kind(value):
    if isinstance(value, dict):
        return "une table"
    if isinstance(value, list):
        return "une liste"
    if value is None:
        return "une valeur vide"
    return f"« {value} »"
