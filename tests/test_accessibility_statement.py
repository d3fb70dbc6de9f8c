"""The déclaration d'accessibilité: the audit grid read whole, the RGAA's rate and state
computed from it, the page and the footer filled from it."""

import copy
from decimal import Decimal

import pytest
import yaml
from django.urls import reverse

from paliers.core.accessibility import AUDIT_FILE, AuditError, parse_audit, shipped_audit

from .pages import page_html


@pytest.fixture
def grid():
    return yaml.safe_load(AUDIT_FILE.read_text(encoding="utf-8"))


def with_results(grid, results):
    """The grid with every criterion set to NA but those given (number → result)."""
    data = copy.deepcopy(grid)
    for theme in data["themes"]:
        for criterion in theme["criteria"]:
            criterion["result"] = results.get(criterion["number"], "NA")
            criterion.update({"note": "pourquoi", "pages": ["home"]} if criterion["result"] == "NC" else {})
    return data


def test_the_shipped_grid_holds_the_106_criteria_of_rgaa_4_1():
    audit = shipped_audit()
    assert len(audit.criteria) == 106 and len(audit.themes) == 13
    assert audit.met_count + audit.not_met_count + audit.not_applicable_count == 106
    assert [c.number for c in audit.themes[9].criteria][-1] == "10.14"


def test_the_rate_is_met_criteria_over_applicable_ones_rounded_down(grid):
    # 2 met, 1 not met, the rest not applicable: 66.66… % → 66.6 %, partially conforming.
    audit = parse_audit(with_results(grid, {"1.1": "C", "3.2": "C", "12.1": "NC"}))
    assert audit.rate == Decimal("66.6") and audit.state == "partiellement"
    assert [c.number for c in audit.not_met] == ["12.1"]
    assert audit.not_met[0].page_titles == ("Accueil",)


def test_the_state_follows_the_rgaa_thresholds(grid):
    assert parse_audit(with_results(grid, {"1.1": "C", "1.2": "C"})).state == "totalement"
    assert parse_audit(with_results(grid, {"1.1": "C", "1.2": "NC"})).state == "partiellement"  # 50 %
    assert parse_audit(with_results(grid, {"1.1": "C", "1.2": "NC", "1.3": "NC"})).state == "non"
    assert parse_audit(with_results(grid, {})).state == "non"  # nothing evaluated


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["themes"][0]["criteria"].pop(), "Thème 1 : 9 critères attendus, 8 trouvés"),
        (lambda d: d["themes"][1]["criteria"][1].update(number="2.3"), "le critère 2.2 est attendu"),
        (lambda d: d["themes"][2]["criteria"][0].update(result="OK"), "3.1 : résultat « OK » inconnu"),
        (lambda d: d["themes"][2]["criteria"][0].update(level="AAA"), "niveau « AAA » inconnu"),
        (lambda d: d["themes"][2]["criteria"][0].update(result="NC", note=""), "dit pourquoi"),
        (lambda d: d["themes"][2]["criteria"][0].update(pages=["nulle-part"]), "échantillon : nulle-part"),
        (lambda d: d["themes"].pop(), "Les 13 thèmes"),
        (lambda d: d.update(audited_on="hier"), "une date AAAA-MM-JJ"),
    ],
)
def test_a_faulty_grid_is_refused_with_the_place_at_fault(grid, change, message):
    change(grid)
    with pytest.raises(AuditError, match=message):
        parse_audit(grid)


def test_the_statement_page_is_public_and_filled_from_the_grid(client, db, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "accessibilite@ac-exemple.fr"
    settings.ACCESSIBILITY_MULTIYEAR_PLAN_URL = ""
    audit = shipped_audit()
    html = page_html(client.get(reverse("accessibility")))
    rate = str(audit.rate).replace(".", ",")
    assert f"{rate} % des critères applicables du RGAA 4.1 sont respectés" in html
    assert f"Paliers est {audit.state_label} avec le référentiel" in html
    for criterion in audit.not_met:
        assert criterion.note.replace("'", "&#x27;") in html
    assert html.count("<tr>") == 13 + 106  # a header row per theme, a row per criterion
    assert 'href="mailto:accessibilite@ac-exemple.fr"' in html
    assert "Défenseur des droits" in html and "Schéma pluriannuel" not in html
    assert "4 décembre 2026" in html


def test_the_plans_are_linked_only_when_the_academie_gives_them(client, db, settings):
    settings.ACCESSIBILITY_MULTIYEAR_PLAN_URL = "https://www.ac-exemple.fr/schema"
    settings.ACCESSIBILITY_ACTION_PLAN_URL = "https://www.ac-exemple.fr/plan-2026"
    settings.ACCESSIBILITY_ENTITY = "L’académie d’exemple"
    html = page_html(client.get(reverse("accessibility")))
    assert 'href="https://www.ac-exemple.fr/schema"' in html
    assert 'href="https://www.ac-exemple.fr/plan-2026"' in html
    assert "L’académie d’exemple s’engage" in html


def test_every_page_footer_links_to_the_statement_with_the_computed_state(client, db):
    html = page_html(client.get(reverse("home")))
    assert f'href="{reverse("accessibility")}"' in html
    assert f"Accessibilité : {shipped_audit().state_label}" in html
