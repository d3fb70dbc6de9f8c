"""Benchmark: importing a national-size Annuaire de l'éducation (66,000 rows).

Generates an annuaire-format CSV (the 71 columns of the 2026 export, about 100
départements in 30 académies, circonscriptions, ZAP and bassins, a few UAIs on several
rows) in a temporary folder, then prints, for a fresh SQLite database (or DATABASE_URL
if set):
- parse: reading the CSV with the csv module alone (the floor of an import);
- first import: into the empty database (one transaction), and its ratio to parse;
- re-import: the same file again (nothing to write), and its ratio to parse;
- 1 % changed: the file again with 660 communes renamed;
- the peak memory of the process (ru_maxrss) after each step;
- then, on that national directory, the directory page as a national administrator and
  as an académie administrator (median of 10 requests, queries per page), against a
  floor: the same page's rows read with one raw SQL query.

Run: uv run python bench/import_schools.py
"""

import atexit
import csv
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="paliers-bench-")
atexit.register(shutil.rmtree, workdir, ignore_errors=True)  # two 35 MB files and a database
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("PALIERS_VAR_DIR", workdir)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paliers.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from paliers.accounts.models import Role  # noqa: E402
from paliers.schools.importing import import_schools  # noqa: E402
from paliers.schools.models import Academy, Department, District, School  # noqa: E402
from paliers.schools.uai import make_uai  # noqa: E402

ROWS = 66_000
DUPLICATES = 300  # rows repeating an earlier UAI (establishments on several sites)
# The 71 columns of the 2026 export, from the real extract.
ANNUAIRE = Path(__file__).resolve().parents[2] / "shared" / "data" / "annuaire-val-de-marne-ecoles-2026.csv"
HEADER = ANNUAIRE.read_text(encoding="utf-8-sig").partition("\n")[0].strip().split(";")
ACADEMIES = (  # noqa: SIM905 (one line of names reads better than thirty)
    "Paris Aix-Marseille Besançon Bordeaux Normandie Clermont-Ferrand Dijon Grenoble Lille Lyon "
    "Montpellier Nancy-Metz Poitiers Rennes Strasbourg Toulouse Nantes Orléans-Tours Reims Amiens "
    "Limoges Nice Créteil Versailles Corse La-Réunion Martinique Guadeloupe Guyane Mayotte"
).split()
# (nature code, label, type, share of the rows)
NATURES = (
    ("101", "ECOLE MATERNELLE", "Ecole", 0.30),
    ("151", "ECOLE DE NIVEAU ELEMENTAIRE", "Ecole", 0.40),
    ("340", "COLLEGE", "Collège", 0.12),
    ("300", "LYCEE ENSEIGNT GENERAL ET TECHNOLOGIQUE", "Lycée", 0.04),
    ("306", "LYCEE POLYVALENT", "Lycée", 0.03),
    ("320", "LYCEE PROFESSIONNEL", "Lycée", 0.03),
    ("370", "ETABLISSEMENT REGIONAL D'ENSEIGNEMENT ADAPTE", "EREA", 0.005),
    ("800", "SERVICE ADMINISTRATIF", "Service Administratif", 0.075),
)
PEOPLE = "Jules Ferry|Jean Jaurès|Victor Hugo|Louise Michel|Jean Moulin|Marie Curie|Paul Langevin|Condorcet"


def departments():
    """About 100 départements (as the ministry codes them) spread over 30 académies."""
    codes = [f"{n:03d}" for n in range(1, 96) if n != 20] + ["02A", "02B", "971", "972", "973", "974", "976"]
    for position, code in enumerate(codes):
        academy = position * len(ACADEMIES) // len(codes)
        uai_prefix = {"02A": "620", "02B": "720"}.get(code, code)
        yield code, uai_prefix, f"{academy + 1:02d}", ACADEMIES[academy]


def rows(rng):
    """The generated rows, one at a time (the benchmark measures the import's memory, not
    the generator's); a few UAIs come again on a later row, as sites of one establishment."""
    places = list(departments())
    per_department = (ROWS - DUPLICATES) // len(places) + 1
    natures = [n[:3] for n in NATURES]
    weights = [n[3] for n in NATURES]
    twice = set(rng.sample(range(ROWS - DUPLICATES), DUPLICATES))
    twins, produced = [], 0
    for code, prefix, academy_code, academy in places:
        insee = code[1:] if code[0] == "0" else code  # 094 → 94, 02A → 2A, 971 → 971
        postal = "20" if code in {"02A", "02B"} else insee
        communes = [(insee + f"{n}".zfill(5 - len(insee)), f"Commune {code}-{n}") for n in range(1, 60)]
        for number in range(per_department):
            if produced == ROWS - DUPLICATES:
                break
            nature, label, school_type = rng.choices(natures, weights)[0]
            commune_code, commune = rng.choice(communes)
            circonscription = number % 13
            uai = make_uai(f"{prefix}{number:04d}")
            postal_code = f"{postal}{rng.randint(0, 9)}00"[:5]
            latitude, longitude = f"{rng.uniform(42, 51):.14f}", f"{rng.uniform(-4, 8):.14f}"
            row = dict.fromkeys(HEADER, "")
            row.update(
                {
                    "Identifiant_de_l_etablissement": uai,
                    "Nom_etablissement": f"{label.capitalize()} {rng.choice(PEOPLE.split('|'))}",
                    "Type_etablissement": school_type,
                    "Statut_public_prive": "Privé" if rng.random() < 0.15 else "Public",
                    "Adresse_1": f"{rng.randint(1, 200)} rue de la République",
                    "Adresse_3": f"{postal_code} {commune.upper()}",
                    "Code_postal": postal_code,
                    "Code_commune": commune_code,
                    "Nom_commune": commune,
                    "Code_departement": code,
                    "Code_academie": academy_code,
                    "Code_region": "11",
                    "Ecole_maternelle": "1" if nature == "101" or rng.random() < 0.1 else "0",
                    "Ecole_elementaire": "1" if nature == "151" else "0",
                    "Telephone": f"01{rng.randint(10**7, 10**8 - 1)}",
                    "Mail": f"ce.{uai}@ac-{academy.lower()}.fr",
                    "Restauration": "1",
                    "Hebergement": "0",
                    "ULIS": rng.choice("01"),
                    "Lycee_Agricole": "1" if nature == "300" and rng.random() < 0.05 else "",
                    "Appartenance_Education_Prioritaire": rng.choices(["", "REP", "REP+"], [85, 11, 4])[0],
                    "SIREN_SIRET": f"{rng.randint(10**13, 10**14 - 1)}",
                    "position": f"{latitude}, {longitude}",
                    "Type_contrat_prive": "SANS OBJET",
                    "Libelle_departement": f"Département {code}",
                    "Libelle_academie": academy,
                    "Libelle_region": "Ile-de-France",
                    "coordX_origine": f"{rng.uniform(1e5, 1e6):.1f}",
                    "coordY_origine": f"{rng.uniform(6e6, 7e6):.1f}",
                    "epsg_origine": "EPSG:2154",
                    "latitude": latitude,
                    "longitude": longitude,
                    "precision_localisation": "Numéro de rue",
                    "date_ouverture": "1965-05-01",
                    "date_maj_ligne": "2026-05-27",
                    "etat": rng.choices(["OUVERT", "A FERMER", "A OUVRIR"], [98, 1, 1])[0],
                    "ministere_tutelle": "MINISTERE DE L'EDUCATION NATIONALE",
                    "multi_uai": "0",
                    "rpi_concentre": "0",
                    "code_nature": nature,
                    "libelle_nature": label,
                    "Code_type_contrat_prive": "99",
                }
            )
            if school_type == "Ecole":
                row["code_circonscription"] = make_uai(f"{prefix}9{circonscription:03d}")
                row["nom_circonscription"] = (
                    f"Circonscription d'inspection du 1er degré {code}-{circonscription}"
                )
                row["PIAL"] = row["code_circonscription"]
            if school_type != "Service Administratif" and number % 3 == 0:
                zap = number % 7
                # Half the ZAP come without a code: the importer derives one from the name.
                row["code_zone_animation_pedagogique"] = f"{code}Z{zap}" if zap % 2 else ""
                row["libelle_zone_animation_pedagogique"] = f"ZAP {code} n° {zap + 1}"
            if school_type in {"Collège", "Lycée", "EREA"}:
                bassin = number % 4
                row["code_bassin_formation"] = f"{academy_code}{code[-2:]}{bassin}"
                row["libelle_bassin_formation"] = f"Bassin {code} n° {bassin + 1}"
            if produced in twice:
                twins.append(dict(row, Adresse_1="Site annexe", Mail=""))
            produced += 1
            yield row
    yield from twins


def write(path, changed_path, rng):
    """The file, and a copy of it with 1 % of its communes renamed."""
    with (
        path.open("w", encoding="utf-8-sig", newline="") as file,
        changed_path.open("w", encoding="utf-8-sig", newline="") as changed_file,
    ):
        writer = csv.DictWriter(file, HEADER, delimiter=";", lineterminator="\r\n")
        changed = csv.DictWriter(changed_file, HEADER, delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        changed.writeheader()
        for row in rows(rng):
            writer.writerow(row)
            if rng.random() < 0.01:
                row = dict(row, Nom_commune=row["Nom_commune"] + " (nouveau nom)")
            changed.writerow(row)


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def parse_only(path):
    with path.open(encoding="utf-8-sig", newline="") as file:
        return sum(1 for _ in csv.reader(file, delimiter=";"))


def main():
    call_command("migrate", verbosity=0)
    path, changed = Path(workdir) / "annuaire-national.csv", Path(workdir) / "annuaire-1pc-changed.csv"
    write(path, changed, random.Random(2026))  # noqa: S311 (a reproducible sample, not a secret)
    size_mb = path.stat().st_size / 2**20
    print(f"database: {connection.vendor}; file: {ROWS:,} rows, {size_mb:.0f} MB")
    print(f"peak memory after generating the file: {peak_mb():.0f} MB")
    _, floor = timed(lambda: parse_only(path))
    print(f"parse with csv (floor)  {floor:6.2f} s")
    first, seconds = timed(lambda: import_schools(path))
    assert first.applied and not first.rejected, first.rejected[:5]
    print(
        f"first import            {seconds:6.2f} s   ratio to parse: {seconds / floor:5.1f}   "
        f"peak memory: {peak_mb():.0f} MB   ({first.created:,} created, {first.merged} merged rows, "
        f"{District.objects.count():,} districts)"
    )
    with CaptureQueriesContext(connection) as queries:
        again, seconds = timed(lambda: import_schools(path))
    assert again.unchanged == School.objects.count() and not again.created and not again.updated
    print(
        f"re-import (no change)   {seconds:6.2f} s   ratio to parse: {seconds / floor:5.1f}   "
        f"peak memory: {peak_mb():.0f} MB   ({len(queries)} queries)"
    )
    changes, seconds = timed(lambda: import_schools(changed))
    print(
        f"re-import (1 % changed) {seconds:6.2f} s   ratio to parse: {seconds / floor:5.1f}   "
        f"peak memory: {peak_mb():.0f} MB   ({changes.updated:,} updated)"
    )
    directory_pages()


def median_ms(function, rounds=10):
    times = []
    for _ in range(rounds):
        _, seconds = timed(function)
        times.append(seconds)
    return sorted(times)[rounds // 2] * 1000


class QueryCounter(list):
    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def directory_pages():
    """The directory page on the national directory: search, filters, a far page."""
    call_command("collectstatic", "--no-input", verbosity=0)
    User = get_user_model()
    national = User.objects.create_superuser("national", password="x" * 12)
    academy = Academy.objects.get(name="Créteil")
    local = User.objects.create_user("dan")
    local.memberships.create(role=Role.ACADEMY_ADMIN, academy=academy)
    department = Department.objects.filter(academy=academy).first()
    with connection.cursor() as cursor:
        floor = median_ms(
            lambda: (
                cursor.execute(
                    "SELECT uai, name, kind, commune FROM schools_school ORDER BY sort_name, uai LIMIT 50"
                )
                or cursor.fetchall()
            )
        )
    print(f"directory page floor (raw SQL: count, then 50 rows) {floor:6.2f} ms")
    cases = [
        ("national, no filter", national, {}),
        ("national, search 'jaures'", national, {"q": "jaures"}),
        ("national, collèges, page 40", national, {"kind": "college", "page": 40}),
        ("académie, no filter", local, {}),
        (f"académie, département {department.code}", local, {"department": department.pk}),
    ]
    for label, user, params in cases:
        client = Client()
        client.force_login(user)
        assert client.get("/annuaire/", params).status_code == 200
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            client.get("/annuaire/", params)
        ms = median_ms(lambda client=client, params=params: client.get("/annuaire/", params))
        print(f"directory page, {label:<32} {ms:7.1f} ms  ratio: {ms / floor:5.1f}  ({len(queries)} queries)")


if __name__ == "__main__":
    main()
