"""The caseload page (« Suivi des écoles »), its CSV, and the observatory's school-by-school
table below a département. For académie staff, animators and observers (403 for the
others), over their scope: the observatory's scope function and round choice."""

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from paliers.assessments.campaign_reminders import may_remind
from paliers.assessments.models import CampaignState
from paliers.audit.journal import record
from paliers.audit.models import EventKind
from paliers.core.csv import csv_lines
from paliers.frameworks.models import Audience
from paliers.observatory.forms import ObservatoryForm
from paliers.observatory.selection import area_for, may_read, observatory_schools, rounds_for
from paliers.reports.downloads import streamed_attachment

from .forms import CaseloadForm
from .query import Choice
from .rows import Caseload, counts

CSV = "text/csv; charset=utf-8"
# « Relancer les écoles non soumises » names each open campaign of the round up to this many
# (an académie's, or its départements'); beyond (the nation's 30), the campaigns' pages do.
REMIND_LINKS = 6
COLUMNS = (  # (sort key, header); the domains' columns come after « niveau »
    ("nom", _("École ou établissement")), ("type", _("Type")), ("district", _("Districts")),
    ("etat", _("État")), ("niveau", _("Niveau global")), ("renseignes", _("Critères renseignés")),
    ("activite", _("Dernière modification")), ("demandes", _("Demandes ouvertes")),
    ("retard", _("Objectifs en retard")), ("accompagnement", _("Dernier accompagnement")),
    ("attention", _("À suivre en priorité")),
)  # fmt: skip


def _check(user):
    if not may_read(user):
        raise PermissionDenied(
            _("Le suivi des écoles est réservé à l’académie, aux animateurs et aux observateurs.")
        )


def columns(domains, sort, without=()):
    """The table's headers: label, the query string's sort for a click, aria-sort."""
    found = []
    for key, label in COLUMNS:
        if key in without:
            continue
        found.append(_column(key, label, "", sort))
        if key == "niveau":
            found.extend(_column(f"d-{d.code}", d.code, d.title, sort, d) for d in domains)
    return found


def _column(key, label, title, sort, element=None):
    current = sort.removeprefix("-") == key
    descending = sort.startswith("-")
    return {
        "key": key,
        "label": label,
        "title": title,  # a domain's title, said to screen readers beside its code
        "element": element,  # that domain: french_lang
        "next": f"-{key}" if current and not descending else key,
        "aria_sort": ("descending" if descending else "ascending") if current else "",
    }


def caseload_context(request, per_page=None):
    """Everything the caseload's table needs, for this page and the home page."""
    _check(request.user)
    rounds = rounds_for(request.user)
    form = CaseloadForm(request.GET if rounds else None, user=request.user, rounds=rounds)
    chosen = form.choice(sort=request.GET.get("tri", "nom"))
    context = {"form": form, "caseload": None, "can_remind": may_remind(request.user)}
    if chosen is not None:
        round, choice = chosen
        without = {"district"} if form.only_district else ()
        caseload = Caseload(observatory_schools(request.user), round, choice)
        page, rows = caseload.page(request.GET.get("page"), **({"per_page": per_page} if per_page else {}))
        context.update(
            {"caseload": caseload, "round": round, "page": page, "rows": rows,
             "counts": counts(caseload, request.user), "only_district": form.only_district,
             "columns": columns(caseload.domains, caseload.sort, without),
             "remind_campaigns": _remind_campaigns(caseload) if context["can_remind"] else []}
        )  # fmt: skip
    return context


def _remind_campaigns(caseload):
    """The round's campaigns open today, whose schools not submitted the user may remind
    at once (the reminder's page lists them, within the user's scope, before sending)."""
    found = [c for c in caseload.campaigns if c.state(caseload.today) == CampaignState.OPEN]
    return found if len(found) <= REMIND_LINKS else []


def caseload_summaries(request):
    """{"summaries": [(round, counts)]}: the caseload's counts for each positioning round of
    the latest school year (an académie's écoles and its établissements, say), for the
    académie's home; each as the caseload shows it by default (empty without a round)."""
    if not may_read(request.user):
        return {}
    rounds = rounds_for(request.user)
    own = [r for r in rounds if r.framework.audience != Audience.EQUIPE] or rounds[:1]
    summaries = []
    for round in (r for r in own if r.school_year == own[0].school_year):
        form = CaseloadForm(QueryDict(f"campagne={round.key}"), user=request.user, rounds=rounds)
        chosen = form.choice()
        if chosen is not None:
            caseload = Caseload(observatory_schools(request.user), *chosen)
            summaries.append((round, counts(caseload, request.user)))
    return {"summaries": summaries}


def _status(context):
    form = context["form"]
    return 400 if form.is_bound and form.errors else 200


@require_safe
def caseload_page(request):
    context = caseload_context(request)
    return render(request, "caseload/caseload.html", context, status=_status(context))


@require_safe
def caseload_csv(request):
    context = caseload_context(request)
    caseload = context["caseload"]
    if caseload is None:
        return render(request, "caseload/caseload.html", context, status=400)
    round = caseload.round
    name = f"suivi-des-ecoles-{round.framework.slug}-{round.school_year}.csv"
    record(EventKind.EXPORT, request=request, detail=f"{name} (suivi des écoles)")
    return streamed_attachment(csv_lines(*caseload.csv()), name, CSV)


def _observatory_table(request):
    """The school-by-school table of the observatory: its round and filters; only below a
    département (a département or a district chosen), where a list of schools is readable."""
    _check(request.user)
    rounds = rounds_for(request.user)
    form = ObservatoryForm(request.GET if rounds else None, user=request.user, rounds=rounds)
    selection = form.selection()
    context = {"form": form, "query": request.GET.urlencode(), "caseload": None, "selection": selection}
    if selection is None:
        return context
    round, filters = selection
    area = area_for(request.user, filters)
    context["round"] = round
    if filters.district is None and area.single_department() is None:
        return context  # the page asks for a département
    choice = Choice(
        department=filters.department, district=filters.district, kind=filters.kind, sector=filters.sector,
        priority=filters.priority, state="submitted" if filters.submitted_only else "",
        sort=request.GET.get("tri", "nom"), concerned=True,
    )  # fmt: skip
    # Every school of the area lies in the user's scope: each row is one they may see, so the
    # small-group rule never hides one (it would only apply to a figure over several schools).
    schools = observatory_schools(request.user).filter(pk__in=area.school_set().values("pk"))
    caseload = Caseload(schools, round, choice)
    page, rows = caseload.page(request.GET.get("page"))
    context.update(
        {
            "caseload": caseload,
            "page": page,
            "rows": rows,
            "columns": columns(caseload.domains, caseload.sort),
        }
    )
    return context


@require_safe
def observatory_schools_page(request):
    context = _observatory_table(request)
    return render(request, "caseload/observatory_schools.html", context, status=_status(context))


@require_safe
def observatory_schools_csv(request):
    context = _observatory_table(request)
    caseload = context["caseload"]
    if caseload is None:
        return render(request, "caseload/observatory_schools.html", context, status=400)
    round = caseload.round
    name = f"observatoire-ecole-par-ecole-{round.framework.slug}-{round.school_year}.csv"
    record(EventKind.EXPORT, request=request, detail=f"{name} (observatoire, école par école)")
    return streamed_attachment(csv_lines(*caseload.csv()), name, CSV)
