from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from paliers.core.charts import Series, bar_chart, format_decimal, radar_chart

from .access import get_assessment_for
from .results import assessment_results, district_average_scores, framework_structure, previous_results


@require_safe
def results(request, pk):
    assessment = get_assessment_for(request.user, pk)
    framework = assessment.campaign.framework
    structure = framework_structure(framework)
    result = assessment_results(assessment, structure)
    levels = list(framework.levels.order_by("number"))
    previous, previous_result = previous_results(assessment, structure)
    average = district_average_scores(assessment, structure)
    domains = result.domains
    series = [Series("Cette année", [d.score for d in domains], "main")]
    if previous_result is not None:
        by_code = {d.code: d.score for d in previous_result.domains}
        series.append(
            Series(previous.campaign.school_year, [by_code.get(d.code) for d in domains], "previous")
        )
    if average is not None:
        scores, peers = average
        series.append(
            Series(f"Moyenne du district ({peers} écoles)", [scores.get(d.code) for d in domains], "average")
        )
    criteria = {c.code: c for c in framework.criteria.select_related("level")}
    next_steps = [(d, [criteria[code] for code in d.next_steps]) for d in domains if d.next_steps]
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
            "next_steps": next_steps,
            "previous": previous,
            "format_decimal": format_decimal,
        },
    )
