"""A campaign's life, by its académie administrator: dates changed, closed early,
extended, removed, one school reopened after the close; and « Relancer » by the DAN and
the animators. Each change is in the security journal (lifecycle.py)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from paliers.accounts.scoping import administered_academies

from . import lifecycle
from .access import get_assessment_for
from .campaign_reminders import may_remind, remindable_schools
from .lifecycle_models import ReminderCause
from .models import AssessmentStatus, validate_reminder_days
from .stages import CampaignState
from .views_campaigns import visible_campaigns

CONFIRMED = "oui"  # the value of the confirmation buttons: a stray post changes nothing


ISO_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what a date input reads


class DatesForm(DsfrBaseForm):
    opens_on = forms.DateField(label=_("Ouverture"), widget=ISO_DATE)
    closes_on = forms.DateField(
        label=_("Clôture"),
        help_text=_("Dernier jour pour répondre. La reporter prolonge la campagne, même close."),
        widget=ISO_DATE,
    )
    reminder_days = forms.CharField(
        label=_("Relances (jours avant la clôture)"),
        help_text=_("Par exemple 21,7,1 ; vide : aucune relance automatique."),
        required=False,
        validators=[validate_reminder_days],
    )


class LateForm(DsfrBaseForm):
    days = forms.IntegerField(
        label=_("Nombre de jours"), min_value=1, max_value=60, initial=7,
        help_text=_("Aujourd’hui compris. Les réponses données seront marquées tardives."),
    )  # fmt: skip


def managed_campaign(request, pk):
    """The campaign, if visible (else 404) and administered by the user (else 403)."""
    campaign = get_object_or_404(visible_campaigns(request.user), pk=pk)
    if not administered_academies(request.user).filter(pk=campaign.academy_id).exists():
        raise PermissionDenied(gettext("Seul l’administrateur de l’académie gère cette campagne."))
    return campaign


def _faults_to(form, error):
    for field, message in error.args[0].items():
        form.add_error(None if field == "__all__" else field, message)


def campaign_edit(request, pk):
    campaign = managed_campaign(request, pk)
    initial = {
        "opens_on": campaign.opens_on,
        "closes_on": campaign.closes_on,
        "reminder_days": campaign.reminder_days,
    }
    form = DatesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                lifecycle.change_dates(
                    campaign, data["opens_on"], data["closes_on"], user=request.user, request=request
                )
                if data["reminder_days"] != campaign.reminder_days:
                    lifecycle.change_reminders(
                        campaign, data["reminder_days"], user=request.user, request=request
                    )
        except lifecycle.LifeCycleRefused as error:
            _faults_to(form, error)
        else:
            messages.success(request, gettext("Campagne modifiée."))
            return redirect(campaign.get_absolute_url())
    return render(request, "assessments/campaign_edit.html", {"campaign": campaign, "form": form})


def campaign_close(request, pk):
    campaign = managed_campaign(request, pk)
    today = timezone.localdate()
    if request.method == "POST":
        if request.POST.get("confirm") != CONFIRMED:
            messages.error(
                request, gettext("Confirmez la clôture avec le bouton de la page « Clore la campagne ».")
            )
            return redirect(campaign.get_absolute_url())
        try:
            lifecycle.close_early(campaign, user=request.user, request=request)
        except lifecycle.LifeCycleRefused as error:
            messages.error(request, error.args[0]["__all__"])
        else:
            messages.success(
                request,
                gettext("Campagne close : les positionnements sont en lecture seule, les chiffres figés."),
            )
        return redirect(campaign.get_absolute_url())
    return render(
        request,
        "assessments/campaign_close.html",
        {"campaign": campaign, "closed": campaign.state(today) == CampaignState.CLOSED,
         "not_submitted": campaign.assessments.exclude(status=AssessmentStatus.SUBMITTED).count()},
    )  # fmt: skip


def campaign_delete(request, pk):
    campaign = managed_campaign(request, pk)
    answered = lifecycle.answered_schools(campaign)
    if request.method == "POST":
        if request.POST.get("confirm") != CONFIRMED:
            messages.error(
                request,
                gettext("Confirmez la suppression avec le bouton de la page « Supprimer la campagne »."),
            )
            return redirect(campaign.get_absolute_url())
        try:
            lifecycle.remove(campaign, user=request.user, request=request)
        except lifecycle.LifeCycleRefused as error:
            messages.error(request, error.args[0]["__all__"])
            return redirect(campaign.get_absolute_url())
        messages.success(request, gettext("Campagne supprimée."))
        return redirect("assessments:campaigns")
    return render(
        request,
        "assessments/campaign_delete.html",
        {"campaign": campaign, "answered": answered, "assessments": campaign.assessments.count()},
    )


def reopen_late(request, pk):
    assessment = get_assessment_for(request.user, pk)
    if not administered_academies(request.user).filter(pk=assessment.campaign.academy_id).exists():
        raise PermissionDenied(
            gettext("Seul l’administrateur de l’académie rouvre un positionnement après la clôture.")
        )
    form = LateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = lifecycle.reopen_late(
                assessment, form.cleaned_data["days"], user=request.user, request=request
            )
        except lifecycle.LifeCycleRefused as error:
            _faults_to(form, error)
        else:
            messages.success(
                request,
                gettext("Positionnement de %(school)s rouvert jusqu’au %(until)s.")
                % {"school": assessment.school, "until": f"{assessment.late_until:%d/%m/%Y}"},
            )
            return redirect(assessment.campaign.get_absolute_url())
    return render(request, "assessments/reopen_late.html", {"assessment": assessment, "form": form})


def campaign_remind(request, pk):
    """« Relancer »: the schools named (`ecole`, UAI; all of the user's scope not submitted
    when none), one task each; each school gets one e-mail a day at most."""
    campaign = get_object_or_404(visible_campaigns(request.user), pk=pk)
    if not may_remind(request.user):
        raise PermissionDenied(gettext("Les relances sont faites par la DAN et les animateurs."))
    params = request.POST if request.method == "POST" else request.GET
    targets = campaign.assessments.filter(school__in=remindable_schools(request.user)).exclude(
        status=AssessmentStatus.SUBMITTED
    )
    if params.getlist("ecole"):
        targets = targets.filter(school__uai__in=[u.upper() for u in params.getlist("ecole")])
    targets = targets.select_related("school").order_by("school__sort_name")
    today = timezone.localdate()
    is_open = campaign.state(today) == CampaignState.OPEN
    if request.method == "POST":
        if not is_open:
            messages.error(request, gettext("La campagne n’est pas ouverte : pas de relance."))
            return redirect(campaign.get_absolute_url())
        ids = list(targets.values_list("school_id", flat=True))
        transaction.on_commit(lambda: _queue(campaign.pk, ids, today, request.user.pk))
        messages.success(
            request,
            ngettext(
                "Relance demandée pour %(count)s école(s) : un courriel part à chacune, sauf si elle a déjà "
                "été relancée aujourd’hui.",
                "Relance demandée pour %(count)s école(s) : un courriel part à chacune, sauf si elle a déjà "
                "été relancée aujourd’hui.",
                len(ids),
            )
            % {"count": len(ids)},
        )
        back = request.POST.get("next", "")
        return redirect(
            back if back.startswith("/") and not back.startswith("//") else campaign.get_absolute_url()
        )
    back = params.get("next", "")
    back = back if back.startswith("/") and not back.startswith("//") else campaign.get_absolute_url()
    return render(
        request,
        "assessments/campaign_remind.html",
        {"campaign": campaign, "targets": targets[:200], "count": targets.count(), "is_open": is_open,
         "schools": params.getlist("ecole"), "next": back},
    )  # fmt: skip


def _queue(campaign_id, school_ids, today, user_id):
    from .tasks import send_campaign_reminder

    for school_id in school_ids:
        send_campaign_reminder.enqueue(
            campaign_id, school_id, today.isoformat(), ReminderCause.MANUAL, user_id
        )


def remind_school(request, pk):
    """« Relancer » from a school's row (the caseload): the campaign's page for it."""
    assessment = get_assessment_for(request.user, pk)
    if not may_remind(request.user):
        raise PermissionDenied(gettext("Les relances sont faites par la DAN et les animateurs."))
    url = reverse("assessments:campaign_remind", args=[assessment.campaign_id])
    back = request.GET.get("next", "")
    query = urlencode({"ecole": assessment.school.uai, **({"next": back} if back.startswith("/") else {})})
    return redirect(f"{url}?{query}")
