"""Load framework specs into the database, and read them back as specs.

Loading is all-or-nothing (one transaction for every file of a call), idempotent (the
same content again changes nothing) and refuses to change a slug + version already
loaded: assessments keep the version they were made with.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Component, Criterion, Domain, Framework, Level, Part
from .spec import ComponentSpec, CriterionSpec, DomainSpec, FrameworkSpec, LevelSpec, PartSpec, SourceSpec
from .validation import FrameworkInvalid, parse_framework_file

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"

CREATED = "created"
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class LoadResult:
    spec: FrameworkSpec
    status: str  # CREATED or UNCHANGED
    framework: Framework


def framework_files(paths=()):
    """The YAML files named, a directory standing for the files it holds; none: the shipped ones."""
    paths = [Path(p) for p in paths] or [SHIPPED_DIR]
    files = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted([*path.glob("*.yaml"), *path.glob("*.yml")]))
        else:
            files.append(path)
    return files


def parse_files(files):
    """Every file's spec, or FrameworkInvalid with the faults of all of them."""
    specs, errors = [], []
    for path in files:
        try:
            specs.append(parse_framework_file(path))
        except FrameworkInvalid as invalid:
            errors.extend(invalid.errors)
    if errors:
        raise FrameworkInvalid(errors)
    return specs


@transaction.atomic
def load_specs(specs):
    return [_load_one(spec) for spec in specs]


def load_paths(paths=()):
    return load_specs(parse_files(framework_files(paths)))


def _load_one(spec):
    existing = Framework.objects.filter(slug=spec.slug, version=spec.version).first()
    if existing is not None:
        if spec_from_db(existing) == spec:
            return LoadResult(spec, UNCHANGED, existing)
        raise FrameworkInvalid(
            [
                _(
                    "%(slug)s %(version)s : ce référentiel est déjà chargé avec un autre contenu. "
                    "Un référentiel chargé ne change plus ; publiez une nouvelle version."
                )
                % {"slug": spec.slug, "version": spec.version}
            ]
        )
    framework = Framework.objects.create(
        slug=spec.slug,
        version=spec.version,
        title=spec.title,
        audience=spec.audience,
        level_name=spec.level_name,
        source_publisher=spec.source.publisher,
        source_document=spec.source.document,
        source_date=spec.source.date,
        source_url=spec.source.url,
    )
    levels = {
        lv.number: Level.objects.create(
            framework=framework, number=lv.number, label=lv.label, description=lv.description
        )
        for lv in spec.levels
    }
    parts = {
        part.code: Part.objects.create(
            framework=framework, code=part.code, title=part.title, description=part.description, position=i
        )
        for i, part in enumerate(spec.parts)
    }
    criteria = []
    for position, domain_spec in enumerate(spec.domains):
        domain = Domain.objects.create(
            framework=framework,
            part=parts.get(domain_spec.part),
            code=domain_spec.code,
            title=domain_spec.title,
            description=domain_spec.description,
            level_descriptions={str(n): text for n, text in domain_spec.level_descriptions},
            position=position,
        )
        groups = [(None, domain_spec.criteria)] if not domain_spec.components else []
        for i, component_spec in enumerate(domain_spec.components):
            component = Component.objects.create(
                framework=framework,
                domain=domain,
                code=component_spec.code,
                title=component_spec.title,
                description=component_spec.description,
                position=i,
            )
            groups.append((component, component_spec.criteria))
        for component, criterion_specs in groups:
            for c in criterion_specs:
                # One running position over the whole framework, in file order.
                criteria.append(
                    Criterion(
                        framework=framework,
                        domain=domain,
                        component=component,
                        level=levels[c.level],
                        code=c.code,
                        text=c.text,
                        note=c.note,
                        position=len(criteria),
                    )
                )
    Criterion.objects.bulk_create(criteria)
    return LoadResult(spec, CREATED, framework)


def spec_from_db(framework):
    """The framework as a spec, read back with a fixed number of queries."""
    levels = list(framework.levels.order_by("number"))
    level_number = {level.pk: level.number for level in levels}
    criteria_by_owner = {}
    for c in framework.criteria.order_by("position"):
        owner = ("component", c.component_id) if c.component_id else ("domain", c.domain_id)
        criteria_by_owner.setdefault(owner, []).append(
            CriterionSpec(code=c.code, level=level_number[c.level_id], text=c.text, note=c.note)
        )
    components_by_domain = {}
    for component in framework.components.order_by("domain__position", "position"):
        components_by_domain.setdefault(component.domain_id, []).append(
            ComponentSpec(
                code=component.code,
                title=component.title,
                description=component.description,
                criteria=tuple(criteria_by_owner.get(("component", component.pk), ())),
            )
        )
    domains = tuple(
        DomainSpec(
            code=domain.code,
            title=domain.title,
            part=domain.part.code if domain.part else "",
            description=domain.description,
            level_descriptions=tuple(sorted((int(n), text) for n, text in domain.level_descriptions.items())),
            components=tuple(components_by_domain.get(domain.pk, ())),
            criteria=tuple(criteria_by_owner.get(("domain", domain.pk), ())),
        )
        for domain in framework.domains.select_related("part").order_by("position")
    )
    return FrameworkSpec(
        slug=framework.slug,
        version=framework.version,
        title=framework.title,
        audience=framework.audience,
        source=SourceSpec(
            publisher=framework.source_publisher,
            document=framework.source_document,
            date=framework.source_date,
            url=framework.source_url,
        ),
        level_name=framework.level_name,
        levels=tuple(LevelSpec(lv.number, lv.label, lv.description) for lv in levels),
        parts=tuple(PartSpec(p.code, p.title, p.description) for p in framework.parts.order_by("position")),
        domains=domains,
    )


def export_yaml(framework):
    """The framework as a YAML document that loads again to the same framework."""
    return yaml.safe_dump(spec_from_db(framework).to_data(), allow_unicode=True, sort_keys=False, width=100)
