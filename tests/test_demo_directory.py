from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from paliers.schools.demo import (
    DEMO_ACADEMY_CODE,
    create_demo_directory,
    demo_department,
    demo_district,
    demo_school,
    plan_directory,
)
from paliers.schools.models import (
    ECOLE_KINDS,
    Academy,
    Department,
    District,
    DistrictKind,
    PriorityEducation,
    School,
    SchoolKind,
    SchoolState,
    Sector,
)
from paliers.schools.uai import is_valid_uai

# (lowest, highest) number of schools of each kind the brief asks for, give or take.
EXPECTED_KINDS = {
    SchoolKind.MATERNELLE: (280, 320),
    SchoolKind.ELEMENTAIRE: (330, 370),
    SchoolKind.PRIMAIRE: (230, 270),
    SchoolKind.COLLEGE: (150, 170),
    SchoolKind.LGT: (35, 45),
    SchoolKind.LP: (25, 35),
    SchoolKind.LPO: (35, 45),
    SchoolKind.EREA: (3, 3),
    SchoolKind.AGRICOLE: (3, 3),
    SchoolKind.OTHER: (1, 10),
}
Membership = School.districts.through


@pytest.fixture
def demo(db):
    return create_demo_directory()


def demo_schools():
    return School.objects.filter(department__academy__code=DEMO_ACADEMY_CODE)


def table_sizes():
    return {
        model.__name__: model.objects.count() for model in (Academy, Department, District, School, Membership)
    }


def test_one_academie_of_three_fictional_departements(demo):
    assert demo.created
    assert (demo.academy.code, demo.academy.name) == ("99", "Démonstration")
    departments = [(item.department.code, item.department.name) for item in demo.departments]
    assert departments == [("097", "Val-de-Démo"), ("098", "Hauts-de-Démo"), ("099", "Côtes-de-Démo")]
    for item in demo.departments:
        assert 7 <= item.circonscriptions <= 9
        assert 2 <= item.bassins <= 3
        assert item.schools == demo_schools().filter(department=item.department).count()


def test_every_kind_in_the_expected_numbers(demo):
    counts = Counter(demo_schools().values_list("kind", flat=True))
    assert counts == demo.schools_by_kind
    for kind, (lowest, highest) in EXPECTED_KINDS.items():
        assert lowest <= counts[kind] <= highest, kind
    assert 1150 <= demo.schools <= 1250


def test_private_schools_priority_education_and_states(demo):
    schools = list(demo_schools().values("kind", "sector", "priority_education", "state", "email", "uai"))
    private = [s for s in schools if s["sector"] == Sector.PRIVATE]
    assert 0.10 <= len(private) / len(schools) <= 0.14
    assert all(s["priority_education"] == PriorityEducation.NONE and not s["email"] for s in private)
    public = [s for s in schools if s["sector"] == Sector.PUBLIC]
    assert all(s["email"] == f"ce.{s['uai']}@ac-demo.invalid" for s in public)
    concerned = [s for s in public if s["kind"] in (*ECOLE_KINDS, SchoolKind.COLLEGE)]
    priority = Counter(s["priority_education"] for s in concerned)
    assert 0.13 <= priority[PriorityEducation.REP] / len(concerned) <= 0.17
    assert 0.02 <= priority[PriorityEducation.REP_PLUS] / len(concerned) <= 0.04
    others = [s for s in public if s["kind"] not in (*ECOLE_KINDS, SchoolKind.COLLEGE)]
    assert {s["priority_education"] for s in others} == {PriorityEducation.NONE}
    states = Counter(s["state"] for s in schools)
    assert 1 <= states[SchoolState.TO_OPEN] <= 3
    assert 1 <= states[SchoolState.TO_CLOSE] <= 3


def test_uais_are_valid_unique_and_begin_with_the_departement(demo):
    rows = list(demo_schools().values_list("uai", "department__code"))
    circonscriptions = list(
        District.objects.filter(kind=DistrictKind.CIRCONSCRIPTION).values_list("code", "department__code")
    )
    for uai, department_code in rows + circonscriptions:
        assert is_valid_uai(uai), uai
        assert uai.startswith(department_code), uai
    # A circonscription's UAI is an establishment's UAI: none may be a school's too.
    assert len({uai for uai, _ in rows + circonscriptions}) == len(rows) + len(circonscriptions)


def test_communes_belong_to_their_departement(demo):
    communes = set(demo_schools().values_list("department__code", "commune_code", "commune", "postal_code"))
    for department_code, commune_code, _, postal_code in communes:
        for code in (commune_code, postal_code):
            assert code.isdigit() and len(code) == 5 and code.startswith(department_code[1:]), code
    # One row per commune: one name and one postal code for each code, and no name twice.
    assert len({row[1] for row in communes}) == len({row[2] for row in communes}) == len(communes)
    per_department = Counter(department_code for department_code, *_ in communes)
    assert all(30 <= number <= 50 for number in per_department.values())


def test_ecoles_in_one_circonscription_others_in_one_bassin(demo):
    memberships = Membership.objects.filter(school__department__academy=demo.academy).values_list(
        "school_id", "school__kind", "school__department_id", "district__kind", "district__department_id"
    )
    assert Counter(row[0] for row in memberships) == Counter(demo_schools().values_list("id", flat=True))
    for _, kind, school_department, district_kind, district_department in memberships:
        expected = DistrictKind.CIRCONSCRIPTION if kind in ECOLE_KINDS else DistrictKind.BASSIN
        assert (district_kind, district_department) == (expected, school_department)
    ecoles = Counter(
        demo_schools().filter(kind__in=ECOLE_KINDS).values_list("districts__code", flat=True)
    ).values()
    assert min(ecoles) >= 20


def test_the_same_directory_every_time(db):
    def generate():
        with transaction.atomic():
            create_demo_directory()
            rows = list(
                demo_schools()
                .order_by("uai")
                .values_list("uai", "name", "kind", "commune", "sector", "priority_education", "state")
            )
            districts = sorted(District.objects.values_list("kind", "code", "name", "schools__uai"))
            transaction.set_rollback(True)
        return rows, districts

    first = generate()
    assert not Academy.objects.exists()
    assert generate() == first
    assert [s.__dict__ for d in plan_directory() for s in d.schools] == [
        s.__dict__ for d in plan_directory() for s in d.schools
    ]


def test_known_names_stay_put(demo):
    # Screenshots and demonstration scripts name these: a change to the generator shows here first.
    assert str(demo_school(SchoolKind.COLLEGE)) == "Collège Émile Zola (0970339S)"
    assert str(demo_school(SchoolKind.ELEMENTAIRE)) == "École élémentaire Louise Michel (0970310K)"
    assert demo_district().code == "0977927P"


def test_a_second_call_changes_nothing(demo):
    before = table_sizes()
    latest = demo_schools().order_by("-updated_at").values_list("updated_at", flat=True).first()
    again = create_demo_directory()
    assert not again.created
    assert again.academy == demo.academy
    assert again.schools_by_kind == demo.schools_by_kind
    assert again.departments == demo.departments
    assert table_sizes() == before
    assert demo_schools().order_by("-updated_at").values_list("updated_at", flat=True).first() == latest


def test_helpers_return_stable_examples(demo):
    for kind in SchoolKind:
        school = demo_school(kind)
        assert (school.kind, school.sector, school.state) == (kind, Sector.PUBLIC, SchoolState.OPEN)
        candidates = demo_schools().filter(kind=kind, sector=Sector.PUBLIC, state=SchoolState.OPEN)
        assert school == candidates.order_by("uai").first() == demo_school(kind)
    district = demo_district()
    assert district.kind == DistrictKind.CIRCONSCRIPTION
    assert district.schools.filter(kind__in=ECOLE_KINDS).count() >= 20
    assert district.schools.filter(pk=demo_school(SchoolKind.ELEMENTAIRE).pk).exists()
    assert demo_district() == district
    assert demo_department().code == "097" == district.department.code


def test_helpers_say_when_there_is_no_demonstration(db):
    with pytest.raises(School.DoesNotExist):
        demo_school(SchoolKind.COLLEGE)
    with pytest.raises(School.DoesNotExist):
        demo_district()
    with pytest.raises(Department.DoesNotExist):
        demo_department()


def test_command_reports_what_it_created_then_that_it_changed_nothing(db):
    out = StringIO()
    call_command("demo_directory", stdout=out)
    text = out.getvalue()
    assert "Académie de Démonstration (code 99) : créée." in text
    assert "Val-de-Démo (097) : 9 circonscriptions, 3 bassins de formation" in text
    assert "collège : 160" in text
    out = StringIO()
    call_command("demo_directory", stdout=out)
    assert "déjà présente, rien n’a été modifié" in out.getvalue()
    assert Academy.objects.count() == 1
