"""What a page of answers says after it was sent without JavaScript: back to where the user
was, with the message beside that criterion; or, refused, the list of what to look at."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# extra_tags of a message said beside a criterion, not at the top of the page (base.html).
INLINE = "paliers-inline"


def saved_page(request, url, result, forms):
    """Redirect to the criterion whose button was pressed (else the last one saved), the
    message there."""
    codes = [criterion.code for criterion in result.saved]
    back = request.POST.get("return_to")
    if back not in forms:
        back = codes[-1] if codes else None
    if codes:
        text = ngettext(
            "Réponse enregistrée : %(codes)s.", "%(count)d réponses enregistrées : %(codes)s.", len(codes)
        ) % {"count": len(codes), "codes": ", ".join(codes)}
    else:
        text = _("Aucune réponse n’a changé : rien à enregistrer.")
    if back is None:
        messages.success(request, text)
        return redirect(url)
    messages.success(request, text, extra_tags=f"{INLINE} {back}")
    return redirect(f"{url}#enregistre-{back}")


def pop_notices(request):
    """{criterion code: message} of the messages to say beside a criterion."""
    notices = {}
    for message in messages.get_messages(request):
        tags = (message.extra_tags or "").split()
        if INLINE in tags and len(tags) == 2:
            notices[tags[1]] = str(message)
    return notices


def refusals(sections):
    """The refused criteria of a page, in page order, for the summary above it."""
    return [
        block for section in sections for group in section.groups for block in group.blocks if block.refused
    ]
