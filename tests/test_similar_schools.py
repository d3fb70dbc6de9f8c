"""Schools like this one (schools/similarity.py, README « Schools like this one »): the group
computed as the README says on the real Val-de-Marne extract; the directory keeps the
coordinates; the similar schools' published average beside the district's, hidden by the
small-group rule; the observatory filtered by a school's group."""

import csv

import pytest
from django.urls import reverse

from paliers.assessments.aggregate_models import FigureArea
from paliers.assessments.benchmark import averages
from paliers.schools import import_formats as formats
from paliers.schools.importing import import_schools
from paliers.schools.models import School, SchoolKind
from paliers.schools.similarity import MIN_GROUP, group_for

from .observatory_world import make_observatory_world
from .pages import page_html
from .shared_data import ANNUAIRE_VAL_DE_MARNE

ECOLES = {SchoolKind.MATERNELLE, SchoolKind.ELEMENTAIRE, SchoolKind.PRIMAIRE}


def extract_rows():
    """The extract read with the csv module alone: uai → (kind, sector, EP, latitude)."""
    with open(ANNUAIRE_VAL_DE_MARNE, encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    found = {}
    for row in rows:
        kind = formats.school_kind(row["code_nature"], row["libelle_nature"], row["Type_etablissement"],
                                   row["Ecole_maternelle"], row["Ecole_elementaire"], "")  # fmt: skip
        ep = row["Appartenance_Education_Prioritaire"].strip().upper()
        found[row["Identifiant_de_l_etablissement"]] = (
            kind,
            "prive" if row["Statut_public_prive"].startswith("Priv") else "public",
            ep,
            row["latitude"],
        )
    return found


def expected_group(uai, rows):
    """The README's steps, from the file's rows (the extract has no pupils: step 1 is skipped)."""
    kind, sector, ep, _ = rows[uai]
    in_ep = ep in ("REP", "REP+")
    family = ECOLES if kind in ECOLES else {kind}
    steps = [
        lambda k, s, e: k == kind and s == sector and e == ep,
        lambda k, s, e: k == kind and s == sector and (e in ("REP", "REP+")) == in_ep,
        lambda k, s, e: k in family and s == sector and (e in ("REP", "REP+")) == in_ep,
        lambda k, s, e: k in family and s == sector,
        lambda k, s, e: k in family,
    ]
    for step in steps:
        members = {u for u, (k, s, e, _) in rows.items() if step(k, s, e)}
        if len(members) >= MIN_GROUP:
            return members
    return None


@pytest.mark.django_db
def test_the_similar_groups_of_the_real_extract_follow_the_readme():
    import_schools(ANNUAIRE_VAL_DE_MARNE)
    rows = extract_rows()
    # The coordinates are kept: every school the file places, and only those.
    placed = {u for u, row in rows.items() if row[3]}
    assert set(School.objects.filter(latitude__isnull=False).values_list("uai", flat=True)) == placed
    school = School.objects.get(uai="0940176F")
    assert (school.latitude, school.longitude) == (pytest.approx(48.751140), pytest.approx(2.323558))
    # One school of each (kind, sector, EP) found in the file: its group is the README's.
    seen = {}
    for uai, (kind, sector, ep, _) in sorted(rows.items()):
        seen.setdefault((kind, sector, ep), uai)
    assert len(seen) >= 8  # maternelles, élémentaires, primaires; public, privé; REP, REP+
    for uai in seen.values():
        school = School.objects.select_related("department").get(uai=uai)
        group = group_for(school)
        expected = expected_group(uai, rows)
        members = set(group.members().values_list("uai", flat=True)) if group else None
        assert members == expected, (uai, group and group.label)
        assert uai in members and len(members) >= MIN_GROUP
    # A REP+ élémentaire publique: alike in all three, and there are enough of them.
    rep_plus = next(u for u, r in rows.items() if r[:3] == (SchoolKind.ELEMENTAIRE, "public", "REP+"))
    group = group_for(School.objects.get(uai=rep_plus))
    assert group.label == "école élémentaire, public, REP+"
    assert group_for(School.objects.get(uai=rep_plus)) == group  # the same row, not a new one


@pytest.fixture
def world(db):
    return make_observatory_world()


def test_the_similar_schools_average_beside_the_districts(world):
    """The école's group: écoles publiques of Créteil in or out of éducation prioritaire (4
    élémentaires outside it are too few) — ecole, a, c, d, e, f; submitted: ecole and d."""
    w = world
    group = group_for(w.ecole)
    assert set(group.members()) == {w.ecole, w.a, w.c, w.d, w.e, w.f}
    rows = averages(w.assessment, w.admin)
    assert [r.area for r in rows] == ["district", "similar", "department", "academy"]
    similar = rows[1]
    assert similar.schools == 2 and similar.scores["PIL"] == pytest.approx((1.25 + 1.0) / 2)
    assert "académie de Créteil" in similar.detail
    # Two schools: hidden from the head, who sees only the école (the small-group rule).
    assert next(r for r in averages(w.assessment, w.head) if r.area == FigureArea.SIMILAR).hidden


def test_the_results_page_shows_the_similar_schools(client, world):
    client.force_login(world.admin)
    page = page_html(client.get(reverse("assessments:results", args=[world.assessment.pk])))
    detail = "école élémentaire ou école maternelle ou école primaire, public, académie de Créteil"
    assert f"Écoles semblables : {detail}." in page


def test_the_observatory_filters_by_a_schools_group(client, world):
    w = world
    client.force_login(w.admin)
    page = page_html(client.get(reverse("observatory:overview"), {"semblables": w.ecole.uai}))
    # ecole, a, c, d, e, f: the lycée, the collège and the private b are left out.
    assert "Sur 3 positionnements comptés." in page
    refused = client.get(reverse("observatory:overview"), {"semblables": "0000000A"})
    assert refused.status_code == 400
    assert "Aucune école de votre périmètre n’a l’UAI « 0000000A »." in page_html(refused)
