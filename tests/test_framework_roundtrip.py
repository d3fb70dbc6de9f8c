"""Random valid frameworks survive load → export → load unchanged."""

from dataclasses import replace

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paliers.frameworks.loading import CREATED, UNCHANGED, export_yaml, load_specs, spec_from_db
from paliers.frameworks.spec import (
    AUDIENCES,
    LEVEL_NAMES,
    ComponentSpec,
    CriterionSpec,
    DomainSpec,
    FrameworkSpec,
    LevelSpec,
    PartSpec,
    SourceSpec,
    TranslationSpec,
)
from paliers.frameworks.validation import parse_framework_text

# Printable text as people write it (letters, digits, punctuation, symbols, spaces,
# line breaks), stripped as the validator strips it.
texts = (
    st.text(
        st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x85\u2028\u2029")
        | st.just("\n"),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(bool)
)
optional_texts = st.just("") | texts
codes = st.from_regex(r"[A-Z0-9]{1,4}(\.[A-Z0-9]{1,3}){0,2}", fullmatch=True)
slugs = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,5}){0,2}", fullmatch=True)


def unique_codes(draw, count):
    return draw(st.lists(codes, min_size=count, max_size=count, unique=True))


@st.composite
def framework_specs(draw):
    levels = tuple(
        LevelSpec(number, draw(texts), draw(optional_texts))
        for number in range(1, draw(st.integers(1, 5)) + 1)
    )
    level_numbers = st.integers(1, len(levels))
    domain_count = draw(st.integers(1, 4))
    part_count = draw(st.integers(0, min(2, domain_count)))
    parts = tuple(
        PartSpec(code, draw(texts), draw(optional_texts)) for code in unique_codes(draw, part_count)
    )
    # Per domain: 0 for criteria straight under it, else its number of components.
    shapes = [draw(st.integers(0, 3)) for _ in range(domain_count)]
    owners = sum(max(shape, 1) for shape in shapes)
    criteria_counts = [draw(st.integers(1, 4)) for _ in range(owners)]
    criterion_codes = iter(unique_codes(draw, sum(criteria_counts)))
    component_codes = iter(unique_codes(draw, sum(shapes)))
    counts = iter(criteria_counts)

    def criteria():
        return tuple(
            CriterionSpec(next(criterion_codes), draw(level_numbers), draw(texts), draw(optional_texts))
            for _ in range(next(counts))
        )

    domains = []
    for i, (code, shape) in enumerate(zip(unique_codes(draw, domain_count), shapes, strict=True)):
        described = draw(st.lists(level_numbers, unique=True, max_size=len(levels)))
        domains.append(
            DomainSpec(
                code=code,
                title=draw(texts),
                part=parts[i % len(parts)].code if parts else "",
                description=draw(optional_texts),
                level_descriptions=tuple(sorted((n, draw(texts)) for n in described)),
                components=tuple(
                    ComponentSpec(next(component_codes), draw(texts), criteria(), draw(optional_texts))
                    for _ in range(shape)
                ),
                criteria=criteria() if shape == 0 else (),
            )
        )
    spec = FrameworkSpec(
        slug=draw(slugs),
        version=draw(texts.filter(lambda v: len(v) <= 40)),
        title=draw(texts),
        audience=draw(st.sampled_from(list(AUDIENCES))),
        source=SourceSpec(draw(texts), draw(texts), draw(optional_texts), ""),
        level_name=draw(st.sampled_from(list(LEVEL_NAMES))),
        levels=levels,
        parts=parts,
        domains=tuple(domains),
    )
    # Some of its texts in English, none, or all of them.
    translated = draw(st.lists(st.sampled_from(list(spec.translatable_texts())), unique=True))
    return replace(
        spec,
        translations=tuple(sorted(TranslationSpec("en", *key, draw(texts)) for key in translated)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=framework_specs())
def test_load_export_load_gives_the_same_framework(spec, db):
    with transaction.atomic():
        [first] = load_specs([spec])
        assert first.status == CREATED
        exported = export_yaml(first.framework)
        reparsed = parse_framework_text(exported, "export.yaml")
        assert reparsed == spec
        [second] = load_specs([reparsed])
        assert second.status == UNCHANGED
        assert spec_from_db(second.framework) == spec
        transaction.set_rollback(True)
