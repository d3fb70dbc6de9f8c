"""A framework laid out as a table: domains and components as rows, levels as columns."""

from dataclasses import dataclass, field

from .models import Criterion


@dataclass
class GridRow:
    title: str
    code: str
    cells: list  # one list of criteria per level, in level order
    element: object = None  # the domain or component (row or spec) whose title it is: french_lang


@dataclass
class GridSection:
    domain: object
    part: object
    level_descriptions: list  # one text per level ("" where the domain says nothing)
    rows: list = field(default_factory=list)
    level_fields: list = field(default_factory=list)  # "level_descriptions.N" per level: french_lang

    @property
    def has_components(self):
        return any(row.code != self.domain.code for row in self.rows)

    @property
    def level_texts(self):
        """(text, its field for french_lang) per level."""
        return list(zip(self.level_descriptions, self.level_fields, strict=True))


def framework_grid(framework):
    """The sections of the table, read with a fixed number of queries."""
    levels = list(framework.levels.order_by("number"))
    column = {level.pk: i for i, level in enumerate(levels)}
    sections, rows_by_owner = [], {}
    for domain in framework.domains.select_related("part").order_by("position"):
        section = GridSection(
            domain=domain,
            part=domain.part,
            level_descriptions=[domain.level_descriptions.get(str(lv.number), "") for lv in levels],
            level_fields=[f"level_descriptions.{lv.number}" for lv in levels],
        )
        sections.append(section)
        components = list(domain.components.order_by("position"))
        if not components:
            row = GridRow(domain.title, domain.code, [[] for _ in levels], domain)
            section.rows.append(row)
            rows_by_owner[("domain", domain.pk)] = row
        for component in components:
            row = GridRow(component.title, component.code, [[] for _ in levels], component)
            section.rows.append(row)
            rows_by_owner[("component", component.pk)] = row
    for criterion in Criterion.objects.filter(framework=framework).order_by("position"):
        owner = (
            ("component", criterion.component_id)
            if criterion.component_id
            else ("domain", criterion.domain_id)
        )
        rows_by_owner[owner].cells[column[criterion.level_id]].append(criterion)
    return levels, sections


def spec_grid(spec):
    """The same table from a spec not loaded yet (the preview of an uploaded workbook): the
    template reads titles, codes, texts and notes, which specs have under the same names."""
    parts = {part.code: part for part in spec.parts}
    sections = []
    for domain in spec.domains:
        descriptions = dict(domain.level_descriptions)
        section = GridSection(
            domain=domain,
            part=parts.get(domain.part),
            level_descriptions=[descriptions.get(lv.number, "") for lv in spec.levels],
            level_fields=[f"level_descriptions.{lv.number}" for lv in spec.levels],
        )
        for owner in domain.components or [domain]:
            cells = [[c for c in owner.criteria if c.level == lv.number] for lv in spec.levels]
            section.rows.append(GridRow(owner.title, owner.code, cells, owner))
        sections.append(section)
    return list(spec.levels), sections
