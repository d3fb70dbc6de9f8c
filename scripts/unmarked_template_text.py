"""Lists the French text of paliers/**/templates that no {% translate %} or
{% blocktranslate %} wraps: text between tags and the attributes people read
(aria-label, title, placeholder, alt, value of buttons).

    python3 scripts/unmarked_template_text.py [path-fragment ...]

The count goes to standard error.
"""

import pathlib
import re
import sys

BLOCKS = re.compile(
    r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}|{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}",
    re.S,
)
TAGS = re.compile(r"{%.*?%}|{{.*?}}", re.S)
SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
ATTRIBUTE = re.compile(r'\b(aria-label|title|placeholder|alt|aria-description)="([^"]*)"')
ELEMENT = re.compile(r"<[^>]*>", re.S)
WORDS = re.compile(r"[A-Za-zÀ-ÿœŒ’']{2,}")


def blank(match):
    """The match as spaces, its line breaks kept: line numbers stay right."""
    return re.sub(r"[^\n]", " ", match.group(0))


def unmarked(path):
    source = path.read_text(encoding="utf-8")
    source = SCRIPT.sub(blank, BLOCKS.sub(blank, source))
    source = TAGS.sub(blank, source)
    for match in ATTRIBUTE.finditer(source):
        if WORDS.search(match.group(2)):
            yield source.count("\n", 0, match.start()) + 1, f'{match.group(1)}="{match.group(2).strip()}"'
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", ELEMENT.sub(blank, source))
    for number, line in enumerate(text.splitlines(), 1):
        if WORDS.search(line):
            yield number, line.strip()


if __name__ == "__main__":
    wanted, found = sys.argv[1:], 0
    for path in sorted(pathlib.Path("paliers").rglob("templates/**/*.html")):
        if wanted and not any(w in str(path) for w in wanted):
            continue
        for number, text in unmarked(path):
            found += 1
            print(f"{path}:{number}: {text}")
    print(f"{found} textes de gabarits non marqués", file=sys.stderr)
