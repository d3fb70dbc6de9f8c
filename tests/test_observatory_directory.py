"""A directory import that changes a school's éducation prioritaire, sector or type moves
its positionings in the observatory's aggregates, in the import's own transaction: figures
filtered by REP the day after a new REP map are those of the new map."""

import datetime

import pytest

from paliers.assessments import aggregates, answering
from paliers.assessments.aggregate_models import AssessmentSummary, StageTally
from paliers.assessments.campaigns import open_campaign
from paliers.assessments.models import SchoolGroup
from paliers.frameworks.loading import framework_files, load_specs, parse_files
from paliers.frameworks.models import Framework
from paliers.schools.importing import import_schools
from paliers.schools.models import Academy, School

from .factories import during, user
from .test_import_schools import annuaire_slice, put
from .test_observatory_aggregates import assert_as_rebuilt, state

DOISNEAU, WALLON, FERRY = "0940176F", "0940198E", "0940204L"  # the slice's first rows: '', '', REP


@pytest.fixture
def world(db, tmp_path):
    """The first 10 écoles of Val-de-Marne, imported; two campaigns of the écoles framework;
    Doisneau and Ferry started this year's positioning, Doisneau submitted last year's."""
    import_schools(annuaire_slice(tmp_path, 10, "first.csv"))
    load_specs(parse_files([f for f in framework_files() if f.name.startswith("creteil-ecoles-2014")]))
    framework = Framework.objects.get(slug="creteil-ecoles")
    academy = Academy.objects.get(departments__code="094")
    admin = user("admin", is_superuser=True)
    campaigns = [
        open_campaign(framework=framework, school_year=f"{y}-{y + 1}", academy=academy,
                      school_group=SchoolGroup.ECOLES, opens_on=datetime.date(y, 9, 15),
                      closes_on=datetime.date(y + 1, 6, 30), user=admin)
        for y in (2024, 2025)
    ]  # fmt: skip
    met = [{"criterion": "PIL.1.1", "value": "atteint"}]
    for campaign, uai in ((campaigns[0], DOISNEAU), (campaigns[1], DOISNEAU), (campaigns[1], FERRY)):
        with during(campaign):  # a closed campaign is read-only: answered while it was open
            answering.replace_answers(campaign.assessments.get(school__uai=uai), met, user=admin)
    with during(campaigns[0]):
        answering.submit(campaigns[0].assessments.get(school__uai=DOISNEAU), admin)
    return campaigns, tmp_path


def reimport(tmp_path, **changes):
    """Import the same 10 rows again, with {uai: {column: value}} changed."""

    def edit(header, rows):
        for row in rows:
            put(header, row, **changes.get(row[0], {}))

    summary = import_schools(annuaire_slice(tmp_path, 10, "again.csv", edit))
    assert summary.applied and not summary.rejected
    return summary


def schools_in(campaign, priority, stage):
    found = StageTally.objects.filter(campaign=campaign, priority_education=priority, stage=stage)
    return sum(found.values_list("schools", flat=True))


def test_a_new_rep_map_moves_the_positionings_of_every_round(world):
    (last_year, this_year), tmp_path = world
    assert schools_in(this_year, "REP", "in_progress") == 1  # Ferry
    reimport(tmp_path, **{DOISNEAU: {"Appartenance_Education_Prioritaire": "REP"},
                          FERRY: {"Appartenance_Education_Prioritaire": ""}})  # fmt: skip
    assert schools_in(this_year, "REP", "in_progress") == 1  # Doisneau now, Ferry no more
    doisneau = AssessmentSummary.objects.get(assessment__campaign=this_year, school__uai=DOISNEAU)
    assert doisneau.priority_education == "REP"
    assert schools_in(last_year, "REP", "submitted") == 1  # Doisneau, counted as REP in the past too
    assert schools_in(this_year, "REP", "not_started") == 2  # Jardin Parisien, Joliot-Curie: unchanged
    assert_as_rebuilt()


def test_an_unchanged_directory_moves_nothing(world):
    _, tmp_path = world
    kept = state()
    reimport(tmp_path)
    assert aggregates.follow_directory() == 0
    assert state() == kept


def test_past_many_moves_a_campaign_is_rebuilt_and_gives_the_same_figures(world, monkeypatch):
    (last_year, this_year), tmp_path = world
    monkeypatch.setattr(aggregates, "REFRESH_AT_MOST", 1)  # 3 moves in this year's campaign
    reimport(tmp_path, **{uai: {"Statut_public_prive": "Privé"} for uai in (DOISNEAU, WALLON, FERRY)})
    private = StageTally.objects.filter(campaign=this_year, sector="prive")
    assert sorted(private.exclude(schools=0).values_list("priority_education", "stage", "schools")) == [
        ("", "in_progress", 1),  # Doisneau
        ("", "not_started", 1),  # Wallon
        ("REP", "in_progress", 1),  # Ferry
    ]
    last_year_private = StageTally.objects.filter(campaign=last_year, sector="prive").exclude(schools=0)
    assert sorted(last_year_private.values_list("stage", "schools")) == [
        ("not_started", 1),  # Wallon
        ("not_started", 1),  # Ferry
        ("submitted", 1),  # Doisneau
    ]
    assert_as_rebuilt()


def test_a_refused_import_moves_nothing(world):
    _, tmp_path = world
    kept, directory = state(), list(School.objects.values_list("uai", "priority_education"))

    def edit(header, rows):
        put(header, rows[0], Appartenance_Education_Prioritaire="REP+")
        rows[5][0] = "094023"  # a faulty UAI: the whole file is refused

    assert not import_schools(annuaire_slice(tmp_path, 10, "faulty.csv", edit)).applied
    assert state() == kept
    assert list(School.objects.values_list("uai", "priority_education")) == directory
