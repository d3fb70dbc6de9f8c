from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from paliers.accounts.access import get_school_for
from paliers.accounts.models import Membership
from paliers.accounts.scoping import schools_for
from paliers.assessments import campaign_reminders
from paliers.objectives.steering import objective_counts

from .filters import SchoolFilterForm


@require_safe
def school_list(request):
    visible = schools_for(request.user)
    form = SchoolFilterForm(request.GET, schools=visible)
    schools = form.filter(visible).select_related("department").order_by("sort_name", "uai")
    page = Paginator(schools, 50).get_page(request.GET.get("page"))
    return render(request, "directory/school_list.html", {"form": form, "page": page})


@require_safe
def school_detail(request, uai):
    school = get_school_for(request.user, uai)
    can_change = schools_for(request.user, change=True).filter(pk=school.pk).exists()
    team = (
        Membership.objects.active().filter(school=school).select_related("user").order_by("role")
        if can_change
        else None
    )
    assessments = school.assessments.select_related("campaign__framework").order_by("-campaign__school_year")
    return render(
        request,
        "directory/school_detail.html",
        {
            "school": school,
            "districts": school.districts.order_by("kind", "name"),
            "team": team,
            "assessments": assessments,
            "objectives": objective_counts(school),
            "reminders": campaign_reminders.history(school)[:50],
        },
    )
