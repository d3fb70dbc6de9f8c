"""Server-side SVG charts, the same markup for the web pages and the PDF.

Hand-written rather than a plotting library: two chart kinds, no JavaScript, no fonts to
ship, and WeasyPrint draws plain SVG. Every text put in the markup goes through
`html.escape`, so the result may be marked safe. Each chart is `role="img"` labelled by its
own `<title>` and `<desc>`; the `<desc>` gives every number, in French.
"""

import hashlib
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .typography import NBSP

BLUE = "#000091"  # bleu France
BLUE_LIGHT = "#6A6AF4"
GREY = "#666666"
GRID = "#DDDDDD"
RED = "#E1000F"  # rouge Marianne
FONT = "Marianne, arial, sans-serif"
NO_VALUE = "—"
NO_VALUE_SPOKEN = gettext_lazy("sans valeur")  # the dash is read out oddly by screen readers

Style = Literal["main", "previous", "average", "target"]
Format = Callable[[float], str]

# Line styles differ as well as colours, so series are told apart without colour.
STROKES: dict[str, dict[str, str]] = {
    "main": {"stroke": BLUE, "fill": BLUE, "fill-opacity": "0.2", "stroke-width": "2"},
    "previous": {"stroke": BLUE_LIGHT, "fill": "none", "stroke-width": "2", "stroke-dasharray": "6 4"},
    "average": {
        "stroke": GREY,
        "fill": "none",
        "stroke-width": "2",
        "stroke-dasharray": "1 4",
        "stroke-linecap": "round",
    },
    "target": {"stroke": RED, "fill": "none", "stroke-width": "2", "stroke-dasharray": "8 4"},
}
BAR_FILLS: dict[str, dict[str, str]] = {
    "main": {"fill": BLUE},
    "previous": {"fill": BLUE_LIGHT},
    "average": {"fill": GREY},
    "target": {"fill": "none", "stroke": RED, "stroke-width": "2", "stroke-dasharray": "8 4"},
}


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]
    style: Style = "main"


def _french(value: float, digits: int, factor: int = 1) -> str:
    # Through repr, not the binary value: 0.755 rounds to 76 % as a person rounds it, not 75 %.
    exact = Decimal(repr(float(value))) * factor
    rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP) + 0  # + 0: no "-0"
    return f"{rounded:f}".replace(".", ",")


def format_decimal(value: float | None, digits: int = 1) -> str:
    """1.5 → "1,5"; None → "—"."""
    return NO_VALUE if value is None else _french(value, digits)


def format_percent(value: float | None, digits: int = 0) -> str:
    """A fraction as a French percentage: 0.755 → "76 %", with a no-break space (core/typography.py)."""
    return NO_VALUE if value is None else _french(value, digits, 100) + NBSP + "%"


def _scale_label(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else format_decimal(value, 2).rstrip("0")


def _scale_desc(max_value: float) -> str:
    return _("Échelle de 0 à %(max)s.") % {"max": _scale_label(max_value)} + " "


def _n(value: float) -> str:
    """A coordinate, short and without exponent."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attrs(attributes: dict[str, object]) -> str:
    return "".join(
        f' {name}="{escape(_n(value) if isinstance(value, float) else str(value))}"'
        for name, value in attributes.items()
    )


def _element(tag: str, **attributes: object) -> str:
    return f"<{tag}{_attrs({name.replace('_', '-'): v for name, v in attributes.items()})}/>"


def _text(x: float, y: float, lines: Sequence[str], anchor: str = "start", size: int = 12, **extra) -> str:
    """A text of one or more lines, the first one at `y`."""
    extra = {name.replace("_", "-"): value for name, value in extra.items()}
    attrs = _attrs({"x": x, "y": y, "text-anchor": anchor, "font-size": size, "fill": "#161616", **extra})
    if len(lines) == 1:
        return f"<text{attrs}>{escape(lines[0])}</text>"
    spans = "".join(
        f'<tspan x="{_n(x)}" dy="{"0" if i == 0 else _n(size * 1.2)}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f"<text{attrs}>{spans}</text>"


def _wrap(label: str, width: int, max_lines: int) -> list[str]:
    # Not at hyphens: « Boissy-Saint-Léger » or « Val-de-Marne » stay whole on their line.
    lines = textwrap.wrap(label, width, break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        lines = [
            *lines[: max_lines - 1],
            textwrap.shorten(" ".join(lines[max_lines - 1 :]), width, placeholder="…"),
        ]
    return lines


def _svg(
    width: float,
    height: float,
    title: str,
    desc: str,
    body: Sequence[str],
    chart_id: str | None,
    fluid: bool = False,
) -> str:
    # Ids must be unique on a page showing several charts; the same chart keeps the same id.
    chart_id = (
        chart_id or "chart-" + hashlib.sha1((title + desc).encode(), usedforsecurity=False).hexdigest()[:10]
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}"'
        + (' width="100%"' if fluid else f' width="{_n(width)}" height="{_n(height)}"')
        + ' role="img"'
        f' aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" font-family="{FONT}">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _spoken(value: float | None, value_format: Format) -> str:
    return str(NO_VALUE_SPOKEN) if value is None else value_format(value)


def _series_desc(labels: Sequence[str], series: Sequence[Series], value_format: Format) -> str:
    sentences = []
    for one in series:
        pairs = " ; ".join(
            _("%(label)s : %(value)s") % {"label": label, "value": _spoken(v, value_format)}
            for label, v in zip(labels, one.values, strict=True)
        )
        sentences.append(f"{one.label} — {pairs}." if len(series) > 1 else f"{pairs}.")
    return " ".join(sentences)


def _check(axes: Sequence[str], series: Sequence[Series], max_value: float) -> None:
    if max_value <= 0:
        raise ValueError("max_value doit être positif.")
    for one in series:
        if len(one.values) != len(axes):
            raise ValueError(f"La série « {one.label} » a {len(one.values)} valeurs pour {len(axes)} axes.")
        if one.style not in STROKES:
            raise ValueError(f"Style de série inconnu : {one.style!r}.")


def radar_chart(
    axes: Sequence[str],
    series: Sequence[Series],
    max_value: float,
    title: str,
    size: int = 420,
    *,
    step: float = 1.0,
    value_format: Format = format_decimal,
    chart_id: str | None = None,
    label_size: int = 12,
    fluid: bool = False,
) -> str:
    """A polygon per series on one spoke per axis, rings every `step` up to `max_value`.

    `label_size`: the axis and legend labels' size, in the drawing's units (its width is
    `size` + 20 labels); `fluid`: as wide as its container (width 100 %), so that a page or a
    PDF decides the labels' printed size by the container's width.
    With fewer than 3 axes a radar means nothing: horizontal bars instead, one per series and axis.
    """
    _check(axes, series, max_value)
    if len(axes) < 3:
        rows = [
            (axis, [(one.label, one.values[i], one.style) for one in series]) for i, axis in enumerate(axes)
        ]
        desc = (
            _scale_desc(max_value) + _series_desc(axes, series, value_format) if axes else _("Aucune donnée.")
        )
        return _bars(rows, title, desc, max_value, value_format, chart_id, width=size + 140)
    label_room, top_room, line = 10 * label_size, 4.7 * label_size, 1.2 * label_size
    radius = size / 2 - top_room
    cx, cy = size / 2 + label_room, size / 2
    legend_height = 1.8 * label_size * len(series) + 8 if len(series) > 1 else 0
    width, height = size + 2 * label_room, size + legend_height

    def point(i: int, value: float | None) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / len(axes)
        r = radius * min(max(value or 0.0, 0.0), max_value) / max_value
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    rings = [step * k for k in range(1, int(max_value / step + 1e-9) + 1)]
    if not rings or not math.isclose(rings[-1], max_value):
        rings.append(max_value)
    grid = [
        _element("circle", cx=cx, cy=cy, r=radius * v / max_value, fill="none", stroke=GRID) for v in rings
    ]
    # The scale's numbers at the labels' size: a narrower one prints too small on a phone.
    ring_labels = [
        _text(cx + 4, cy - radius * v / max_value + label_size + 1, [_scale_label(v)],
              size=label_size, fill=GREY)
        for v in rings
    ]  # fmt: skip
    spokes, labels = [], []
    for i, axis in enumerate(axes):
        x, y = point(i, max_value)
        spokes.append(_element("line", x1=cx, y1=cy, x2=x, y2=y, stroke=GRID))
        dx, dy = (x - cx) / radius, (y - cy) / radius
        anchor = "start" if dx > 0.3 else "end" if dx < -0.3 else "middle"
        # Side labels must fit in `label_room`; top and bottom ones may spread sideways.
        lines = _wrap(axis, 28, 3) if anchor == "middle" else _wrap(axis, 16, 4)
        lx, ly = x + 8 * dx, y + 8 * dy
        # Labels grow away from the chart: upwards at the top, downwards at the bottom.
        if dy < -0.3:
            ly -= line * (len(lines) - 1) + 2
        elif dy > 0.3:
            ly += label_size
        else:
            ly += label_size / 3 - line / 2 * (len(lines) - 1)
        labels.append(_text(lx, ly, lines, anchor=anchor, size=label_size))
    polygons = []
    for one in sorted(series, key=lambda s: s.style != "main"):  # the filled one below the lines
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(i, v) for i, v in enumerate(one.values)))
        polygons.append(_element("polygon", points=points, stroke_linejoin="round", **STROKES[one.style]))
    legend = []
    if len(series) > 1:
        for k, one in enumerate(series):
            y = size + 8 + 1.8 * label_size * k
            style = {key: value for key, value in STROKES[one.style].items() if not key.startswith("fill")}
            legend.append(_element("line", x1=label_room, y1=y, x2=label_room + 36, y2=y, **style))
            legend.append(_text(label_room + 44, y + label_size / 3, [one.label], size=label_size))
    desc = _scale_desc(max_value) + _series_desc(axes, series, value_format)
    body = [
        f'<g data-part="grid">{"".join(grid)}</g>',
        f'<g data-part="spokes">{"".join(spokes)}</g>',
        f'<g data-part="series">{"".join(polygons)}</g>',
        f'<g data-part="ring-labels">{"".join(ring_labels)}</g>',
        f'<g data-part="axis-labels">{"".join(labels)}</g>',
        f'<g data-part="legend">{"".join(legend)}</g>',
    ]
    return _svg(width, height, title, desc, body, chart_id, fluid=fluid)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    title: str,
    max_value: float = 1.0,
    value_format: Format = format_percent,
    *,
    width: int = 560,
    chart_id: str | None = None,
) -> str:
    """Horizontal bars, e.g. the share of criteria met per level ("Palier 1 : 75 %")."""
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} libellés pour {len(values)} valeurs.")
    if max_value <= 0:
        raise ValueError("max_value doit être positif.")
    desc = " ; ".join(
        _("%(label)s : %(value)s") % {"label": label, "value": _spoken(v, value_format)}
        for label, v in zip(labels, values, strict=True)
    )
    rows = [(label, [(None, value, "main")]) for label, value in zip(labels, values, strict=True)]
    return _bars(
        rows, title, (desc + ".") if desc else _("Aucune donnée."), max_value, value_format, chart_id, width
    )


def grouped_bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    title: str,
    max_value: float,
    value_format: Format = format_decimal,
    *,
    width: int = 560,
    chart_id: str | None = None,
) -> str:
    """Per label, one named bar per series (e.g. per domain, the average of each school year)."""
    _check(labels, series, max_value)
    rows = [
        (label, [(one.label, one.values[i], one.style) for one in series]) for i, label in enumerate(labels)
    ]
    desc = (
        _scale_desc(max_value) + _series_desc(labels, series, value_format) if labels else _("Aucune donnée.")
    )
    return _bars(rows, title, desc, max_value, value_format, chart_id, width)


BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, VALUE_ROOM, LINE = 18, 6, 170, 64, 14.4


def _bars(
    rows: Sequence[tuple[str, Sequence[tuple[str | None, float | None, str]]]],
    title: str,
    desc: str,
    max_value: float,
    value_format: Format,
    chart_id: str | None,
    width: int,
) -> str:
    """Rows of (label, bars). Bars named after a series sit under their row's label as a heading."""
    scale = (width - LABEL_WIDTH - VALUE_ROOM) / max_value
    x0, y, body = LABEL_WIDTH, 8.0, []
    for label, bars in rows:
        named = any(name for name, _, _ in bars)
        lines = _wrap(label, (width - 16) // 7 if named else 26, 2)
        if named:  # a heading row for the axis, then one labelled bar per series
            body.append(_text(8, y + 12, lines, font_weight="bold"))
            y += LINE * len(lines) + 4
        for name, value, style in bars:
            text_lines = _wrap(name, 26, 2) if named else lines
            # Bar and label share the row's middle, whatever the label's number of lines.
            row_height = max(BAR_HEIGHT, LINE * len(text_lines) + 4)
            text_y = y + (row_height - LINE * len(text_lines)) / 2 + 11
            bar_y = y + (row_height - BAR_HEIGHT) / 2
            body.append(_text(x0 - 8, text_y, text_lines, anchor="end"))
            bar_width = scale * min(max(value or 0.0, 0.0), max_value)
            if value is not None:
                body.append(
                    _element(
                        "rect",
                        x=float(x0),
                        y=bar_y,
                        width=bar_width,
                        height=float(BAR_HEIGHT),
                        **BAR_FILLS[style],
                    )
                )
            shown = NO_VALUE if value is None else value_format(value)
            body.append(_text(x0 + bar_width + 6, bar_y + 13, [shown], font_weight="bold"))
            y += row_height + BAR_GAP
        y += BAR_GAP * 2 if named else 0
    axis = _element("line", x1=float(x0), y1=4.0, x2=float(x0), y2=max(y, 12.0), stroke=GREY)
    return _svg(
        width,
        max(y, 12.0) + 8,
        title,
        desc,
        [f'<g data-part="bars">{"".join(body)}</g>', f'<g data-part="axis">{axis}</g>'],
        chart_id,
    )
