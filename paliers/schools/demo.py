"""The « Académie de démonstration »: a fictional directory, the same on every run.

Demonstrations, screenshots and tests need a directory that looks like the ministry's (every
kind of school, circonscriptions and bassins, private schools, REP) without real schools in it.
Its codes lie outside the real ranges so that importing real files beside it never collides:
académie 99, départements 097 to 099 (so UAIs 097xxxxL…), communes 970xx, 980xx and 990xx
(real overseas communes start at 971, foreign countries at 99100).
"""

import random
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q

from paliers.core.bulk import refresh_statistics

from .models import (
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
    sort_key,
)
from .uai import make_uai

DEMO_ACADEMY_CODE = "99"
DEMO_ACADEMY_NAME = "Démonstration"
# A reserved domain (RFC 2606): an invitation sent by mistake can reach no one.
DEMO_EMAIL_DOMAIN = "ac-demo.invalid"
# Tests, screenshots and written demonstration scripts name schools of this generation:
# changing the seed renames every school and UAI.
SEED = 20260901

K = SchoolKind


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    share: float  # of the académie's schools
    circonscriptions: int  # at most 9: the circonscription's digit is part of the postal code
    bassins: int
    communes: int


DEPARTMENTS = (
    DepartmentSpec("097", "Val-de-Démo", 0.40, 9, 3, 44),
    DepartmentSpec("098", "Hauts-de-Démo", 0.33, 8, 3, 40),
    DepartmentSpec("099", "Côtes-de-Démo", 0.27, 7, 2, 36),
)
SCHOOLS_PER_KIND = {
    K.MATERNELLE: 300, K.ELEMENTAIRE: 350, K.PRIMAIRE: 250, K.COLLEGE: 160, K.LGT: 40,
    K.LP: 30, K.LPO: 40, K.EREA: 3, K.AGRICOLE: 3, K.OTHER: 6,
}  # fmt: skip
# Private schools are mostly primaires, collèges and lycées: about 12 % of the whole.
PRIVATE_SHARE = {
    K.MATERNELLE: 0.03, K.ELEMENTAIRE: 0.08, K.PRIMAIRE: 0.17, K.COLLEGE: 0.20, K.LGT: 0.30,
    K.LP: 0.25, K.LPO: 0.25, K.AGRICOLE: 0.34,
}  # fmt: skip
REP_SHARE, REP_PLUS_SHARE = 0.15, 0.03
SCHOOLS_TO_OPEN, SCHOOLS_TO_CLOSE = 2, 3

NAME_PREFIX = {
    K.MATERNELLE: "École maternelle", K.ELEMENTAIRE: "École élémentaire", K.PRIMAIRE: "École primaire",
    K.COLLEGE: "Collège", K.LGT: "Lycée général et technologique", K.LP: "Lycée professionnel",
    K.LPO: "Lycée polyvalent", K.EREA: "EREA", K.AGRICOLE: "Lycée agricole",
}  # fmt: skip


def _listed(text):
    return tuple(name.strip() for name in text.split(",") if name.strip())


PEOPLE = _listed("""
    Jules Ferry, Jean Jaurès, Victor Hugo, Louis Pasteur, Jean Macé, Paul Bert, Anatole France,
    Jacques Prévert, Jean de La Fontaine, George Sand, Paul Langevin, Jean Moulin, Marie Curie, Louise Michel,
    Romain Rolland, Henri Wallon, Paul Éluard, Pablo Picasso, Jules Verne, Charles Perrault, Marcel Pagnol,
    Robert Doisneau, Albert Camus, Joséphine Baker, Lucie Aubrac, Olympe de Gouges, Simone Veil, Aimé Césaire,
    Françoise Dolto, Pauline Kergomard, Colette, Maria Montessori, Célestin Freinet, Antoine de Saint-Exupéry,
    Alphonse Daudet, Claude Monet, Auguste Renoir, Frédéric Mistral, Émile Zola, Jean Zay, Rosa Parks,
    Nelson Mandela, Gisèle Halimi, Germaine Tillion, Danielle Casanova, Louis Aragon, Jean Rostand,
    Camille Claudel, Condorcet, Voltaire, Molière, Jean Giono, Elsa Triolet, Joliot-Curie, Anne Frank""")
PLACES = _listed("""
    Les Tilleuls, Les Marronniers, Les Acacias, Les Lilas, Les Coquelicots, Les Peupliers, Les Bleuets,
    Les Glycines, Les Hirondelles, Les Sablons, La Roseraie, Les Vignes, Les Cerisiers, Les Érables,
    Les Charmilles, Les Mésanges, Arc-en-Ciel, Les Pommiers, Le Bois Joli, Les Écureuils, Les Papillons,
    Le Petit Prince, Les Prés Verts, La Source, Les Tournesols, Les Noisetiers, Le Moulin, Les Jardins,
    La Garenne, Les Oliviers""")
SCHOLARS = _listed("""
    Marcelin Berthelot, Henri Poincaré, Blaise Pascal, René Descartes, Montesquieu, Diderot,
    Jean-Jacques Rousseau, Gérard Philipe, Pierre Mendès France, Jean Monnet, Robert Schuman,
    Guillaume Apollinaire, Hector Berlioz, Eugène Delacroix, Camille Pissarro, Georges Brassens,
    Missak Manouchian, Geneviève de Gaulle-Anthonioz, Jean Vilar, Édouard Branly, Évariste Galois,
    Sophie Germain, Émilie du Châtelet, Louise Weiss, Lazare Carnot, Paul Valéry, Arthur Rimbaud,
    François Rabelais, Gustave Flaubert, Pablo Neruda, Marie Curie, Jean Moulin, Victor Hugo, Simone Veil,
    Albert Camus, Jean Jaurès, Condorcet, Lucie Aubrac, Olympe de Gouges""")
ENGINEERS = _listed("""
    Gustave Eiffel, Louis Armand, Léonard de Vinci, Nicolas Appert, Denis Papin, André-Marie Ampère,
    Louis Blériot, Clément Ader, Auguste Perret, Frédéric Bartholdi, Hélène Boucher, Jean Prouvé,
    Marie Marvingt, Antoine Lavoisier, Eugène Freyssinet, Nicolas-Joseph Cugnot, Louis Lumière""")
FARMING = _listed("""
    Olivier de Serres, Jean-Baptiste de La Quintinie, Antoine Parmentier, Les Vergers, Mathieu de Dombasle,
    Le Chesnoy""")
SAINTS = _listed("""
    Saint-Joseph, Sainte-Marie, Notre-Dame, Saint-Michel, Sainte-Thérèse, Jeanne d'Arc,
    Saint-Jean-Baptiste de La Salle, Saint-Vincent de Paul, Sainte-Geneviève, Saint-Louis, Sainte-Famille,
    Immaculée-Conception, Saint-Charles, Sainte-Anne, Saint-Martin, La Providence, Saint-François d'Assise,
    Saint-Dominique, Saint-Pierre, Sainte-Croix""")
NAME_POOLS = {
    K.MATERNELLE: PEOPLE + PLACES + PLACES, K.ELEMENTAIRE: PEOPLE + PLACES, K.PRIMAIRE: PEOPLE + PLACES,
    K.COLLEGE: PEOPLE + SCHOLARS, K.LGT: SCHOLARS, K.LP: ENGINEERS, K.LPO: SCHOLARS + ENGINEERS,
    K.EREA: PEOPLE, K.AGRICOLE: FARMING,
}  # fmt: skip
ROOT_STARTS = _listed(
    "Mont, Beau, Val, Roche, Belle, Chante, Clair, Haute, Grand, Fonte, Champ, Ver, Bois, Marc, Lor, Aube"
)
ROOT_ENDS = _listed(
    "fleury, mesnil, court, villiers, moulin, fontaine, rive, lieu, brune, ferrand, noue, vallon, mare"
)
PREFIXED_TOWNS = _listed("""
    Saint-Aubin, Saint-Géraud, Saint-Rémy, Saint-Florent, Saint-Loup, Saint-Médard, Saint-Gilles,
    Saint-Hilaire, Saint-Cyr, Saint-Amand, Sainte-Colombe, Sainte-Foy, Le Mesnil, Le Plessis, La Ferté,
    Les Essarts, La Chapelle, Les Loges, Le Breuil, La Celle, Les Granges, La Neuville, Les Aulnaies""")
TOWN_QUALIFIERS = _listed("""
    -sur-Démo, -en-Démo, -la-Forêt, -le-Vieux, -les-Vignes, -sous-Bois, -le-Château, -la-Rivière, -aux-Prés,
    -en-Plaine""")


@dataclass
class _Commune:
    name: str
    code: str
    weight: float  # how many schools it draws, as its size would
    circonscription: int = 0
    postal_code: str = ""


@dataclass
class _School:
    kind: str
    commune: _Commune
    sector: str = Sector.PUBLIC
    name: str = ""
    priority_education: str = PriorityEducation.NONE
    state: str = SchoolState.OPEN
    uai: str = ""
    district: tuple = ()  # (kind, code): a circonscription for an école, else a bassin


@dataclass
class _Department:
    spec: DepartmentSpec
    schools: list
    districts: list  # (kind, code, name)


@dataclass(frozen=True)
class DemoDepartment:
    department: Department
    circonscriptions: int
    bassins: int
    schools: int


@dataclass(frozen=True)
class DemoDirectory:
    academy: Academy
    created: bool  # False: the académie was already there and nothing was changed
    departments: tuple  # of DemoDepartment
    schools_by_kind: dict  # SchoolKind value → number

    @property
    def schools(self):
        return sum(self.schools_by_kind.values())


def create_demo_directory():
    """Create the demonstration académie, unless it exists: then change nothing."""
    with transaction.atomic():
        academy = Academy.objects.filter(code=DEMO_ACADEMY_CODE).first()
        created = academy is None
        if created:
            academy = _save(plan_directory())
            refresh_statistics()
        return _summary(academy, created)


def plan_directory(seed=SEED):
    """The départements, districts and schools to create, as plain data (no database)."""
    rng = random.Random(seed)  # noqa: S311 (reproducible on purpose, nothing secret)
    names = _commune_names(rng, sum(spec.communes for spec in DEPARTMENTS))
    shares = [spec.share for spec in DEPARTMENTS]
    per_department = {kind: _apportion(total, shares) for kind, total in SCHOOLS_PER_KIND.items()}
    departments, start = [], 0
    for index, spec in enumerate(DEPARTMENTS):
        counts = {kind: split[index] for kind, split in per_department.items()}
        departments.append(_plan_department(rng, spec, names[start : start + spec.communes], counts))
        start += spec.communes
    ecoles = [
        s for d in departments for s in d.schools if s.kind in ECOLE_KINDS and s.sector == Sector.PUBLIC
    ]
    changing = rng.sample(ecoles, SCHOOLS_TO_OPEN + SCHOOLS_TO_CLOSE)
    for index, school in enumerate(changing):
        school.state = SchoolState.TO_OPEN if index < SCHOOLS_TO_OPEN else SchoolState.TO_CLOSE
    return departments


def _apportion(total, shares):
    """Split `total` by `shares` into integers that add up to it (largest remainders)."""
    exact = [total * share / sum(shares) for share in shares]
    parts = [int(x) for x in exact]
    for i in sorted(range(len(shares)), key=lambda i: (parts[i] - exact[i], i))[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _commune_names(rng, count):
    names = []
    while len(names) < count:
        if rng.random() < 0.6:
            name = rng.choice(ROOT_STARTS) + rng.choice(ROOT_ENDS)
            name += rng.choice(TOWN_QUALIFIERS) if rng.random() < 0.35 else ""
        else:
            name = rng.choice(PREFIXED_TOWNS) + rng.choice(TOWN_QUALIFIERS)
        if name not in names:
            names.append(name)
    return names


def _plan_department(rng, spec, commune_names, counts):
    # Few large towns and many villages, as a Zipf law gives; the names come in random order.
    communes = [
        _Commune(name, f"{spec.code[1:]}0{rank + 1:02d}", 1 / (rank + 1) ** 0.8)
        for rank, name in enumerate(commune_names)
    ]
    schools = []
    for kind in SchoolKind:
        placed = [_School(kind, commune) for commune in _places(rng, kind, counts[kind], communes)]
        for index in rng.sample(range(len(placed)), round(PRIVATE_SHARE.get(kind, 0) * len(placed))):
            placed[index].sector = Sector.PRIVATE
        schools += placed
    taken = set()
    for school in schools:
        school.name = _unique_name(rng, school, taken)
    _mark_priority_education(rng, schools, communes)
    # Circonscriptions have UAIs too: they are drawn from the same numbers as the schools'.
    numbers = rng.sample(range(10000), spec.circonscriptions + len(schools))
    uais = [make_uai(f"{spec.code}{number:04d}") for number in numbers]
    for school, uai in zip(schools, uais[spec.circonscriptions :], strict=True):
        school.uai = uai
    return _Department(spec, schools, _group_communes(spec, schools, communes, uais[: spec.circonscriptions]))


def _places(rng, kind, count, communes):
    """The commune of each of `count` schools of `kind`: lycées in towns, primaires in villages."""
    if kind == K.PRIMAIRE:
        # Every village keeps its school, so that every commune appears in the directory.
        villages = communes[::-1][:count]
        return villages + rng.choices(communes, [c.weight**0.5 for c in communes], k=count - len(villages))
    pool, power = {
        K.MATERNELLE: (communes, 1.0), K.ELEMENTAIRE: (communes, 1.0), K.EREA: (communes[:15], 0.5),
        K.COLLEGE: (communes[: len(communes) * 3 // 5], 1.0), K.AGRICOLE: (communes[10:30], 0.0),
    }.get(kind, (communes[:12], 0.8))  # fmt: skip
    return rng.choices(pool, [c.weight**power for c in pool], k=count)


def _unique_name(rng, school, taken):
    """A school's name, unique in its commune as the ministry's are (« Henri Wallon B »)."""
    if school.kind == K.OTHER:
        cio = f"Centre d'information et d'orientation {_of(school.commune.name)}"
        name = rng.choice((cio, f"Institut médico-éducatif {rng.choice(PLACES)}"))
    elif school.sector == Sector.PRIVATE:
        private = "privée" if school.kind in ECOLE_KINDS else "privé"
        name = f"{NAME_PREFIX[school.kind]} {private} {rng.choice(SAINTS)}"
    else:
        name = f"{NAME_PREFIX[school.kind]} {rng.choice(NAME_POOLS[school.kind])}"
    unique, letters = name, iter("BCDEFGHJK")
    while (school.commune.code, unique) in taken:
        unique = f"{name} {next(letters)}"
    taken.add((school.commune.code, unique))
    return unique


def _of(commune):
    """« de » before a commune's name, as French writes it (d'Aubeval, du Plessis, des Loges)."""
    if commune.startswith("Le "):
        return "du " + commune[3:]
    if commune.startswith("Les "):
        return "des " + commune[4:]
    return ("d'" if commune[0] in "AEIOUÉ" else "de ") + commune


def _mark_priority_education(rng, schools, communes):
    # Priority education follows neighbourhoods: a collège and its écoles tend to share it.
    need = {commune.code: rng.random() for commune in communes}
    for kind in (*ECOLE_KINDS, K.COLLEGE):
        public = [s for s in schools if s.kind == kind and s.sector == Sector.PUBLIC]
        scores = [need[s.commune.code] + 0.3 * rng.random() for s in public]
        ranked = [s for _, s in sorted(zip(scores, public, strict=True), key=lambda pair: -pair[0])]
        plus, rep = round(REP_PLUS_SHARE * len(public)), round(REP_SHARE * len(public))
        for index, school in enumerate(ranked[: plus + rep]):
            school.priority_education = PriorityEducation.REP_PLUS if index < plus else PriorityEducation.REP


def _group_communes(spec, schools, communes, circonscription_uais):
    """Communes into circonscriptions of about as many écoles each, circonscriptions into bassins."""
    ecoles = Counter(s.commune.code for s in schools if s.kind in ECOLE_KINDS)
    circonscription_of, seats = _balance([ecoles[c.code] for c in communes], spec.circonscriptions)
    for commune, i in zip(communes, circonscription_of, strict=True):
        # Villages share their town's post office: one postal code per circonscription.
        commune.circonscription, commune.postal_code = i, f"{spec.code[1:]}0{i + 1}0"
    seats = [communes[seat].name for seat in seats]
    circonscriptions = [
        (DistrictKind.CIRCONSCRIPTION, uai, f"Circonscription d'inspection du 1er degré {_of(seat)}")
        for uai, seat in zip(circonscription_uais, seats, strict=True)
    ]
    others = Counter(s.commune.circonscription for s in schools if s.kind not in ECOLE_KINDS)
    bassin_of, firsts = _balance([others[i] for i in range(spec.circonscriptions)], spec.bassins)
    prefix = f"{DEMO_ACADEMY_CODE}{spec.code[1:]}"  # as the ministry's: académie, then département
    bassins = [
        (DistrictKind.BASSIN, f"{prefix}{b + 1}", f"Bassin de formation {_of(seats[i])}")
        for b, i in enumerate(firsts)
    ]
    for school in schools:
        i = school.commune.circonscription
        school.district = (circonscriptions[i] if school.kind in ECOLE_KINDS else bassins[bassin_of[i]])[:2]
    return circonscriptions + bassins


def _balance(sizes, groups):
    """The group of each item, so that groups have about equal total sizes, and each group's largest item.

    Largest first, each to the group with the smallest total so far: a group's first item is its largest."""
    group_of, totals, largest = [0] * len(sizes), [0] * groups, [None] * groups
    for item in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        group = min(range(groups), key=lambda g: (totals[g], g))
        group_of[item], totals[group] = group, totals[group] + sizes[item]
        largest[group] = item if largest[group] is None else largest[group]
    return group_of, largest


def _save(departments):
    academy = Academy.objects.create(code=DEMO_ACADEMY_CODE, name=DEMO_ACADEMY_NAME)
    Department.objects.bulk_create(
        Department(academy=academy, code=d.spec.code, name=d.spec.name) for d in departments
    )
    # Keys are read back rather than taken from bulk_create, which not every database returns.
    department_ids = dict(Department.objects.filter(academy=academy).values_list("code", "id"))
    District.objects.bulk_create(
        District(department_id=department_ids[d.spec.code], kind=kind, code=code, name=name)
        for d in departments
        for kind, code, name in d.districts
    )
    School.objects.bulk_create(
        School(
            uai=s.uai, name=s.name, sort_name=sort_key(s.name), kind=s.kind, sector=s.sector,
            department_id=department_ids[d.spec.code],
            commune_code=s.commune.code, commune=s.commune.name, postal_code=s.commune.postal_code,
            priority_education=s.priority_education, state=s.state,
            email=f"ce.{s.uai}@{DEMO_EMAIL_DOMAIN}" if s.sector == Sector.PUBLIC else "",
        )
        for d in departments
        for s in d.schools
    )  # fmt: skip
    districts = District.objects.filter(department__academy=academy).values_list("kind", "code", "id")
    district_ids = {(kind, code): pk for kind, code, pk in districts}
    school_ids = dict(School.objects.filter(department__academy=academy).values_list("uai", "id"))
    SchoolDistrict = School.districts.through
    SchoolDistrict.objects.bulk_create(
        SchoolDistrict(school_id=school_ids[s.uai], district_id=district_ids[s.district])
        for d in departments
        for s in d.schools
    )
    return academy


def _summary(academy, created):
    schools = School.objects.filter(department__academy=academy).order_by()
    by_department = dict(schools.values_list("department").annotate(n=Count("id")))
    by_kind = dict(schools.values_list("kind").annotate(n=Count("id")))
    # An aggregate query drops Meta.ordering: the order is said here.
    departments = (
        Department.objects.filter(academy=academy)
        .annotate(
            circonscriptions=Count("districts", filter=Q(districts__kind=DistrictKind.CIRCONSCRIPTION)),
            bassins=Count("districts", filter=Q(districts__kind=DistrictKind.BASSIN)),
        )
        .order_by("code")
    )
    summaries = (
        DemoDepartment(d, d.circonscriptions, d.bassins, by_department.get(d.id, 0)) for d in departments
    )
    schools_by_kind = {kind: by_kind[kind] for kind in SchoolKind.values if kind in by_kind}
    return DemoDirectory(academy, created, tuple(summaries), schools_by_kind)


def demo_school(kind):
    """The first open public school of `kind` by UAI: where the demonstration logins belong."""
    schools = School.objects.filter(department__academy__code=DEMO_ACADEMY_CODE, kind=kind)
    school = schools.filter(sector=Sector.PUBLIC, state=SchoolState.OPEN).order_by("uai").first()
    if school is None:
        raise School.DoesNotExist(f"Pas d’établissement de démonstration « {kind} » (demo_directory).")
    return school


def demo_district():
    """The circonscription of demo_school(ELEMENTAIRE): the demonstration animator then accompanies
    the demonstration head's école. Every demonstration circonscription has over 20 écoles."""
    return demo_school(K.ELEMENTAIRE).districts.get(kind=DistrictKind.CIRCONSCRIPTION)


def demo_department():
    department = Department.objects.filter(academy__code=DEMO_ACADEMY_CODE).order_by("code").first()
    if department is None:
        raise Department.DoesNotExist("Pas de département de démonstration (demo_directory).")
    return department
