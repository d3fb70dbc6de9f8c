"""The assessment pages: answer (collectively or individually), submit, reopen, history."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from paliers.frameworks.models import Criterion

from . import answering, carrying
from .access import ANSWER_ROLES, CONTRIBUTE_ROLES, SUBMIT_ROLES, get_assessment_for, may
from .forms import AnswerForm, page_forms
from .models import AnswerChange, AnswerValue, AssessmentStatus
from .presentation import answer_sections, consensus_sections, criterion_block
from .saving import pop_notices, refusals, saved_page


def _criterion(assessment, code):
    return get_object_or_404(Criterion, framework_id=assessment.campaign.framework_id, code=code)


def closed(request, assessment, refused):
    """Refused by the campaign's dates: back to the page, which says why (423 for htmx,
    whose page then reloads to show the notice)."""
    messages.error(request, str(refused))
    if request.htmx:
        response = HttpResponse(str(refused), status=423)
        response["HX-Redirect"] = assessment.get_absolute_url()
        return response
    return redirect(assessment.get_absolute_url())


def _page_criteria(assessment):
    return list(Criterion.objects.filter(framework_id=assessment.campaign.framework_id).order_by("position"))


def _bound(form_class, request, code):
    """The criterion's fields as the page names them (« PIL.1.1-value »), or unprefixed."""
    prefixed = f"{code}-value" in request.POST
    return form_class(request.POST, prefix=code if prefixed else None)


def _detail_context(request, assessment, **sections):
    open_today = assessment.answerable(timezone.localdate())
    editable = (
        open_today
        and assessment.status == AssessmentStatus.DRAFT
        and may(request.user, assessment, ANSWER_ROLES)
    )
    # Offered once: after a start from last year, the carried answers are marked instead.
    offer_previous = editable and not assessment.started_from_id
    return {
        "assessment": assessment,
        "sections": answer_sections(assessment, **sections),
        "editable": editable,
        "can_submit": open_today
        and assessment.status == AssessmentStatus.DRAFT
        and may(request.user, assessment, SUBMIT_ROLES),
        "can_reopen": open_today
        and assessment.status == AssessmentStatus.SUBMITTED
        and may(request.user, assessment, SUBMIT_ROLES),
        "can_contribute": open_today and may(request.user, assessment, CONTRIBUTE_ROLES),
        "can_see_consensus": may(request.user, assessment, ANSWER_ROLES),
        "previous": carrying.previous_assessment(assessment) if offer_previous else None,
        "total": assessment.campaign.framework.criteria.count(),
        "values": AnswerValue.choices,
    }


@require_safe
def assessment_detail(request, pk):
    assessment = get_assessment_for(request.user, pk)
    context = _detail_context(request, assessment, notices=pop_notices(request))
    return render(request, "assessments/detail.html", context)


@require_POST
def save_answers(request, pk):
    """The whole page without JavaScript: every criterion changed, all or nothing; back to
    where the user was, with the message there. Refused, the page comes back as typed."""
    assessment = get_assessment_for(request.user, pk, need=ANSWER_ROLES)
    if assessment.status == AssessmentStatus.SUBMITTED:
        messages.error(request, _("Ce positionnement est soumis : rouvrez-le pour le modifier."))
        return redirect(assessment.get_absolute_url())
    criteria = _page_criteria(assessment)
    forms = page_forms(AnswerForm, request.POST, criteria)
    if not all(form.is_valid() for form in forms.values()):
        return _refused_page(request, assessment, forms, {}, status=422)
    by_code = {c.code: c for c in criteria}
    entries = [form.entry(by_code[code]) for code, form in forms.items()]
    try:
        result = answering.save_answers(assessment, entries, user=request.user)
    except answering.CampaignClosed as refused:
        return closed(request, assessment, refused)
    if result.conflicts:
        return _refused_page(request, assessment, forms, result.conflicts, status=409)
    return saved_page(request, assessment.get_absolute_url(), result, forms)


def _refused_page(request, assessment, forms, conflicts, status):
    context = _detail_context(request, assessment, forms=forms, conflicts=conflicts)
    context["refusals"] = refusals(context["sections"])
    return render(request, "assessments/detail.html", context, status=status)


def _answer_response(request, assessment, block, status):
    """htmx: what changed, swapped out of band (the fields keep what the user is typing)."""
    assessment.refresh_from_db(fields=["answered_count"])
    return render(
        request,
        "assessments/criterion_saved.html",
        {
            "assessment": assessment,
            "block": block,
            "total": assessment.campaign.framework.criteria.count(),
            "values": AnswerValue.choices,
            "collective": True,
            "editable": assessment.status == AssessmentStatus.DRAFT,  # only answerers get here
        },
        status=200 if request.htmx else status,  # htmx only swaps 2xx responses
    )


@require_POST
def save_answer(request, pk, code):
    """One criterion's answer, from htmx (the block's news, out of band) or a plain form."""
    assessment = get_assessment_for(request.user, pk, need=ANSWER_ROLES)
    criterion = _criterion(assessment, code)
    form = _bound(AnswerForm, request, code)
    if not form.is_valid():
        if not request.htmx:
            return _refused_page(request, assessment, {code: form}, {}, status=422)
        return _answer_response(request, assessment, criterion_block(assessment, criterion, form=form), 422)
    if assessment.status == AssessmentStatus.SUBMITTED:
        messages.error(request, _("Ce positionnement est soumis : rouvrez-le pour le modifier."))
        return redirect(assessment.get_absolute_url())
    data = {k: v for k, v in form.cleaned_data.items() if k != "seen_digest"}
    try:
        result = answering.save_answer(assessment, criterion, **data, user=request.user)
    except answering.CampaignClosed as refused:
        return closed(request, assessment, refused)
    conflict = result.answer if result.conflict else None
    if not request.htmx:
        if conflict is not None:
            return _refused_page(request, assessment, {code: form}, {code: conflict}, status=409)
        return redirect(f"{assessment.get_absolute_url()}#critere-{criterion.code}")
    block = criterion_block(assessment, criterion, form=form if conflict else None, conflict=conflict)
    return _answer_response(request, assessment, block, status=409 if conflict else 200)


@require_safe
def criterion_history(request, pk, code):
    assessment = get_assessment_for(request.user, pk)
    criterion = _criterion(assessment, code)
    changes = AnswerChange.objects.filter(assessment=assessment, criterion=criterion).select_related(
        "changed_by"
    )
    return render(
        request,
        "assessments/history.html",
        {"assessment": assessment, "criterion": criterion, "changes": changes},
    )


def submit(request, pk):
    assessment = get_assessment_for(request.user, pk, need=SUBMIT_ROLES)
    unanswered = list(answering.unanswered_criteria(assessment))
    if request.method == "POST":
        if unanswered and not request.POST.get("confirm_unanswered"):
            messages.error(request, _("Cochez la case pour soumettre malgré les critères non renseignés."))
        else:
            try:
                answering.submit(assessment, request.user)
            except answering.CampaignClosed as refused:
                return closed(request, assessment, refused)
            messages.success(request, _("Positionnement soumis. Les résultats sont disponibles."))
            return redirect("assessments:results", assessment.pk)
    return render(request, "assessments/submit.html", {"assessment": assessment, "unanswered": unanswered})


@require_POST
def reopen(request, pk):
    assessment = get_assessment_for(request.user, pk, need=SUBMIT_ROLES)
    try:
        assessment = answering.reopen(assessment, request.user)
    except answering.CampaignClosed as refused:
        return closed(request, assessment, refused)
    messages.success(
        request, _("Positionnement rouvert : révision %(revision)s.") % {"revision": assessment.revision}
    )
    return redirect(assessment.get_absolute_url())


@require_POST
def start_from_previous(request, pk):
    assessment = get_assessment_for(request.user, pk, need=ANSWER_ROLES)
    try:
        copied = carrying.start_from_previous(assessment, request.user)
    except answering.CampaignClosed as refused:
        return closed(request, assessment, refused)
    messages.success(
        request,
        ngettext(
            "%(count)s réponse reprise de l’an dernier, signalée jusqu’à ce que quelqu’un la confirme.",
            "%(count)s réponses reprises de l’an dernier, signalées jusqu’à ce que quelqu’un les confirme.",
            copied,
        )
        % {"count": copied},
    )
    return redirect(assessment.get_absolute_url())


@require_safe
def revision(request, pk, number):
    assessment = get_assessment_for(request.user, pk)
    submitted = get_object_or_404(assessment.submitted_revisions, number=number)
    criteria = Criterion.objects.filter(framework_id=assessment.campaign.framework_id).select_related(
        "domain", "component", "level"
    )
    labels = dict(AnswerValue.choices)
    rows = [
        (c, labels[submitted.answers.get(c.code, {}).get("value", AnswerValue.NOT_ANSWERED)],
         submitted.answers.get(c.code, {}).get("comment", ""))
        for c in criteria
    ]  # fmt: skip
    return render(
        request, "assessments/revision.html", {"assessment": assessment, "submitted": submitted, "rows": rows}
    )


@require_safe
def consensus(request, pk):
    assessment = get_assessment_for(request.user, pk, need=ANSWER_ROLES)
    return render(
        request,
        "assessments/consensus.html",
        {
            "assessment": assessment,
            "sections": consensus_sections(assessment),
            "contributors": assessment.contributions.count(),
            "values": AnswerValue.choices,
        },
    )
