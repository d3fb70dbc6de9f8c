"""Campaigns: opened by académie administrators, followed by everyone with a scope."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from dsfr.forms import DsfrBaseForm

from paliers.accounts.access import role_required
from paliers.accounts.models import Role
from paliers.accounts.scoping import administered_academies, schools_for
from paliers.frameworks.models import Audience, Framework
from paliers.schools.models import Department

from .campaigns import open_campaign, participation
from .models import Campaign, SchoolGroup, validate_school_year


class CampaignForm(DsfrBaseForm):
    framework = forms.ModelChoiceField(label=_("Référentiel"), queryset=Framework.objects.all())
    school_year = forms.CharField(
        label=_("Année scolaire"), help_text=_("Par exemple 2025-2026."), max_length=9
    )
    department = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("toute l’académie"),
    )
    school_group = forms.ChoiceField(label=_("Écoles concernées"), choices=SchoolGroup.choices)
    opens_on = forms.DateField(label=_("Ouverture"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Clôture"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.academies = academies
        self.fields["department"].queryset = Department.objects.filter(academy__in=academies)

    def clean_school_year(self):
        value = self.cleaned_data["school_year"].strip()
        validate_school_year(value)
        return value

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("La clôture doit suivre l’ouverture."))
        framework, group = data.get("framework"), data.get("school_group")
        # The jalons describe teaching teams, of écoles and of établissements alike.
        if framework and group and framework.audience != Audience.EQUIPE:
            expected = SchoolGroup.ECOLES if framework.audience == "ecole" else SchoolGroup.ETABLISSEMENTS
            if group != expected:
                self.add_error("school_group", _("Ce référentiel s’adresse aux %s.") % expected.label)
        return data


def visible_campaigns(user):
    schools = schools_for(user)
    return (
        Campaign.objects.filter(Q(assessments__school__in=schools))
        .distinct()
        .select_related("framework", "academy", "department")
    )


@require_safe
def campaign_list(request):
    return render(
        request,
        "assessments/campaign_list.html",
        {
            "campaigns": visible_campaigns(request.user),
            "can_create": administered_academies(request.user).exists(),
        },
    )


@role_required(Role.ACADEMY_ADMIN)
def campaign_create(request):
    academies = list(administered_academies(request.user))
    form = CampaignForm(request.POST or None, academies=academies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        department = data["department"]
        try:
            campaign = open_campaign(
                framework=data["framework"],
                school_year=data["school_year"],
                academy=department.academy if department else academies[0],
                department=department,
                school_group=data["school_group"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Campagne ouverte : %(count)s positionnements créés.")
                % {"count": campaign.assessments.count()},
            )
            return redirect(campaign.get_absolute_url())
    return render(request, "assessments/campaign_form.html", {"form": form})


@require_safe
def campaign_detail(request, pk):
    campaign = get_object_or_404(visible_campaigns(request.user), pk=pk)
    assessments = (
        campaign.assessments.filter(school__in=schools_for(request.user))
        .select_related("school__department")
        .prefetch_related("school__districts")
        .order_by("school__sort_name")
    )
    by_department, by_district = {}, {}
    for assessment in assessments:
        by_department.setdefault(assessment.school.department, []).append(assessment)
        for district in assessment.school.districts.all():
            by_district.setdefault(district, []).append(assessment)
    return render(
        request,
        "assessments/campaign_detail.html",
        {
            "campaign": campaign,
            "overall": participation(assessments),
            "departments": [
                (d, participation(a)) for d, a in sorted(by_department.items(), key=lambda i: i[0].code)
            ],
            "districts": [
                (d, participation(a)) for d, a in sorted(by_district.items(), key=lambda i: i[0].name)
            ],
            "assessments": assessments[:500],
            "total_criteria": campaign.framework.criteria.count(),
        },
    )
