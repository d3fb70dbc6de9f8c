"""A synthetic national Annuaire de l'éducation: 66,000 rows in about 100 départements of 30
académies, with circonscriptions, ZAP and bassins, and a few UAIs on several rows.

Deterministic for a given random generator. Used by `paliers generate_national` (the
national dataset of the observatory's benchmark) and by bench/import_schools.py, which
writes the rows under the 71 columns of the real 2026 export.
"""

from paliers.schools.uai import make_uai

ROWS = 66_000
DUPLICATES = 300  # rows repeating an earlier UAI (establishments on several sites)
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

# The columns the generator fills, named as in the 2026 export: enough for the importer.
COLUMNS = (
    "Identifiant_de_l_etablissement", "Nom_etablissement", "Type_etablissement", "Statut_public_prive",
    "Adresse_1", "Adresse_3", "Code_postal", "Code_commune", "Nom_commune", "Code_departement",
    "Code_academie", "Code_region", "Ecole_maternelle", "Ecole_elementaire", "Telephone", "Mail",
    "Restauration", "Hebergement", "ULIS", "Lycee_Agricole", "Appartenance_Education_Prioritaire",
    "SIREN_SIRET", "position", "Type_contrat_prive", "Libelle_departement", "Libelle_academie",
    "Libelle_region", "coordX_origine", "coordY_origine", "epsg_origine", "latitude", "longitude",
    "precision_localisation", "date_ouverture", "date_maj_ligne", "etat", "ministere_tutelle", "multi_uai",
    "rpi_concentre", "code_nature", "libelle_nature", "Code_type_contrat_prive", "code_circonscription",
    "nom_circonscription", "PIAL", "code_zone_animation_pedagogique", "libelle_zone_animation_pedagogique",
    "code_bassin_formation", "libelle_bassin_formation",
)  # fmt: skip


def departments():
    """About 100 départements (as the ministry codes them) spread over 30 académies."""
    codes = [f"{n:03d}" for n in range(1, 96) if n != 20] + ["02A", "02B", "971", "972", "973", "974", "976"]
    for position, code in enumerate(codes):
        academy = position * len(ACADEMIES) // len(codes)
        uai_prefix = {"02A": "620", "02B": "720"}.get(code, code)
        yield code, uai_prefix, f"{academy + 1:02d}", ACADEMIES[academy]


def rows(rng, header=COLUMNS, count=ROWS):
    """The generated rows, one at a time (the benchmark measures the import's memory, not
    the generator's); a few UAIs come again on a later row, as sites of one establishment.
    `count` rows in all (smaller for the benchmarks' smoke runs), the same share repeated."""
    duplicates = DUPLICATES * count // ROWS
    places = list(departments())
    per_department = (count - duplicates) // len(places) + 1
    natures = [n[:3] for n in NATURES]
    weights = [n[3] for n in NATURES]
    twice = set(rng.sample(range(count - duplicates), duplicates))
    twins, produced = [], 0
    for code, prefix, academy_code, academy in places:
        insee = code[1:] if code[0] == "0" else code  # 094 → 94, 02A → 2A, 971 → 971
        postal = "20" if code in {"02A", "02B"} else insee
        communes = [(insee + f"{n}".zfill(5 - len(insee)), f"Commune {code}-{n}") for n in range(1, 60)]
        for number in range(per_department):
            if produced == count - duplicates:
                break
            nature, label, school_type = rng.choices(natures, weights)[0]
            commune_code, commune = rng.choice(communes)
            circonscription = number % 13
            uai = make_uai(f"{prefix}{number:04d}")
            postal_code = f"{postal}{rng.randint(0, 9)}00"[:5]
            latitude, longitude = f"{rng.uniform(42, 51):.14f}", f"{rng.uniform(-4, 8):.14f}"
            row = dict.fromkeys(header, "")
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
