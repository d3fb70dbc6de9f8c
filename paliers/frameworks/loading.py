"""Load framework specs into the database, and read them back as specs.

Loading is all-or-nothing (one transaction for every file of a call), idempotent (the
same content again changes nothing) and refuses to change a slug + version already
loaded: assessments keep the version they were made with.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .languages import french_texts
from .models import Component, Criterion, Domain, Framework, Level, Part
from .spec import (
    ComponentSpec,
    CriterionSpec,
    DomainSpec,
    FrameworkSpec,
    LevelSpec,
    PartSpec,
    SourceSpec,
    TranslationSpec,
)
from .validation import FrameworkInvalid, parse_framework_file

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"

CREATED = "created"
UNCHANGED = "unchanged"
TRANSLATED = "translated"  # same French content, other translations: those are replaced


@dataclass(frozen=True)
class LoadResult:
    spec: FrameworkSpec
    status: str  # CREATED, UNCHANGED or TRANSLATED
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
        loaded = spec_from_db(existing)
        if loaded == spec:
            return LoadResult(spec, UNCHANGED, existing)
        if loaded.content() == spec.content():
            # The French texts are the reference and never change; a translation renders
            # them, and may be added or corrected without a new version.
            store_translations(existing, spec)
            return LoadResult(spec, TRANSLATED, existing)
        raise FrameworkInvalid(
            [
                _(
                    "%(slug)s %(version)s : ce référentiel est déjà chargé avec un autre contenu. "
                    "Un référentiel chargé ne change plus ; publiez une nouvelle version."
                )
                % {"slug": spec.slug, "version": spec.version}
            ]
        )
    translated = translations_by_element(spec)
    framework = Framework.objects.create(
        translations=translated.get(("framework", ""), {}),
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
            framework=framework,
            number=lv.number,
            label=lv.label,
            description=lv.description,
            translations=translated.get(("levels", str(lv.number)), {}),
        )
        for lv in spec.levels
    }
    parts = {
        part.code: Part.objects.create(
            framework=framework,
            code=part.code,
            title=part.title,
            description=part.description,
            position=i,
            translations=translated.get(("parts", part.code), {}),
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
            translations=translated.get(("domains", domain_spec.code), {}),
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
                translations=translated.get(("components", component_spec.code), {}),
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
                        translations=translated.get(("criteria", c.code), {}),
                    )
                )
    Criterion.objects.bulk_create(criteria)
    return LoadResult(spec, CREATED, framework)


def translations_by_element(spec):
    """{(kind, code): {language: {field: text}}}: what each row of `spec` keeps in `translations`."""
    rows = {}
    for t in spec.translations:
        texts = rows.setdefault((t.kind, t.code), {}).setdefault(t.language, {})
        if t.field.startswith("level_descriptions."):
            texts.setdefault("level_descriptions", {})[t.field.split(".", 1)[1]] = t.text
        else:
            texts[t.field] = t.text
    return rows


def store_translations(framework, spec):
    """Replace the translations of a loaded framework by those of `spec` (same French content)."""
    translated = translations_by_element(spec)
    Framework.objects.filter(pk=framework.pk).update(
        translations=translated.get(("framework", ""), {}), translated_at=timezone.now()
    )
    rows = (
        ("levels", Level, "number"),
        ("parts", Part, "code"),
        ("domains", Domain, "code"),
        ("components", Component, "code"),
        ("criteria", Criterion, "code"),
    )
    with french_texts():
        for kind, model, key in rows:
            elements = list(model.objects.filter(framework=framework))
            for element in elements:
                element.translations = translated.get((kind, str(getattr(element, key))), {})
            model.objects.bulk_update(elements, ["translations"])


def _translations_of(kind, code, row):
    return [
        TranslationSpec(language, kind, code, field, text)
        for language, texts in row.translations.items()
        for key, value in texts.items()
        for field, text in (
            [(f"{key}.{n}", t) for n, t in value.items()] if key == "level_descriptions" else [(key, value)]
        )
    ]


def spec_from_db(framework):
    """The framework as a spec, in its French texts with its translations, read back with a
    fixed number of queries."""
    with french_texts():  # read again: the row may be read in English, or its translations old
        return _spec_from_db(Framework.objects.get(pk=framework.pk))


def _spec_from_db(framework):
    translations = _translations_of("framework", "", framework)
    levels = list(framework.levels.order_by("number"))
    level_number = {level.pk: level.number for level in levels}
    for level in levels:
        translations += _translations_of("levels", str(level.number), level)
    criteria_by_owner = {}
    for c in framework.criteria.order_by("position"):
        translations += _translations_of("criteria", c.code, c)
        owner = ("component", c.component_id) if c.component_id else ("domain", c.domain_id)
        criteria_by_owner.setdefault(owner, []).append(
            CriterionSpec(code=c.code, level=level_number[c.level_id], text=c.text, note=c.note)
        )
    components_by_domain = {}
    for component in framework.components.order_by("domain__position", "position"):
        translations += _translations_of("components", component.code, component)
        components_by_domain.setdefault(component.domain_id, []).append(
            ComponentSpec(
                code=component.code,
                title=component.title,
                description=component.description,
                criteria=tuple(criteria_by_owner.get(("component", component.pk), ())),
            )
        )
    domain_rows = list(framework.domains.select_related("part").order_by("position"))
    parts = list(framework.parts.order_by("position"))
    for row in domain_rows:
        translations += _translations_of("domains", row.code, row)
    for part in parts:
        translations += _translations_of("parts", part.code, part)
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
        for domain in domain_rows
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
        parts=tuple(PartSpec(p.code, p.title, p.description) for p in parts),
        domains=domains,
        translations=tuple(sorted(translations)),
    )


def export_yaml(framework):
    """The framework as a YAML document that loads again to the same framework."""
    return yaml.safe_dump(spec_from_db(framework).to_data(), allow_unicode=True, sort_keys=False, width=100)
