"""The school's objectives: échéancier, objective page, forms, points de situation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from paliers.accounts.access import get_school_for
from paliers.frameworks.models import Criterion, Domain, Level

from .access import get_objective_for, may_report, may_steer
from .forms import SORTS, CheckpointForm, CloseForm, ObjectiveForm, TimetableFilterForm
from .models import Checkpoint, Objective
from .steering import close, create_draft_from_suggestion, frameworks_of, timetable


def _school_objectives(school):
    return (
        Objective.objects.filter(school=school)
        .select_related("framework", "domain", "component", "level", "pilot")
        .prefetch_related(Prefetch("checkpoints", queryset=Checkpoint.objects.order_by("date", "pk")))
    )


@require_safe
def objective_list(request, uai):
    school = get_school_for(request.user, uai)
    objectives = list(_school_objectives(school))
    domains = sorted({o.domain for o in objectives}, key=lambda d: (d.framework_id, d.position))
    filters = TimetableFilterForm(request.GET or None, domains=domains)
    today = timezone.localdate()
    wanted = filters.cleaned_data if filters.is_valid() else {}
    rows = timetable(
        objectives,
        domain=wanted.get("domaine"),
        status=wanted.get("etat", ""),
        pilot=wanted.get("pilote", ""),
        sort=wanted.get("tri", ""),
        today=today,
    )
    return render(
        request,
        "objectives/list.html",
        {
            "school": school,
            "rows": rows,
            "total": len(objectives),
            "overdue": sum(o.is_overdue(today) for o in objectives),
            "filters": filters,
            "sort": wanted.get("tri") or "echeance",
            "sorts": SORTS,
            "today": today,
            "can_steer": may_steer(request.user, school),
        },
    )


def _framework_for_new(request, school):
    frameworks = frameworks_of(school)
    chosen = request.GET.get("referentiel") or request.POST.get("referentiel")
    if chosen:
        framework = next((f for f in frameworks if str(f.pk) == chosen), None)
        if framework is None:
            raise Http404("Référentiel inconnu pour cette école.")
        return framework, frameworks
    return frameworks[0], frameworks


@require_http_methods(["GET", "HEAD", "POST"])
def objective_create(request, uai):
    school = get_school_for(request.user, uai, change=True)
    if not may_steer(request.user, school):
        raise PermissionDenied(
            _("Seuls le chef d’établissement et le référent numérique fixent les objectifs.")
        )
    framework, frameworks = _framework_for_new(request, school)
    form = ObjectiveForm(
        request.POST if request.method == "POST" else None, school=school, framework=framework
    )
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        objective = form.save()
        messages.success(request, _("L’objectif est enregistré."))
        return redirect(objective)
    return render(
        request,
        "objectives/form.html",
        {"school": school, "form": form, "framework": framework, "frameworks": frameworks},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def objective_edit(request, pk):
    objective = get_objective_for(request.user, pk, steer=True)
    form = ObjectiveForm(
        request.POST if request.method == "POST" else None,
        instance=objective,
        school=objective.school,
        framework=objective.framework,
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("L’objectif est enregistré."))
        return redirect(objective)
    return render(
        request,
        "objectives/form.html",
        {"school": objective.school, "form": form, "framework": objective.framework, "objective": objective},
        status=422 if form.errors else 200,
    )


def _posted_id(request, name):
    """An id posted by a button, or None when it is not one (a 404 follows, not a 500)."""
    value = request.POST.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


@require_POST
def objective_from_suggestion(request, uai):
    """Turn a suggestion of the results page into a draft objective."""
    school = get_school_for(request.user, uai, change=True)
    if not may_steer(request.user, school):
        raise PermissionDenied(
            _("Seuls le chef d’établissement et le référent numérique fixent les objectifs.")
        )
    # Only a domain of the frameworks the school positions itself on, as the form offers.
    domain = get_object_or_404(
        Domain.objects.select_related("framework"),
        pk=_posted_id(request, "domain"),
        framework__in=frameworks_of(school),
    )
    level = get_object_or_404(Level, pk=_posted_id(request, "level"), framework=domain.framework)
    codes = request.POST.getlist("criteria")
    criteria = list(Criterion.objects.filter(domain=domain, level=level, code__in=codes).order_by("position"))
    if len(criteria) != len(set(codes)):
        raise Http404("Critère inconnu pour ce domaine et ce niveau.")
    objective = create_draft_from_suggestion(school, domain, level, criteria, request.user)
    messages.success(
        request,
        _("Brouillon d’objectif créé : complétez le descriptif, le pilote et l’échéance, puis engagez-le."),
    )
    return redirect("objectives:edit", objective.pk)


@require_safe
def objective_detail(request, pk):
    objective = get_objective_for(request.user, pk)
    can_steer = may_steer(request.user, objective.school)
    return render(
        request,
        "objectives/detail.html",
        {
            "objective": objective,
            "school": objective.school,
            "checkpoints": objective.checkpoints.select_related("created_by"),
            "criteria": objective.criteria.select_related("level").order_by("position"),
            "can_steer": can_steer,
            "can_report": not objective.is_closed and may_report(request.user, objective),
            "checkpoint_form": CheckpointForm(),
            "close_form": CloseForm(initial={"observations": objective.observations}),
            "overdue": objective.is_overdue(),
        },
    )


def _refused(request, objective, form, name, title, button):
    """A form of the objective page that was refused, alone with its errors (422)."""
    context = {"objective": objective, "school": objective.school, "form": form, "title": title,
               "button": button, "action": reverse(f"objectives:{name}", args=[objective.pk])}  # fmt: skip
    return render(request, "objectives/refused_form.html", context, status=422)


@require_POST
def checkpoint_add(request, pk):
    objective = get_objective_for(request.user, pk)
    if not may_report(request.user, objective):
        raise PermissionDenied(
            _("Seuls le pilote, le chef d’établissement et le référent numérique font le point.")
        )
    if objective.is_closed:
        messages.error(request, _("Cet objectif est clôturé : rouvrez-le pour faire un nouveau point."))
        return redirect(objective)
    form = CheckpointForm(request.POST)
    if not form.is_valid():
        return _refused(request, objective, form, "checkpoint", _("Nouveau point de situation"),
                        _("Enregistrer le point de situation"))  # fmt: skip
    form.instance.objective, form.instance.created_by = objective, request.user
    form.save()
    messages.success(request, _("Le point de situation est enregistré."))
    return redirect(f"{objective.get_absolute_url()}#points")


@require_POST
def objective_close(request, pk):
    objective = get_objective_for(request.user, pk, steer=True)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _refused(request, objective, form, "close", _("Clôturer l’objectif"), _("Clôturer"))
    close(objective, **form.cleaned_data)
    messages.success(
        request,
        _("L’objectif est clôturé : atteint.")
        if objective.achieved
        else _("L’objectif est clôturé : non atteint."),
    )
    return redirect(objective)


@require_POST
def objective_reopen(request, pk):
    objective = get_objective_for(request.user, pk, steer=True)
    objective.achieved, objective.closed_on = None, None
    objective.save(update_fields=["achieved", "closed_on", "updated_at"])
    messages.success(request, _("L’objectif est rouvert."))
    return redirect(objective)


@require_http_methods(["GET", "HEAD", "POST"])
def objective_delete(request, pk):
    objective = get_objective_for(request.user, pk, steer=True)
    if request.method == "POST":
        school = objective.school
        with transaction.atomic():
            objective.delete()
        messages.success(request, _("L’objectif est supprimé."))
        return redirect(reverse("objectives:list", args=[school.uai]))
    return render(request, "objectives/delete.html", {"objective": objective, "school": objective.school})
