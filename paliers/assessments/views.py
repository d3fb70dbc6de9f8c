"""The assessment pages: answer (collectively or individually), submit, reopen, history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from paliers.frameworks.models import Criterion

from . import answering, carrying
from .access import ANSWER_ROLES, CONTRIBUTE_ROLES, SUBMIT_ROLES, get_assessment_for, may
from .forms import AnswerForm
from .models import AnswerChange, AnswerValue, AssessmentStatus, Contribution, ContributionAnswer
from .presentation import answer_sections, consensus_sections, criterion_block


def _criterion(assessment, code):
    return get_object_or_404(Criterion, framework_id=assessment.campaign.framework_id, code=code)


@require_safe
def assessment_detail(request, pk):
    assessment = get_assessment_for(request.user, pk)
    editable = assessment.status == AssessmentStatus.DRAFT and may(request.user, assessment, ANSWER_ROLES)
    # Offered once: after a start from last year, the carried answers are marked instead.
    offer_previous = editable and not assessment.started_from_id
    previous = carrying.previous_assessment(assessment) if offer_previous else None
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "sections": answer_sections(assessment),
            "editable": editable,
            "can_submit": assessment.status == AssessmentStatus.DRAFT
            and may(request.user, assessment, SUBMIT_ROLES),
            "can_reopen": assessment.status == AssessmentStatus.SUBMITTED
            and may(request.user, assessment, SUBMIT_ROLES),
            "can_contribute": may(request.user, assessment, CONTRIBUTE_ROLES),
            "can_see_consensus": may(request.user, assessment, ANSWER_ROLES),
            "previous": previous,
            "total": assessment.campaign.framework.criteria.count(),
            "values": AnswerValue.choices,
        },
    )


@require_POST
def save_answer(request, pk, code):
    """One criterion's answer, from htmx (returns the criterion's block) or a plain form."""
    assessment = get_assessment_for(request.user, pk, need=ANSWER_ROLES)
    criterion = _criterion(assessment, code)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        block = criterion_block(assessment, criterion, form=form)
        if not request.htmx:
            return _refused_page(request, assessment, block, status=422)
        return _answer_response(request, assessment, block, status=422)
    if assessment.status == AssessmentStatus.SUBMITTED:
        messages.error(request, _("Ce positionnement est soumis : rouvrez-le pour le modifier."))
        return redirect(assessment.get_absolute_url())
    result = answering.save_answer(assessment, criterion, **form.cleaned_data, user=request.user)
    block = criterion_block(assessment, criterion, form=form if result.conflict else None, conflict=result)
    if not request.htmx:
        if result.conflict:
            return _refused_page(request, assessment, block, status=409)
        return redirect(f"{assessment.get_absolute_url()}#critere-{criterion.code}")
    return _answer_response(request, assessment, block, status=409 if result.conflict else 200)


def _refused_page(request, assessment, block, status):
    """Without JavaScript, a refused save (conflict or invalid) gets a page of its own."""
    return render(
        request,
        "assessments/conflict_page.html",
        # Not "block": inside {% block %} tags that name is the template's own.
        {"assessment": assessment, "refused": block, "values": AnswerValue.choices},
        status=status,
    )


def _answer_response(request, assessment, block, status):
    assessment.refresh_from_db(fields=["answered_count"])
    return render(
        request,
        "assessments/criterion_response.html",
        {
            "assessment": assessment,
            "block": block,
            "editable": True,
            "total": assessment.campaign.framework.criteria.count(),
            "values": AnswerValue.choices,
        },
        status=200 if request.htmx else status,  # htmx only swaps 2xx responses
    )


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
            answering.submit(assessment, request.user)
            messages.success(request, _("Positionnement soumis. Les résultats sont disponibles."))
            return redirect("assessments:results", assessment.pk)
    return render(request, "assessments/submit.html", {"assessment": assessment, "unanswered": unanswered})


@require_POST
def reopen(request, pk):
    assessment = get_assessment_for(request.user, pk, need=SUBMIT_ROLES)
    assessment = answering.reopen(assessment, request.user)
    messages.success(
        request, _("Positionnement rouvert : révision %(revision)s.") % {"revision": assessment.revision}
    )
    return redirect(assessment.get_absolute_url())


@require_POST
def start_from_previous(request, pk):
    assessment = get_assessment_for(request.user, pk, need=ANSWER_ROLES)
    copied = carrying.start_from_previous(assessment, request.user)
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


def contribution(request, pk):
    """A member's own positioning: the same criteria, answered for oneself."""
    assessment = get_assessment_for(request.user, pk, need=CONTRIBUTE_ROLES)
    mine, __ = Contribution.objects.get_or_create(assessment=assessment, user=request.user)
    if request.method == "POST":
        if assessment.status == AssessmentStatus.SUBMITTED:
            raise PermissionDenied(_("Ce positionnement est soumis."))
        criterion = _criterion(assessment, request.POST.get("criterion", ""))
        form = AnswerForm(request.POST)
        if form.is_valid():
            ContributionAnswer.objects.update_or_create(
                contribution=mine,
                criterion=criterion,
                defaults={"value": form.cleaned_data["value"], "comment": form.cleaned_data["comment"]},
            )
            mine.save(update_fields=["updated_at"])
            messages.success(
                request, _("Votre réponse au critère %(code)s est enregistrée.") % {"code": criterion.code}
            )
        return redirect(f"{reverse('assessments:contribution', args=[pk])}#critere-{criterion.code}")
    return render(
        request,
        "assessments/contribution.html",
        {
            "assessment": assessment,
            "sections": answer_sections(assessment, contribution=mine),
            "values": AnswerValue.choices,
        },
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
