"""Places for the demonstration académie's schools, so that its maps show them.

The fictional départements are drawn on the shapes of real ones (maps.DEMO_SHAPES): each
commune gets a place inside its département's shape, its schools around it. The same on
every run (a seeded generator, apart from the directory's own); only schools without
coordinates are placed.
"""

import random
from collections import defaultdict

from paliers.schools.demo import DEMO_ACADEMY_CODE, SEED
from paliers.schools.models import School

from .maps import DEMO_SHAPES, inside, rings, shapes, unproject

SPREAD = 1.2  # map units (about 2 km) around the commune's place


def place_demo_schools():
    """Give the demo schools without coordinates a place; returns how many were placed."""
    rng = random.Random(SEED + 21)  # noqa: S311 (reproducible on purpose, nothing secret)
    schools = School.objects.filter(department__academy__code=DEMO_ACADEMY_CODE, latitude__isnull=True)
    by_department = defaultdict(lambda: defaultdict(list))
    for school in schools.select_related("department").order_by("uai"):
        by_department[school.department.code][school.commune_code].append(school)
    placed = []
    for code, communes in sorted(by_department.items()):
        shape = shapes()[DEMO_SHAPES[code]]
        shape_rings = rings(shape["path"])

        for _, members in sorted(communes.items()):
            centre = _somewhere(rng, shape_rings, shape["bbox"])
            for school in members:
                place = _somewhere(rng, shape_rings, shape["bbox"], centre)
                school.longitude, school.latitude = (round(v, 6) for v in unproject(*place))
                placed.append(school)
    School.objects.bulk_update(placed, ["latitude", "longitude"], batch_size=1000)
    return len(placed)


def _somewhere(rng, shape_rings, bbox, near=None):
    """A point inside the shape: anywhere in it, or within SPREAD of `near`."""
    x0, y0, x1, y1 = bbox
    while True:
        if near is None:
            point = (rng.uniform(x0, x1), rng.uniform(y0, y1))
        else:
            point = (near[0] + rng.uniform(-SPREAD, SPREAD), near[1] + rng.uniform(-SPREAD, SPREAD))
        if inside(point, shape_rings):
            return point
