"""Importing the ministry's directory of schools (Annuaire de l'éducation, or Adresse et
géolocalisation des établissements) into académies, départements, districts and schools.

Three steps: read the file into one entry per UAI (no database); plan against the
database read in bulk, comparing in Python; apply the plan in bulk. Imports are
all-or-nothing: planning and applying happen in one transaction, and a rejected row
stops everything unless the caller asks to skip the rejected rows.
"""

import csv
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from . import import_formats as formats
from .import_formats import ImportFileError
from .models import Academy, Department, District, DistrictKind, School, SchoolKind, sort_key
from .signals import directory_imported
from .uai import normalize_uai, uai_error

BATCH = 1000
PROGRESS_EVERY = 1000
PREVIEW_SIZE = 100
COMPARED_FIELDS = (
    *("name", "kind", "sector", "commune_code", "commune", "postal_code"),
    *("priority_education", "state", "email"),
)
LIMITED_FIELDS = ("name", "commune")
OUTSIDE = "hors des académies que vous administrez"


@dataclass
class Rejection:
    line: int
    reason: str


@dataclass
class ImportSummary:
    """What an import did, or would do when `applied` is false (a dry run, or rejected
    rows without `skip_invalid`): counts of schools, merged and rejected rows."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    format_name: str = ""
    merges: list[str] = field(default_factory=list)
    # Schools given a provisional name (the file names their kind, not them).
    notes: list[str] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    applied: bool = False

    def as_json(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "merged": self.merged,
            "rejected": [{"line": r.line, "reason": r.reason} for r in self.rejected],
        }


def import_schools(file, *, dry_run=False, skip_invalid=False, progress=None, academies=None):
    """Import a directory file: a path, or a binary file object such as an upload.

    `academies`, when given, is the codes of the académies the caller administers: rows
    of schools elsewhere are rejected, and no other académie or its départements change."""
    parsed = parse(file, progress)
    scope = None if academies is None else set(academies)
    if dry_run:
        plan = Plan(parsed, scope)
    else:
        with transaction.atomic():
            plan = Plan(parsed, scope)
            if skip_invalid or not plan.rejected:
                plan.apply()
                directory_imported.send(sender=School)  # in this transaction: all or nothing
    return ImportSummary(
        created=plan.created,
        updated=plan.updated,
        unchanged=plan.unchanged,
        merged=plan.merged,
        rejected=sorted(plan.rejected, key=lambda rejection: rejection.line),
        format_name=parsed.format_name,
        merges=plan.merges,
        notes=parsed.notes,
        preview=plan.preview,
        applied=plan.applied,
    )


# Reading -----------------------------------------------------------------------------


@dataclass
class Entry:
    """One school as the file gives it, its rows merged."""

    uai: str
    lines: list[int]
    values: dict  # school field → value, for the fields the file gives
    department: str
    districts: dict  # district kind → {code: name}


@dataclass
class ParsedFile:
    format_name: str
    entries: dict = field(default_factory=dict)  # uai → Entry, in the file's order
    departments: dict = field(default_factory=dict)  # code → [name, académie code]
    academies: dict = field(default_factory=dict)  # code → name
    rejected: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def parse(file, progress=None):
    """The file's schools, one entry per UAI, and its rejected rows (no database)."""
    with formats.open_text(file) as (text, line_count):
        return _parse_rows(text, line_count, progress)


def _parse_rows(text, line_count, progress):
    header_line = text.readline()
    reader = csv.reader(itertools.chain([header_line], text), delimiter=formats.detect_delimiter(header_line))
    columns = formats.recognise(next(reader, []))
    parsed = ParsedFile(columns.format.name)
    read = formats.row_reader(columns)
    total = max(line_count - 1, 1)
    done, end_of_previous = 0, reader.line_num
    try:
        for cells in reader:
            line, end_of_previous = end_of_previous + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(min(done, total), total)
            _add_row(parsed, line, *read(cells))
    except csv.Error as error:
        raise ImportFileError(
            f"fichier CSV illisible à la ligne {end_of_previous + 1} : guillemets ou champ démesuré ({error})"
        ) from None
    _check_entries(parsed)
    if progress:
        progress(done, done)
    return parsed


def _add_row(parsed, line, uai, values, department, districts, place):
    error = uai_error(uai)
    if error:
        parsed.rejected.append(Rejection(line, error))
        return
    uai = normalize_uai(uai)
    department_name, academy_code, academy_name = place
    if department:
        known = parsed.departments.setdefault(department, ["", ""])
        known[0] = known[0] or department_name
        known[1] = known[1] or academy_code
    if academy_code and not parsed.academies.get(academy_code):
        parsed.academies[academy_code] = academy_name
    entry = parsed.entries.get(uai)
    if entry is None:
        parsed.entries[uai] = Entry(uai, [line], values, department, districts)
        return
    # The first row wins; later rows fill its blanks and add their districts.
    entry.lines.append(line)
    for name, value in values.items():
        if value and not entry.values.get(name):
            entry.values[name] = value
    entry.department = entry.department or department
    for kind, found in districts.items():
        for code, name in found.items():
            entry.districts.setdefault(kind, {}).setdefault(code, name)


def _check_entries(parsed):
    """Reject the schools that have no name, or a text too long for its column, on every
    line they come from."""
    limits = {name: School._meta.get_field(name).max_length for name in LIMITED_FIELDS}
    for uai, entry in list(parsed.entries.items()):
        if not entry.values["name"] and entry.values.get("kind"):
            # The ministry lists some schools before they have a name (a collège "à ouvrir"):
            # the school exists, its kind is known, so it gets a name that says so.
            provisional = f"{SchoolKind(entry.values['kind']).label.capitalize()} sans nom ({uai})"
            entry.values["name"] = provisional
            parsed.notes.append(
                f"UAI {uai} (ligne {entry.lines[0]}) : pas de nom dans le fichier, nommé « {provisional} »"
            )
        reason = "" if entry.values["name"] else "nom de l'établissement manquant"
        for name, limit in limits.items():
            size = len(entry.values.get(name) or "")
            if size > limit:
                verbose = School._meta.get_field(name).verbose_name
                reason = f"{verbose} trop long ({size} caractères, {limit} au plus)"
        if not entry.department:
            reason = reason or "code du département manquant"
        if reason:
            del parsed.entries[uai]
            parsed.rejected.extend(Rejection(line, f"UAI {uai} : {reason}") for line in entry.lines)


# Planning and applying -------------------------------------------------------------------


class Plan:
    """What importing the parsed file changes, from the database read in bulk."""

    def __init__(self, parsed, scope=None):
        self.scope = scope  # académie codes, or None: every académie
        self.rejected = list(parsed.rejected)
        self.created = self.updated = self.unchanged = self.merged = 0
        self.preview, self.merges = [], []
        self.applied = False
        self.new_academies, self.academy_updates = [], []
        self.new_departments, self.department_updates = [], []
        self.new_districts, self.district_updates = {}, []
        self.new_schools, self.school_updates = [], []
        self.links_to_add, self.links_to_remove = [], []
        unplaced = self._plan_places(parsed)
        self._plan_schools(parsed, unplaced)

    def _plan_places(self, parsed):
        """Académies and départements; the départements that cannot be placed, with why."""
        academies = {code: (pk, name) for pk, code, name in Academy.objects.values_list("id", "code", "name")}
        academy_codes = {pk: code for code, (pk, _) in academies.items()}
        for code, name in parsed.academies.items():
            if not self._in_scope(code):
                continue
            if code in academies:
                if name and name != academies[code][1]:
                    self.academy_updates.append(Academy(id=academies[code][0], code=code, name=name))
            elif name:
                self.new_academies.append(Academy(code=code, name=name))
        known_academies = set(academies) | {academy.code for academy in self.new_academies}
        departments = Department.objects.values_list("code", "id", "name", "academy_id")
        existing = {code: (pk, name, academy_codes[academy]) for code, pk, name, academy in departments}
        unplaced = {}
        for code, (name, academy) in parsed.departments.items():
            outside = [a for a in (academy, existing.get(code, (0, 0, ""))[2]) if a and not self._in_scope(a)]
            if outside:
                unplaced[code] = f"académie « {outside[0]} », {OUTSIDE}"
            elif academy and academy not in known_academies:
                unplaced[code] = f"académie « {academy} » inconnue et sans nom dans le fichier"
            elif code in existing:
                pk, current_name, current_academy = existing[code]
                if (name and name != current_name) or (academy and academy != current_academy):
                    self.department_updates.append((pk, name or current_name, academy or current_academy))
            elif not name or not academy:
                missing = "son nom" if not name else "son académie"
                unplaced[code] = f"département « {code} » inconnu et le fichier ne donne pas {missing}"
            else:
                self.new_departments.append((code, name, academy))
        return unplaced

    def _plan_schools(self, parsed, unplaced):
        school_rows = School.objects.values_list(
            "uai", "department__academy__code", "id", "department__code", *COMPARED_FIELDS
        )
        schools, academy_of = {}, {}
        for uai, academy, *row in school_rows:
            schools[uai], academy_of[uai] = row, academy
        districts = {
            (kind, code): (pk, name)
            for pk, kind, code, name in District.objects.values_list("id", "kind", "code", "name")
        }
        district_keys = {pk: (key, name) for key, (pk, name) in districts.items()}
        links = defaultdict(list)  # school id → [(link id, (kind, code), name)]
        for pk, school, district in School.districts.through.objects.values_list(
            "id", "school_id", "district_id"
        ):
            links[school].append((pk, *district_keys[district]))
        names = {}  # (kind, code) → the district's name: the file's first one
        for entry in parsed.entries.values():
            reason = unplaced.get(entry.department)
            if not reason and not self._in_scope(academy_of.get(entry.uai)):
                reason = f"rattaché à l'académie « {academy_of[entry.uai]} », {OUTSIDE}"
            if reason:
                self.rejected.extend(Rejection(line, f"UAI {entry.uai} : {reason}") for line in entry.lines)
                continue
            if len(entry.lines) > 1:
                self.merged += len(entry.lines) - 1
                lines = ", ".join(str(line) for line in entry.lines)
                self.merges.append(f"UAI {entry.uai} : {len(entry.lines)} lignes ({lines}) fusionnées")
            for kind, found in entry.districts.items():
                for code, name in found.items():
                    if (kind, code) in names:
                        continue
                    names[kind, code] = name
                    current = districts.get((kind, code))
                    if current is None:
                        self.new_districts[kind, code] = (name, entry.department)
                    elif current[1] != name:
                        self.district_updates.append(District(id=current[0], name=name))
            current = schools.get(entry.uai)
            if current is None:
                self._plan_creation(entry)
            else:
                self._plan_update(entry, current, links.get(current[0], ()))

    def _in_scope(self, academy):
        return self.scope is None or academy is None or academy in self.scope

    def _plan_creation(self, entry):
        self.created += 1
        self.new_schools.append(entry)
        for kind, found in entry.districts.items():
            self.links_to_add.extend((entry.uai, (kind, code)) for code in found)
        self._add_preview(entry, "création", [])

    def _plan_update(self, entry, current, links):
        school_id, department, *values = current
        before = dict(zip(COMPARED_FIELDS, values, strict=True))
        changes = {name: value for name, value in entry.values.items() if value != before[name]}
        if entry.department != department:
            changes["department"] = entry.department
        described = [_describe(name, before.get(name, department), value) for name, value in changes.items()]
        for kind, found in entry.districts.items():
            linked = {key[1]: (pk, name) for pk, key, name in links if key[0] == kind}
            if set(linked) == set(found):
                continue
            self.links_to_remove.extend(pk for code, (pk, _) in linked.items() if code not in found)
            self.links_to_add.extend((entry.uai, (kind, code)) for code in found if code not in linked)
            old = ", ".join(sorted(name for _, name in linked.values())) or "(aucun)"
            described.append(f"{DistrictKind(kind).label} : {old} → {', '.join(sorted(found.values()))}")
        if not described:
            self.unchanged += 1
            return
        self.updated += 1
        self.school_updates.append((school_id, changes))
        self._add_preview(entry, "mise à jour", described)

    def _add_preview(self, entry, action, changes):
        if len(self.preview) < PREVIEW_SIZE:
            self.preview.append(
                {"uai": entry.uai, "name": entry.values["name"], "action": action, "changes": changes}
            )

    def apply(self):
        now = timezone.now()
        Academy.objects.bulk_create(self.new_academies)
        Academy.objects.bulk_update(self.academy_updates, ["name"])
        academies = dict(Academy.objects.values_list("code", "id"))
        Department.objects.bulk_create(
            Department(code=code, name=name, academy_id=academies[academy])
            for code, name, academy in self.new_departments
        )
        updates = [
            Department(id=pk, name=name, academy_id=academies[a]) for pk, name, a in self.department_updates
        ]
        Department.objects.bulk_update(updates, ["name", "academy"])
        departments = dict(Department.objects.values_list("code", "id"))
        District.objects.bulk_create(
            District(kind=kind, code=code, name=name, department_id=departments[department])
            for (kind, code), (name, department) in self.new_districts.items()
        )
        District.objects.bulk_update(self.district_updates, ["name"])
        for batch in batched(self.new_schools, BATCH):
            School.objects.bulk_create(
                School(
                    uai=e.uai,
                    department_id=departments[e.department],
                    sort_name=sort_key(e.values["name"]),
                    **e.values,
                )
                for e in batch
            )
        by_fields = defaultdict(list)
        for pk, changes in self.school_updates:
            fields, changes = tuple(sorted(changes)), dict(changes)
            if "name" in changes:  # bulk writes skip save(), which keeps sort_name in step
                fields, changes["sort_name"] = (*fields, "sort_name"), sort_key(changes["name"])
            if "department" in changes:
                changes["department_id"] = departments[changes.pop("department")]
            by_fields[fields].append(School(id=pk, updated_at=now, **changes))
        for fields, batch in by_fields.items():
            School.objects.bulk_update(batch, [*fields, "updated_at"], batch_size=BATCH)
        self._apply_links()
        self.applied = True

    def _apply_links(self):
        through = School.districts.through
        for batch in batched(self.links_to_remove, BATCH):
            through.objects.filter(id__in=batch).delete()
        if not self.links_to_add:
            return
        schools = dict(School.objects.values_list("uai", "id"))
        rows = District.objects.values_list("id", "kind", "code")
        districts = {(kind, code): pk for pk, kind, code in rows}
        through.objects.bulk_create(
            (through(school_id=schools[uai], district_id=districts[key]) for uai, key in self.links_to_add),
            batch_size=BATCH,
        )


def _describe(name, before, after):
    if name == "department":
        return f"département : {before} → {after}"
    model_field = School._meta.get_field(name)
    labels = dict(model_field.choices or ())
    shown = [labels.get(value, value) or "(vide)" for value in (before, after)]
    return f"{model_field.verbose_name} : {shown[0]} → {shown[1]}"


def batched(items, size):
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
