"""Demonstration accompaniment in the « Académie de démonstration »: three écoles of the
demonstration animator's circonscription, the demonstration head's first, with requests in
every state, the animator's records and a plan over three school years. The dates are
written as seen on REFERENCE and moved to the day the demonstration is made (by as many
days, school years by as many years), so that they stay past and beside the demonstration
campaigns; the needs identified follow whatever answers those campaigns gave.
"""

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from paliers.accounts.models import Membership, Role
from paliers.core.calendar import school_year_start
from paliers.frameworks.loading import load_paths
from paliers.frameworks.models import Framework
from paliers.schools.demo import create_demo_directory, demo_district, demo_school
from paliers.schools.models import School, SchoolKind, SchoolState

from .models import AccompanimentRecord, PlanAction, PlanStatus, RecordKind, SupportRequest

REFERENCE = date(2026, 11, 23)  # the day the dates below were written for
FRAMEWORK = ("creteil-ecoles", "2014")  # the écoles' framework of the demonstration campaigns
VISIT, TRAINING = RecordKind.VISIT, RecordKind.TRAINING
MEETING, CIRCLE = RecordKind.DISTRICT_MEETING, RecordKind.USERS_CIRCLE


@dataclass(frozen=True)
class Request:
    key: str  # what the records and actions below refer to
    domain: str
    asked_on: date
    message: str
    closed_on: date | None = None


@dataclass(frozen=True)
class Record:
    request: str | None
    day: date
    kind: str
    participants: str
    notes: str


@dataclass(frozen=True)
class Action:
    domain: str | None
    request: str | None
    need: str
    action: str
    status: str
    school_year: str = ""
    planned_on: date | None = None


# One plan per école, the demonstration head's école first.
PLANS = (
    (
        (
            Request("tablettes", "FOR", date(2025, 10, 6),
                    "Nous souhaitons une animation pédagogique sur l’usage des tablettes en cycle 2 : "
                    "l’école a reçu une classe mobile de 16 tablettes à la rentrée et seuls deux "
                    "collègues s’en servent.", closed_on=date(2026, 2, 2)),
            Request("equipement", "EQU", date(2026, 9, 22),
                    "Nous préparons la demande d’équipement à la mairie (vidéoprojecteurs interactifs "
                    "pour les quatre classes du cycle 3) : pouvez-vous nous aider à la rédiger ?"),
            Request("webradio", "PED", date(2026, 10, 5),
                    "Un projet de webradio avec les CM2 : des conseils sur le matériel et "
                    "l’organisation des séances."),
        ),
        (
            Record("tablettes", date(2025, 11, 13), VISIT,
                   "Le directeur, six enseignants de cycle 2, l’animateur TICE",
                   "Tour des usages actuels et inventaire de la classe mobile. Besoins exprimés : prise "
                   "en main, gestion des applications, projets d’écriture."),
            Record("tablettes", date(2026, 1, 21), TRAINING, "Huit enseignants de l’école",
                   "Animation pédagogique « Premiers pas avec la classe mobile » (3 h) : prise en main, "
                   "partage de fichiers, une séance d’écriture clé en main."),
            Record(None, date(2026, 10, 8), MEETING, "Les directeurs de la circonscription",
                   "Présentation du plan numérique départemental et du calendrier des positionnements."),
            Record("webradio", date(2026, 10, 15), VISIT, "Le directeur, l’enseignante de CM2",
                   "Choix du matériel (deux micros, un enregistreur) et découpage du projet en "
                   "quatre séances."),
        ),
        (
            Action("FOR", "tablettes", "Formation : usage des tablettes en cycle 2 (demande du 06/10/2025).",
                   "Animation pédagogique « Premiers pas avec la classe mobile » pour les enseignants "
                   "de cycle 2.", PlanStatus.DONE, planned_on=date(2026, 1, 21)),
            Action("FOR", None, "Formation : au moins un enseignant par cycle formé aux usages du "
                   "numérique éducatif (FOR.2.1).", "Inscription de trois enseignants au parcours "
                   "M@gistère « Enseigner avec le numérique ».", PlanStatus.DONE, school_year="2025-2026"),
            Action("FOR", None, "Formation : mutualiser les usages et les ressources (FOR.2.2).",
                   "Cercle d’usagers de l’ENT avec les écoles du secteur, une fois par période.",
                   PlanStatus.ONGOING, school_year="2026-2027"),
            Action("PED", "webradio", "Projet de webradio des CM2 (demande du 05/10/2026).",
                   "Séance en classe avec l’animateur : premier enregistrement.", PlanStatus.PLANNED,
                   planned_on=date(2026, 12, 3)),
            Action("FOR", None, "Formation : un travail régulier avec le maître formateur TICE (FOR.2.3).",
                   "Intégrer l’école au dispositif de formation de la circonscription.",
                   PlanStatus.PLANNED, school_year="2027-2028"),
        ),
    ),
    (
        (
            Request("lecture", "RES", date(2026, 3, 2),
                    "Quelles ressources numériques gratuites pour la lecture au CP ?",
                    closed_on=date(2026, 4, 1)),
        ),
        (
            Record("lecture", date(2026, 3, 25), TRAINING, "Le conseil des maîtres",
                   "Présentation des ressources numériques éducatives gratuites pour le cycle 2."),
        ),
        (
            Action("RES", "lecture", "Ressources pour la lecture au CP (demande du 02/03/2026).",
                   "Suivi en classe de CP : une séance de lecture avec les ressources présentées.",
                   PlanStatus.PLANNED, school_year="2026-2027"),
        ),
    ),
    (
        (
            Request("wifi", "INF", date(2026, 11, 2),
                    "Le wifi ne couvre pas les classes de l’étage : les tablettes ne se connectent pas."),
        ),
        (
            Record(None, date(2026, 6, 11), CIRCLE, "Trois enseignants de l’école",
                   "Cercle d’usagers de l’ENT du secteur : cahier de textes et messagerie."),
        ),
        (),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class DemoAccompaniment:
    created: bool  # False: it was there and nothing was changed
    schools: tuple  # (School, requests, records, plan actions) per école
    animator: str | None  # the demonstration animator's login, when it existed


def demo_ecoles():
    """The demonstration head's école, then two other open écoles of its circonscription."""
    first = demo_school(SchoolKind.ELEMENTAIRE)
    others = (
        School.objects.filter(districts=demo_district(), state=SchoolState.OPEN, kind=SchoolKind.ELEMENTAIRE)
        .exclude(pk=first.pk)
        .order_by("uai")[: len(PLANS) - 1]
    )
    return [first, *others]


def create_demo_accompaniment():
    """Create the demonstration accompaniment, unless there is some: then change nothing."""
    with transaction.atomic():
        create_demo_directory()
        schools = demo_ecoles()
        animator = _login(Role.ANIMATOR, district=demo_district())
        already = SupportRequest.objects.filter(school__in=schools).exists()
        if not already:
            load_paths()  # idempotent: the demonstration campaigns have loaded them already
            framework = Framework.objects.get(slug=FRAMEWORK[0], version=FRAMEWORK[1])
            domains = {domain.code: domain for domain in framework.domains.all()}
            moved = _moved(PLANS, timezone.localdate())
            for school, plan in zip(schools, moved, strict=False):
                _create(school, plan, domains, animator)
        return DemoAccompaniment(not already, tuple(_counts(school) for school in schools), _name(animator))


def _moved(plans, today):
    """PLANS with every date moved by today - REFERENCE, school years by whole years."""
    days, years = today - REFERENCE, school_year_start(today) - school_year_start(REFERENCE)

    def year(text):
        return re.sub(r"\b(\d{4})-(\d{4})\b", lambda m: f"{int(m[1]) + years}-{int(m[2]) + years}", text)

    def day_in(text):
        def moved(match):
            return f"{date(int(match[3]), int(match[2]), int(match[1])) + days:%d/%m/%Y}"

        return re.sub(r"\b(\d{2})/(\d{2})/(\d{4})\b", moved, text)

    def move(spec):
        changes = {}
        for field in dataclasses.fields(spec):
            value = getattr(spec, field.name)
            if isinstance(value, date):
                changes[field.name] = value + days
            elif field.name == "school_year" and value:
                changes[field.name] = year(value)
            elif isinstance(value, str):
                changes[field.name] = day_in(value)
        return dataclasses.replace(spec, **changes)

    return tuple(tuple(tuple(move(spec) for spec in part) for part in plan) for plan in plans)


def _login(role, **scope):
    membership = Membership.objects.active().filter(role=role, **scope).select_related("user").order_by("pk")
    found = membership.first()
    return found.user if found else None


def _name(user):
    return user.username if user else None


def _moment(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _create(school, plan, domains, animator):
    requests_, records, actions = plan
    head = _login(Role.SCHOOL_HEAD, school=school)
    made = {}
    for spec in requests_:
        made[spec.key] = SupportRequest.objects.create(
            school=school, domain=domains[spec.domain], message=spec.message, created_by=head,
            created_at=_moment(spec.asked_on, 17),
        )  # fmt: skip
    for spec in records:
        request = made.get(spec.request)
        AccompanimentRecord.objects.create(
            school=school, request=request, date=spec.day, kind=spec.kind, participants=spec.participants,
            notes=spec.notes, recorded_by=animator, created_at=_moment(spec.day, 18),
        )  # fmt: skip
        if request is not None:
            request.take_over(animator, when=_moment(spec.day, 18))
    for spec in requests_:
        if spec.closed_on:
            made[spec.key].close(animator, when=_moment(spec.closed_on))
    for spec in actions:
        when = _moment(made[spec.request].created_at.date() if spec.request else _first_day(requests_), 18)
        PlanAction.objects.create(
            school=school, domain=domains.get(spec.domain), request=made.get(spec.request), need=spec.need,
            action=spec.action, status=spec.status, school_year=spec.school_year, planned_on=spec.planned_on,
            created_by=animator, created_at=when, updated_by=animator, updated_at=when,
        )  # fmt: skip


def _first_day(requests_):
    """An action of its own is added with the first request (or at the start of the school year)."""
    days = [spec.asked_on for spec in requests_]
    return min(days) if days else date(school_year_start(timezone.localdate()), 9, 1)


def _counts(school):
    return (
        school,
        SupportRequest.objects.filter(school=school).count(),
        AccompanimentRecord.objects.filter(school=school).count(),
        PlanAction.objects.filter(school=school).count(),
    )
