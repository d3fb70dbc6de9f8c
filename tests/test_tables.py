"""The dsfr_table tag: cells wrap, simple tables stack on a phone with their column names,
grouped heads scroll in a named, focusable region (core/tables.py)."""

from django.template import Context, Template

from paliers.core.tables import column_labels, stackable

SIMPLE = """<table><caption id="c">Objectifs</caption>
<thead><tr><th scope="col">Objectif</th>
<th scope="col">État <span class="fr-hint-text">au 1er mars</span></th></tr></thead>
<tbody><tr><th scope="row">Former l’équipe</th><td>en cours</td></tr>
<tr><td colspan="2">Aucun autre objectif.</td></tr></tbody></table>"""
GROUPED = """<table><caption id="g">Participation</caption>
<thead><tr><th rowspan="2">Domaine</th><th colspan="2">Palier 1</th></tr><tr><th>n</th><th>%</th></tr></thead>
<tbody><tr><th>Formation</th><td>3</td><td>50 %</td></tr></tbody></table>"""


def test_a_simple_head_labels_every_body_cell():
    assert column_labels(SIMPLE) == ["Objectif", "État au 1er mars"]
    labelled, stacked = stackable(SIMPLE)
    assert stacked
    assert '<th scope="row" data-label="Objectif">Former l’équipe</th>' in labelled
    assert '<td data-label="État au 1er mars">en cours</td>' in labelled
    assert '<td colspan="2">Aucun autre objectif.</td>' in labelled  # a row across every column: no label


def test_a_grouped_head_is_left_to_scroll():
    assert column_labels(GROUPED) is None
    assert stackable(GROUPED) == (GROUPED, False)


def test_the_tag_wraps_cells_and_names_its_focusable_region():
    rendered = Template(
        '{% load paliers_tags %}{% dsfr_table "c" %}' + SIMPLE + "{% enddsfr_table %}"
    ).render(Context())
    assert 'class="fr-table fr-table--multiline paliers-table paliers-table--stack"' in rendered
    assert (
        'tabindex="0" role="region" aria-labelledby="c"' in rendered and 'data-label="Objectif"' in rendered
    )
    grouped = Template(
        '{% load paliers_tags %}{% dsfr_table "g" "extra" %}' + GROUPED + "{% enddsfr_table %}"
    )
    assert 'class="fr-table fr-table--multiline paliers-table extra"' in grouped.render(Context())


def test_labels_are_escaped():
    table = SIMPLE.replace("Objectif</th>", "Objectif « <b>&amp;</b> »</th>", 1)
    labelled, _ = stackable(table)
    assert 'data-label="Objectif « &amp; »"' in labelled
