"""A small world whose aggregates are computed by hand in the tests.

make_world's académies, schools and users, plus écoles so that Créteil has seven, and two
campaigns on the écoles framework of Créteil (2024-2025, 2025-2026), answered through
answering.py (so the aggregates are kept up to date as in real use). In 2025-2026:

| école | dépt | district | type | secteur | EP | answers (domain PIL) | PIL level; score |
|---|---|---|---|---|---|---|---|
| ecole | 094 | Fresnes | élémentaire | public | | submitted: PIL.1.*, 2.1 met, 2.2 en cours | 1; 1.25 |
| a | 094 | Fresnes | maternelle | public | REP | in progress: PIL.1.1 met, PIL.1.2 non atteint | 0; 0.2 |
| b | 094 | Fresnes | élémentaire | privé | | submitted: PIL.1.* and PIL.2.* met | 2; 2.0 |
| c | 094 | | primaire | public | REP+ | not started | |
| d | 077 | | élémentaire | public | | submitted: PIL.1.* met | 1; 1.0 |
| e, f | 094 | | élémentaire | public | | not started | |

In 2024-2025, only ecole answered (PIL.1.* met) and submitted. Other domains are never
answered: level 0, score 0 for every started assessment.
"""

import datetime

from paliers.assessments import answering
from paliers.assessments.campaigns import open_campaign
from paliers.assessments.models import SchoolGroup
from paliers.frameworks.loading import framework_files, load_specs, parse_files
from paliers.frameworks.models import Framework
from paliers.schools.models import PriorityEducation, SchoolKind, Sector

from .factories import during, make_world, school

PIL_1 = ("PIL.1.1", "PIL.1.2", "PIL.1.3", "PIL.1.4", "PIL.1.5")
PIL_2 = ("PIL.2.1", "PIL.2.2", "PIL.2.3", "PIL.2.4")


def met(*codes):
    return [{"criterion": code, "value": "atteint"} for code in codes]


def make_observatory_world():
    names = ("creteil-ecoles-2014", "creteil-etablissements-2014")
    load_specs(parse_files([f for f in framework_files() if f.name.startswith(names)]))
    w = make_world()
    w.framework = Framework.objects.get(slug="creteil-ecoles")
    vdm, fresnes = w.val_de_marne, [w.fresnes]
    w.a = school(vdm, 201, "École maternelle Les Lilas", SchoolKind.MATERNELLE, fresnes,
                 priority_education=PriorityEducation.REP)  # fmt: skip
    w.b = school(vdm, 202, "École Sainte-Marie", SchoolKind.ELEMENTAIRE, fresnes, sector=Sector.PRIVATE)
    w.c = school(vdm, 203, "École primaire Jean Jaurès", SchoolKind.PRIMAIRE,
                 priority_education=PriorityEducation.REP_PLUS)  # fmt: skip
    w.d = school(w.seine_et_marne, 204, "École élémentaire du Centre", SchoolKind.ELEMENTAIRE)
    w.e = school(vdm, 205, "École élémentaire Victor Hugo", SchoolKind.ELEMENTAIRE)
    w.f = school(vdm, 206, "École élémentaire Paul Bert", SchoolKind.ELEMENTAIRE)
    w.last_year = _campaign(w, "2024-2025")
    _answer(w, w.last_year, w.ecole, met(*PIL_1), submit=True)
    w.campaign = _campaign(w, "2025-2026")
    _answer(w, w.campaign, w.ecole, [*met(*PIL_1, "PIL.2.1"), {"criterion": "PIL.2.2", "value": "en_cours"}],
            submit=True)  # fmt: skip
    _answer(w, w.campaign, w.a, [*met("PIL.1.1"), {"criterion": "PIL.1.2", "value": "non_atteint"}])
    _answer(w, w.campaign, w.b, met(*PIL_1, *PIL_2), submit=True)
    _answer(w, w.campaign, w.d, met(*PIL_1), submit=True)
    w.assessment = w.campaign.assessments.get(school=w.ecole)
    return w


def _campaign(w, year):
    start = int(year[:4])
    return open_campaign(
        framework=w.framework, school_year=year, academy=w.creteil, school_group=SchoolGroup.ECOLES,
        opens_on=datetime.date(start, 9, 15), closes_on=datetime.date(start + 1, 6, 30), user=w.admin,
    )  # fmt: skip


def _answer(w, campaign, school, items, submit=False):
    assessment = campaign.assessments.get(school=school)
    with during(campaign):
        answering.replace_answers(assessment, items, user=w.admin)
        if submit:
            answering.submit(assessment, w.admin)
