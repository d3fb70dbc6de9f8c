from django import template

from paliers.core.typography import french

register = template.Library()


@register.filter(is_safe=True)
def typo_fr(text):
    """Apostrophes and guillemets of a typed text (the PDF's spaces are set over the whole
    document, `core.typography.typeset`); the result is escaped like the input would be."""
    return french(text)


@register.filter
def share(count, total):
    """12, 48 → « 25 % »; « — » when there is nothing to share."""
    from paliers.core.charts import format_percent

    return format_percent(count / total) if total else "—"
