"""A member's own positioning (contribution individuelle): the same criteria, answered for
oneself, saved as the collective answer is — on each change with JavaScript, the whole
page at once without."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from paliers.frameworks.models import Criterion

from . import answering
from .access import CONTRIBUTE_ROLES, get_assessment_for
from .contributing import save_contribution_answer, save_contribution_answers
from .forms import ContributionForm, page_forms
from .models import AnswerValue, AssessmentStatus, Contribution
from .presentation import answer_sections, criterion_block
from .saving import pop_notices, refusals, saved_page


def _mine(request, pk):
    assessment = get_assessment_for(request.user, pk, need=CONTRIBUTE_ROLES)
    mine, __ = Contribution.objects.get_or_create(assessment=assessment, user=request.user)
    return assessment, mine


def _closed(request, assessment):
    """A contribution to a campaign closed (or not open yet): refused like the collective answer."""
    from .views import closed  # the assessment's own refusal: its page says why

    return closed(request, assessment, answering.CampaignClosed(assessment.life_notice[1]))


def _page(request, assessment, mine, status=200, **sections):
    context = {
        "assessment": assessment,
        "sections": answer_sections(assessment, contribution=mine, **sections),
        "values": AnswerValue.choices,
        "editable": assessment.status == AssessmentStatus.DRAFT
        and assessment.answerable(timezone.localdate()),
    }
    if status != 200:
        context["refusals"] = refusals(context["sections"])
    return render(request, "assessments/contribution.html", context, status=status)


def contribution(request, pk):
    """GET: the page; POST (without JavaScript): every criterion changed, all or nothing."""
    assessment, mine = _mine(request, pk)
    if request.method != "POST":
        return _page(request, assessment, mine, notices=pop_notices(request))
    if assessment.status == AssessmentStatus.SUBMITTED:
        raise PermissionDenied(_("Ce positionnement est soumis."))
    if not assessment.answerable(timezone.localdate()):
        return _closed(request, assessment)
    criteria = list(
        Criterion.objects.filter(framework_id=assessment.campaign.framework_id).order_by("position")
    )
    forms = page_forms(ContributionForm, request.POST, criteria)
    if not all(form.is_valid() for form in forms.values()):
        return _page(request, assessment, mine, status=422, forms=forms)
    by_code = {c.code: c for c in criteria}
    result = save_contribution_answers(mine, [form.entry(by_code[code]) for code, form in forms.items()])
    if result.conflicts:
        return _page(request, assessment, mine, status=409, forms=forms, conflicts=result.conflicts)
    return saved_page(request, reverse("assessments:contribution", args=[pk]), result, forms)


@require_POST
def contribution_answer(request, pk, code):
    """One criterion of one's contribution, saved on change (htmx): its news out of band."""
    assessment, mine = _mine(request, pk)
    if assessment.status == AssessmentStatus.SUBMITTED:
        raise PermissionDenied(_("Ce positionnement est soumis."))
    if not assessment.answerable(timezone.localdate()):
        return _closed(request, assessment)
    criterion = get_object_or_404(Criterion, framework_id=assessment.campaign.framework_id, code=code)
    form = ContributionForm(request.POST, prefix=code)
    conflict = None
    if form.is_valid():
        result = save_contribution_answer(mine, form.entry(criterion))
        conflict = result.conflicts.get(code)
    block = criterion_block(
        assessment, criterion, form=form if not form.is_valid() or conflict else None, conflict=conflict,
        contribution=mine,
    )  # fmt: skip
    refused = 422 if not form.is_valid() else 409 if conflict else 200
    return render(
        request,
        "assessments/criterion_saved.html",
        {"assessment": assessment, "block": block, "values": AnswerValue.choices, "collective": False},
        status=200 if request.htmx else refused,  # htmx only swaps 2xx responses
    )
