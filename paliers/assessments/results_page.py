"""What an assessment's results say, for the results page and the PDF report alike: one
function, so that the report carries everything the page shows (the charts, the tables,
the comparison with the district, département and académie, strengths and next steps)."""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from paliers.core.charts import Series, bar_chart, radar_chart
from paliers.objectives.steering import suggestions, target_levels
from paliers.schools.words import school_words

from .benchmark import averages
from .models import Answer, AssessmentStatus
from .results import assessment_results, evolution, framework_structure

# The radar's labels at the body's size: 14 units on a drawing 700 wide, shown about 48rem wide
# on the page (paliers.css) and across the PDF's text width.
RADAR_LABELS = 14


def chart_series(assessment, framework, result, since, comparison):
    """The radar's series: this year, last campaign's (`since`, an Evolution: across versions,
    the comparable domains only), the nearest average shown (the district's, else the
    département's: `comparison` is the viewer's `benchmark.averages`) and the target of the
    committed objectives."""
    domains = result.domains
    series = [Series(_("Cette année"), [d.score for d in domains], "main")]
    if since is not None and since.scores:
        series.append(Series(since.label, [since.scores.get(d.code) for d in domains], "previous"))
    nearest = next((a for a in comparison if a.scores and a.area != "academy"), None)
    if nearest is not None:
        counted = school_words(assessment.campaign).count(nearest.schools)
        series.append(
            Series(
                _("Moyenne %(area)s (%(schools)s)") % {"area": nearest.label, "schools": counted},
                [nearest.scores.get(d.code) for d in domains],
                "average",
            )
        )
    targets = target_levels(assessment.school, framework)
    if targets:
        # Where no objective aims higher, the target is where the school stands.
        series.append(
            Series(
                _("Cible des objectifs engagés"),
                [max(targets.get(d.code, 0), d.score) for d in domains],
                "target",
            )
        )
    return series


def results_context(assessment, viewer, structure=None):
    """The figures and words of an assessment's results, as `viewer` may see them."""
    framework = assessment.campaign.framework
    structure = structure or framework_structure(framework)
    result = assessment_results(assessment, structure)
    levels = list(framework.levels.order_by("number"))
    since = evolution(assessment, structure)
    comparison = averages(assessment, viewer)
    series = chart_series(assessment, framework, result, since, comparison)
    answers = dict(Answer.objects.filter(assessment=assessment).values_list("criterion__code", "value"))
    return {
        "assessment": assessment,
        "result": result,
        "levels": levels,
        "series": series,
        "radar": mark_safe(  # noqa: S308 (charts.py escapes every text it draws)
            radar_chart(
                [d.title for d in result.domains],
                series,
                max_value=len(levels),
                title=_("Positionnement par domaine"),
                chart_id="radar",
                label_size=RADAR_LABELS,
                fluid=True,
            )
        ),
        "bars": mark_safe(  # noqa: S308
            bar_chart(
                [lv.label for lv in levels],
                [result.percentages.get(lv.number) for lv in levels],
                title=_("Pourcentage de critères atteints par niveau"),
                chart_id="barres",
            )
        ),
        # Until the head submits, the results say where the answers stand, not where the school does.
        "provisional": assessment.status != AssessmentStatus.SUBMITTED or result.provisional,
        "unanswered_domains": [d for d in result.domains if d.unanswered],
        "strengths": result.strengths,
        "suggestions": suggestions(assessment.school, framework, result.domains),
        "answers": answers,
        "has_targets": any(serie.style == "target" for serie in series),
        "previous": since and since.previous,
        "evolution": since,
        "evolution_rows": since.rows(result.domains) if since else [],
        "comparison": comparison,
        # The rows behind the results' titles, by code: french_lang marks what stays French.
        "domain_elements": {d.code: d for d in framework.domains.all()},
        "component_elements": {c.code: c for c in framework.components.all()},
    }
