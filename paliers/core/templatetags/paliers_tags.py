from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.inclusion_tag("core/_form_buttons.html")
def form_buttons(submit, cancel_url, name="", value=""):
    """A form's submit button (`submit`: its label; `name`, `value`: what it sends, when the
    view asks for a confirmation) beside « Annuler », a link to `cancel_url`."""
    return {"submit": submit, "cancel_url": cancel_url, "name": name, "value": value}


@register.simple_block_tag
def dsfr_table(content, caption_id, extra_classes=""):
    """A DSFR table readable at every width (core/tables.py): cells wrap; a table with a
    simple head becomes stacked rows on a phone, each cell labelled by its column; any
    table that still overflows scrolls inside a container that takes the keyboard focus
    (axe's scrollable-region-focusable), named by the table's caption."""
    from paliers.core.tables import stackable

    content, stacked = stackable(str(content))
    classes = " ".join(
        filter(
            None,
            ["fr-table--multiline paliers-table", "paliers-table--stack" if stacked else "", extra_classes],
        )
    )
    return format_html(
        '<div class="fr-table {}"><div class="fr-table__wrapper">'
        '<div class="fr-table__container" tabindex="0" role="region" aria-labelledby="{}">'
        '<div class="fr-table__content">{}</div></div></div></div>',
        classes,
        caption_id,
        mark_safe(content),  # noqa: S308 (the block's rendered HTML, with data-label attributes escaped)
    )


@register.simple_block_tag
def chart_region(content, label):
    """A chart in a scrolling region named `label` (unique on its page): a wide chart keeps
    its size, so its words stay readable, and scrolls sideways on a narrow screen; the region
    takes the keyboard focus, as a table's does."""
    return format_html(
        '<div class="paliers-chart--scroll" tabindex="0" role="region" aria-label="{}">{}</div>',
        label,
        content,
    )


@register.filter
def decimal_fr(value):
    """1.5 → « 1,5 »; None → « — »."""
    from paliers.core.charts import format_decimal

    return "—" if value is None else format_decimal(value)


@register.filter
def percent_fr(fraction):
    """0.755 → « 76 % »; None → « — »."""
    from paliers.core.charts import format_percent

    return "—" if fraction is None else format_percent(fraction)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def get_item_at(sequence, index):
    return sequence[index] if sequence is not None and 0 <= index < len(sequence) else None
