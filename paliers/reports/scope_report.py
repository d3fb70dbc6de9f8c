"""The PDF summarising a campaign over a scope: participation, and the distribution of
levels per domain over the submitted assessments."""

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from paliers.assessments.results import framework_structure
from paliers.core.charts import Series, bar_chart, format_decimal, radar_chart

from .pdf import render_pdf
from .scope import scope_assessments, scope_label, summarise


def level_names(levels):
    return [_("Aucun niveau"), *[lv.label for lv in levels]]


def summary_context(user, campaign, assessments=None, structure=None, today=None):
    framework = campaign.framework
    structure = structure or framework_structure(framework)
    levels = list(framework.levels.order_by("number"))
    assessments = scope_assessments(user, campaign) if assessments is None else assessments
    summary = summarise(assessments, structure, levels)
    names = level_names(levels)
    context = {
        "campaign": campaign,
        "framework": framework,
        "levels": levels,
        "level_names": names,
        "summary": summary,
        # The domains behind the summary's titles, by code: french_lang marks what stays French.
        "domain_elements": {d.code: d for d in framework.domains.all()},
        "scope": scope_label(user),
        "generated_on": today or timezone.localdate(),
        "title": (
            _("Synthèse %(year)s — %(framework)s — %(scope)s")
            % {"year": campaign.school_year, "framework": framework.title, "scope": scope_label(user)}
        )[:300],
        "running_title": (
            _("Synthèse %(year)s — %(scope)s") % {"year": campaign.school_year, "scope": scope_label(user)}
        )[:200],
    }
    if summary.submitted:
        context["distribution"] = mark_safe(  # noqa: S308 (charts.py escapes every text it draws)
            bar_chart(
                names,
                [count / summary.submitted for count in summary.overall],
                title=_("Niveau global des écoles ayant soumis leur positionnement"),
                chart_id="niveaux",
            )
        )
        means = [d.mean_score for d in summary.domains]
        context["radar"] = mark_safe(  # noqa: S308
            radar_chart(
                [d.title for d in summary.domains],
                [Series(_("Moyenne du périmètre"), means, "main")],
                max_value=len(levels),
                title=_("Score de progression moyen par domaine"),
                value_format=format_decimal,
                chart_id="moyennes",
            )
        )
    return context


def scope_summary_pdf(user, campaign, **options):
    return render_pdf("reports/pdf/summary.html", summary_context(user, campaign, **options))
