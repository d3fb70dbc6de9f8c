"""Campaigns: opened by académie administrators, followed by everyone with a scope."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from dsfr.forms import DsfrBaseForm

from paliers.accounts.access import role_required
from paliers.accounts.models import Role
from paliers.accounts.scoping import administered_academies, schools_for
from paliers.audit import journal
from paliers.audit.models import EventKind
from paliers.core.calendar import school_year, school_year_start
from paliers.core.widgets import DateInput
from paliers.frameworks.models import Audience, Framework
from paliers.frameworks.widgets import FrameworkTextSelect
from paliers.schools.models import Department, district_labels, sort_key

from .campaign_reminders import may_remind
from .campaign_schools import SchoolFilters, csv_text, filtered
from .campaigns import at_close, open_campaign, participation
from .lifecycle import answered_schools, concerned_by_kind, date_faults
from .models import DEFAULT_REMINDER_DAYS, Campaign, SchoolGroup, validate_reminder_days, validate_school_year
from .stages import CampaignState

PER_PAGE = 50


class CampaignForm(DsfrBaseForm):
    framework = forms.ModelChoiceField(
        label=_("Référentiel"),
        queryset=Framework.objects.all(),
        empty_label=_("Choisir un référentiel"),
        widget=FrameworkTextSelect,
    )
    school_year = forms.CharField(
        label=_("Année scolaire"), help_text=_("Par exemple 2025-2026."), max_length=9
    )
    department = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("toute l’académie"),
    )
    school_group = forms.ChoiceField(
        label=_("Écoles concernées"),
        choices=[("", _("Choisir écoles ou établissements")), *SchoolGroup.choices],
    )
    opens_on = forms.DateField(
        label=_("Ouverture"),
        help_text=_(
            "Une date à venir prépare la campagne : annoncée aux écoles, sans réponse possible avant."
        ),
        widget=DateInput(),
    )
    closes_on = forms.DateField(
        label=_("Clôture"),
        help_text=_("Dernier jour pour répondre, dans l’année scolaire (du 1er septembre au 31 août)."),
        widget=DateInput(),
    )
    reminder_days = forms.CharField(
        label=_("Relances (jours avant la clôture)"),
        help_text=_("Par exemple 21,7,1 ; vide : aucune relance automatique."),
        required=False,
        initial=DEFAULT_REMINDER_DAYS,
        validators=[validate_reminder_days],
    )

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.academies, self.holders = academies, []
        self.fields["department"].queryset = Department.objects.filter(academy__in=academies)
        # The current school year (1 September → 31 August), opening today, closing on 30 June.
        today = timezone.localdate()
        self.fields["school_year"].initial = school_year(today)
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = max(today, datetime.date(school_year_start(today) + 1, 6, 30))

    def clean_school_year(self):
        value = self.cleaned_data["school_year"].strip()
        validate_school_year(value)
        return value

    def clean(self):
        data = super().clean()
        if data.get("school_year"):
            faults = date_faults(data["school_year"], data.get("opens_on"), data.get("closes_on"))
            for field, message in faults.items():
                self.add_error(field, message)
        framework, group = data.get("framework"), data.get("school_group")
        # The jalons describe teaching teams, of écoles and of établissements alike.
        if framework and group and framework.audience != Audience.EQUIPE:
            expected = SchoolGroup.ECOLES if framework.audience == "ecole" else SchoolGroup.ETABLISSEMENTS
            if group != expected:
                self.add_error("school_group", _("Ce référentiel s’adresse aux %s.") % expected.label)
        if not self.errors:
            # At the first step, before counting the schools: the rule is the model's.
            asked = self.campaign()
            try:
                asked.clean()
            except ValidationError as error:
                self.add_error(None, error)
                self.holders = list(asked.holders())  # the page links to them
        return data

    def campaign(self):
        """The campaign these answers describe, not saved."""
        data = self.cleaned_data
        department = data["department"]
        return Campaign(
            framework=data["framework"],
            school_year=data["school_year"],
            academy=department.academy if department else self.academies[0],
            department=department,
            school_group=data["school_group"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
        )


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
    """Two steps: the form, then how many schools of which kinds it concerns; the
    positionings are created only once that is confirmed."""
    academies = list(administered_academies(request.user))
    form = CampaignForm(request.POST or None, academies=academies)
    if request.method == "POST" and form.is_valid() and not request.POST.get("back"):
        data, asked = form.cleaned_data, form.campaign()
        if not request.POST.get("confirm"):
            kinds = concerned_by_kind(
                academy=asked.academy, department=asked.department, school_group=asked.school_group
            )
            return render(
                request,
                "assessments/campaign_confirm.html",
                {"form": form, "kinds": kinds, "total": sum(n for _, n in kinds),
                 "scope": asked.scope, "announced": asked.opens_on > timezone.localdate()},
            )  # fmt: skip
        try:
            campaign = open_campaign(
                framework=asked.framework,
                school_year=asked.school_year,
                academy=asked.academy,
                department=asked.department,
                school_group=asked.school_group,
                opens_on=asked.opens_on,
                closes_on=asked.closes_on,
                user=request.user,
                reminder_days=data["reminder_days"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if campaign.opens_on > timezone.localdate():
                done = _("Campagne préparée : %(count)s positionnements créés.")
            else:
                done = _("Campagne ouverte : %(count)s positionnements créés.")
            messages.success(request, done % {"count": campaign.assessments.count()})
            return redirect(campaign.get_absolute_url())
    return render(request, "assessments/campaign_form.html", {"form": form})


def _campaign_and_assessments(request, pk):
    campaign = get_object_or_404(visible_campaigns(request.user), pk=pk)
    return campaign, campaign.assessments.filter(school__in=schools_for(request.user))


@require_safe
def campaign_detail(request, pk):
    campaign, assessments = _campaign_and_assessments(request, pk)
    assessments = assessments.select_related("school__department").prefetch_related("school__districts")
    by_department, by_district = {}, {}
    for assessment in assessments.order_by("school__sort_name"):
        by_department.setdefault(assessment.school.department, []).append(assessment)
        for district in assessment.school.districts.all():
            by_district.setdefault(district, []).append(assessment)
    labels = district_labels(by_district)
    filters = SchoolFilters(request.GET or None, assessments=assessments)
    shown = filtered(assessments, filters).order_by("school__sort_name", "pk")
    today = timezone.localdate()
    return render(
        request,
        "assessments/campaign_detail.html",
        {
            "campaign": campaign,
            "state": campaign.state(today),
            "overall": participation(assessments),
            "at_close": at_close(assessments) if campaign.frozen_at else None,
            "departments": [
                (d, participation(a)) for d, a in sorted(by_department.items(), key=lambda i: i[0].code)
            ],
            "districts": sorted(
                ((labels[d.pk], participation(a)) for d, a in by_district.items()),
                key=lambda row: sort_key(row[0]),
            ),
            "filters": filters,
            "page": Paginator(shown, PER_PAGE).get_page(request.GET.get("page")),
            "total_criteria": campaign.framework.criteria.count(),
            "can_manage": administered_academies(request.user).filter(pk=campaign.academy_id).exists(),
            "can_remind": may_remind(request.user) and campaign.state(today) == CampaignState.OPEN,
            "answered": answered_schools(campaign),
        },
    )


@require_safe
def campaign_csv(request, pk):
    campaign, assessments = _campaign_and_assessments(request, pk)
    filters = SchoolFilters(request.GET or None, assessments=assessments)
    shown = filtered(assessments, filters)
    journal.record(
        EventKind.EXPORT, request=request, academy=campaign.academy,
        detail=f"liste des écoles de la campagne {campaign} ({shown.count()} écoles)",
    )  # fmt: skip
    response = StreamingHttpResponse(
        csv_text(shown, campaign.framework.criteria.count()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="campagne-{campaign.pk}-ecoles.csv"'
    return response
