"""Accompaniment: support requests, animators' records, the plan d'accompagnement et de
formation and its needs identified; who may do what; forms refusing bad input."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from paliers.accompaniment.access import may_accompany, may_ask
from paliers.accompaniment.models import (
    AccompanimentRecord,
    PlanAction,
    PlanStatus,
    RecordKind,
    RequestStatus,
    SupportRequest,
    record_action,
    school_year_of,
)
from paliers.accompaniment.needs import identified_needs, is_training_domain, results_assessment
from paliers.assessments.answering import replace_answers, submit
from paliers.assessments.campaigns import open_campaign
from paliers.assessments.models import SchoolGroup
from paliers.frameworks.loading import framework_files, load_specs, parse_files

from .factories import during, make_world, other_district_animator

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")

DATES = {"opens_on": datetime.date(2025, 9, 1), "closes_on": datetime.date(2026, 6, 30)}


@pytest.fixture
def world(db):
    names = ("creteil-ecoles-2014", "creteil-etablissements-2014")
    results = load_specs(parse_files([f for f in framework_files() if f.name.startswith(names)]))
    frameworks = {r.spec.slug: r.framework for r in results}
    w = make_world()
    w.framework = frameworks["creteil-ecoles"]
    w.campaign = open_campaign(
        framework=w.framework, school_year="2025-2026", academy=w.creteil,
        school_group=SchoolGroup.ECOLES, user=w.admin, **DATES,
    )  # fmt: skip
    w.etab_framework = frameworks["creteil-etablissements"]
    open_campaign(
        framework=w.etab_framework, school_year="2025-2026", academy=w.creteil,
        school_group=SchoolGroup.ETABLISSEMENTS, user=w.admin, **DATES,
    )  # fmt: skip
    w.assessment = w.ecole.assessments.get()
    w.training = w.framework.domains.get(code="FOR")
    w.equipment = w.framework.domains.get(code="EQU")
    w.other_animator = other_district_animator(w)
    return w


def ask(w, domain=None, message="Une animation sur les tablettes en cycle 2.", **fields):
    return SupportRequest.objects.create(
        school=w.ecole, domain=domain or w.training, message=message, created_by=w.head, **fields
    )


def answer(w, **values):
    items = [{"criterion": code.replace("_", "."), "value": value} for code, value in values.items()]
    replace_answers(w.assessment, items, user=w.head, source="web")


# --- models ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2026, 3, 10), "2025-2026"),
        (datetime.date(2026, 8, 14), "2025-2026"),
        (datetime.date(2026, 8, 20), "2026-2027"),  # pre-rentrée: the year it prepares
        (datetime.date(2026, 12, 1), "2026-2027"),
    ],
)
def test_school_year_of(day, year):
    assert school_year_of(day) == year


@pytest.mark.parametrize(
    ("title", "training"),
    [
        ("Formation", True),
        ("Accompagnement et formation", True),
        ("FORMATIONS des équipes", True),
        ("Système d’information", False),
        ("Pilotage, impulsion et organisation", False),
    ],
)
def test_training_domains_are_named_by_the_word(title, training):
    assert is_training_domain(title) is training


def test_shipped_training_domains(shipped_frameworks):
    training = {
        slug: [d.code for d in framework.domains.order_by("position") if is_training_domain(d.title)]
        for slug, framework in shipped_frameworks.items()
    }
    assert training == {
        "creteil-ecoles": ["FOR"],
        "creteil-etablissements": ["FOR"],
        "creteil-etablissements-revise": ["FOR"],
        "creteil-jalons": [],
        "numea-etablissement": ["ACC"],
    }


def test_recording_takes_the_request_over_once(world):
    support = ask(world)
    assert support.status == RequestStatus.OPEN
    first = record_action(
        world.ecole, world.animator, request=support, date=datetime.date(2025, 11, 13),
        kind=RecordKind.VISIT, participants="Le directeur, 6 enseignants", notes="Visite.",
    )  # fmt: skip
    support.refresh_from_db()
    assert (support.status, support.taken_by, first.recorded_by) == (
        RequestStatus.TAKEN, world.animator, world.animator
    )  # fmt: skip
    taken_at = support.taken_at
    record_action(
        world.ecole, world.other_admin, request=support, date=datetime.date(2025, 12, 1),
        kind=RecordKind.TRAINING, close_request=True,
    )  # fmt: skip
    support.refresh_from_db()
    assert support.taken_at == taken_at and support.taken_by == world.animator  # taken once
    assert support.status == RequestStatus.CLOSED and support.closed_by == world.other_admin
    assert list(support.records.values_list("kind", flat=True)) == ["formation", "visite"]
    assert str(first) == f"{world.ecole} — visite du 13/11/2025"  # in the admin, the journal
    with translation.override("en"):
        assert str(first) == f"{world.ecole} — visit of 11/13/2025"


def test_a_record_keeps_to_its_school(world):
    support = ask(world)
    with pytest.raises(ValidationError) as error:
        record_action(world.college, world.animator, request=support, date=datetime.date(2025, 11, 1),
                      kind=RecordKind.VISIT)  # fmt: skip
    assert error.value.message_dict == {"request": ["Cette demande vient d’une autre école."]}
    assert not AccompanimentRecord.objects.exists()


def test_database_constraints(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ask(world, status=RequestStatus.CLOSED)  # closed without its date
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanAction.objects.create(school=world.ecole, need="Besoin", action="Action")  # no time
    action = PlanAction(school=world.ecole, need="B", action="A", planned_on=datetime.date(2026, 3, 1))
    action.full_clean()
    assert action.year == "2025-2026"


# --- who may do what -----------------------------------------------------------------------

ROLES = {  # user → (may ask, may accompany) on the école
    "admin": (False, False), "animator": (False, True), "other_animator": (False, False),
    "observer": (False, False), "head": (True, False), "referent": (True, False),
    "member": (False, False), "other_head": (False, False), "nobody": (False, False),
}  # fmt: skip


@pytest.mark.parametrize("who", ROLES)
def test_who_asks_and_who_accompanies(world, who):
    user = getattr(world, who)
    assert (may_ask(user, world.ecole), may_accompany(user, world.ecole)) == ROLES[who]


def test_the_other_animator_accompanies_the_college_only(world):
    assert may_accompany(world.other_animator, world.college)
    assert not may_accompany(world.animator, world.college)


# --- pages ---------------------------------------------------------------------------------


def url(name, w, *args):
    return reverse(f"accompaniment:{name}", args=[w.ecole.uai, *args])


def test_a_head_asks_and_the_animator_records_a_visit(client, world):
    client.force_login(world.head)
    form = client.get(url("request_create", world))
    # Only the domains of the école's framework, not the établissements' one.
    assert {d.framework for d in form.context["form"].fields["domain"].queryset} == {world.framework}
    response = client.post(url("request_create", world), {"domain": world.training.pk, "message": "Aide ENT"})
    support = SupportRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == support.get_absolute_url()
    assert (support.school, support.created_by, support.status) == (world.ecole, world.head, "ouverte")

    client.force_login(world.animator)
    listing = client.get(reverse("accompaniment:requests"))
    assert [s.pk for s in listing.context["page"]] == [support.pk]
    detail = client.get(support.get_absolute_url())
    assert detail.context["may_accompany"] and detail.context["may_close"]
    record_url = url("record_create", world)
    page = client.get(f"{record_url}?demande={support.pk}")
    assert page.context["form"]["request"].value() == str(support.pk)
    response = client.post(
        record_url,
        {"request": support.pk, "date": "2025-11-13", "kind": "visite", "participants": "Le directeur",
         "notes": "Visite de l’école."},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == support.get_absolute_url()
    support.refresh_from_db()
    assert support.status == RequestStatus.TAKEN
    record = AccompanimentRecord.objects.get()
    assert (record.school, record.request, record.recorded_by, record.kind) == (
        world.ecole, support, world.animator, "visite"
    )  # fmt: skip
    html = client.get(url("school", world)).content.decode()
    assert "Visite de l’école." in html and "prise en charge" in html


def test_closing_a_request(client, world):
    support = ask(world)
    client.force_login(world.observer)
    assert client.post(url("request_close", world, support.pk)).status_code == 403
    client.force_login(world.referent)
    assert client.post(url("request_close", world, support.pk)).status_code == 302
    support.refresh_from_db()
    assert support.status == RequestStatus.CLOSED and support.closed_by == world.referent
    assert client.get(support.get_absolute_url()).context["may_close"] is False


def test_request_list_filters_by_status_and_keeps_to_the_scope(client, world):
    open_one, taken = ask(world), ask(world, domain=world.equipment, status=RequestStatus.TAKEN)
    closed = ask(world, status=RequestStatus.CLOSED, closed_at=timezone.now())
    college_domain = world.etab_framework.domains.get(code="FOR")
    college = SupportRequest.objects.create(school=world.college, domain=college_domain, message="Collège")
    listing = reverse("accompaniment:requests")

    def seen(user, query=""):
        client.force_login(user)
        return [s.pk for s in client.get(listing + query).context["page"]]

    assert seen(world.animator) == [open_one.pk, taken.pk]  # to do, open first
    assert seen(world.animator, "?status=close") == [closed.pk]
    assert seen(world.animator, "?status=toutes") == [open_one.pk, taken.pk, closed.pk]
    assert seen(world.other_animator) == [college.pk]
    assert set(seen(world.observer)) == {open_one.pk, taken.pk, college.pk}
    assert seen(world.other_head) == []


def test_plan_from_a_need_then_its_status(client, world):
    support = ask(world)
    client.force_login(world.animator)
    needs = identified_needs(world.ecole)
    (need,) = needs.from_requests
    form = client.get(need.add_url).context["form"]
    assert form["need"].value() == need.text and form["request"].value() == str(support.pk)
    assert str(form["domain"].value()) == str(world.training.pk)
    response = client.post(
        url("plan_create", world),
        {"domain": world.training.pk, "request": support.pk, "need": need.text,
         "action": "Animation pédagogique tablettes", "school_year": "2025-2026", "status": "prevue"},
    )  # fmt: skip
    assert response.status_code == 302
    action = PlanAction.objects.get()
    assert (action.created_by, action.updated_by, action.request) == (world.animator, world.animator, support)
    assert identified_needs(world.ecole).from_requests[0].planned == 1
    response = client.post(url("plan_status", world, action.pk), {"status": "en_cours"})
    assert response.status_code == 302 and response["Location"].endswith("#plan")
    action.refresh_from_db()
    assert action.status == PlanStatus.ONGOING
    client.post(url("plan_status", world, action.pk), {"status": "n’importe"})
    action.refresh_from_db()
    assert action.status == PlanStatus.ONGOING
    response = client.post(
        url("plan_edit", world, action.pk),
        {"need": "Besoin", "action": "Autre action", "planned_on": "2026-09-10", "status": "prevue"},
    )
    action.refresh_from_db()
    assert (action.action, action.year, action.domain) == ("Autre action", "2026-2027", None)
    client.force_login(world.observer)
    assert client.post(url("plan_status", world, action.pk), {"status": "realisee"}).status_code == 403


# --- needs identified ----------------------------------------------------------------------


def test_needs_from_the_training_domain_of_the_results(world):
    assert identified_needs(world.ecole).assessment is None  # nothing answered yet
    answer(world, FOR_1_1="atteint", FOR_2_1="atteint", FOR_2_2="en_cours", EQU_1_1="non_atteint")
    needs = identified_needs(world.ecole)
    assert needs.assessment == world.assessment
    (need,) = needs.from_results  # Équipement is not a training domain
    assert (need.domain, need.level, need.highest_level, need.next_level.number) == (world.training, 1, 3, 2)
    assert [c.code for c in need.criteria] == ["FOR.2.2", "FOR.2.3", "FOR.2.4"]
    assert need.text.startswith("Formation : niveau 1 atteint sur 3 ; à atteindre pour « Palier 2 »")
    assert "domaine=" in need.add_url and need.planned == 0
    PlanAction.objects.create(school=world.ecole, domain=world.training, need="n", action="a",
                              school_year="2025-2026")  # fmt: skip
    PlanAction.objects.create(school=world.ecole, domain=world.training, need="n", action="b",
                              school_year="2025-2026", status=PlanStatus.DROPPED)  # fmt: skip
    assert identified_needs(world.ecole).from_results[0].planned == 1  # the abandoned one does not count


def test_an_english_reader_finds_the_same_training_needs_in_english(world):
    """The rule reads the domain's French title; the need is written in the reader's words."""
    from django.utils import translation

    answer(world, FOR_1_1="atteint", FOR_2_1="atteint", FOR_2_2="en_cours", EQU_1_1="non_atteint")
    with translation.override("en"):
        (need,) = identified_needs(world.ecole).from_results
    assert need.domain.pk == world.training.pk
    assert need.text.startswith("Training: level 1 reached out of 3")


def test_a_training_domain_at_its_highest_level_is_no_need(world):
    codes = world.framework.criteria.filter(domain=world.training).values_list("code", flat=True)
    answer(world, **{code.replace(".", "_"): "atteint" for code in codes})
    assert identified_needs(world.ecole).from_results == ()


def test_needs_read_the_latest_submitted_results_first(world):
    answer(world, FOR_1_1="atteint")
    draft_elsewhere = open_campaign(
        framework=world.framework, school_year="2026-2027", academy=world.creteil,
        school_group=SchoolGroup.ECOLES, user=world.admin,
        opens_on=datetime.date(2026, 9, 1), closes_on=datetime.date(2027, 6, 30),
    ).assessments.get(school=world.ecole)  # fmt: skip
    with during(draft_elsewhere.campaign):  # announced on the day the module runs
        replace_answers(draft_elsewhere, [{"criterion": "PIL.1.1", "value": "atteint"}], user=world.head)
    assert results_assessment(world.ecole) == draft_elsewhere  # no submitted one: the latest answered
    submit(world.assessment, world.head)
    assert results_assessment(world.ecole) == world.assessment


def test_needs_from_open_requests_only(world):
    first = ask(world)
    ask(world, status=RequestStatus.CLOSED, closed_at=timezone.now())
    taken = ask(world, domain=world.equipment, status=RequestStatus.TAKEN)
    assert [n.request for n in identified_needs(world.ecole).from_requests] == [first, taken]


# --- forms refuse bad input, saying which field -------------------------------------------


def errors(response):
    return {name: " ".join(messages) for name, messages in response.context["form"].errors.items()}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"message": "Aide"}, "domain", "Choisissez le domaine"),
        ({"domain": "etab", "message": "Aide"}, "domain", "pas celui d’un référentiel de votre école"),
        ({"domain": "for"}, "message", "Décrivez votre demande dans le champ « Votre demande »"),
        ({"domain": "for", "message": "x" * 4001}, "message", "4000 caractères"),
    ],
)
def test_request_form_errors(client, world, data, field, message):
    domains = {"etab": world.etab_framework.domains.get(code="FOR").pk, "for": world.training.pk}
    data = {k: domains.get(v, v) for k, v in data.items()}
    client.force_login(world.head)
    response = client.post(url("request_create", world), data)
    assert response.status_code == 200 and message in errors(response)[field]
    assert not SupportRequest.objects.exists()
    assert "Le formulaire contient des erreurs" in response.content.decode()


TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "visite"}, "date", "Indiquez la date de l’intervention"),
        ({"kind": "visite", "date": "13/11"}, "date", "Date de l’intervention invalide"),
        ({"kind": "visite", "date": TOMORROW}, "date", "est à venir"),
        ({"date": "2025-11-13"}, "kind", "Choisissez la nature"),
        ({"date": "2025-11-13", "kind": "pique-nique"}, "kind", "Nature de l’intervention inconnue"),
        ({"date": "2025-11-13", "kind": "visite", "close_request": "on"}, "close_request", "« Demande »"),
        ({"date": "2025-11-13", "kind": "visite", "request": "closed"}, "request", "pas une demande"),
        ({"date": "2025-11-13", "kind": "visite", "request": "college"}, "request", "pas une demande"),
    ],
)
def test_record_form_errors(client, world, data, field, message):
    closed = ask(world, status=RequestStatus.CLOSED, closed_at=timezone.now())
    college = SupportRequest.objects.create(
        school=world.college, domain=world.etab_framework.domains.get(code="FOR"), message="Collège"
    )
    data = {k: {"closed": closed.pk, "college": college.pk}.get(v, v) for k, v in data.items()}
    client.force_login(world.animator)
    response = client.post(url("record_create", world), data)
    assert response.status_code == 200 and message in errors(response)[field]
    assert not AccompanimentRecord.objects.exists()


PLAN = {"need": "Former l’équipe", "action": "Animation", "status": "prevue", "school_year": "2026-2027"}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"school_year": ""}, "school_year", "Indiquez l’année scolaire de l’action, ou sa date prévue"),
        ({"school_year": "2026-2028"}, "school_year", "Année scolaire attendue sous la forme"),
        ({"planned_on": "2026-03-01"}, "planned_on", "tombe dans l’année scolaire 2025-2026, pas 2026-2027"),
        ({"planned_on": "bientôt"}, "planned_on", "Date prévue invalide"),
        ({"need": ""}, "need", "Décrivez le besoin dans le champ « Besoin identifié »"),
        ({"action": " "}, "action", "Décrivez l’action dans le champ « Action prévue »"),
        ({"status": "finie"}, "status", "Sélectionnez un choix valide"),
        ({"domain": "etab"}, "domain", "pas celui d’un référentiel de l’école"),
    ],
)
def test_plan_form_errors(client, world, data, field, message):
    data = {**PLAN, **data}
    if data.get("domain") == "etab":
        data["domain"] = world.etab_framework.domains.get(code="FOR").pk
    client.force_login(world.animator)
    response = client.post(url("plan_create", world), data)
    assert response.status_code == 200 and message in errors(response)[field]
    assert list(errors(response)) == [field]  # one message, on the field it is about
    assert not PlanAction.objects.exists()
