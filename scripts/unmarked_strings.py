"""Lists the French string literals of paliers/ that no gettext call wraps (docstrings and
migrations aside): the interface text still to mark for the English catalogue.

    python3 scripts/unmarked_strings.py [path-fragment ...]

Not every line is interface text (demo data, exchange formats that stay French, logs):
read before marking. The count goes to standard error.
"""

import ast
import pathlib
import re
import sys

FRENCH = re.compile(r"[a-zA-Zàâçéèêëîïôûùüÿœ’]{2,}\s+[a-zA-Zàâçéèêëîïôûùüÿœ’]|[éèàçê]")
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "gettext_noop"}


def unmarked(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside, docstrings = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in GETTEXT:
                inside.update(id(sub) for sub in ast.walk(node))
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and id(node) not in inside | docstrings and FRENCH.search(text):
            yield node.lineno, text


if __name__ == "__main__":
    wanted, found = sys.argv[1:], 0
    for path in sorted(pathlib.Path("paliers").rglob("*.py")):
        if "migrations" in path.parts or (wanted and not any(w in str(path) for w in wanted)):
            continue
        for line, text in unmarked(path):
            found += 1
            print(f"{path}:{line}: {text[:100]!r}")
    print(f"{found} chaînes non marquées", file=sys.stderr)
