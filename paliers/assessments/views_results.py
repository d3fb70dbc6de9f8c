from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from paliers.core.charts import Series, bar_chart, format_decimal, radar_chart
from paliers.objectives.access import may_steer
from paliers.objectives.steering import suggestions, target_levels
from paliers.schools.words import school_words

from .access import get_assessment_for
from .benchmark import averages
from .results import assessment_results, framework_structure, previous_results


@require_safe
def results(request, pk):
    assessment = get_assessment_for(request.user, pk)
    framework = assessment.campaign.framework
    structure = framework_structure(framework)
    result = assessment_results(assessment, structure)
    levels = list(framework.levels.order_by("number"))
    previous, previous_result = previous_results(assessment, structure)
    comparison = averages(assessment, request.user)
    domains = result.domains
    series = [Series("Cette année", [d.score for d in domains], "main")]
    if previous_result is not None:
        by_code = {d.code: d.score for d in previous_result.domains}
        series.append(
            Series(previous.campaign.school_year, [by_code.get(d.code) for d in domains], "previous")
        )
    # On the radar, the nearest average shown: the district's, else the département's.
    nearest = next((a for a in comparison if a.scores and a.area != "academy"), None)
    if nearest is not None:
        series.append(
            Series(
                f"Moyenne {nearest.label} ({school_words(assessment.campaign).count(nearest.schools)})",
                [nearest.scores.get(d.code) for d in domains],
                "average",
            )
        )
    targets = target_levels(assessment.school, framework)
    if targets:
        # Where no objective aims higher, the target is where the school stands.
        series.append(
            Series(
                "Cible des objectifs engagés",
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
                    title="Positionnement par domaine",
                )
            ),
            "bars": mark_safe(  # noqa: S308
                bar_chart(
                    [lv.label for lv in levels],
                    [result.percentages.get(lv.number) for lv in levels],
                    title="Pourcentage de critères atteints par niveau",
                )
            ),
            "strengths": [d for d in domains if d.at_highest],
            "suggestions": suggestions(assessment.school, framework, domains),
            "can_steer": may_steer(request.user, assessment.school),
            "has_targets": bool(targets),
            "previous": previous,
            "comparison": comparison,
            "format_decimal": format_decimal,
        },
    )
