"""French typography of every page: no line breaks before « : ; ! ? % » or inside « … ».

French puts a space before a colon, a semicolon, a question or exclamation mark and inside
guillemets; an ordinary space there lets a phone's line start with « : » or end with « ».
The texts are written with ordinary spaces (templates, catalogues, framework files and what
people type), so the pages are set once, on the way out (`TypographyMiddleware`): in the
text between tags only — never in an attribute, a form's value or a script — each of these
spaces becomes a no-break space. Not the narrow one that the Imprimerie nationale prefers
before « ; ! ? % »: Marianne, the State's typeface, has no glyph for it (browsers and the PDF
would draw it in another font), so the figures (`core.charts.format_percent`) use NBSP too.
Texts printed from what people typed also get their apostrophes and guillemets (`french`).
"""

import re
from bisect import bisect

NBSP = "\u00a0"
SPACE = " \t\r\n"
# The marks, found first: a page has a few dozen, where a scan for spaces would stop at each
# of its thousands of indentations (a national caseload page: about 1 ms instead of 6).
MARKS = re.compile(r"[:;!?%«»]")
# What follows a mark that takes a space before it: « 3 : 2 », « Pourquoi ? » but not
# « https://… » nor « 10:30 ».
AFTER = {":": SPACE + "<", ";": SPACE + "<»)", "!": SPACE + "<»)", "?": SPACE + "<»)", "»": None, "%": None}
# What is not running text although it sits between tags: code, styles, comments, and a
# textarea's content (its value).
RAW = re.compile(r"<(script|style|textarea|pre|code)\b.*?</\1\s*>|<!--.*?-->", re.DOTALL | re.IGNORECASE)


def spaces_to_set(html):
    """(start, end) of each run of spaces around a mark, in order, wherever it stands."""
    last = 0
    for match in MARKS.finditer(html):
        at = match.start()
        mark = html[at]
        if mark == "«":
            start = end = at + 1
            while end < len(html) and html[end] in SPACE:
                end += 1
        else:
            following = html[at + 1 : at + 2]
            if AFTER[mark] is not None and following and following not in AFTER[mark]:
                continue
            start = end = at
            while start > last and html[start - 1] in SPACE:
                start -= 1
            if start == 0:
                continue  # spaces opening the document: nothing to keep together
            if mark == "%" and not html[start - 1].isdigit():
                continue  # « 75 % », not « taux % »
        if start < end:
            yield start, end
            last = end


def in_running_text(html, spans):
    """The spans of `html` outside its tags, code, styles and comments."""
    raw = None
    for start, end in spans:
        if html.rfind("<", 0, start) > html.rfind(">", 0, start):
            continue  # inside a tag: an attribute
        if raw is None:
            raw = [(found.start(), found.end()) for found in RAW.finditer(html)]
            raw_starts = [begin for begin, _ in raw]
        inside = bisect(raw_starts, start) - 1
        if inside >= 0 and start < raw[inside][1]:
            continue
        yield start, end


def no_break(text, spans):
    """`text` with each run of spaces of `spans` (in order) made one no-break space."""
    parts, done = [], 0
    for start, end in spans:
        parts += [text[done:start], NBSP]
        done = end
    if not parts:
        return text
    parts.append(text[done:])
    return "".join(parts)


def typeset(html):
    """The page with its running text set; markup, attributes and code untouched."""
    return no_break(html, in_running_text(html, spaces_to_set(html)))


def typeset_text(text):
    """A plain text (an e-mail) set as `typeset` sets a page's text: it has no markup to skip,
    and a « < » typed in it is only a character."""
    return no_break(text, spaces_to_set(text))


APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
OPENING_TIGHT = re.compile(r"«(?=\S)")
CLOSING_TIGHT = re.compile(r"(?<=\S)»")


def french(text):
    """A typed text (a framework's, a comment) as printed: « l’école » for « l'école », and
    guillemets given the spaces a keyboard leaves out (« «oui» »); the spaces themselves are
    kept together by `typeset`, over the whole document. None and "" stay as they are."""
    if not text:
        return text
    text = APOSTROPHE.sub("’", str(text))
    return CLOSING_TIGHT.sub(NBSP + "»", OPENING_TIGHT.sub("«" + NBSP, text))


class TypographyMiddleware:
    """Sets every HTML page (not the streamed ones: files, exports)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        charset = response.charset or "utf-8"
        response.content = typeset(response.content.decode(charset)).encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
