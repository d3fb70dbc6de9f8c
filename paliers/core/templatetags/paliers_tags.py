from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_block_tag
def dsfr_table(content, caption_id, extra_classes=""):
    """A DSFR table whose scrolling container takes the keyboard focus (axe's
    scrollable-region-focusable), named by the table's caption."""
    return format_html(
        '<div class="fr-table {}"><div class="fr-table__wrapper"><div class="fr-table__container" tabindex="0" '
        'role="region" aria-labelledby="{}"><div class="fr-table__content">{}</div></div></div></div>',
        extra_classes,
        caption_id,
        content,
    )
