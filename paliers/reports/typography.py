"""French typography for printed documents: the spaces a French reader expects.

Framework texts and comments are typed with plain spaces and straight apostrophes; on
paper, a line must not break before « : » or « ? », nor inside guillemets. Only spaces
already there are made unbreakable (and guillemets get theirs): no space is invented
before a colon, which would break URLs and times.
"""

import re

NBSP = "\u00a0"  # before « : », inside guillemets
NARROW_NBSP = "\u202f"  # before « ; ! ? % »

_RULES = (
    (re.compile(r"«[ \t]*"), "«" + NBSP),
    (re.compile(r"[ \t]*»"), NBSP + "»"),
    (re.compile(r"[ \t]+([;!?])"), NARROW_NBSP + r"\1"),
    (re.compile(r"[ \t]+:"), NBSP + ":"),
    (re.compile(r"(\d)[ \t]+%"), r"\1" + NARROW_NBSP + "%"),
    (re.compile(r"(?<=\w)'(?=\w)"), "’"),
)


def french(text):
    """The text with French spacing and apostrophes; None and "" stay as they are."""
    if not text:
        return text
    text = str(text)
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
