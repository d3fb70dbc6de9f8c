from django.shortcuts import render
from django.views.decorators.http import require_safe

from paliers.objectives.access import may_steer

from .access import get_assessment_for
from .results_page import results_context


@require_safe
def results(request, pk):
    assessment = get_assessment_for(request.user, pk)
    context = results_context(assessment, request.user)
    context["can_steer"] = may_steer(request.user, assessment.school)
    return render(request, "assessments/results.html", context)
