"""Read a framework YAML document and check it, naming the file, the place and the fault.

Every fault of a document is collected (not only the first), so that whoever writes a
framework fixes them in one go. Messages are in French: académie staff read them.
"""

import re
from dataclasses import replace
from pathlib import Path

import yaml
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .spec import (
    AUDIENCES,
    LEVEL_NAMES,
    TRANSLATABLE,
    ComponentSpec,
    CriterionSpec,
    DomainSpec,
    FrameworkSpec,
    LevelSpec,
    PartSpec,
    SourceSpec,
    TranslationSpec,
)

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CODE_PATTERN = re.compile(r"^[A-Z0-9]+(\.[A-Z0-9]+)*$")
MAX_VERSION_LENGTH = 40

TOP_KEYS = {
    "slug",
    "version",
    "title",
    "audience",
    "source",
    "level_name",
    "levels",
    "parts",
    "domains",
    "translations",
}
SOURCE_KEYS = {"publisher", "document", "date", "url"}
LEVEL_KEYS = {"number", "label", "description"}
PART_KEYS = {"code", "title", "description"}
DOMAIN_KEYS = {"code", "title", "part", "description", "level_descriptions", "components", "criteria"}
COMPONENT_KEYS = {"code", "title", "description", "criteria"}
CRITERION_KEYS = {"code", "level", "text", "note"}
TRANSLATION_KEYS = {"title", *TRANSLATABLE} - {"framework"}
# What each kind of element is called in a fault.
KIND_WORDS = {
    "levels": gettext_lazy("niveau"),
    "parts": gettext_lazy("partie"),
    "domains": gettext_lazy("domaine"),
    "components": gettext_lazy("composante"),
    "criteria": gettext_lazy("critère"),
}


def translation_languages():
    """The languages a framework may be translated into: the interface's, French aside (a
    framework's own texts are French)."""
    return [code for code, __ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


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
        for key_node, __ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    _("clé « %(key)s » en double") % {"key": key},
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
                raise YamlRefused(_("un alias renvoie à l’élément qui le contient (structure sans fin)"))
            in_progress.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]


def load_yaml(text, loader_class=LineLoader):
    """The document of `text`, through a SafeLoader, within the bounds above; YamlRefused
    beyond them, yaml.YAMLError on a syntax error."""
    if len(text) > MAX_YAML_CHARACTERS:
        raise YamlRefused(
            _("fichier trop volumineux (%(length)s caractères, %(max)s au plus)")
            % {"length": len(text), "max": MAX_YAML_CHARACTERS}
        )
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        size = expanded_size(root)
        if size > MAX_YAML_NODES:
            raise YamlRefused(
                _(
                    "plus de %(max)s éléments une fois les alias (*…) développés : le fichier est "
                    "refusé par prudence ; écrivez les éléments plutôt que de les répéter par des alias"
                )
                % {"max": MAX_YAML_NODES}
            )
        try:
            return loader.construct_document(root)
        except RecursionError:
            raise YamlRefused(_("structure trop imbriquée")) from None
    finally:
        loader.dispose()


def parse_framework_file(path):
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FrameworkInvalid(
            [_("%(name)s : le fichier n’est pas encodé en UTF-8.") % {"name": path}]
        ) from None
    except OSError as error:
        raise FrameworkInvalid(
            [_("%(name)s : lecture impossible (%(error)s).") % {"name": path, "error": error.strerror}]
        ) from None
    return parse_framework_text(text, str(path))


def parse_framework_text(text, source_name="<texte>"):
    try:
        data = load_yaml(text)
    except YamlRefused as error:
        raise FrameworkInvalid(
            [_("%(name)s : %(problem)s.") % {"name": source_name, "problem": error}]
        ) from None
    except yaml.YAMLError as error:
        raise FrameworkInvalid([unreadable_yaml(source_name, error)]) from None
    return check_framework_data(data, Checker(source_name))


def unreadable_yaml(source_name, error):
    """The fault of a YAML syntax error, with its line and column when known."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    if mark:
        return _("%(name)s, ligne %(line)s, colonne %(column)s : YAML illisible (%(problem)s).") % {
            "name": source_name,
            "line": mark.line + 1,
            "column": mark.column + 1,
            "problem": problem,
        }
    return _("%(name)s : YAML illisible (%(problem)s).") % {"name": source_name, "problem": problem}


def fault_at(source_name, place, line, message):
    """« source › place (ligne N) : message »: how a fault of a YAML document names its place."""
    values = {"source": source_name, "place": place, "line": line, "message": message}
    if line:
        return _("%(source)s › %(place)s (ligne %(line)s) : %(message)s") % values
    return _("%(source)s › %(place)s : %(message)s") % values


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
        self.errors.append(fault_at(self.source_name, place, getattr(node, "line", None), message))

    def choice_words(self, choices):
        """What may be written for a choice, in a fault: the YAML keys."""
        return ", ".join(choices)

    def empty_list(self, key):
        """The fault of a list left empty."""
        return _("liste vide.")

    def unknown_choice(self, value, choices):
        return _("« %(value)s » inconnu (attendu : %(expected)s).") % {
            "value": value,
            "expected": self.choice_words(choices),
        }

    def mapping(self, place, value, allowed, required, parent=None):
        if not isinstance(value, dict):
            self.fail(
                place, parent, _("une table de clés est attendue, pas %(kind)s.") % {"kind": _kind(value)}
            )
            return None
        for key in value:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.fail(
                    place,
                    value,
                    _("clé inconnue « %(key)s » (clés possibles : %(keys)s).")
                    % {"key": key, "keys": expected},
                )
        for key in required:
            if key not in value:
                self.fail(place, value, _("clé obligatoire « %(key)s » absente.") % {"key": key})
        return value

    def text(self, place, node, key, required=True):
        value = node.get(key)
        if value is None:
            if required and key in node:
                self.fail(f"{place}.{key}", node, _("texte manquant."))
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(
                f"{place}.{key}", node, _("un texte est attendu, pas %(kind)s.") % {"kind": _kind(value)}
            )
            return ""
        value = str(value).strip()
        if required and not value:
            self.fail(f"{place}.{key}", node, _("texte manquant."))
        return value

    def items(self, place, node, key, required=True):
        value = node.get(key)
        if value is None:
            if required and key in node:
                self.fail(f"{place}.{key}", node, self.empty_list(key))
            return []
        if not isinstance(value, list):
            self.fail(
                f"{place}.{key}", node, _("une liste est attendue, pas %(kind)s.") % {"kind": _kind(value)}
            )
            return []
        if required and not value:
            self.fail(f"{place}.{key}", node, self.empty_list(key))
        return value

    def code(self, place, node, seen, kind):
        code = self.text(place, node, "code")
        if not code:
            return code
        if not CODE_PATTERN.match(code):
            self.fail(
                f"{place}.code",
                node,
                _("code « %(code)s » invalide : lettres majuscules et chiffres, séparés par des points.")
                % {"code": code},
            )
        if code in seen:
            self.fail(
                f"{place}.code",
                node,
                _("code de %(kind)s « %(code)s » en double.") % {"kind": kind, "code": code},
            )
        seen.add(code)
        return code

    def framework(self, data):
        required = TOP_KEYS - {"parts", "translations"}
        if self.mapping("document", data, TOP_KEYS, required) is None:
            return None
        slug = self.text("slug", data, "slug")
        if slug and not SLUG_PATTERN.match(slug):
            self.fail(
                "slug", data, _("« %(slug)s » invalide : minuscules, chiffres et tirets.") % {"slug": slug}
            )
        version = self.text("version", data, "version")
        if len(version) > MAX_VERSION_LENGTH:
            self.fail("version", data, _("plus de %(max)s caractères.") % {"max": MAX_VERSION_LENGTH})
        audience = self.text("audience", data, "audience")
        if audience and audience not in AUDIENCES:
            self.fail("audience", data, self.unknown_choice(audience, AUDIENCES))
        level_name = self.text("level_name", data, "level_name")
        if level_name and level_name not in LEVEL_NAMES:
            self.fail("level_name", data, self.unknown_choice(level_name, LEVEL_NAMES))
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
                self.fail(
                    f"parts[{i + 1}]",
                    node,
                    _("la partie « %(part)s » ne regroupe aucun domaine.") % {"part": part.code},
                )
        spec = FrameworkSpec(
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
        return replace(spec, translations=self.translations(self.translation_entries(data), spec))

    def translation_entries(self, data):
        """[(place, node, language, kind, code, key, text)] of the optional `translations` block:
        {language: {title, levels: {number: {field: text}}, domains: {code: {…}}, …}}."""
        block = data.get("translations")
        if block is None:
            return []
        if not isinstance(block, dict):
            self.fail(
                "translations",
                data,
                _("une table des langues est attendue, pas %(kind)s.") % {"kind": _kind(block)},
            )
            return []
        entries = []
        for language, texts in block.items():
            place = f"translations.{language}"
            if self.mapping(place, texts, TRANSLATION_KEYS, set(), block) is None:
                continue
            if "title" in texts:
                entries.append(
                    (f"{place}.title", texts, str(language), "framework", "", "title", texts["title"])
                )
            for kind in TRANSLATION_KEYS - {"title"}:
                elements = texts.get(kind)
                if elements is None:
                    continue
                if not isinstance(elements, dict):
                    self.fail(
                        f"{place}.{kind}",
                        texts,
                        _("une table des codes traduits est attendue, pas %(kind)s.")
                        % {"kind": _kind(elements)},
                    )
                    continue
                for code, element in elements.items():
                    at = f"{place}.{kind} « {code} »"
                    if self.mapping(at, element, set(TRANSLATABLE[kind]), set(), elements) is None:
                        continue
                    for key, text in element.items():
                        if key == "level_descriptions" and not isinstance(text, dict):
                            self.fail(
                                f"{at}.level_descriptions",
                                element,
                                _("une table est attendue, pas %(kind)s.") % {"kind": _kind(text)},
                            )
                        elif key == "level_descriptions":
                            entries += [
                                (
                                    f"{at}.level_descriptions[{n}]",
                                    text,
                                    str(language),
                                    kind,
                                    str(code),
                                    f"{key}.{n}",
                                    t,
                                )
                                for n, t in text.items()
                            ]
                        elif key in TRANSLATABLE[kind]:
                            entries.append(
                                (f"{at}.{key}", element, str(language), kind, str(code), key, text)
                            )
        return entries

    def translation_fault(self, place, node, column, message):
        """A fault of one translated text; `column` names what is at fault (language, code,
        field or text), for the workbook's cells."""
        self.fail(place, node, message)

    def translations(self, entries, spec):
        """The TranslationSpecs of these entries, each checked against the spec's French texts:
        a known language, an element of the framework, a text it has, a text given once."""
        languages = translation_languages()
        texts = spec.translatable_texts()
        elements = {(kind, code) for kind, code, __ in texts}
        found, seen = [], set()
        for place, node, language, kind, code, key, text in entries:
            if language not in languages:
                self.translation_fault(
                    place,
                    node,
                    "language",
                    _(
                        "langue « %(language)s » non proposée par l’interface "
                        "(langues possibles : %(languages)s)."
                    )
                    % {"language": language, "languages": ", ".join(languages)},
                )
            elif kind != "framework" and (kind, code) not in elements:
                self.translation_fault(
                    place,
                    node,
                    "code",
                    _("ce code n’existe pas dans ce référentiel (%(kind)s « %(code)s ») : rien à traduire.")
                    % {"kind": KIND_WORDS[kind], "code": code},
                )
            elif (kind, code, key) not in texts:
                self.translation_fault(
                    place,
                    node,
                    "field",
                    _("le texte français n’a pas de « %(field)s » : rien à traduire.") % {"field": key},
                )
            elif isinstance(text, bool) or not isinstance(text, str | int | float) or not str(text).strip():
                self.translation_fault(place, node, "text", _("texte traduit manquant."))
            elif (language, kind, code, key) in seen:
                self.translation_fault(place, node, "field", _("ce texte est déjà traduit plus haut."))
            else:
                seen.add((language, kind, code, key))
                found.append(TranslationSpec(language, kind, code, key, str(text).strip()))
        return tuple(sorted(found))

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
                    _("numéro %(number)s : les niveaux sont numérotés 1, 2, 3… dans l’ordre.")
                    % {"number": repr(number)},
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
                    code=self.code(place, node, seen, _("partie")),
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
        code = self.code(place, node, seen["domain"], _("domaine"))
        place = f"{place} « {code or '?'} »"
        part = self.text(place, node, "part", required=False)
        if part and not parts:
            self.fail(f"{place}.part", node, _("« part » sans liste « parts » déclarée."))
        elif part and part not in {p.code for p in parts}:
            self.fail(f"{place}.part", node, _("partie « %(part)s » inconnue.") % {"part": part})
        descriptions = self.level_descriptions(place, node, level_numbers)
        has_components = node.get("components") is not None
        has_criteria = node.get("criteria") is not None
        components, criteria = (), ()
        if has_components and has_criteria:
            self.fail(place, node, _("un domaine a des composantes ou des critères, pas les deux."))
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
            self.fail(place, node, _("domaine vide : ni composantes ni critères."))
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
            self.fail(
                f"{place}.level_descriptions",
                node,
                _("une table est attendue, pas %(kind)s.") % {"kind": _kind(value)},
            )
            return ()
        pairs = []
        for number, text in value.items():
            if number not in level_numbers:
                self.fail(
                    f"{place}.level_descriptions",
                    value,
                    _("niveau %(level)s inconnu.") % {"level": repr(number)},
                )
            elif not isinstance(text, str) or not text.strip():
                self.fail(f"{place}.level_descriptions[{number}]", value, _("texte manquant."))
            else:
                pairs.append((number, text.strip()))
        return tuple(sorted(pairs))

    def component(self, place, node, level_numbers, seen, parent):
        if self.mapping(place, node, COMPONENT_KEYS, {"code", "title", "criteria"}, parent) is None:
            return None
        code = self.code(place, node, seen["component"], _("composante"))
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
            code = self.code(at, criterion, seen["criterion"], _("critère"))
            at = f"{at} « {code or '?'} »"
            level = criterion.get("level")
            if "level" in criterion and (isinstance(level, bool) or level not in level_numbers):
                known = ", ".join(str(n) for n in sorted(level_numbers))
                self.fail(
                    f"{at}.level",
                    criterion,
                    _("niveau %(level)s inconnu (niveaux déclarés : %(levels)s).")
                    % {"level": repr(level), "levels": known},
                )
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
        return _("une table")
    if isinstance(value, list):
        return _("une liste")
    if value is None:
        return _("une valeur vide")
    return _("« %(value)s »") % {"value": value}
