"""The five shipped frameworks, counted against the seeds (../shared/seeds/).

The expected numbers were counted by hand from the source tables, cell by cell
(see the comment block at the top of each YAML file for the reading decisions).
"""

import re

import pytest

from paliers.frameworks.loading import framework_files, parse_files

EXPECTED = {
    # Annexe 1 of seed 000: 6 domains × 3 paliers, criteria straight under the domains.
    "creteil-etablissements": {
        "version": "2014",
        "audience": "etablissement",
        "domains": 6,
        "components": 0,
        "criteria_per_level": {"1": 16, "2": 19, "3": 23},
    },
    # Annexe 7 of seed 000: 6 domains × 3 paliers.
    "creteil-ecoles": {
        "version": "2014",
        "audience": "ecole",
        "domains": 6,
        "components": 0,
        "criteria_per_level": {"1": 19, "2": 25, "3": 23},
    },
    # Annexe 8 of seed 000: 5 axes × 4 jalons, one description per cell.
    "creteil-jalons": {
        "version": "2014",
        "audience": "equipe",
        "domains": 5,
        "components": 0,
        "criteria_per_level": {"1": 5, "2": 5, "3": 5, "4": 5},
    },
    # Seed 004: 5 domains, 21 components, 3 paliers.
    "creteil-etablissements-revise": {
        "version": "1",
        "audience": "etablissement",
        "domains": 5,
        "components": 21,
        "criteria_per_level": {"1": 27, "2": 25, "3": 23},
    },
    # Seed 003: 2 parts, 6 champs d'action, 21 items × 3 étapes.
    "numea-etablissement": {
        "version": "2020",
        "audience": "etablissement",
        "domains": 6,
        "components": 21,
        "criteria_per_level": {"1": 21, "2": 21, "3": 21},
    },
}


@pytest.fixture(scope="module")
def shipped_specs():
    return {spec.slug: spec for spec in parse_files(framework_files())}


def test_five_frameworks_ship(shipped_specs):
    assert set(shipped_specs) == set(EXPECTED)


@pytest.mark.parametrize("slug", EXPECTED)
def test_counts_match_the_seed(slug, shipped_specs):
    summary = shipped_specs[slug].summary()
    assert {key: summary[key] for key in EXPECTED[slug]} == EXPECTED[slug]


def test_the_revised_table_carries_its_eleven_footnotes(shipped_specs):
    notes = [c for c in shipped_specs["creteil-etablissements-revise"].all_criteria() if c.note]
    assert len(notes) == 11
    # The footnote markers ([1] … [11]) left the texts for the notes.
    assert not [
        c.code
        for c in shipped_specs["creteil-etablissements-revise"].all_criteria()
        if re.search(r"\[\d+\]", c.text)
    ]


def test_numea_groups_its_champs_in_two_parts_and_describes_each_etape(shipped_specs):
    numea = shipped_specs["numea-etablissement"]
    assert [p.title for p in numea.parts] == ["L'établissement", "Le numérique pédagogique et éducatif"]
    assert [sum(d.part == p.code for d in numea.domains) for p in numea.parts] == [3, 3]
    assert all(len(d.level_descriptions) == 3 for d in numea.domains)
    assert all(len(c.criteria) == 3 for d in numea.domains for c in d.components)


def test_level_names(shipped_specs):
    assert {slug: spec.level_name for slug, spec in shipped_specs.items()} == {
        "creteil-etablissements": "palier",
        "creteil-ecoles": "palier",
        "creteil-jalons": "jalon",
        "creteil-etablissements-revise": "palier",
        "numea-etablissement": "etape",
    }
