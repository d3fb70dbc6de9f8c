"""Downloads of one assessment (whoever sees it) and the blank questionnaire (anyone)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from paliers.assessments.access import get_assessment_for
from paliers.frameworks.models import Framework

from .assessment_report import assessment_report_pdf
from .downloads import XLSX, attachment
from .questionnaire import questionnaire_pdf
from .xlsx_export import assessment_workbook, workbook_name


@require_safe
def assessment_pdf(request, pk):
    assessment = get_assessment_for(request.user, pk)
    school = assessment.school
    name = f"rapport-{school.uai}-{assessment.campaign.school_year}-{slugify(school.name)}.pdf"
    return attachment(assessment_report_pdf(assessment, request.user), name, "application/pdf")


@require_safe
def assessment_xlsx(request, pk):
    assessment = get_assessment_for(request.user, pk)
    return attachment(assessment_workbook(assessment), workbook_name(assessment), XLSX)


@require_safe
@login_not_required
def questionnaire(request, slug, version):
    """Frameworks are public documents: so is their blank questionnaire."""
    framework = get_object_or_404(Framework, slug=slug, version=version)
    return attachment(questionnaire_pdf(framework), f"questionnaire-{slug}-{version}.pdf", "application/pdf")
