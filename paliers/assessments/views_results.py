from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from paliers.core.charts import Series, bar_chart, format_decimal, radar_chart
from paliers.objectives.access import may_steer
from paliers.objectives.steering import suggestions, target_levels

from .access import get_assessment_for
from .benchmark import averages
from .results import assessment_results, evolution, framework_structure


@require_safe
def results(request, pk):
    assessment = get_assessment_for(request.user, pk)
    framework = assessment.campaign.framework
    structure = framework_structure(framework)
    result = assessment_results(assessment, structure)
    levels = list(framework.levels.order_by("number"))
    since = evolution(assessment, structure)
    comparison = averages(assessment, request.user)
    domains = result.domains
    series = [Series(_("Cette année"), [d.score for d in domains], "main")]
    if since is not None and since.scores:  # across versions: the comparable domains only
        series.append(Series(since.label, [since.scores.get(d.code) for d in domains], "previous"))
    # On the radar, the nearest average shown: the district's, else the département's.
    nearest = next((a for a in comparison if a.scores and a.area != "academy"), None)
    if nearest is not None:
        series.append(
            Series(
                _("Moyenne %(area)s (%(schools)s écoles)")
                % {"area": nearest.label, "schools": nearest.schools},
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
    return render(
        request,
        "assessments/results.html",
        {
            "assessment": assessment,
            "result": result,
            "levels": levels,
            "series": series,
            "radar": mark_safe(  # noqa: S308 (charts.py escapes every text it draws)
                radar_chart(
                    [d.title for d in domains],
                    series,
                    max_value=len(levels),
                    title=_("Positionnement par domaine"),
                )
            ),
            "bars": mark_safe(  # noqa: S308
                bar_chart(
                    [lv.label for lv in levels],
                    [result.percentages.get(lv.number) for lv in levels],
                    title=_("Pourcentage de critères atteints par niveau"),
                )
            ),
            "strengths": [d for d in domains if d.at_highest],
            "suggestions": suggestions(assessment.school, framework, domains),
            "can_steer": may_steer(request.user, assessment.school),
            "has_targets": bool(targets),
            "previous": since and since.previous,
            "evolution": since,
            "evolution_rows": since.rows(domains) if since else [],
            "comparison": comparison,
            "format_decimal": format_decimal,
        },
    )
