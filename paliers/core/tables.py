"""Every table readable, at 1280 px and on a phone (the `dsfr_table` tag).

Cells wrap (DSFR's `fr-table--multiline`), so that columns share a wide screen instead of
hiding behind a scroll. A table whose head is one row of simple headers becomes stacked
rows on a narrow screen: each cell says its column's header (`data-label`, copied here
from the head, shown by CSS before the value). A table with a grouped head (several rows,
colspan) scrolls instead, inside its focusable region named by its caption, with shadows
at the edges that show there is more (paliers.css). A data grid too wide for any screen
(class `paliers-table--grid`: the caseload) scrolls the same way from a tablet up.
"""

import html
import re

HEAD = re.compile(r"<thead\b.*?</thead>", re.DOTALL | re.IGNORECASE)
BODY = re.compile(r"<tbody\b.*?</tbody>", re.DOTALL | re.IGNORECASE)
ROW = re.compile(r"<tr\b.*?</tr>", re.DOTALL | re.IGNORECASE)
CELL = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</\1>", re.DOTALL | re.IGNORECASE)
START = re.compile(r"<(tr|t[hd])\b([^>]*)>", re.IGNORECASE)
SPAN = re.compile(r"\b(colspan|rowspan)\s*=\s*[\"']?(\d+)", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")


def _text(fragment):
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def column_labels(table):
    """The head's labels, one per column; None when the head is not one row of simple
    headers (no head, several rows, a colspan or rowspan): such a table cannot be stacked."""
    head = HEAD.search(table)
    if head is None:
        return None
    rows = ROW.findall(head.group())
    if len(rows) != 1:
        return None
    cells = CELL.findall(rows[0])
    if not cells or any(SPAN.search(attributes) for _, attributes, _ in cells):
        return None
    return [_text(content) for _, _, content in cells]


def _labelled_body(body, labels):
    """Each cell's start tag gains its column's label, in one pass over the body's tags."""
    column = 0

    def label(match):
        nonlocal column
        tag, attributes = match.group(1).lower(), match.group(2)
        if tag == "tr":
            column = 0
            return match.group()
        width = 1
        if "span" in attributes:
            width = dict((name.lower(), int(n)) for name, n in SPAN.findall(attributes)).get("colspan", 1)
        text = labels[column] if width == 1 and column < len(labels) else ""
        column += width
        if not text or "data-label" in attributes:
            return match.group()
        return f'<{match.group(1)}{attributes} data-label="{escaped[column - 1]}">'

    escaped = [html.escape(text) for text in labels]
    return START.sub(label, body)


def stackable(table):
    """(table with data-label on each body cell, True), or (table, False) when its head
    does not allow it. Rowspans in the body make columns ambiguous: not stacked either."""
    labels = column_labels(table)
    body = BODY.search(table)
    if labels is None or body is None or re.search(r"\browspan\b", body.group(), re.IGNORECASE):
        return table, False
    labelled = _labelled_body(body.group(), labels)
    return table[: body.start()] + labelled + table[body.end() :], True
