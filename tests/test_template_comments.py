"""Django's `{# … #}` comments end on their line: one spread over two lines is printed as
text (a report once carried such a comment on every copy). Multi-line comments take
`{% comment %}`."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def unclosed_comments(text):
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.count("{#") > line.count("#}")]


def test_no_template_comment_spans_two_lines():
    found = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "paliers").rglob("templates/**/*"))
        if path.is_file() and (lines := unclosed_comments(path.read_text(encoding="utf-8")))
    }
    assert found == {}
    assert unclosed_comments("<p>\n{# two\nlines #}\n") == [2]
