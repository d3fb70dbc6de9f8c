"""From a template to PDF bytes with WeasyPrint.

The documents use the DSFR's own Marianne font, read from django-dsfr's static files
(WeasyPrint reads WOFF2), with DejaVu Sans behind it for the few characters Marianne
lacks (the narrow no-break space before « % »). WeasyPrint may fetch nothing else: the
templates escape every text, and the fetcher refuses any URL but those font files, so
a comment holding a URL can never make the server read a file or call the network.
"""

import atexit
import gc
import re
import threading
from contextlib import contextmanager
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from paliers.core.typography import typeset

FONT_FILES = {
    (400, "normal"): "dsfr/dist/fonts/Marianne-Regular.woff2",
    (400, "italic"): "dsfr/dist/fonts/Marianne-Regular_Italic.woff2",
    (700, "normal"): "dsfr/dist/fonts/Marianne-Bold.woff2",
    (700, "italic"): "dsfr/dist/fonts/Marianne-Bold_Italic.woff2",
}
STYLESHEET = Path(__file__).with_name("pdf.css")
# The templates' indentation before a block's tag: HTML never shows it (white space at the
# edge of a block collapses away), but WeasyPrint makes and lays out a box for each run of
# it — 3 % of a report. Only the templates' tags match: texts reach the HTML escaped.
BLOCK_GAP = re.compile(
    r">\s+(?=</?(?:p|div|ul|ol|li|h[1-6]|table|caption|thead|tbody|tr|th|td|section|figure|figcaption|dl|dt|dd)[\s>])"
)

_local = threading.local()


def font_faces():
    """@font-face rules for the Marianne files found among the static files, and {URL: path}."""
    rules, allowed = [], {}
    for (weight, style), name in FONT_FILES.items():
        path = finders.find(name)
        if not path:
            continue  # without django-dsfr's files, DejaVu Sans alone
        url = Path(path).resolve().as_uri()
        allowed[url] = Path(path)
        rules.append(
            f"@font-face {{ font-family: Marianne; src: url('{url}') format('woff2'); "
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules), allowed


def _renderer():
    """One font configuration and parsed stylesheet per thread: parsing the fonts costs more
    than laying out a short report, and Pango's font maps are not shared across threads."""
    if not hasattr(_local, "stylesheet"):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        rules, allowed = font_faces()
        _local.font_config = FontConfiguration()
        _local.fetcher = _fetcher_class()(allowed)
        _local.stylesheet = CSS(
            string=rules + "\n" + STYLESHEET.read_text(encoding="utf-8"),
            font_config=_local.font_config,
            url_fetcher=_local.fetcher,
        )
    return _local


@atexit.register
def _forget():
    """Drop the main thread's font configuration while its C libraries are still loaded
    (at interpreter exit, its destructor would otherwise run after them)."""
    for name in ("stylesheet", "font_config", "fetcher"):
        if hasattr(_local, name):
            delattr(_local, name)


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FontsOnly(URLFetcher):
        def __init__(self, allowed):
            super().__init__(allowed_protocols={"file"})
            self.allowed = allowed

        def fetch(self, url, headers=None):
            if url not in self.allowed:
                raise ValueError(f"Ressource refusée dans un document PDF : {url[:80]}")
            return URLFetcherResponse(url, self.allowed[url].read_bytes(), {"Content-Type": "font/woff2"})

    return FontsOnly


@contextmanager
def collector_paused():
    """A report makes hundreds of thousands of short-lived objects, boxes that point to their
    parents: Python's cycle collector would run over them dozens of times, and over every
    long-lived object of the process at each full pass. It waits until the report is done
    (a tenth less time; the next collection frees the report's cycles at once)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def html_to_pdf(html):
    from weasyprint import HTML

    renderer = _renderer()
    with collector_paused():
        # A base URL is needed for the document, never used: the fetcher refuses every URL.
        document = HTML(
            string=typeset(BLOCK_GAP.sub(">", html)),  # French spaces, as the pages have them
            base_url="file:///nonexistent/",
            url_fetcher=renderer.fetcher,
        )
        return document.write_pdf(
            stylesheets=[renderer.stylesheet],
            font_config=renderer.font_config,
            # Tagged PDF: headings, tables and reading order reach screen readers.
            pdf_tags=True,
        )


def render_pdf(template_name, context):
    return html_to_pdf(render_to_string(template_name, context))
