"""Every URL pattern × every kind of user: who gets what.

Adding a URL pattern without an entry in MATRIX fails `test_every_url_pattern_has_an_entry`.
Codes: 200 ok, 302 redirect (to the login page for anonymous visitors), 403 forbidden
(read-only or wrong role), 404 outside the scope, 405 wrong method.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from paliers.accounts.models import Membership, Role
from paliers.api.models import ApiToken
from paliers.directory.models import PendingImport
from paliers.frameworks.loading import framework_files, load_specs, parse_files

from .factories import make_world, other_district_animator, user

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")

VISIBLE = {
    "anonymous": 302, "admin": 200, "other_admin": 404, "animator": 200, "observer": 200,
    "head": 200, "referent": 200, "member": 200, "other_head": 404, "nobody": 404,
}  # fmt: skip
INVISIBLE = {"other_admin": 404, "other_head": 404, "nobody": 404, "anonymous": 302}
HEAD_AND_REFERENT = {
    **VISIBLE,
    **dict.fromkeys(["admin", "animator", "observer", "member"], 403),
    **INVISIBLE,
}
HEAD_ONLY = {**HEAD_AND_REFERENT, "referent": 403}
SCHOOL_MEMBERS = {**VISIBLE, **dict.fromkeys(["admin", "animator", "observer"], 403), **INVISIBLE}
ANY_METHOD_BUT = {**dict.fromkeys(VISIBLE, 405), "anonymous": 302}
# A campaign's changes: its académie's administrator; 404 where it is not visible.
CAMPAIGN_MANAGER = {**dict.fromkeys(VISIBLE, 403), **INVISIBLE, "admin": 200}
REMINDERS = {**CAMPAIGN_MANAGER, "animator": 200}


def assessment_url(name, *extra, submitted=False):
    def build(w):
        from paliers.assessments import answering

        if submitted:
            answering.submit(w.assessment, w.head)
        return reverse(f"assessments:{name}", args=[w.assessment.pk, *extra])

    return build


USERS = [
    "anonymous",
    "admin",
    "other_admin",
    "animator",
    "observer",
    "head",
    "referent",
    "member",
    "other_head",
    "nobody",
]
ANYONE = dict.fromkeys(USERS, 200)
SIGNED_IN = {**ANYONE, "anonymous": 302}
ADMINS_ONLY = {**dict.fromkeys(USERS, 403), "anonymous": 302, "admin": 200, "other_admin": 200}


def school_url(name):
    return lambda w: reverse("directory:detail", args=[getattr(w, name).uai])


def revoke_url(w):
    return reverse("people:revoke", args=[Membership.objects.get(user=w.member).pk])


def token_revoke_url(w):
    return reverse("api_tokens:revoke", args=[ApiToken.issue(w.member, "matrice")[0].pk])


def admission_rule_delete_url(w):
    from paliers.identities.models import AdmissionRule, RuleScope

    rule = AdmissionRule.objects.create(
        academy=w.creteil, provider="proconnect", claim="FrEduRneResp", role=Role.SCHOOL_HEAD,
        scope=RuleScope.SCHOOL_FROM_CLAIM,
    )  # fmt: skip
    return reverse("admission_rule_delete", args=[rule.pk])


def review_url(w):
    pending = PendingImport.objects.create(content=b"x", filename="a.csv", uploaded_by=w.admin)
    return reverse("directory:import_review", args=[pending.pk])


NOT_SAFE = {**dict.fromkeys(USERS, 405), "anonymous": 302}


def crosswalk_url(name):
    """A crosswalk between two versions of the jalons (a copy of the 2014 ones as « 2015 »);
    the hostile-input walk builds it more than once."""

    def build(w):
        from dataclasses import replace

        from paliers.frameworks.crosswalk_loading import load_documents
        from paliers.frameworks.crosswalks import CrosswalkDocument, CrosswalkSpec, LinkSpec
        from paliers.frameworks.loading import load_specs, spec_from_db
        from paliers.frameworks.models import Framework

        jalons = spec_from_db(Framework.objects.get(slug="creteil-jalons", version="2014"))
        if not Framework.objects.filter(slug="creteil-jalons", version="2015").exists():  # built once
            load_specs([replace(jalons, version="2015")])
        code = jalons.all_criteria()[0].code
        link = LinkSpec(code, code, "equal")
        spec = CrosswalkSpec("creteil-jalons", "2014", "creteil-jalons", "2015", "all_sources", (link,))
        load_documents([CrosswalkDocument(spec, lambda index, field: "matrice")])
        return reverse(f"frameworks:{name}", args=["creteil-jalons", "2015", "creteil-jalons", "2014"])

    return build


def pending_framework_url(w):
    from paliers.authoring.models import PendingFramework
    from paliers.frameworks.loading import spec_from_db
    from paliers.frameworks.models import Framework

    jalons = spec_from_db(Framework.objects.get(slug="creteil-jalons", version="2014"))
    data = {"framework": jalons.to_data(), "crosswalk": None}
    pending = PendingFramework.objects.create(filename="a.xlsx", data=data, uploaded_by=w.admin)
    return reverse("authoring:preview", args=[pending.pk])


# name → (url builder, {method: {user: status}})
MATRIX = {
    "home": (lambda w: reverse("home"), {"get": ANYONE, "post": dict.fromkeys(USERS, 405)}),
    "login": (lambda w: reverse("login"), {"get": ANYONE}),
    "health": (lambda w: reverse("health"), {"get": ANYONE, "post": dict.fromkeys(USERS, 405)}),
    "data_protection": (lambda w: reverse("data_protection"), {"get": ANYONE}),
    "accessibility": (lambda w: reverse("accessibility"), {"get": ANYONE}),
    # The language switch: anyone may choose; it redirects back to the page (POST only).
    "set_language": (
        lambda w: reverse("set_language"),
        {"get": dict.fromkeys(USERS, 405), "post": dict.fromkeys(USERS, 302)},
    ),
    "my_data": (
        lambda w: reverse("my_data"),
        {"get": SIGNED_IN, "post": {**dict.fromkeys(USERS, 405), "anonymous": 302}},
    ),
    "audit:journal": (lambda w: reverse("audit:journal"), {"get": ADMINS_ONLY}),
    # The member of the école: an account only the Créteil administrator may delete.
    "account_delete": (
        lambda w: reverse("account_delete", args=[w.member.pk]),
        {
            "get": {**ADMINS_ONLY, "other_admin": 404},
            "post": {**ADMINS_ONLY, "admin": 302, "other_admin": 404},
        },
    ),
    "logout": (
        lambda w: reverse("logout"),
        {"get": {**dict.fromkeys(USERS, 405), "anonymous": 302}, "post": dict.fromkeys(USERS, 302)},
    ),
    "my_account": (
        lambda w: reverse("my_account"),
        {"get": SIGNED_IN, "post": {**dict.fromkeys(USERS, 405), "anonymous": 302}},
    ),
    "password_change": (lambda w: reverse("password_change"), {"get": SIGNED_IN}),
    "password_change_done": (lambda w: reverse("password_change_done"), {"get": SIGNED_IN}),
    # Signing in through identity providers: none is configured here, so a provider's name
    # is unknown (404) and a return without a state is refused (400), for everyone alike.
    "oidc_start": (lambda w: reverse("oidc_start", args=["proconnect"]), {"get": dict.fromkeys(USERS, 404)}),
    "oidc_callback": (lambda w: reverse("oidc_callback"), {"get": dict.fromkeys(USERS, 400)}),
    "cas_login": (lambda w: reverse("cas_login"), {"get": dict.fromkeys(USERS, 404)}),
    "signed_out": (lambda w: reverse("signed_out"), {"get": ANYONE, "post": dict.fromkeys(USERS, 405)}),
    "sign_in_settings": (lambda w: reverse("sign_in_settings"), {"get": ADMINS_ONLY, "post": ADMINS_ONLY}),
    "admission_rule_add": (
        lambda w: reverse("admission_rule_add"),
        # No provider here: the page says so, and a rule posted anyway names none (409).
        {"get": ADMINS_ONLY, "post": {**ADMINS_ONLY, "admin": 409, "other_admin": 409}},
    ),
    "admission_rule_delete": (
        admission_rule_delete_url,
        {
            "get": {**dict.fromkeys(USERS, 405), "anonymous": 302},
            "post": {**ADMINS_ONLY, "admin": 302, "other_admin": 404},
        },
    ),
    "password_reset": (lambda w: reverse("password_reset"), {"get": ANYONE}),
    "password_reset_done": (lambda w: reverse("password_reset_done"), {"get": ANYONE}),
    "password_reset_confirm": (
        lambda w: reverse("password_reset_confirm", args=["MQ", "faux-jeton"]),
        {"get": ANYONE},
    ),
    "password_reset_complete": (lambda w: reverse("password_reset_complete"), {"get": ANYONE}),
    "frameworks:list": (
        lambda w: reverse("frameworks:list"),
        {"get": ANYONE, "post": dict.fromkeys(USERS, 405)},
    ),
    "frameworks:detail": (
        lambda w: reverse("frameworks:detail", args=["creteil-jalons", "2014"]),
        {"get": ANYONE},
    ),
    "frameworks:yaml": (
        lambda w: reverse("frameworks:yaml", args=["creteil-jalons", "2014"]),
        {"get": ANYONE},
    ),
    "frameworks:xlsx": (
        lambda w: reverse("frameworks:xlsx", args=["creteil-jalons", "2014"]),
        {"get": ANYONE, "post": dict.fromkeys(USERS, 405)},
    ),
    "frameworks:crosswalk": (crosswalk_url("crosswalk"), {"get": ANYONE, "post": dict.fromkeys(USERS, 405)}),
    "frameworks:crosswalk_yaml": (crosswalk_url("crosswalk_yaml"), {"get": ANYONE}),
    # Only académie administrators write frameworks and crosswalks (frameworks are shared by
    # every académie); a preview is its uploader's alone. Empty forms are refused (422).
    "authoring:template": (lambda w: reverse("authoring:template"), {"get": ADMINS_ONLY, "post": NOT_SAFE}),
    "authoring:upload": (
        lambda w: reverse("authoring:upload"),
        {"get": ADMINS_ONLY, "post": {**ADMINS_ONLY, "admin": 422, "other_admin": 422}},
    ),
    "authoring:preview": (
        pending_framework_url,
        {
            "get": {**ADMINS_ONLY, "other_admin": 404},
            "post": {**ADMINS_ONLY, "admin": 422, "other_admin": 404},
        },
    ),
    "authoring:crosswalk_upload": (
        lambda w: reverse("authoring:crosswalk_upload"),
        {"get": ADMINS_ONLY, "post": {**ADMINS_ONLY, "admin": 422, "other_admin": 422}},
    ),
    "directory:list": (lambda w: reverse("directory:list"), {"get": SIGNED_IN}),
    "directory:detail": (
        school_url("ecole"),
        {
            "get": {
                "anonymous": 302,
                "admin": 200,
                "other_admin": 404,
                "animator": 200,
                "observer": 200,
                "head": 200,
                "referent": 200,
                "member": 200,
                "other_head": 404,
                "nobody": 404,
            },
            "post": {**dict.fromkeys(USERS, 405), "anonymous": 302},
        },
    ),
    "directory:import": (
        lambda w: reverse("directory:import"),
        {"get": ADMINS_ONLY, "post": {**ADMINS_ONLY, "admin": 200, "other_admin": 200}},
    ),
    "directory:import_review": (
        review_url,
        {"get": {**ADMINS_ONLY, "other_admin": 404}},
    ),
    "people:list": (lambda w: reverse("people:list"), {"get": ADMINS_ONLY}),
    "people:invite": (lambda w: reverse("people:invite"), {"get": ADMINS_ONLY, "post": ADMINS_ONLY}),
    "people:invite_heads": (lambda w: reverse("people:invite_heads"), {"get": ADMINS_ONLY}),
    "people:revoke": (
        revoke_url,
        {
            "get": {**dict.fromkeys(USERS, 405), "anonymous": 302},
            "post": {**ADMINS_ONLY, "admin": 302, "other_admin": 404},
        },
    ),
    # Anyone signed in manages their own API tokens (a POST without a name re-renders the form).
    "api_tokens:list": (lambda w: reverse("api_tokens:list"), {"get": SIGNED_IN, "post": SIGNED_IN}),
    "api_tokens:revoke": (
        token_revoke_url,
        {
            "get": {**dict.fromkeys(USERS, 405), "anonymous": 302},
            "post": {**dict.fromkeys(USERS, 404), "anonymous": 302, "member": 302},
        },
    ),
}

MATRIX.update(
    {
        "assessments:campaigns": (lambda w: reverse("assessments:campaigns"), {"get": SIGNED_IN}),
        "assessments:campaign_create": (
            lambda w: reverse("assessments:campaign_create"),
            {"get": ADMINS_ONLY},
        ),
        "assessments:campaign": (lambda w: w.campaign.get_absolute_url(), {"get": VISIBLE}),
        "assessments:detail": (assessment_url("detail"), {"get": VISIBLE, "post": ANY_METHOD_BUT}),
        "assessments:save_answers": (
            assessment_url("save_answers"),
            # An empty page changes nothing: back to the assessment.
            {"post": {**HEAD_AND_REFERENT, "head": 302, "referent": 302}, "get": ANY_METHOD_BUT},
        ),
        "assessments:save_answer": (
            assessment_url("save_answer", "PIL.1.1"),
            # Allowed, but an empty form is refused as invalid.
            {"post": {**HEAD_AND_REFERENT, "head": 422, "referent": 422}, "get": ANY_METHOD_BUT},
        ),
        "assessments:history": (assessment_url("history", "PIL.1.1"), {"get": VISIBLE}),
        "assessments:submit": (assessment_url("submit"), {"get": HEAD_ONLY}),
        "assessments:reopen": (
            assessment_url("reopen", submitted=True),
            {"post": {**HEAD_ONLY, "head": 302}, "get": ANY_METHOD_BUT},
        ),
        "assessments:start_from_previous": (
            assessment_url("start_from_previous"),
            {"post": {**HEAD_AND_REFERENT, "head": 302, "referent": 302}},
        ),
        "assessments:carried": (assessment_url("carried"), {"get": VISIBLE, "post": ANY_METHOD_BUT}),
        # Allowed, but naming no carried answer confirms nothing (back to the page, with a message).
        "assessments:confirm_carried": (
            assessment_url("confirm_carried"),
            {"post": {**HEAD_AND_REFERENT, "head": 302, "referent": 302}, "get": ANY_METHOD_BUT},
        ),
        "assessments:revision": (assessment_url("revision", 1, submitted=True), {"get": VISIBLE}),
        "assessments:contribution": (
            assessment_url("contribution"),
            {"get": SCHOOL_MEMBERS, "post": {**SCHOOL_MEMBERS, "head": 302, "referent": 302, "member": 302}},
        ),
        "assessments:contribution_answer": (
            assessment_url("contribution_answer", "PIL.1.1"),
            # Allowed, but an empty form is refused as invalid.
            {
                "post": {**SCHOOL_MEMBERS, "head": 422, "referent": 422, "member": 422},
                "get": ANY_METHOD_BUT,
            },
        ),
        "assessments:consensus": (assessment_url("consensus"), {"get": HEAD_AND_REFERENT}),
        "assessments:results": (assessment_url("results"), {"get": VISIBLE}),
        # The campaign life cycle: its administrator changes it; the DAN and animators remind.
        "assessments:campaign_csv": (
            lambda w: reverse("assessments:campaign_csv", args=[w.campaign.pk]),
            {"get": VISIBLE},
        ),
        "assessments:campaign_edit": (
            lambda w: reverse("assessments:campaign_edit", args=[w.campaign.pk]),
            {"get": CAMPAIGN_MANAGER, "post": {**CAMPAIGN_MANAGER, "admin": 200}},  # empty form: errors
        ),
        "assessments:campaign_close": (
            lambda w: reverse("assessments:campaign_close", args=[w.campaign.pk]),
            {"get": CAMPAIGN_MANAGER, "post": {**CAMPAIGN_MANAGER, "admin": 302}},
        ),
        "assessments:campaign_delete": (
            lambda w: reverse("assessments:campaign_delete", args=[w.campaign.pk]),
            {"get": CAMPAIGN_MANAGER, "post": {**CAMPAIGN_MANAGER, "admin": 302}},
        ),
        "assessments:campaign_remind": (
            lambda w: reverse("assessments:campaign_remind", args=[w.campaign.pk]),
            {"get": REMINDERS, "post": {**REMINDERS, "admin": 302, "animator": 302}},
        ),
        "assessments:remind_school": (
            assessment_url("remind_school"),
            {"get": {**REMINDERS, "admin": 302, "animator": 302}},
        ),
        "assessments:reopen_late": (
            assessment_url("reopen_late"),
            {"get": CAMPAIGN_MANAGER, "post": {**CAMPAIGN_MANAGER, "admin": 200}},  # open: refused, said
        ),
    }
)


def objective_url(name, **fields):
    def build(w):
        from paliers.objectives.models import Objective

        framework = w.campaign.framework
        goal = Objective.objects.create(
            school=w.ecole, framework=framework, domain=framework.domains.get(code="FOR"),
            level=framework.levels.get(number=2), title="Former l’équipe", is_draft=True, **fields,
        )  # fmt: skip
        return reverse(f"objectives:{name}", args=[goal.pk])

    return build


def suggestion_url(w):
    return reverse("objectives:from_suggestion", args=[w.ecole.uai])


# Steering: the school's head and référent set objectives; the others read (403 to write).
MATRIX.update(
    {
        "objectives:list": (lambda w: reverse("objectives:list", args=[w.ecole.uai]), {"get": VISIBLE}),
        "objectives:create": (
            lambda w: reverse("objectives:create", args=[w.ecole.uai]),
            # An empty form is refused as invalid (422) to those allowed.
            {"get": HEAD_AND_REFERENT, "post": {**HEAD_AND_REFERENT, "head": 422, "referent": 422}},
        ),
        "objectives:from_suggestion": (
            suggestion_url,
            # Allowed, but a POST naming no domain finds none (404).
            {"post": {**HEAD_AND_REFERENT, "head": 404, "referent": 404}, "get": ANY_METHOD_BUT},
        ),
        "objectives:detail": (objective_url("detail"), {"get": VISIBLE, "post": ANY_METHOD_BUT}),
        "objectives:edit": (
            objective_url("edit"),
            {"get": HEAD_AND_REFERENT, "post": {**HEAD_AND_REFERENT, "head": 422, "referent": 422}},
        ),
        # The pilot (here the member) may also report; an empty form is invalid (422).
        "objectives:checkpoint": (
            lambda w: objective_url("checkpoint", pilot=w.member)(w),
            {
                "post": {**HEAD_AND_REFERENT, "head": 422, "referent": 422, "member": 422},
                "get": ANY_METHOD_BUT,
            },
        ),
        "objectives:close": (
            objective_url("close"),
            {"post": {**HEAD_AND_REFERENT, "head": 422, "referent": 422}, "get": ANY_METHOD_BUT},
        ),
        "objectives:reopen": (
            objective_url("reopen"),
            {"post": {**HEAD_AND_REFERENT, "head": 302, "referent": 302}, "get": ANY_METHOD_BUT},
        ),
        "objectives:delete": (
            objective_url("delete"),
            {"get": HEAD_AND_REFERENT, "post": {**HEAD_AND_REFERENT, "head": 302, "referent": 302}},
        ),
    }
)


def accompaniment_url(name, make=None):
    """An accompaniment URL of the école; `make` "request" or "action" creates the object it names."""

    def build(w):
        from paliers.accompaniment.models import PlanAction, SupportRequest

        args = [w.ecole.uai]
        domain = w.campaign.framework.domains.get(code="FOR")
        if make == "request":
            args.append(SupportRequest.objects.create(school=w.ecole, domain=domain, message="Aide").pk)
        elif make == "action":
            action = PlanAction.objects.create(
                school=w.ecole, need="Former", action="Animation", school_year="2025-2026"
            )
            args.append(action.pk)
        return reverse(f"accompaniment:{name}", args=args)

    return build


# Accompaniment: the école's head and référent ask; the animators of its district record and
# keep the plan; the others who see the école read (403 to write); the animator of another
# district does not see it (404).
SEES_ECOLE = {**VISIBLE, "other_animator": 404}
ASKERS = {**HEAD_AND_REFERENT, "other_animator": 404}
ANIMATORS = {
    **SEES_ECOLE, **dict.fromkeys(["admin", "observer", "head", "referent", "member"], 403), **INVISIBLE,
}  # fmt: skip
NOT_THIS_METHOD = {**ANY_METHOD_BUT, "other_animator": 405}
MATRIX.update(
    {
        "accompaniment:requests": (
            lambda w: reverse("accompaniment:requests"),
            {"get": {**SIGNED_IN, "other_animator": 200}, "post": NOT_THIS_METHOD},
        ),
        "accompaniment:school": (accompaniment_url("school"), {"get": SEES_ECOLE, "post": NOT_THIS_METHOD}),
        # Allowed, an empty form re-renders with its errors (200).
        "accompaniment:request_create": (
            accompaniment_url("request_create"),
            {"get": ASKERS, "post": ASKERS},
        ),
        "accompaniment:request": (accompaniment_url("request", "request"), {"get": SEES_ECOLE}),
        "accompaniment:request_close": (
            accompaniment_url("request_close", "request"),
            {
                "post": {**ASKERS, "animator": 302, "head": 302, "referent": 302},
                "get": NOT_THIS_METHOD,
            },
        ),
        "accompaniment:record_create": (
            accompaniment_url("record_create"),
            {"get": ANIMATORS, "post": ANIMATORS},
        ),
        "accompaniment:plan_create": (
            accompaniment_url("plan_create"),
            {"get": ANIMATORS, "post": ANIMATORS},
        ),
        "accompaniment:plan_edit": (
            accompaniment_url("plan_edit", "action"),
            {"get": ANIMATORS, "post": ANIMATORS},
        ),
        # An empty state is refused with a message, back to the plan (302).
        "accompaniment:plan_status": (
            accompaniment_url("plan_status", "action"),
            {"post": {**ANIMATORS, "animator": 302}, "get": NOT_THIS_METHOD},
        ),
    }
)


def team_campaign(w):
    """A campaign on the jalons for the écoles of Créteil, open today: the world's one, once
    opened (a school has one positioning per framework version and year; the hostile-input
    walk builds every URL in one world)."""
    from datetime import timedelta

    from django.utils import timezone

    from paliers.assessments.campaigns import open_campaign
    from paliers.assessments.models import Campaign
    from paliers.frameworks.models import Framework

    today, jalons = timezone.localdate(), Framework.objects.get(slug="creteil-jalons", version="2014")
    return Campaign.objects.filter(framework=jalons, academy=w.creteil).first() or open_campaign(
        framework=jalons, school_year="2025-2026", academy=w.creteil, school_group="ecoles",
        opens_on=today - timedelta(days=30), closes_on=today + timedelta(days=30), user=w.admin,
    )  # fmt: skip


def previous_team_campaign(w):
    """The jalons campaign of the year before, for a questionnaire closed yesterday: closing
    the world's open one would refuse the responses and the respondents' pages that other
    URLs of the same world need (the crawl builds them all, in no fixed order)."""
    from paliers.assessments.campaigns import open_campaign
    from paliers.assessments.models import Campaign

    current = team_campaign(w)
    previous = Campaign.objects.filter(framework=current.framework, school_year="2024-2025").first()
    return previous or open_campaign(
        framework=current.framework, school_year="2024-2025", academy=w.creteil, school_group="ecoles",
        opens_on=current.opens_on, closes_on=current.closes_on, user=w.admin,
    )  # fmt: skip


def survey_url(name, responses=0, closed=False):
    """A URL of the école's team questionnaire, open today (if `closed`, last year's, closed
    yesterday: results are published after the close), with that many responses."""

    def build(w):
        from datetime import timedelta

        from django.utils import timezone

        from paliers.surveys.opening import open_survey
        from paliers.surveys.questionnaire import questionnaire_for
        from paliers.surveys.responding import submit_response

        campaign, today = (previous_team_campaign if closed else team_campaign)(w), timezone.localdate()
        survey = campaign.team_surveys.filter(school=w.ecole).first() or open_survey(
            campaign, w.ecole, today, today + timedelta(days=7), w.head
        )
        questionnaire = questionnaire_for(campaign.framework)
        for n in range(responses):
            answers = {axis.code: 1 for axis in questionnaire.axes}
            submit_response(survey, questionnaire, f"navigateur-{name}-{n}", answers)
        if closed:
            survey.__class__.objects.filter(pk=survey.pk).update(
                opens_on=today - timedelta(days=7), closes_on=today - timedelta(days=1)
            )
        public = name in {"respond", "thanks"}
        return reverse(f"surveys:{name}", args=[survey.code if public else survey.pk])

    return build


# Team questionnaires: the respondents' pages are public; the école's head opens it and sets
# its dates, head and référent share it and read its results; académie staff, animators and
# observers read aggregates over their scope (403 for the others).
AGGREGATE_READERS = {
    **dict.fromkeys(USERS, 403), "anonymous": 302, "admin": 200, "other_admin": 200,
    "animator": 200, "observer": 200,
}  # fmt: skip
MATRIX.update(
    {
        "surveys:enter": (
            lambda w: reverse("surveys:enter"),
            {"get": ANYONE, "post": dict.fromkeys(USERS, 405)},
        ),
        # An empty response is refused as invalid (422), to anyone: no account needed; the
        # school's head and référent answer on the leadership's page, not here (403).
        "surveys:respond": (
            survey_url("respond"),
            {"get": ANYONE, "post": {**dict.fromkeys(USERS, 422), "head": 403, "referent": 403}},
        ),
        "surveys:thanks": (survey_url("thanks"), {"get": ANYONE, "post": dict.fromkeys(USERS, 405)}),
        "surveys:list": (lambda w: reverse("surveys:list"), {"get": SIGNED_IN}),
        "surveys:aggregates": (lambda w: reverse("surveys:aggregates"), {"get": AGGREGATE_READERS}),
        "surveys:open": (
            lambda w: reverse("surveys:open", args=[team_campaign(w).pk, w.ecole.uai]),
            {"get": HEAD_ONLY, "post": {**HEAD_ONLY, "head": 422}},
        ),
        "surveys:detail": (survey_url("detail"), {"get": HEAD_AND_REFERENT, "post": ANY_METHOD_BUT}),
        "surveys:dates": (survey_url("dates"), {"get": HEAD_ONLY, "post": {**HEAD_ONLY, "head": 422}}),
        "surveys:poster": (survey_url("poster"), {"get": HEAD_AND_REFERENT}),
        "surveys:qr": (survey_url("qr"), {"get": HEAD_AND_REFERENT}),
        "surveys:leadership": (
            survey_url("leadership"),
            {"get": HEAD_AND_REFERENT, "post": {**HEAD_AND_REFERENT, "head": 422, "referent": 422}},
        ),
        "surveys:results": (survey_url("results", responses=5), {"get": HEAD_AND_REFERENT}),
        "surveys:export": (survey_url("export", responses=5, closed=True), {"get": HEAD_AND_REFERENT}),
    }
)


def spreadsheet_import_url(w):
    """A preview uploaded by the head: only they may see or apply it (404 for the référent)."""
    from paliers.reports.models import SpreadsheetImport

    pending = SpreadsheetImport.objects.create(assessment=w.assessment, filename="a.xlsx", uploaded_by=w.head)
    return reverse("reports:import_review", args=[w.assessment.pk, pending.pk])


def report_job_url(name, done=False):
    """A batch of reports asked for by the animator: theirs alone (404 for everyone else)."""

    def build(w):
        from paliers.reports.models import ReportBatch, ReportChunk
        from paliers.workers.models import WorkState

        batch = ReportBatch.objects.create(
            campaign=w.campaign, requested_by=w.animator, state=WorkState.DONE if done else WorkState.RUNNING
        )
        if done:
            ReportChunk.objects.create(batch=batch, number=0, data=b"PK\x05\x06" + b"\0" * 18)
        return reverse(f"reports:{name}", args=[batch.pk])

    return build


# Reports: an assessment's PDF and spreadsheet for whoever sees it; importing a spreadsheet
# for the school's head and référent; scope downloads for académie staff, animators and
# observers (403 for school people, 404 outside the scope); the blank questionnaire for anyone.
SCOPE_READERS = {**VISIBLE, **dict.fromkeys(["head", "referent", "member"], 403)}
JOB_OWNER = {**dict.fromkeys(USERS, 404), "anonymous": 302, "animator": 200}
MATRIX.update(
    {
        "reports:assessment_pdf": (
            lambda w: reverse("reports:assessment_pdf", args=[w.assessment.pk]),
            {"get": VISIBLE, "post": ANY_METHOD_BUT},
        ),
        "reports:assessment_xlsx": (
            lambda w: reverse("reports:assessment_xlsx", args=[w.assessment.pk]),
            {"get": VISIBLE},
        ),
        # An empty upload form is refused as invalid (422).
        "reports:import_upload": (
            lambda w: reverse("reports:import_upload", args=[w.assessment.pk]),
            {"get": HEAD_AND_REFERENT, "post": {**HEAD_AND_REFERENT, "head": 422, "referent": 422}},
        ),
        "reports:import_review": (
            spreadsheet_import_url,
            {
                "get": {**HEAD_AND_REFERENT, "referent": 404},
                "post": {**HEAD_AND_REFERENT, "head": 302, "referent": 404},
            },
        ),
        "reports:scope_domains_csv": (
            lambda w: reverse("reports:scope_domains_csv", args=[w.campaign.pk]),
            {"get": SCOPE_READERS},
        ),
        "reports:scope_criteria_csv": (
            lambda w: reverse("reports:scope_criteria_csv", args=[w.campaign.pk]),
            {"get": SCOPE_READERS},
        ),
        "reports:scope_zip": (
            lambda w: reverse("reports:scope_zip", args=[w.campaign.pk]),
            {
                "post": {**SCOPE_READERS, "admin": 302, "animator": 302, "observer": 302},
                "get": ANY_METHOD_BUT,
            },
        ),
        "reports:job": (report_job_url("job"), {"get": JOB_OWNER, "post": ANY_METHOD_BUT}),
        "reports:job_download": (report_job_url("job_download", done=True), {"get": JOB_OWNER}),
        "reports:questionnaire": (
            lambda w: reverse("reports:questionnaire", args=["creteil-jalons", "2014"]),
            {"get": ANYONE, "post": dict.fromkeys(USERS, 405)},
        ),
    }
)
REPORT_EDGES = [
    # The animator of another district sees neither the école's report nor its export.
    (lambda w: reverse("reports:assessment_pdf", args=[w.assessment.pk]), "other_animator", 404),
    (lambda w: reverse("reports:assessment_xlsx", args=[w.assessment.pk]), "other_animator", 404),
    # A member of another school of the campaign's académie: the école is not theirs.
    (lambda w: reverse("reports:import_upload", args=[w.assessment.pk]), "college_member", 404),
]


def roadmap_url(name, on="roadmap"):
    """A URL of a roadmap of Créteil; `on`: roadmap, axis, indicator or None (no argument)."""

    def build(w):
        from paliers.roadmap.models import Axis, Indicator, Roadmap

        roadmap = Roadmap.objects.create(academy=w.creteil, title="Feuille de route", period="2025-2026")
        axis = Axis.objects.create(roadmap=roadmap, title="Pilotage")
        indicator = Indicator.objects.create(axis=axis, title="Réunions du CTNÉ")
        found = {"roadmap": roadmap, "axis": axis, "indicator": indicator, None: None}[on]
        return reverse(f"roadmap:{name}", args=[found.pk] if found else [])

    return build


# Observatory and roadmap: académie staff, animators and observers read over their scope (403
# for school people); Versailles' administrator has no campaign to observe, and does not see
# Créteil's roadmap (404); only Créteil's administrator changes it (403 for the readers).
OBSERVERS = AGGREGATE_READERS
ROADMAP_READERS = {**AGGREGATE_READERS, "other_admin": 404}
ROADMAP_WRITERS = {**ROADMAP_READERS, "animator": 403, "observer": 403}
CREATORS = {**AGGREGATE_READERS, "animator": 403, "observer": 403}
NO_GET = {**dict.fromkeys(USERS, 405), "anonymous": 302}
MATRIX.update(
    {
        "observatory:overview": (
            lambda w: reverse("observatory:overview"),
            {"get": OBSERVERS, "post": NO_GET},
        ),
        "observatory:heatmap": (lambda w: reverse("observatory:heatmap"), {"get": OBSERVERS}),
        "observatory:evolution": (lambda w: reverse("observatory:evolution"), {"get": OBSERVERS}),
        "observatory:map": (lambda w: reverse("observatory:map"), {"get": OBSERVERS}),
        # A département's map: for the readers whose scope holds some of its schools.
        "observatory:map_department": (
            lambda w: reverse("observatory:map_department", args=[w.val_de_marne.code]),
            {"get": {**OBSERVERS, "other_admin": 404}},
        ),
        "observatory:export": (
            lambda w: reverse("observatory:export", args=["criteres"]),
            # Versailles' administrator: no round to export (400).
            {"get": {**OBSERVERS, "other_admin": 400}},
        ),
        "observatory:open_data": (
            lambda w: reverse("observatory:open_data"),
            {"get": {**OBSERVERS, "other_admin": 400}},
        ),
        # The finder's form (a query opens the one school found, or lists several).
        "observatory:school_search": (lambda w: reverse("observatory:school_search"), {"get": OBSERVERS}),
        "observatory:school": (
            lambda w: reverse("observatory:school", args=[w.ecole.uai]),
            {"get": {**OBSERVERS, "other_admin": 404}},
        ),
        # The caseload and the observatory's school-by-school table: the readers of the observatory,
        # over their scope; Versailles' administrator has no round there (a CSV of nothing: 400).
        "caseload:caseload": (lambda w: reverse("caseload:caseload"), {"get": OBSERVERS, "post": NO_GET}),
        "caseload:csv": (lambda w: reverse("caseload:csv"), {"get": {**OBSERVERS, "other_admin": 400}}),
        "caseload:observatory": (lambda w: reverse("caseload:observatory"), {"get": OBSERVERS}),
        "caseload:observatory_csv": (
            lambda w: reverse("caseload:observatory_csv") + f"?departement={w.val_de_marne.pk}",
            {"get": {**OBSERVERS, "other_admin": 400}},
        ),
        "roadmap:list": (lambda w: reverse("roadmap:list"), {"get": OBSERVERS, "post": NO_GET}),
        # An empty form re-renders with its errors (422).
        "roadmap:create": (
            lambda w: reverse("roadmap:create"),
            {"get": CREATORS, "post": {**CREATORS, "admin": 422, "other_admin": 422}},
        ),
        # Loading the example needs the établissements framework: absent here, refused with a message.
        "roadmap:load_example": (
            roadmap_url("load_example", None),
            {"post": {**CREATORS, "admin": 302, "other_admin": 302}, "get": NO_GET},
        ),
        "roadmap:detail": (roadmap_url("detail"), {"get": ROADMAP_READERS, "post": NO_GET}),
        "roadmap:edit": (
            roadmap_url("edit"),
            {"get": ROADMAP_WRITERS, "post": {**ROADMAP_WRITERS, "admin": 422}},
        ),
        "roadmap:delete": (
            roadmap_url("delete"),
            {"get": ROADMAP_WRITERS, "post": {**ROADMAP_WRITERS, "admin": 302}},
        ),
        "roadmap:axis_create": (
            roadmap_url("axis_create"),
            {"get": ROADMAP_WRITERS, "post": {**ROADMAP_WRITERS, "admin": 422}},
        ),
        "roadmap:axis_edit": (
            roadmap_url("axis_edit", "axis"),
            {"get": ROADMAP_WRITERS, "post": {**ROADMAP_WRITERS, "admin": 422}},
        ),
        "roadmap:axis_delete": (
            roadmap_url("axis_delete", "axis"),
            {"get": ROADMAP_WRITERS, "post": {**ROADMAP_WRITERS, "admin": 302}},
        ),
        "roadmap:indicator_create": (
            roadmap_url("indicator_create", "axis"),
            {"get": ROADMAP_WRITERS, "post": {**ROADMAP_WRITERS, "admin": 422}},
        ),
        "roadmap:indicator": (
            roadmap_url("indicator", "indicator"),
            {"get": ROADMAP_READERS, "post": NO_GET},
        ),
        "roadmap:indicator_edit": (
            roadmap_url("indicator_edit", "indicator"),
            {"get": ROADMAP_WRITERS, "post": {**ROADMAP_WRITERS, "admin": 422}},
        ),
        "roadmap:indicator_delete": (
            roadmap_url("indicator_delete", "indicator"),
            {"get": ROADMAP_WRITERS, "post": {**ROADMAP_WRITERS, "admin": 302}},
        ),
        "roadmap:value_add": (
            roadmap_url("value_add", "indicator"),
            {"post": {**ROADMAP_WRITERS, "admin": 422}, "get": NO_GET},
        ),
    }
)
OBSERVATORY_EDGES = [
    # The caseload lists the scope's schools only; an UAI outside it is not found, said so.
    (lambda w: reverse("caseload:caseload") + f"?q={w.college.uai}", "animator", 200),
    (lambda w: reverse("observatory:school_search") + f"?q={w.college.uai}", "animator", 200),
    (lambda w: reverse("observatory:school_search") + f"?q={w.ecole.uai}", "animator", 302),
    (lambda w: reverse("caseload:observatory_csv") + f"?departement={w.seine_et_marne.pk}", "observer", 400),
    (lambda w: reverse("caseload:observatory_csv") + f"?departement={w.seine_et_marne.pk}", "admin", 200),
    # The collège is outside the animator's district: not theirs to compare.
    (lambda w: reverse("observatory:school", args=[w.college.uai]), "animator", 404),
    (lambda w: reverse("observatory:school", args=[w.college.uai]), "observer", 200),
    (lambda w: reverse("observatory:school", args=[w.lycee.uai]), "observer", 404),
    (lambda w: reverse("observatory:overview") + f"?departement={w.seine_et_marne.pk}", "observer", 400),
    (lambda w: reverse("observatory:overview") + f"?departement={w.seine_et_marne.pk}", "admin", 200),
    (lambda w: reverse("observatory:map_department", args=[w.seine_et_marne.code]), "animator", 404),
    (lambda w: reverse("observatory:map_department", args=[w.seine_et_marne.code]), "admin", 200),
    (lambda w: reverse("observatory:map_department", args=["999"]), "admin", 404),
]
ACCOMPANIMENT_EDGES = [  # the collège: in the other animator's district, not in the animator's
    (lambda w: reverse("accompaniment:school", args=[w.college.uai]), "other_animator", 200),
    (lambda w: reverse("accompaniment:record_create", args=[w.college.uai]), "other_animator", 200),
    (lambda w: reverse("accompaniment:plan_create", args=[w.college.uai]), "other_animator", 200),
    (lambda w: reverse("accompaniment:school", args=[w.college.uai]), "animator", 404),
    (lambda w: reverse("accompaniment:record_create", args=[w.college.uai]), "animator", 404),
    (lambda w: reverse("accompaniment:school", args=[w.college.uai]), "observer", 200),
    (lambda w: reverse("accompaniment:record_create", args=[w.college.uai]), "observer", 403),
    (lambda w: reverse("accompaniment:request_create", args=[w.college.uai]), "college_member", 403),
    (lambda w: reverse("accompaniment:school", args=[w.college.uai]), "college_member", 200),
]

# A school outside the district but inside the département: the animator may not see it.
EXTRA_CASES = [
    *ACCOMPANIMENT_EDGES,
    *REPORT_EDGES,
    *OBSERVATORY_EDGES,
    (school_url("college"), "animator", 404),
    (school_url("college"), "observer", 200),
    (school_url("lycee"), "observer", 404),
    (school_url("lycee"), "admin", 200),
    (school_url("other"), "admin", 404),
    (school_url("other"), "other_admin", 200),
    # An animator of another district of the same département sees neither the école nor
    # its objectives; a member of another school neither.
    (school_url("ecole"), "other_animator", 404),
    (lambda w: reverse("objectives:list", args=[w.ecole.uai]), "other_animator", 404),
    (objective_url("detail"), "other_animator", 404),
    (objective_url("detail"), "college_member", 404),
    (lambda w: reverse("objectives:list", args=[w.college.uai]), "college_member", 200),
]


def url_names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin: checked on its own below
            if str(pattern.pattern).startswith("api/v1/"):
                continue  # the JSON API: its own matrix, per endpoint and token, in test_api.py
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_pattern_has_an_entry():
    assert set(url_names()) - set(MATRIX) == set()
    assert set(MATRIX) - set(url_names()) == set()


@pytest.fixture
def world(db):
    return make_matrix_world()


def make_matrix_world():
    import datetime

    from paliers.assessments.campaigns import open_campaign
    from paliers.frameworks.models import Framework

    load_specs(parse_files([f for f in framework_files() if "jalons" in f.name or "ecoles" in f.name]))
    w = make_world()
    w.campaign = open_campaign(
        framework=Framework.objects.get(slug="creteil-ecoles"),
        school_year="2025-2026",
        academy=w.creteil,
        school_group="ecoles",
        opens_on=datetime.date(2025, 9, 15),
        closes_on=datetime.date(2026, 6, 30),
        user=w.admin,
    )
    w.assessment = w.campaign.assessments.get(school=w.ecole)
    w.other_animator = other_district_animator(w)
    w.college_member = user("membre-college", Role.SCHOOL_MEMBER, w.college)
    return w


def request_as(client, world, who, method, url):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    return getattr(client, method)(url)


@pytest.mark.parametrize(
    ("name", "method", "who"),
    [
        (name, method, who)
        for name, (_, cases) in MATRIX.items()
        for method, users in cases.items()
        for who in users
    ],
)
def test_matrix(client, world, name, method, who):
    url_for, cases = MATRIX[name]
    response = request_as(client, world, who, method, url_for(world))
    assert response.status_code == cases[method][who]
    if response.status_code == 302 and who == "anonymous" and name not in {"logout", "set_language"}:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("url_for", "who", "expected"), EXTRA_CASES)
def test_scope_edges(client, world, url_for, who, expected):
    assert request_as(client, world, who, "get", url_for(world)).status_code == expected


def test_django_admin_is_for_staff_only(client, world, django_user_model):
    assert client.get("/admin/").status_code == 302
    client.force_login(world.admin)  # an académie administrator is not Django staff
    assert client.get("/admin/").status_code == 302
    client.force_login(django_user_model.objects.create_superuser("root", password="x" * 12))
    assert client.get("/admin/").status_code == 200
