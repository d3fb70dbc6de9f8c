"""The answers carried over from last year: reviewed on their page, confirmed one by one,
by domain or all at once (head and référent of the school, on a draft assessment)."""

import contextlib

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from . import carrying
from .access import ANSWER_ROLES, get_assessment_for, may
from .answering import NotEditable
from .carried_pages import carried_sections
from .models import AssessmentStatus
from .presentation import criterion_block
from .views import _answer_response, _criterion


@require_safe
def carried(request, pk):
    assessment = get_assessment_for(request.user, pk)
    sections = carried_sections(assessment)
    return render(
        request,
        "assessments/carried.html",
        {
            "assessment": assessment,
            "sections": sections,
            "proposed": [row for section in sections for row in section.proposed],
            "to_answer": sum(len(section.rows) - len(section.proposed) for section in sections),
            "editable": assessment.status == AssessmentStatus.DRAFT
            and assessment.answerable(timezone.localdate())
            and may(request.user, assessment, ANSWER_ROLES),
        },
    )


def _seen(request):
    """{criterion code: version seen} of the « confirm » fields (« CODE:VERSION »)."""
    seen = {}
    for item in request.POST.getlist("confirm"):
        code, _, version = item.rpartition(":")
        if code and version.isdigit():
            seen[code] = int(version)
    return seen


@require_POST
def confirm_carried(request, pk):
    assessment = get_assessment_for(request.user, pk, need=ANSWER_ROLES)
    seen = _seen(request)
    from_assessment = request.POST.get("back") == "positionnement"
    if request.htmx and from_assessment and len(seen) == 1:
        # One criterion on the assessment page: its block comes back, confirmed or as it now is.
        [code] = seen
        with contextlib.suppress(carrying.ConfirmationRefused, NotEditable):
            carrying.confirm(assessment, seen, request.user)
        block = criterion_block(assessment, _criterion(assessment, code))
        return _answer_response(request, assessment, block, 200)
    if not seen:
        messages.error(request, _("Aucune réponse reprise n’était désignée : rien n’a été confirmé."))
    else:
        try:
            confirmed = carrying.confirm(assessment, seen, request.user)
        except carrying.ConfirmationRefused as refused:
            messages.error(
                request,
                _(
                    "Rien n’a été confirmé, des réponses ont changé depuis l’affichage de la page "
                    "(%(errors)s). Voici leur état actuel."
                )
                % {"errors": "; ".join(refused.errors)},
            )
        except NotEditable as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext("%(n)d réponse reprise confirmée.", "%(n)d réponses reprises confirmées.", confirmed)
                % {"n": confirmed},
            )
    if from_assessment:
        anchor = f"#critere-{next(iter(seen))}" if len(seen) == 1 else ""
        return redirect(assessment.get_absolute_url() + anchor)
    return redirect(reverse("assessments:carried", args=[assessment.pk]))
