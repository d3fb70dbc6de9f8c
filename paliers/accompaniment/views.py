"""Accompaniment pages: each view asks access.py once, then reads or calls the models."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from paliers.accounts.access import get_school_for
from paliers.accounts.scoping import schools_for

from .access import get_school_to_accompany, get_school_to_ask, may_accompany, may_ask
from .forms import PlanActionForm, PlanStatusForm, RecordForm, RequestFilterForm, SupportRequestForm
from .models import PlanAction, PlanStatus, RequestStatus, SupportRequest, record_action
from .needs import identified_needs, request_need


def school_page(school):
    return reverse("accompaniment:school", args=[school.uai])


def _requests(school):
    return school.support_requests.select_related("domain__framework", "created_by")


@require_safe
def school_accompaniment(request, uai):
    school = get_school_for(request.user, uai)
    plan = sorted(
        PlanAction.objects.filter(school=school).select_related("domain", "request__domain", "updated_by"),
        key=PlanAction.sort_key,
    )
    return render(
        request,
        "accompaniment/school.html",
        {
            "school": school,
            "requests": _requests(school),
            "records": school.accompaniment_records.select_related("request__domain", "recorded_by"),
            "plan": plan,
            "needs": identified_needs(school),
            "may_ask": may_ask(request.user, school),
            "may_accompany": may_accompany(request.user, school),
            "plan_statuses": PlanStatus.choices,
        },
    )


def request_create(request, uai):
    school = get_school_to_ask(request.user, uai)
    form = SupportRequestForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        support = SupportRequest.objects.create(school=school, created_by=request.user, **form.cleaned_data)
        messages.success(request, _("Votre demande est transmise aux animateurs de votre circonscription."))
        return redirect(support)
    return render(
        request,
        "accompaniment/request_form.html",
        {"school": school, "form": form, "heading": _("Demander un accompagnement")},
    )


def _get_request(school, pk):
    return get_object_or_404(_requests(school), pk=pk)


@require_safe
def request_detail(request, uai, pk):
    school = get_school_for(request.user, uai)
    support = _get_request(school, pk)
    accompanies = may_accompany(request.user, school)
    return render(
        request,
        "accompaniment/request_detail.html",
        {
            "school": school,
            "support": support,
            "records": support.records.select_related("recorded_by"),
            "plan": support.plan_actions.all(),
            "need": request_need(school, support),
            "may_accompany": accompanies,
            "may_close": not support.is_closed and (accompanies or may_ask(request.user, school)),
        },
    )


@require_POST
def request_close(request, uai, pk):
    school = get_school_for(request.user, uai)
    if not (may_accompany(request.user, school) or may_ask(request.user, school)):
        raise PermissionDenied(_("Seuls les animateurs et la direction de l’école closent une demande."))
    support = _get_request(school, pk)
    support.close(request.user)
    messages.success(request, _("La demande est close."))
    return redirect(support)


def record_create(request, uai):
    school = get_school_to_accompany(request.user, uai)
    initial = {"date": timezone.localdate(), "request": request.GET.get("demande")}
    form = RecordForm(request.POST or None, school=school, initial=initial)
    if request.method == "POST" and form.is_valid():
        record = record_action(school, request.user, **form.cleaned_data)
        messages.success(request, _("L’intervention est notée."))
        return redirect(record.request or school_page(school))
    return render(
        request,
        "accompaniment/record_form.html",
        {"school": school, "form": form, "heading": _("Noter une intervention")},
    )


def _plan_form(request, school, instance=None):
    initial = {}
    if instance is None:
        # From « Ajouter au plan »: the need, its domain and its request, prefilled.
        initial = {
            "need": request.GET.get("besoin", ""),
            "domain": request.GET.get("domaine"),
            "request": request.GET.get("demande"),
        }
    form = PlanActionForm(request.POST or None, school=school, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        action.updated_at, action.updated_by = timezone.now(), request.user
        if instance is None:
            action.created_by = request.user
        action.save()
        messages.success(request, _("Le plan d’accompagnement est à jour."))
        return redirect(f"{school_page(school)}#plan")
    return render(
        request,
        "accompaniment/plan_form.html",
        {
            "school": school,
            "form": form,
            "action": instance,
            "heading": _("Modifier une action du plan") if instance else _("Ajouter une action au plan"),
        },
    )


def plan_create(request, uai):
    return _plan_form(request, get_school_to_accompany(request.user, uai))


def plan_edit(request, uai, pk):
    school = get_school_to_accompany(request.user, uai)
    return _plan_form(request, school, get_object_or_404(PlanAction, school=school, pk=pk))


@require_POST
def plan_status(request, uai, pk):
    school = get_school_to_accompany(request.user, uai)
    action = get_object_or_404(PlanAction, school=school, pk=pk)
    form = PlanStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("État inconnu : l’action n’a pas changé."))
    else:
        action.set_status(form.cleaned_data["status"], request.user)
        messages.success(
            request,
            _("Action « %(action)s » : %(status)s.")
            % {"action": action.action[:60], "status": action.get_status_display()},
        )
    return redirect(f"{school_page(school)}#plan")


@require_safe
def request_list(request):
    """The requests of the user's scope (an animator's district), to-do first."""
    form = RequestFilterForm(request.GET or None)
    requests = form.filter(
        SupportRequest.objects.filter(school__in=schools_for(request.user))
        .select_related("school", "domain__framework", "created_by")
        .annotate(
            rank=Case(
                When(status=RequestStatus.OPEN, then=Value(0)),
                When(status=RequestStatus.TAKEN, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "-created_at", "-pk")
    )
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    return render(request, "accompaniment/request_list.html", {"form": form, "page": page})
