"""A small world for access tests: two académies, districts, schools and one user per role."""

import datetime
from contextlib import contextmanager
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.utils import timezone

from paliers.accounts.models import Membership, Role
from paliers.schools.models import Academy, Department, District, DistrictKind, School, SchoolKind
from paliers.schools.uai import make_uai


def school(department, number, name, kind=SchoolKind.COLLEGE, districts=(), **fields):
    created = School.objects.create(
        uai=make_uai(f"{department.code}{number:04d}"), name=name, kind=kind, department=department, **fields
    )
    created.districts.set(districts)
    return created


def user(username, role=None, scope=None, **fields):
    account = get_user_model().objects.create_user(username, password="mot de passe de test", **fields)
    if role:
        Membership.objects.create(user=account, role=role, **{type(scope).__name__.lower(): scope})
    return account


def make_world():
    creteil = Academy.objects.create(code="24", name="Créteil")
    versailles = Academy.objects.create(code="25", name="Versailles")
    val_de_marne = Department.objects.create(code="094", name="Val-de-Marne", academy=creteil)
    seine_et_marne = Department.objects.create(code="077", name="Seine-et-Marne", academy=creteil)
    yvelines = Department.objects.create(code="078", name="Yvelines", academy=versailles)
    fresnes = District.objects.create(
        department=val_de_marne,
        kind=DistrictKind.CIRCONSCRIPTION,
        code="0940927X",
        name="Circonscription de Fresnes",
    )
    w = SimpleNamespace(
        creteil=creteil,
        versailles=versailles,
        val_de_marne=val_de_marne,
        seine_et_marne=seine_et_marne,
        yvelines=yvelines,
        fresnes=fresnes,
    )
    w.ecole = school(
        val_de_marne,
        176,
        "École élémentaire Robert Doisneau",
        SchoolKind.ELEMENTAIRE,
        [fresnes],
        email="ce.0940176F@ac-creteil.fr",
        commune="Fresnes",
    )
    w.college = school(val_de_marne, 1001, "Collège Francine Fromond", commune="Fresnes")
    w.lycee = school(seine_et_marne, 2002, "Lycée Uruguay France", SchoolKind.LGT, commune="Avon")
    w.other = school(yvelines, 3003, "Collège de Versailles", commune="Versailles")
    w.admin = user("dan", Role.ACADEMY_ADMIN, creteil, first_name="Delphine")
    w.other_admin = user("dan-versailles", Role.ACADEMY_ADMIN, versailles)
    w.animator = user("animateur", Role.ANIMATOR, fresnes)
    w.observer = user("inspectrice", Role.OBSERVER, val_de_marne)
    w.head = user("directeur", Role.SCHOOL_HEAD, w.ecole)
    w.referent = user("referent", Role.SCHOOL_REFERENT, w.ecole)
    w.member = user("membre", Role.SCHOOL_MEMBER, w.ecole)
    w.other_head = user("principal-versailles", Role.SCHOOL_HEAD, w.other)
    w.nobody = user("sans-role")
    return w


def other_district_animator(w):
    """An animator of another district of Val-de-Marne (the collège's bassin): inside the
    observer's département, outside the école's district. Not in make_world, whose districts
    other tests count."""
    bassin = District.objects.create(
        department=w.val_de_marne, kind=DistrictKind.BASSIN, code="bassin-vitry", name="Bassin de Vitry"
    )
    w.college.districts.add(bassin)
    return user("animateur-vitry", Role.ANIMATOR, bassin)


@contextmanager
def during(campaign):
    """Run the block on a day the campaign is open (a closed campaign is read-only): a
    month before its close, unless it is open today."""
    import time_machine

    if campaign.opens_on <= timezone.localdate() <= campaign.closes_on:
        yield
        return
    day = max(campaign.opens_on, campaign.closes_on - datetime.timedelta(days=30))
    with time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC), tick=True
    ):
        yield
