"""Team questionnaires added up over a scope, for académie staff, animators and observers:
a page of the observatory's navigation (its URL and template say so), kept in this app, which
knows the questionnaires. The same threshold as a school's page: a questionnaire under
MIN_RESPONSES responses adds nothing shown, only its count.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from paliers.accounts.access import role_required
from paliers.schools.models import District, School, district_labels

from .access import AGGREGATE_ROLES, aggregate_schools
from .models import TeamSurvey
from .opening import team_campaigns
from .questionnaire import questionnaire_for
from .results import MIN_RESPONSES, aggregate_results
from .views import results_context


def _campaign_choice(campaigns, wanted):
    try:
        wanted = int(wanted)
    except (TypeError, ValueError):
        wanted = None
    return next((c for c in campaigns if c.pk == wanted), campaigns[0] if campaigns else None)


@require_safe
@role_required(*AGGREGATE_ROLES)
def aggregates(request):
    schools = aggregate_schools(request.user)
    campaigns = list(
        team_campaigns()
        .filter(assessments__school__in=schools)
        .distinct()
        .select_related("framework", "academy", "department")
        .order_by("-school_year", "-pk")
    )
    campaign = _campaign_choice(campaigns, request.GET.get("campagne"))
    context = {"campaigns": campaigns, "campaign": campaign, "threshold": MIN_RESPONSES}
    if campaign is not None:
        surveys = TeamSurvey.objects.filter(campaign=campaign, school__in=schools)
        survey_of_school = dict(surveys.values_list("school_id", "pk"))
        groups = {}
        links = School.districts.through.objects.filter(school_id__in=surveys.values("school_id"))
        for district_id, school_id in links.values_list("district_id", "school_id"):
            groups.setdefault(district_id, []).append(survey_of_school[school_id])
        overall, by_district = aggregate_results(surveys, questionnaire_for(campaign.framework), groups)
        districts = District.objects.filter(pk__in=groups).order_by("kind", "name")
        labels = district_labels(districts)
        context.update(
            {
                "concerned": campaign.assessments.filter(school__in=schools).count(),
                "opened": len(survey_of_school),
                "districts": [(labels[d.pk], by_district[d.pk]) for d in districts],
                **results_context(
                    overall,
                    leadership_label=_("Équipes de direction (médiane)"),
                    missing_leadership=_("Aucune équipe de direction de ces écoles n’a encore répondu."),
                ),
            }
        )
    return render(request, "surveys/aggregates.html", context)
