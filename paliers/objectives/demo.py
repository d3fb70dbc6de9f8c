"""Demonstration objectives: every state an objective can be in, at the demonstration
logins' collège and école, and a few at other schools of the demonstration académie.

Texts, targets and states are the same on every run; dates count from the day the
demonstration is created, so that « bientôt dû » and « en retard » mean something on the
day someone tries it.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from paliers.frameworks.models import Framework
from paliers.schools.demo import DEMO_ACADEMY_CODE, demo_school
from paliers.schools.models import School, SchoolKind

from .models import SMART_CRITERIA, Checkpoint, CheckpointState, Objective

SEED = 20260901
NOT_STARTED, ONGOING, DONE = CheckpointState.NOT_STARTED, CheckpointState.IN_PROGRESS, CheckpointState.DONE


@dataclass(frozen=True)
class DemoObjective:
    domain: str
    level: int
    title: str
    description: str
    pilot: str  # a demonstration login, or a name typed in
    due_in: int | None  # days from today; None: a draft without due date
    points: tuple = ()  # (days from today, state, comment)
    outcome: bool | None = None
    draft: bool = False
    smart: int = 5  # how many of S, M, A, R, T are ticked


COLLEGE = (
    DemoObjective(
        "FOR", 2, "Former l’équipe pédagogique à l’ENT",
        "Deux demi-journées de formation à l’ENT pour tous les professeurs avant les vacances de "
        "printemps, animées par le référent numérique. Mesure : 80 % des professeurs publient au moins "
        "un devoir par semaine dans le cahier de textes en ligne.",
        "referent", 10, ((-40, ONGOING, "Première demi-journée faite, 24 participants."),),
    ),
    DemoObjective(
        "PIL", 2, "Inscrire le numérique au projet d’établissement",
        "Un volet numérique rédigé par la commission numérique et voté en conseil d’administration.",
        "Mme Durand (principale adjointe)", -20, ((-60, ONGOING, "Premier jet présenté en commission."),),
    ),
    DemoObjective(
        "EQU", 2, "Équiper chaque salle d’un vidéoprojecteur",
        "Demande au Département pour les 6 salles encore sans vidéoprojecteur ; installation suivie "
        "par le gestionnaire.", "M. Petit (gestionnaire)", 120, (),
    ),
    DemoObjective(
        "RES", 2, "Faire connaître les ressources numériques du CDI",
        "Une présentation des ressources en ligne du CDI à chaque classe de 6e, et une page de l’ENT "
        "qui les recense.", "membre", 45,
        ((-30, ONGOING, "Présentations faites en 6e A et 6e B."),
         (-5, DONE, "Toutes les 6e vues ; page publiée.")),
    ),
    DemoObjective(
        "PED", 2, "Mutualiser des séquences utilisant le numérique",
        "Chaque équipe disciplinaire dépose au moins deux séquences dans l’espace partagé de l’ENT.",
        "referent", -200, ((-250, ONGOING, ""), (-205, DONE, "14 séquences déposées.")), True,
    ),
    DemoObjective(
        "INF", 2, "Couvrir le bâtiment B en Wi-Fi",
        "Étude de couverture puis pose de bornes par la collectivité.",
        "M. Petit (gestionnaire)", -150, ((-200, ONGOING, "Étude faite, devis en attente."),), False,
    ),
    DemoObjective(
        "RES", 3, "Lancer une webradio au CDI",
        "Un atelier hebdomadaire animé par le professeur documentaliste ; une émission par mois "
        "publiée sur l’ENT.", "membre", 200,
        ((-2, NOT_STARTED, "Matériel commandé : les ateliers commenceront à sa livraison."),),
    ),
    DemoObjective(
        "FOR", 3, "Ouvrir un parcours de formation Pix pour les professeurs",
        "", "", None, (), None, True, 1,
    ),
)  # fmt: skip
ECOLE = (
    DemoObjective(
        "EQU", 2, "Un TNI dans chaque classe de cycle 3",
        "Demande à la commune pour les deux classes de CM encore sans tableau numérique.",
        "directeur", 60, ((-15, ONGOING, "Demande transmise à la mairie."),),
    ),
    DemoObjective(
        "FOR", 2, "Animation pédagogique sur l’ENT de l’école",
        "Trois heures d’animation pédagogique avec l’ERUN pour toute l’équipe.",
        "directeur", -10, (),
    ),
)  # fmt: skip
OTHER_TITLES = {
    "PIL": "Réunir la commission numérique chaque trimestre",
    "FOR": "Former les professeurs aux outils de l’ENT",
    "RES": "Recenser les ressources numériques utilisées par les classes",
    "PED": "Développer les usages du numérique en classe",
    "INF": "Fiabiliser le réseau de l’établissement",
    "EQU": "Renouveler les postes des salles informatiques",
}
OTHER_SCHOOLS = 24


@transaction.atomic
def create_demo_objectives():
    """Create the demonstration objectives once; returns how many exist."""
    academy_schools = School.objects.filter(department__academy__code=DEMO_ACADEMY_CODE)
    if Objective.objects.filter(school__in=academy_schools).exists():
        return Objective.objects.filter(school__in=academy_schools).count(), False
    today = timezone.localdate()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=_logins())}
    etablissements = Framework.objects.get(slug="creteil-etablissements", version="2014")
    ecoles = Framework.objects.get(slug="creteil-ecoles", version="2014")
    college, ecole = demo_school(SchoolKind.COLLEGE), demo_school(SchoolKind.ELEMENTAIRE)
    head = users.get("principale")
    for plan in COLLEGE:
        _create(college, etablissements, plan, users, today, head)
    for plan in ECOLE:
        _create(ecole, ecoles, plan, users, today, users.get("directeur"))
    rng = random.Random(SEED)  # noqa: S311 (demonstration data, not secrets)
    others = list(
        academy_schools.filter(kind=SchoolKind.COLLEGE).exclude(pk=college.pk).order_by("uai")[:OTHER_SCHOOLS]
    )
    for school in others:
        for code in rng.sample(sorted(OTHER_TITLES), rng.randint(1, 3)):
            _create(school, etablissements, _random_plan(rng, code), users, today, None)
    return Objective.objects.filter(school__in=academy_schools).count(), True


def _logins():
    return {"principale", "referent", "membre", "directeur"}


def _random_plan(rng, code):
    due_in = rng.choice((-300, -120, -15, 20, 90, 200))
    outcome = rng.random() < 0.7 if due_in < -100 else None
    points = ((due_in - 60, ONGOING, ""),) if rng.random() < 0.7 else ()
    if outcome is not None:
        points += ((due_in - 5, DONE if outcome else ONGOING, ""),)
    name = rng.choice(("Mme Bernard", "M. Nguyen", "Mme Haddad", "M. Lefebvre", "Mme Moreau"))
    return DemoObjective(code, rng.choice((2, 2, 3)), OTHER_TITLES[code], "", name, due_in, points, outcome)


def _create(school, framework, plan, users, today, created_by):
    domain = framework.domains.get(code=plan.domain)
    level = framework.levels.get(number=plan.level)
    pilot = users.get(plan.pilot)
    closed_on = today + timedelta(days=plan.due_in) if plan.outcome is not None else None
    objective = Objective.objects.create(
        school=school,
        framework=framework,
        domain=domain,
        level=level,
        title=plan.title,
        description=plan.description,
        pilot=pilot,
        pilot_name="" if pilot or plan.pilot in _logins() else plan.pilot,
        due_on=today + timedelta(days=plan.due_in) if plan.due_in is not None else None,
        is_draft=plan.draft,
        achieved=plan.outcome,
        closed_on=closed_on,
        created_by=created_by,
        **{name: k < plan.smart for k, (name, _, _) in enumerate(SMART_CRITERIA)},
    )
    objective.criteria.set(framework.criteria.filter(domain=domain, level=level).order_by("position")[:3])
    Checkpoint.objects.bulk_create(
        Checkpoint(objective=objective, date=today + timedelta(days=days), state=state, comment=comment,
                   created_by=pilot or created_by)
        for days, state, comment in plan.points
    )  # fmt: skip
    return objective
