"""QR codes of the questionnaire's link, as SVG, with segno (no image library needed)."""

import io

import segno


def _code(url):
    # Level M at least (segno raises it when the symbol's size allows): a poster may be
    # photocopied or scanned from a screen at the back of the room.
    return segno.make(url, error="m", micro=False)


def qr_svg(url):
    """A standalone SVG file (slides, posters)."""
    out = io.BytesIO()
    _code(url).save(out, kind="svg", scale=8, border=4, title=url)
    return out.getvalue()


def qr_data_uri(url):
    """For an <img> whose alt text gives the link: sized by the page's CSS."""
    return _code(url).svg_data_uri(scale=8, border=4)
