"""Charts of aggregates over many schools: stacked bars (a distribution per row) and a
heatmap (a value per row and column), in the manner of `charts.py`.

The same rules: server-side SVG, every text escaped, `role="img"` labelled by `<title>`
and a `<desc>` giving every number. Colour never carries a value alone: each segment wide
enough and each heatmap cell prints its number, and the pages put the table beside.
"""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from .charts import (
    GREY,
    LABEL_WIDTH,
    LINE,
    NO_VALUE_SPOKEN,
    Format,
    _element,
    _spoken,
    _svg,
    _text,
    _wrap,
    format_decimal,
    format_percent,
)

# The DSFR's blue scale, light to dark: the first segment (level 0) the lightest.
BLUES = ("#F5F5FE", "#E3E3FD", "#CACAFB", "#8585F6", "#6A6AF4", "#313178", "#000091")
DARK_FROM = 3  # BLUES[3:] are dark enough for white text
BAR_HEIGHT, ROW_GAP, LEGEND_ROW = 22, 10, 22
MIN_LABELLED_WIDTH = 34  # a segment narrower than this keeps its number to the table


def _shades(count: int) -> list[str]:
    """`count` shades spread over the scale, light to dark."""
    if count <= 1:
        return [BLUES[-1]] * count
    return [BLUES[round(i * (len(BLUES) - 1) / (count - 1))] for i in range(count)]


def _ink(fill: str) -> str:
    return "#FFFFFF" if BLUES.index(fill) >= DARK_FROM else "#161616"


def stacked_bar_chart(
    labels: Sequence[str],
    segments: Sequence[str],
    counts: Sequence[Sequence[int]],
    title: str,
    *,
    width: int = 640,
    chart_id: str | None = None,
) -> str:
    """One bar per label, split into `segments` in proportion to `counts` (each bar is 100 %).

    E.g. per domain, how many schools reached level 0, 1, 2, 3. A row without any count
    is drawn empty and said to have no value."""
    if len(labels) != len(counts):
        raise ValueError(f"{len(labels)} libellés pour {len(counts)} lignes.")
    for row in counts:
        if len(row) != len(segments):
            raise ValueError(f"Une ligne a {len(row)} valeurs pour {len(segments)} segments.")
    fills = _shades(len(segments))
    scale = width - LABEL_WIDTH - 16
    body, legend, sentences = [], [], []
    x_legend, y = 8.0, 8.0
    for name, fill in zip(segments, fills, strict=True):
        legend.append(_element("rect", x=x_legend, y=y, width=14.0, height=14.0, fill=fill, stroke=GREY))
        legend.append(_text(x_legend + 20, y + 12, [name]))
        x_legend += 34 + 7 * len(name)
    y += LEGEND_ROW + 8
    for label, row in zip(labels, counts, strict=True):
        lines = _wrap(label, 24, 2)
        row_height = max(BAR_HEIGHT, LINE * len(lines) + 4)
        body.append(_text(LABEL_WIDTH - 8, y + (row_height - LINE * len(lines)) / 2 + 11, lines, "end"))
        total = sum(row)
        bar_y = y + (row_height - BAR_HEIGHT) / 2
        x = float(LABEL_WIDTH)
        for count, fill in zip(row, fills, strict=True):
            if not total or not count:
                continue
            share = count / total
            body.append(
                _element("rect", x=x, y=bar_y, width=scale * share, height=float(BAR_HEIGHT), fill=fill)
            )
            if scale * share >= MIN_LABELLED_WIDTH:
                shown = format_percent(share)
                body.append(
                    _text(x + scale * share / 2, bar_y + 15, [shown], "middle", size=11, fill=_ink(fill))
                )
            x += scale * share
        body.append(
            _element("rect", x=float(LABEL_WIDTH), y=bar_y, width=float(scale), height=float(BAR_HEIGHT),
                     fill="none", stroke=GREY)
        )  # fmt: skip
        parts = [
            _("%(label)s : %(count)s (%(percent)s)")
            % {"label": name, "count": count, "percent": format_percent(count / total)}
            for name, count in zip(segments, row, strict=True)
            if total
        ]
        sentences.append(f"{label} — " + (" ; ".join(parts) or str(NO_VALUE_SPOKEN)) + ".")
        y += row_height + ROW_GAP
    desc = " ".join(sentences) if sentences else _("Aucune donnée.")
    groups = [f'<g data-part="legend">{"".join(legend)}</g>', f'<g data-part="bars">{"".join(body)}</g>']
    return _svg(width, y + 4, title, desc, groups, chart_id)


CELL_WIDTH, CELL_HEIGHT, TALL_CELL_HEIGHT, HEAD_LINES = 92, 26, 36, 3
ROW_CHARACTERS = 30  # what the 220-px row label holds at 11 px, per line
HEAD_CHARACTERS = 15  # what a 92-px cell holds at 11 px: « Infrastructure » is not cut in two


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    title: str,
    max_value: float,
    *,
    value_format: Format = format_decimal,
    row_width: int = 220,
    chart_id: str | None = None,
) -> str:
    """A grid of `rows` × `columns`, each cell shaded by its value over `max_value` and
    printing it; a cell without value is white with a dash."""
    if max_value <= 0:
        raise ValueError("max_value doit être positif.")
    if len(values) != len(rows) or any(len(row) != len(columns) for row in values):
        raise ValueError(f"Il faut {len(rows)} lignes de {len(columns)} valeurs.")
    head_height = LINE * HEAD_LINES + 12
    width = row_width + CELL_WIDTH * len(columns) + 8
    body = [
        _text(
            row_width + CELL_WIDTH * (j + 0.5),
            16,
            _wrap(column, HEAD_CHARACTERS, HEAD_LINES),
            "middle",
            size=11,
        )
        for j, column in enumerate(columns)
    ]
    sentences = []
    y = head_height
    for label, row in zip(rows, values, strict=True):
        # Two lines: « Circonscription de Boissy-Saint-Léger » keeps its place whole.
        lines = _wrap(label, ROW_CHARACTERS, 2)
        height = CELL_HEIGHT if len(lines) == 1 else TALL_CELL_HEIGHT
        body.append(_text(row_width - 8, y + height / 2 + 4 - 6.5 * (len(lines) - 1), lines, "end", size=11))
        for j, value in enumerate(row):
            if value is None:
                fill = "#FFFFFF"
            else:
                fill = BLUES[min(len(BLUES) - 1, max(0, round(value / max_value * (len(BLUES) - 1))))]
            x = row_width + CELL_WIDTH * j
            body.append(
                _element("rect", x=float(x), y=float(y), width=float(CELL_WIDTH), height=float(height),
                         fill=fill, stroke="#FFFFFF", stroke_width="2")
            )  # fmt: skip
            shown = "—" if value is None else value_format(value)
            ink = "#161616" if value is None else _ink(fill)
            body.append(_text(x + CELL_WIDTH / 2, y + height / 2 + 4, [shown], "middle", size=11, fill=ink))
        pairs = " ; ".join(
            _("%(label)s : %(value)s") % {"label": column, "value": _spoken(value, value_format)}
            for column, value in zip(columns, row, strict=True)
        )
        sentences.append(f"{label} — {pairs}.")
        y += height
    desc = (
        (_("Échelle de 0 à %(max)s.") % {"max": value_format(max_value)} + " " + " ".join(sentences))
        if rows
        else _("Aucune donnée.")
    )
    return _svg(width, y + 8, title, desc, [f'<g data-part="cells">{"".join(body)}</g>'], chart_id)
