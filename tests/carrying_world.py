"""A collège positioned in 2024-2025 on the Créteil établissements table of 2014, then in
2025-2026 on the revised table, with the shipped crosswalk between the two."""

import datetime

from paliers.accounts.models import Role
from paliers.assessments import answering
from paliers.assessments.campaigns import open_campaign
from paliers.assessments.models import Assessment, SchoolGroup
from paliers.frameworks.crosswalk_loading import load_crosswalk_paths
from paliers.frameworks.loading import framework_files, load_specs, parse_files

from .factories import during, make_world, user

# The collège's 2014 answers, and what the crosswalk (rule « au moins une source ») proposes.
OLD_ANSWERS = [
    {
        "criterion": "PIL.1.1",
        "value": "atteint",
        "comment": "Voté en CA",
        "evidence_url": "https://example.org/p",
    },
    {"criterion": "PIL.2.1", "value": "atteint"},  # → PIL.COM.1.1: the revised asks more
    {"criterion": "PIL.1.3", "value": "atteint"},  # → PIL.REF.1.1, PIL.REF.2.1: partial only
    {"criterion": "FOR.2.5", "value": "atteint"},  # → FOR.INT.3.2 « en cours » …
    {"criterion": "FOR.3.3", "value": "atteint"},  # … and « atteint »: atteint
    {"criterion": "FOR.3.1", "value": "non_atteint"},  # → FOR.REF.3.1: still not met
    {"criterion": "RES.2.4", "value": "en_cours"},  # → RES.VEI.1.1, equal
    {"criterion": "EQU.2.1", "value": "atteint"},  # → INF.VIS.1.1, equal
]
PROPOSED = {
    "PIL.PRO.1.1": "atteint",
    "PIL.COM.1.1": "en_cours",
    "FOR.INT.3.2": "atteint",
    "FOR.REF.3.1": "non_atteint",
    "RES.VEI.1.1": "en_cours",
    "INF.VIS.1.1": "atteint",
}
TO_ANSWER = {"PIL.REF.1.1", "PIL.REF.2.1"}


def campaign(w, framework, year):
    return open_campaign(
        framework=framework, school_year=year, academy=w.creteil, school_group=SchoolGroup.ETABLISSEMENTS,
        opens_on=datetime.date(int(year[:4]), 9, 15), closes_on=datetime.date(int(year[5:]), 6, 30),
        user=w.admin,
    )  # fmt: skip


def make_carrying_world(same_version=False):
    w = make_world()
    wanted = {"creteil-etablissements-2014.yaml", "creteil-etablissements-revise-1.yaml"}
    loaded = {r.spec.slug: r.framework for r in load_specs(parse_files(
        [f for f in framework_files() if f.name in wanted]))}  # fmt: skip
    load_crosswalk_paths()
    w.old_framework, w.new_framework = (
        loaded["creteil-etablissements"],
        loaded["creteil-etablissements-revise"],
    )
    w.principal = user("principale", Role.SCHOOL_HEAD, w.college, first_name="Patricia")
    w.college_referent = user("referent-college", Role.SCHOOL_REFERENT, w.college)
    w.old_campaign = campaign(w, w.old_framework, "2024-2025")
    w.old = Assessment.objects.get(campaign=w.old_campaign, school=w.college)
    with during(w.old_campaign):
        answering.replace_answers(w.old, OLD_ANSWERS, user=w.principal, source="web")
        answering.submit(w.old, w.principal)
    w.new_campaign = campaign(w, w.old_framework if same_version else w.new_framework, "2025-2026")
    w.assessment = Assessment.objects.get(campaign=w.new_campaign, school=w.college)
    return w
