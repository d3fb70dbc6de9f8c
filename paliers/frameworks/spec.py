"""A framework as plain data: what a YAML file says, independent of the database.

The loader turns a spec into rows, the exporter turns rows back into a spec; two specs
compare equal when the frameworks have the same content, which is how loading the
same file twice is recognised as a no-op.
"""

from dataclasses import dataclass, field, replace

# The French words of the YAML keys, as the workbook writes and reads them back (an exchange
# format: not translated; the models' choices carry the interface's labels).
AUDIENCES = {
    "ecole": "écoles",
    "etablissement": "établissements",
    "equipe": "équipes pédagogiques",
}
LEVEL_NAMES = {"palier": "palier", "etape": "étape", "jalon": "jalon"}

# What a framework may ship in another language, per kind of element (the YAML key of its
# list): the keys of its texts. A domain's `level_descriptions` is translated level by level.
TRANSLATABLE = {
    "framework": ("title",),
    "levels": ("label", "description"),
    "parts": ("title", "description"),
    "domains": ("title", "description", "level_descriptions"),
    "components": ("title", "description"),
    "criteria": ("text", "note"),
}


@dataclass(frozen=True)
class SourceSpec:
    publisher: str
    document: str
    date: str = ""
    url: str = ""


@dataclass(frozen=True)
class LevelSpec:
    number: int
    label: str
    description: str = ""


@dataclass(frozen=True)
class PartSpec:
    code: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    level: int
    text: str
    note: str = ""


@dataclass(frozen=True)
class ComponentSpec:
    code: str
    title: str
    criteria: tuple[CriterionSpec, ...]
    description: str = ""


@dataclass(frozen=True)
class DomainSpec:
    code: str
    title: str
    part: str = ""
    description: str = ""
    # (level number, text) pairs in level order: hashable and order-independent of YAML.
    level_descriptions: tuple[tuple[int, str], ...] = ()
    components: tuple[ComponentSpec, ...] = ()
    criteria: tuple[CriterionSpec, ...] = ()

    def all_criteria(self):
        if self.components:
            return [c for component in self.components for c in component.criteria]
        return list(self.criteria)


@dataclass(frozen=True, order=True)
class TranslationSpec:
    """One text of a framework in another language of the interface: `kind` is a key of
    TRANSLATABLE, `code` the element's code ("" for the framework itself, the number for a
    level), `field` the key of the text ("level_descriptions.2" for level 2 of a domain)."""

    language: str
    kind: str
    code: str
    field: str
    text: str


@dataclass(frozen=True)
class FrameworkSpec:
    slug: str
    version: str
    title: str
    audience: str
    source: SourceSpec
    level_name: str
    levels: tuple[LevelSpec, ...]
    domains: tuple[DomainSpec, ...]
    parts: tuple[PartSpec, ...] = field(default=())
    # Sorted: two specs with the same translations compare equal whatever their order.
    translations: tuple[TranslationSpec, ...] = field(default=())

    @property
    def key(self):
        return f"{self.slug} {self.version}"

    def all_criteria(self):
        return [c for domain in self.domains for c in domain.all_criteria()]

    def content(self):
        """The spec without its translations: what must never change once loaded."""
        return replace(self, translations=())

    def languages(self):
        return sorted({t.language for t in self.translations})

    def coverage(self):
        """[(language, texts translated, texts in all)] of each language the spec is translated into."""
        total = len(self.translatable_texts())
        counts = {}
        for t in self.translations:
            counts[t.language] = counts.get(t.language, 0) + 1
        return [(language, counts[language], total) for language in sorted(counts)]

    def translatable_texts(self):
        """{(kind, code, field): French text} of every text a translation may replace, in file order."""
        texts = {("framework", "", "title"): self.title}
        for level in self.levels:
            texts |= _texts("levels", str(level.number), level, ("label", "description"))
        for part in self.parts:
            texts |= _texts("parts", part.code, part, ("title", "description"))
        for domain in self.domains:
            texts |= _texts("domains", domain.code, domain, ("title", "description"))
            for number, text in domain.level_descriptions:
                texts[("domains", domain.code, f"level_descriptions.{number}")] = text
        for domain in self.domains:
            for component in domain.components:
                texts |= _texts("components", component.code, component, ("title", "description"))
        for criterion in self.all_criteria():
            texts |= _texts("criteria", criterion.code, criterion, ("text", "note"))
        return texts

    def summary(self):
        """The counts shown by `paliers list_frameworks`."""
        per_level = {str(level.number): 0 for level in self.levels}
        for criterion in self.all_criteria():
            per_level[str(criterion.level)] += 1
        return {
            "slug": self.slug,
            "version": self.version,
            "title": self.title,
            "audience": self.audience,
            "domains": len(self.domains),
            "components": sum(len(d.components) for d in self.domains),
            "criteria_per_level": per_level,
        }

    def to_data(self):
        """The YAML document, as plain Python data, optional keys left out when empty."""
        data = {
            "slug": self.slug,
            "version": self.version,
            "title": self.title,
            "audience": self.audience,
            "source": _without_empty(
                {
                    "publisher": self.source.publisher,
                    "document": self.source.document,
                    "date": self.source.date,
                    "url": self.source.url,
                }
            ),
            "level_name": self.level_name,
            "levels": [
                _without_empty({"number": lv.number, "label": lv.label, "description": lv.description})
                for lv in self.levels
            ],
        }
        if self.parts:
            data["parts"] = [
                _without_empty({"code": p.code, "title": p.title, "description": p.description})
                for p in self.parts
            ]
        data["domains"] = [_domain_data(domain) for domain in self.domains]
        if self.translations:
            data["translations"] = self._translations_data()
        return data

    def _translations_data(self):
        """{language: {"title": …, kind: {code: {field: text}}}} in the file's order."""
        given = {(t.language, t.kind, t.code, t.field): t.text for t in self.translations}
        data = {}
        for language in self.languages():
            block = {}
            for kind, code, key in self.translatable_texts():
                text = given.get((language, kind, code, key))
                if text is None:
                    continue
                if kind == "framework":
                    block[key] = text
                    continue
                element = block.setdefault(kind, {}).setdefault(int(code) if kind == "levels" else code, {})
                if key.startswith("level_descriptions."):
                    element.setdefault("level_descriptions", {})[int(key.split(".")[1])] = text
                else:
                    element[key] = text
            data[language] = block
        return data


def _texts(kind, code, element, keys):
    return {(kind, code, key): getattr(element, key) for key in keys if getattr(element, key)}


def _without_empty(mapping):
    return {key: value for key, value in mapping.items() if value not in ("", None, [], {})}


def _criteria_data(criteria):
    return [
        _without_empty({"code": c.code, "level": c.level, "text": c.text, "note": c.note}) for c in criteria
    ]


def _domain_data(domain):
    data = _without_empty(
        {
            "code": domain.code,
            "title": domain.title,
            "part": domain.part,
            "description": domain.description,
            "level_descriptions": dict(domain.level_descriptions),
        }
    )
    if domain.components:
        data["components"] = [
            _without_empty(
                {
                    "code": component.code,
                    "title": component.title,
                    "description": component.description,
                    "criteria": _criteria_data(component.criteria),
                }
            )
            for component in domain.components
        ]
    else:
        data["criteria"] = _criteria_data(domain.criteria)
    return data
