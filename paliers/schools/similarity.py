"""Schools like this one: the group a school is compared with beside its district.

The rule (README, « Schools like this one »): among the schools of its académie, the first
of these steps that finds at least MIN_GROUP schools (the school included) gives the group:

1. same kind, same sector, same éducation prioritaire, same size band (when the directory
   gives the pupils: SIZE_BANDS);
2. same kind, same sector, same éducation prioritaire;
3. same kind, same sector, in éducation prioritaire (REP or REP+) or not;
4. same kind of school (FAMILIES: école, collège, lycée, other), same sector, in
   éducation prioritaire or not;
5. same kind of school, same sector;
6. same kind of school.

No step with MIN_GROUP schools: no group (the page says so). The kind of commune (urban,
rural) is not in the ministry's directory files, so the rule cannot use it.
"""

import itertools

from .models import ECOLE_KINDS, PriorityEducation, School, SchoolKind, SimilarGroup

MIN_GROUP = 5  # the small-group rule: a group is never smaller
SIZE_BANDS = (0, 100, 200, 400, 800, 1500, 100_000)  # pupils, a band is [low, high)
LYCEE_KINDS = (SchoolKind.LGT, SchoolKind.LP, SchoolKind.LPO, SchoolKind.AGRICOLE)
FAMILIES = (ECOLE_KINDS, (SchoolKind.COLLEGE,), LYCEE_KINDS)
IN_PRIORITY = (PriorityEducation.REP, PriorityEducation.REP_PLUS)
ANY = "*"


def family(kind):
    return next((tuple(f) for f in FAMILIES if kind in f), (kind,))


def size_band(pupils):
    if pupils is None:
        return None
    return next((low, high) for low, high in itertools.pairwise(SIZE_BANDS) if pupils < high)


def steps(school):
    """The criteria of the rule's steps for `school`, strictest first (SimilarGroup fields)."""
    kinds, priority = (school.kind,), (school.priority_education,)
    grouped = IN_PRIORITY if school.priority_education in IN_PRIORITY else (PriorityEducation.NONE,)
    band = size_band(school.pupils)
    found = []
    if band is not None:
        found.append((kinds, school.sector, priority, band))
    found += [
        (kinds, school.sector, priority, (0, 0)),
        (kinds, school.sector, grouped, (0, 0)),
        (family(school.kind), school.sector, grouped, (0, 0)),
        (family(school.kind), school.sector, ANY, (0, 0)),
        (family(school.kind), "", ANY, (0, 0)),
    ]
    return found


def _criteria(academy_id, step):
    kinds, sector, priorities, (low, high) = step
    return {
        "academy_id": academy_id,
        "kinds": ",".join(sorted(str(kind) for kind in kinds)),
        "sector": sector,
        "priorities": priorities if priorities == ANY else ",".join(sorted(str(p) for p in priorities)),
        "pupils_min": low,
        "pupils_max": high,
    }


def group_for(school):
    """The school's SimilarGroup (saved), or None when no step finds MIN_GROUP schools."""
    academy_id = school.department.academy_id
    seen = set()
    for step in steps(school):
        criteria = _criteria(academy_id, step)
        key = tuple(criteria.values())
        if key in seen:  # a step the previous one already was (a lycée's family is itself…)
            continue
        seen.add(key)
        candidate = SimilarGroup(**criteria)
        if School.objects.filter(candidate.condition()).count() >= MIN_GROUP:
            group, _ = SimilarGroup.objects.get_or_create(**criteria)
            return group
    return None
