"""The observatory's charts (stacked bars, heatmap, grouped bars) and the French-Excel CSV helper."""

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest

from paliers.core.aggregate_charts import BLUES, heatmap, stacked_bar_chart
from paliers.core.charts import Series, grouped_bar_chart
from paliers.core.csv import cell, csv_bytes

NS = "{http://www.w3.org/2000/svg}"


def parse(svg):
    root = ET.fromstring(svg)  # noqa: S314 (our own markup)
    assert root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    return root, desc.text


def rects(root):
    return [r for r in root.iter(f"{NS}rect")]


def texts(root):
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def test_stacked_bars_split_each_row_in_proportion():
    svg = stacked_bar_chart(
        ["Pilotage", "Formation"], ["Niveau 0", "Niveau 1"], [[1, 3], [0, 0]], "Répartition"
    )
    root, desc = parse(svg)
    bars = [r for r in rects(root) if r.get("height") == "22" and r.get("fill") != "none"]
    assert len(bars) == 2  # the empty row draws no segment
    assert float(bars[1].get("width")) == pytest.approx(3 * float(bars[0].get("width")))
    assert "25\u00a0%" in texts(root) and "75\u00a0%" in texts(root)
    assert desc == "Pilotage — Niveau 0 : 1 (25\u00a0%) ; Niveau 1 : 3 (75\u00a0%). Formation — sans valeur."


def test_stacked_bars_escape_and_refuse_mismatches():
    root, desc = parse(stacked_bar_chart(["<b>"], ["a & b"], [[2]], "T"))
    assert "<b>" in desc and "a & b" in texts(root)
    with pytest.raises(ValueError, match="segments"):
        stacked_bar_chart(["x"], ["a", "b"], [[1]], "T")
    with pytest.raises(ValueError, match="libellés"):
        stacked_bar_chart(["x", "y"], ["a"], [[1]], "T")


def test_heatmap_prints_every_value_and_shades_by_it():
    svg = heatmap(
        ["Val-de-Marne", "Essonne"], ["Pilotage", "Formation"], [[0.0, 3.0], [1.5, None]], "Carte", 3
    )
    root, desc = parse(svg)
    cells = [r.get("fill") for r in rects(root)]
    assert cells == [BLUES[0], BLUES[-1], BLUES[3], "#FFFFFF"]
    assert [t for t in texts(root) if t[0].isdigit() or t == "—"] == ["0,0", "3,0", "1,5", "—"]
    assert desc.startswith("Échelle de 0 à 3,0. Val-de-Marne — Pilotage : 0,0 ; Formation : 3,0.")
    assert "Formation : sans valeur." in desc
    with pytest.raises(ValueError):
        heatmap(["a"], ["b"], [[1, 2]], "T", 3)


def test_grouped_bars_one_named_bar_per_series():
    svg = grouped_bar_chart(
        ["Pilotage"], [Series("2024-2025", [1.0], "previous"), Series("2025-2026", [1.5])], "Évolution", 3
    )
    root, desc = parse(svg)
    assert "2024-2025" in texts(root) and "1,5" in texts(root)
    assert desc == "Échelle de 0 à 3. 2024-2025 — Pilotage : 1,0. 2025-2026 — Pilotage : 1,5."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (3, "3"),
        (1.5, "1,5"),
        (2 / 3, "0,67"),
        (2.0, "2"),
        (0.0, "0"),
        (Decimal("12.50"), "12,5"),
        (True, "oui"),
        (date(2026, 3, 1), "01/03/2026"),
        ("=SOMME(A1)", "'=SOMME(A1)"),
        ("+33 1", "'+33 1"),
        ("-x", "'-x"),
        ("@cmd", "'@cmd"),
        ("École", "École"),
    ],
)
def test_cells_as_french_excel_reads_them(value, expected):
    assert cell(value) == expected


def test_csv_has_a_bom_semicolons_and_crlf():
    data = csv_bytes(["Nom", "Part"], [["Val-de-Marne; Créteil", 0.5]])
    assert data == '\ufeffNom;Part\r\n"Val-de-Marne; Créteil";0,5\r\n'.encode()
