"""The blank questionnaire of a framework, to print and fill with a pen in a meeting."""

from django.utils import timezone

from paliers.frameworks.grid import framework_grid

from .pdf import render_pdf


def questionnaire_context(framework, today=None):
    levels, sections = framework_grid(framework)
    return {
        "framework": framework,
        "levels": levels,
        "sections": sections,
        "generated_on": today or timezone.localdate(),
        "title": f"Questionnaire — {framework.title} (version {framework.version})",
        "running_title": f"Questionnaire — {framework.title}",
    }


def questionnaire_pdf(framework):
    return render_pdf("reports/pdf/questionnaire.html", questionnaire_context(framework))
