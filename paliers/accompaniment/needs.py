"""The needs identified for a school's plan d'accompagnement et de formation, computed on each
reading rather than stored, so they follow the school's latest answers and requests:

- from its results: each *training domain* below its highest level, with the unmet criteria of
  its next level. A training domain is one whose title names training (« formation »): FOR
  « Formation » in the Créteil frameworks, ACC « Accompagnement et formation » in NumEA. A word
  match, so that « Système d’information » is not one.
- from its requests that are not closed.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from paliers.assessments.models import AssessmentStatus
from paliers.assessments.results import assessment_results, framework_structure
from paliers.frameworks.models import Criterion

from .models import PlanAction, RequestStatus

TRAINING_WORD = re.compile(r"\bformations?\b", re.IGNORECASE)


def is_training_domain(title):
    return bool(TRAINING_WORD.search(title))


@dataclass(frozen=True)
class Need:
    domain: object  # Domain or None
    text: str  # what the plan's « besoin identifié » is prefilled with
    add_url: str  # the plan action form, prefilled
    request: object = None  # SupportRequest, for a need that came from one
    level: int | None = None  # level reached in the domain
    highest_level: int | None = None
    next_level: object = None  # Level: the one whose criteria are still unmet
    criteria: tuple = ()  # those unmet criteria, in framework order
    planned: int = 0  # actions of the plan (not abandoned) already answering it


@dataclass(frozen=True)
class Needs:
    assessment: object  # the assessment the results come from, or None
    from_results: tuple
    from_requests: tuple


def results_assessment(school):
    """The assessment that says where the school stands: its latest submitted one, or else
    its latest with answers (a positioning under way still says something)."""
    assessments = school.assessments.select_related("campaign__framework").order_by(
        "-campaign__school_year", "-submitted_at", "-updated_at"
    )
    return (
        assessments.filter(status=AssessmentStatus.SUBMITTED).first()
        or assessments.filter(answered_count__gt=0).first()
    )


def _add_url(school, domain=None, text="", request=None):
    query = {"besoin": text}
    if domain is not None:
        query["domaine"] = domain.pk
    if request is not None:
        query["demande"] = request.pk
    return f"{reverse('accompaniment:plan_create', args=[school.uai])}?{urlencode(query)}"


def _results_needs(school, assessment, plan):
    framework = assessment.campaign.framework
    result = assessment_results(assessment, framework_structure(framework))
    domains = {d.code: d for d in framework.domains.all()}
    # The rule reads the French titles (values_list: never translated, frameworks/languages.py).
    french_titles = dict(framework.domains.values_list("code", "title"))
    criteria = {c.code: c for c in Criterion.objects.filter(framework=framework).select_related("level")}
    needs = []
    for scored in result.domains:
        if (
            not scored.highest_level
            or scored.at_highest
            or not is_training_domain(french_titles[scored.code])
        ):
            continue
        domain = domains[scored.code]
        unmet = tuple(criteria[code] for code in scored.next_steps)
        next_level = unmet[0].level if unmet else None
        reached = {"domain": domain.title, "level": scored.level, "highest": scored.highest_level}
        if unmet:
            text = _(
                "%(domain)s : niveau %(level)s atteint sur %(highest)s ; "
                "à atteindre pour « %(next_level)s » : %(criteria)s."
            ) % {**reached, "next_level": next_level.label, "criteria": ", ".join(c.code for c in unmet)}
        else:
            text = _("%(domain)s : niveau %(level)s atteint sur %(highest)s.") % reached
        needs.append(
            Need(
                domain=domain,
                text=text,
                add_url=_add_url(school, domain, text),
                level=scored.level,
                highest_level=scored.highest_level,
                next_level=next_level,
                criteria=unmet,
                planned=sum(1 for action in plan if action.domain_id == domain.pk),
            )
        )
    return tuple(needs)


def request_need(school, request, plan=()):
    """The need a request expresses, as the plan offers it."""
    day = timezone.localtime(request.created_at)
    text = _("Demande du %(date)s (%(domain)s) : %(message)s") % {
        "date": f"{day:%d/%m/%Y}",
        "domain": request.domain.title,
        "message": request.message,
    }
    return Need(
        domain=request.domain,
        text=text,
        add_url=_add_url(school, request.domain, text, request),
        request=request,
        planned=sum(1 for action in plan if action.request_id == request.pk),
    )


def _request_needs(school, plan):
    requests = (
        school.support_requests.exclude(status=RequestStatus.CLOSED)
        .select_related("domain__framework")
        .order_by("created_at", "pk")
    )
    return tuple(request_need(school, request, plan) for request in requests)


def identified_needs(school):
    plan = list(PlanAction.objects.filter(school=school).alive().only("domain_id", "request_id"))
    assessment = results_assessment(school)
    from_results = _results_needs(school, assessment, plan) if assessment is not None else ()
    return Needs(assessment, from_results, _request_needs(school, plan))
