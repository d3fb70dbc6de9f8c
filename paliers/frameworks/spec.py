"""A framework as plain data: what a YAML file says, independent of the database.

The loader turns a spec into rows, the exporter turns rows back into a spec; two specs
compare equal when the frameworks have the same content, which is how loading the
same file twice is recognised as a no-op.
"""

from dataclasses import dataclass, field

# The French words of the YAML keys, as the workbook writes and reads them back (an exchange
# format: not translated; the models' choices carry the interface's labels).
AUDIENCES = {
    "ecole": "écoles",
    "etablissement": "établissements",
    "equipe": "équipes pédagogiques",
}
LEVEL_NAMES = {"palier": "palier", "etape": "étape", "jalon": "jalon"}


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

    @property
    def key(self):
        return f"{self.slug} {self.version}"

    def all_criteria(self):
        return [c for domain in self.domains for c in domain.all_criteria()]

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
        return data


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
