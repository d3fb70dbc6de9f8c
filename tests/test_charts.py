"""SVG charts: well-formed, accessible, escaped, and drawn to scale."""

import math
import xml.etree.ElementTree as ET

import pytest

from paliers.core.charts import Series, bar_chart, format_decimal, format_percent, radar_chart

NS = "{http://www.w3.org/2000/svg}"
AXES = ["Pilotage", "Formation", "Équipement", "Usages", "Ressources"]


def parse(svg):
    root = ET.fromstring(svg)  # noqa: S314 (our own markup)
    assert root.tag == f"{NS}svg"
    return root


def part(root, name):
    (group,) = [g for g in root.iter(f"{NS}g") if g.get("data-part") == name]
    return group


def children(group, tag):
    return group.findall(f"{NS}{tag}")


def texts(root):
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def centre_and_radius(root):
    rings = children(part(root, "grid"), "circle")
    outer = max(rings, key=lambda c: float(c.get("r")))
    return float(outer.get("cx")), float(outer.get("cy")), float(outer.get("r"))


def polygon_points(polygon):
    return [tuple(map(float, pair.split(","))) for pair in polygon.get("points").split()]


# --- French numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (1.5, 1, "1,5"),
        (2, 1, "2,0"),
        (2.25, 1, "2,3"),
        (1 + 2 / 3, 2, "1,67"),
        (-0.01, 1, "0,0"),
        (None, 1, "—"),
    ],
)
def test_format_decimal(value, digits, expected):
    assert format_decimal(value, digits) == expected


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (0.755, 0, "76\u00a0%"),
        (0.745, 0, "75\u00a0%"),
        (1, 0, "100\u00a0%"),
        (0, 0, "0\u00a0%"),
        (0.1234, 1, "12,3\u00a0%"),
    ],
)
def test_format_percent(value, digits, expected):
    assert format_percent(value, digits) == expected


def test_format_percent_without_value():
    assert format_percent(None) == "—"


# --- radar ------------------------------------------------------------------------------


def test_radar_is_an_image_labelled_by_its_title_and_description():
    svg = radar_chart(AXES[:3], [Series("Cette année", [1.5, 2, None])], max_value=4, title="Positionnement")
    root = parse(svg)
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert ids == [title.get("id"), desc.get("id")]
    assert title.text == "Positionnement"
    assert desc.text == "Échelle de 0 à 4. Pilotage : 1,5 ; Formation : 2,0 ; Équipement : sans valeur."
    assert "<script" not in svg and "class=" not in svg


@pytest.mark.parametrize("count", range(3, 11))
def test_radar_draws_one_spoke_and_label_per_axis_and_one_ring_per_unit(count):
    axes = [f"Domaine {i}" for i in range(count)]
    series = [
        Series("A", [1] * count),
        Series("B", [2] * count, "previous"),
        Series("C", [3] * count, "target"),
    ]
    root = parse(radar_chart(axes, series, max_value=4, title="Radar"))
    assert len(children(part(root, "spokes"), "line")) == count
    assert len(children(part(root, "axis-labels"), "text")) == count
    assert len(children(part(root, "series"), "polygon")) == 3
    assert [len(polygon_points(p)) for p in children(part(root, "series"), "polygon")] == [count] * 3
    rings = children(part(root, "grid"), "circle")
    assert len(rings) == 4
    assert ["".join(t.itertext()) for t in children(part(root, "ring-labels"), "text")] == [
        "1",
        "2",
        "3",
        "4",
    ]
    assert len(children(part(root, "legend"), "line")) == 3


def test_rings_sit_at_each_unit_and_at_a_fractional_maximum():
    root = parse(radar_chart(AXES, [Series("A", [1] * 5)], max_value=2.5, title="Radar"))
    _, _, outer = centre_and_radius(root)
    radii = sorted(float(c.get("r")) for c in children(part(root, "grid"), "circle"))
    assert radii == pytest.approx([outer * 1 / 2.5, outer * 2 / 2.5, outer])


def test_values_map_to_their_radius():
    values = [4, 2, None, 0, 9]
    root = parse(radar_chart(AXES, [Series("Cette année", values)], max_value=4, title="Radar"))
    cx, cy, outer = centre_and_radius(root)
    (polygon,) = children(part(root, "series"), "polygon")
    distances = [math.dist((cx, cy), point) for point in polygon_points(polygon)]
    # The maximum lies on the outer ring, None and 0 at the centre, above the maximum is clamped.
    assert distances == pytest.approx([outer, outer / 2, 0, 0, outer], abs=0.02)


def test_each_value_lies_on_its_own_spoke():
    root = parse(radar_chart(AXES, [Series("A", [1, 2, 3, 4, 1])], max_value=4, title="Radar"))
    cx, cy, _ = centre_and_radius(root)
    spokes = children(part(root, "spokes"), "line")
    (polygon,) = children(part(root, "series"), "polygon")
    for spoke, (x, y) in zip(spokes, polygon_points(polygon), strict=True):
        sx, sy = float(spoke.get("x2")) - cx, float(spoke.get("y2")) - cy
        px, py = x - cx, y - cy
        assert math.atan2(py, px) == pytest.approx(math.atan2(sy, sx), abs=1e-3)
    first = spokes[0]
    assert float(first.get("x2")) == pytest.approx(cx) and float(first.get("y2")) < cy  # the first axis is up


def test_series_styles():
    series = [
        Series("Cible", [3] * 5, "target"),
        Series("Cette année", [2] * 5, "main"),
        Series("L'an dernier", [1] * 5, "previous"),
        Series("Moyenne", [1.5] * 5, "average"),
    ]
    root = parse(radar_chart(AXES, series, max_value=4, title="Radar"))
    polygons = children(part(root, "series"), "polygon")
    main, target, previous, average = polygons  # the filled polygon is drawn first, under the lines
    assert (main.get("stroke"), main.get("fill-opacity")) == ("#000091", "0.2")
    assert (target.get("stroke"), target.get("fill"), target.get("stroke-dasharray")) == (
        "#E1000F",
        "none",
        "8 4",
    )
    assert previous.get("stroke-dasharray") and previous.get("stroke") == "#6A6AF4"
    assert average.get("stroke-dasharray") and average.get("stroke-linecap") == "round"
    desc = root.find(f"{NS}desc").text
    assert "Cible — Pilotage : 3,0" in desc and "L'an dernier — Pilotage : 1,0" in desc


def test_texts_are_escaped():
    axes = ["<Pilotage & co>", 'Formation "continue"', "Usages"]
    svg = radar_chart(axes, [Series("<b>série</b>", [1, 2, 3])], 4, title="A & B <script>")
    root = parse(svg)
    assert "<Pilotage & co>" in texts(root)
    assert root.find(f"{NS}title").text == "A & B <script>"
    assert "<Pilotage & co> : 1,0" in root.find(f"{NS}desc").text
    assert "<b>" not in svg and "<script>" not in svg and "&lt;Pilotage &amp; co&gt;" in svg


def test_long_axis_labels_are_wrapped():
    axis = "Pilotage et politique numérique de l'établissement scolaire et de son équipe"
    root = parse(radar_chart([axis, "Formation", "Usages"], [Series("A", [1, 2, 3])], 4, title="Radar"))
    label = children(part(root, "axis-labels"), "text")[0]
    lines = [span.text for span in label.findall(f"{NS}tspan")]
    assert 2 <= len(lines) <= 3 and all(len(line) <= 28 for line in lines)
    assert lines[0].startswith("Pilotage")


def test_ids_differ_between_charts_and_can_be_given():
    one = parse(radar_chart(AXES[:3], [Series("A", [1, 2, 3])], 4, title="Un"))
    two = parse(radar_chart(AXES[:3], [Series("A", [1, 2, 3])], 4, title="Deux"))
    assert one.find(f"{NS}title").get("id") != two.find(f"{NS}title").get("id")
    given = parse(radar_chart(AXES[:3], [Series("A", [1, 2, 3])], 4, title="Un", chart_id="radar-ecole"))
    assert given.get("aria-labelledby") == "radar-ecole-title radar-ecole-desc"


def test_inconsistent_series_are_refused():
    with pytest.raises(ValueError, match="valeurs"):
        radar_chart(AXES, [Series("A", [1, 2])], 4, title="Radar")
    with pytest.raises(ValueError, match="Style"):
        radar_chart(AXES[:3], [Series("A", [1, 2, 3], "bold")], 4, title="Radar")
    with pytest.raises(ValueError, match="positif"):
        radar_chart(AXES[:3], [Series("A", [1, 2, 3])], 0, title="Radar")


@pytest.mark.parametrize("count", [1, 2])
def test_fewer_than_three_axes_draw_bars(count):
    series = [Series("Cette année", [2.0, None][:count]), Series("Cible", [3.0, 3.0][:count], "target")]
    root = parse(radar_chart(AXES[:count], series, max_value=4, title="Positionnement"))
    assert root.get("role") == "img"
    assert not list(root.iter(f"{NS}polygon"))
    bars = children(part(root, "bars"), "rect")
    assert len(bars) == 2 * count - (count == 2)  # no bar for the missing value
    assert bars[1].get("stroke") == "#E1000F"
    assert float(bars[0].get("width")) / float(bars[1].get("width")) == pytest.approx(2 / 3, abs=0.01)
    assert {"Pilotage", "Cette année", "Cible", "2,0", "3,0"} <= set(texts(root))
    assert root.find(f"{NS}desc").text.startswith("Échelle de 0 à 4. Cette année — Pilotage : 2,0")


# --- bars -------------------------------------------------------------------------------


def test_bar_widths_are_proportional_and_labelled():
    labels = ["Palier 1", "Palier 2", "Palier 3", "Palier 4"]
    root = parse(bar_chart(labels, [0.25, 0.5, 1.0, 0.0], title="Critères atteints par palier"))
    widths = [float(r.get("width")) for r in children(part(root, "bars"), "rect")]
    assert widths[1] == pytest.approx(2 * widths[0], abs=0.02)
    assert widths[2] == pytest.approx(4 * widths[0], abs=0.02)
    assert widths[3] == 0
    assert [t for t in texts(root) if t.endswith("%")] == ["25\u00a0%", "50\u00a0%", "100\u00a0%", "0\u00a0%"]
    assert root.find(f"{NS}desc").text == (
        "Palier 1 : 25\u00a0% ; Palier 2 : 50\u00a0% ; Palier 3 : 100\u00a0% ; Palier 4 : 0\u00a0%."
    )


def test_value_labels_follow_the_end_of_their_bar():
    root = parse(bar_chart(["A", "B"], [0.2, 0.9], title="Barres"))
    bars = children(part(root, "bars"), "rect")
    labels = [t for t in children(part(root, "bars"), "text") if t.text.endswith("%")]
    for bar, label in zip(bars, labels, strict=True):
        end = float(bar.get("x")) + float(bar.get("width"))
        assert 0 < float(label.get("x")) - end < 10


def test_bar_without_value_shows_a_dash():
    root = parse(bar_chart(["Palier 1", "Palier 2"], [0.5, None], title="Barres"))
    assert len(children(part(root, "bars"), "rect")) == 1
    assert "—" in texts(root)
    assert root.find(f"{NS}desc").text == "Palier 1 : 50\u00a0% ; Palier 2 : sans valeur."


def test_bar_chart_with_another_scale_and_format():
    root = parse(bar_chart(["A", "B"], [2, 4], title="Niveaux", max_value=4, value_format=format_decimal))
    widths = [float(r.get("width")) for r in children(part(root, "bars"), "rect")]
    assert widths[1] == pytest.approx(2 * widths[0])
    assert {"2,0", "4,0"} <= set(texts(root))


def test_bar_chart_escapes_and_refuses_mismatches():
    svg = bar_chart(["<Palier & 1>"], [0.5], title="<Titre>")
    assert "<Palier & 1>" in texts(parse(svg))
    assert "&lt;Titre&gt;" in svg
    with pytest.raises(ValueError):
        bar_chart(["A", "B"], [0.5], title="Barres")


def test_empty_bar_chart_is_still_a_labelled_image():
    root = parse(bar_chart([], [], title="Rien"))
    assert root.find(f"{NS}desc").text == "Aucune donnée."
