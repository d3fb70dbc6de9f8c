"""Importing the ministry's directory of schools (Annuaire de l'éducation, or Adresse et
géolocalisation des établissements) into académies, départements, districts and schools.

Three steps: read the file into one entry per UAI (no database); plan against the
database read in bulk, comparing in Python; apply the plan in bulk. Imports are
all-or-nothing: planning and applying happen in one transaction, and a rejected row
stops everything unless the caller asks to skip the rejected rows.
"""

import hashlib
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paliers.core.bulk import refresh_statistics

from .import_formats import ImportFileError  # noqa: F401 (raised by parse, caught by callers)
from .import_reading import Rejection, parse
from .models import Academy, Department, District, DistrictKind, School, sort_key
from .signals import directory_imported

BATCH = 1000
PREVIEW_SIZE = 100
COMPARED_FIELDS = (
    *("name", "kind", "sector", "commune_code", "commune", "postal_code"),
    *("priority_education", "state", "email", "latitude", "longitude", "pupils"),
)
# A district created or renamed, by kind: each sentence whole (« circonscription créée »,
# « bassin créé »: the participle agrees with the kind's noun).
DISTRICT_CREATED = {
    DistrictKind.CIRCONSCRIPTION: gettext_lazy(
        "circonscription du 1er degré « %(name)s » créée (%(code)s, département %(department)s)"
    ),
    DistrictKind.BASSIN: gettext_lazy(
        "bassin de formation « %(name)s » créé (%(code)s, département %(department)s)"
    ),
    DistrictKind.ZAP: gettext_lazy(
        "zone d’animation pédagogique « %(name)s » créée (%(code)s, département %(department)s)"
    ),
    DistrictKind.DISTRICT: gettext_lazy("district « %(name)s » créé (%(code)s, département %(department)s)"),
}
DISTRICT_RENAMED = {
    DistrictKind.CIRCONSCRIPTION: gettext_lazy(
        "circonscription du 1er degré %(code)s renommée : « %(old)s » → « %(new)s »"
    ),
    DistrictKind.BASSIN: gettext_lazy("bassin de formation %(code)s renommé : « %(old)s » → « %(new)s »"),
    DistrictKind.ZAP: gettext_lazy(
        "zone d’animation pédagogique %(code)s renommée : « %(old)s » → « %(new)s »"
    ),
    DistrictKind.DISTRICT: gettext_lazy("district %(code)s renommé : « %(old)s » → « %(new)s »"),
}


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
    # Every académie, département and district created or changed, in words.
    places: list[str] = field(default_factory=list)
    fingerprint: str = ""  # of everything applying writes (Plan.fingerprint)
    applied: bool = False

    @property
    def preview_left_out(self):
        """Schools created or updated that the preview does not list one by one."""
        return max(self.created + self.updated - len(self.preview), 0)

    def as_json(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "merged": self.merged,
            "rejected": [{"line": r.line, "reason": r.reason} for r in self.rejected],
        }


class PlanChanged(Exception):
    """The directory changed between the preview and the application: nothing was written;
    `summary` is the new preview."""

    def __init__(self, summary):
        super().__init__(_("L’annuaire a changé depuis l’aperçu."))
        self.summary = summary


def import_schools(
    file, *, dry_run=False, skip_invalid=False, progress=None, academies=None, expected=None
):  # fmt: skip
    """Import a directory file: a path, or a binary file object such as an upload.

    `academies`, when given, is the codes of the académies the caller administers: rows
    of schools elsewhere are rejected, and no other académie, département or district
    changes. `expected`, the fingerprint of a preview: applying writes exactly what that
    preview showed, or nothing (PlanChanged)."""
    parsed = parse(file, progress)
    scope = None if academies is None else set(academies)
    if dry_run:
        plan = Plan(parsed, scope)
    else:
        with transaction.atomic():
            plan = Plan(parsed, scope)
            if expected is not None and plan.fingerprint() != expected:
                raise PlanChanged(_summary(parsed, plan))
            if skip_invalid or not plan.rejected:
                plan.apply()
                refresh_statistics(School, School.districts.through)
                directory_imported.send(sender=School)  # in this transaction: all or nothing
    return _summary(parsed, plan)


def _summary(parsed, plan):
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
        places=plan.places,
        fingerprint=plan.fingerprint(),
        applied=plan.applied,
    )


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
        self.overwritten = []  # (school id, {field: value before}) of the updates
        self.links_to_add, self.links_to_remove = [], []
        self.places = []  # every change of an académie, a département or a district, in words
        self.place_facts = []  # the same changes as data, for the fingerprint: no language
        unplaced = self._plan_places(parsed)
        self._plan_schools(parsed, unplaced)

    def _plan_places(self, parsed):
        """Académies and départements; the départements that cannot be placed, with why."""
        academies = {code: (pk, name) for pk, code, name in Academy.objects.values_list("id", "code", "name")}
        academy_codes = {pk: code for code, (pk, __) in academies.items()}
        # For messages: the directory's names, else the file's.
        self.academy_names = {code: name for code, name in parsed.academies.items() if name}
        self.academy_names.update({code: name for code, (__, name) in academies.items()})
        for code, name in parsed.academies.items():
            if not self._in_scope(code):
                continue
            if code in academies:
                if name and name != academies[code][1]:
                    self.academy_updates.append(Academy(id=academies[code][0], code=code, name=name))
                    old = academies[code][1]
                    self._place(
                        ("academy_renamed", code, old, name),
                        _("académie %(code)s renommée : « %(old)s » → « %(new)s »")
                        % {"code": code, "old": old, "new": name},
                    )
            elif name:
                self.new_academies.append(Academy(code=code, name=name))
                self._place(
                    ("academy_created", code, name),
                    _("académie %(code)s créée : « %(name)s »") % {"code": code, "name": name},
                )
        known_academies = set(academies) | {academy.code for academy in self.new_academies}
        departments = Department.objects.values_list("code", "id", "name", "academy_id")
        existing = {code: (pk, name, academy_codes[academy]) for code, pk, name, academy in departments}
        unplaced = {}
        for code, (name, academy) in parsed.departments.items():
            outside = [a for a in (academy, existing.get(code, (0, 0, ""))[2]) if a and not self._in_scope(a)]
            if outside:
                unplaced[code] = _("académie %(academy)s, hors des académies que vous administrez") % {
                    "academy": self._named(outside[0])
                }
            elif academy and academy not in known_academies:
                unplaced[code] = _("académie « %(academy)s » inconnue et sans nom dans le fichier") % {
                    "academy": academy
                }
            elif code in existing:
                pk, current_name, current_academy = existing[code]
                if name and name != current_name:
                    self._place(
                        ("department_renamed", code, current_name, name),
                        _("département %(code)s renommé : « %(old)s » → « %(new)s »")
                        % {"code": code, "old": current_name, "new": name},
                    )
                if academy and academy != current_academy:
                    self._place(
                        ("department_moved", code, current_academy, academy),
                        _("département %(code)s rattaché à l'académie %(academy)s (au lieu de %(old)s)")
                        % {"code": code, "academy": academy, "old": current_academy},
                    )
                if (name and name != current_name) or (academy and academy != current_academy):
                    self.department_updates.append((pk, name or current_name, academy or current_academy))
            elif not name:
                unplaced[code] = _("département « %(code)s » inconnu et le fichier ne donne pas son nom") % {
                    "code": code
                }
            elif not academy:
                unplaced[code] = _(
                    "département « %(code)s » inconnu et le fichier ne donne pas son académie"
                ) % {"code": code}
            else:
                self.new_departments.append((code, name, academy))
                self._place(
                    ("department_created", code, name, academy),
                    _("département %(code)s créé : « %(name)s » (académie %(academy)s)")
                    % {"code": code, "name": name, "academy": academy},
                )
        return unplaced

    def _plan_schools(self, parsed, unplaced):
        school_rows = School.objects.values_list(
            "uai", "department__academy__code", "id", "department__code", *COMPARED_FIELDS
        )
        schools, academy_of = {}, {}
        for uai, academy, *row in school_rows:
            schools[uai], academy_of[uai] = row, academy
        rows = District.objects.values_list("id", "kind", "code", "name", "department__academy__code")
        districts = {(kind, code): (pk, name, academy) for pk, kind, code, name, academy in rows}
        district_keys = {pk: (key, name) for key, (pk, name, __) in districts.items()}
        links = defaultdict(list)  # school id → [(link id, (kind, code), name)]
        for pk, school, district in School.districts.through.objects.values_list(
            "id", "school_id", "district_id"
        ):
            links[school].append((pk, *district_keys[district]))
        names = {}  # (kind, code) → the district's name: the file's first one
        for entry in parsed.entries.values():
            reason = unplaced.get(entry.department)
            if not reason and not self._in_scope(academy_of.get(entry.uai)):
                reason = _("rattaché à l'académie %(academy)s, hors des académies que vous administrez") % {
                    "academy": self._named(academy_of[entry.uai])
                }
            reason = reason or self._foreign_district(entry, districts)
            if reason:
                reason = _("UAI %(uai)s : %(reason)s") % {"uai": entry.uai, "reason": reason}
                self.rejected.extend(Rejection(line, reason) for line in entry.lines)
                continue
            if len(entry.lines) > 1:
                self.merged += len(entry.lines) - 1
                lines = ", ".join(str(line) for line in entry.lines)
                self.merges.append(
                    _("UAI %(uai)s : %(count)s lignes (%(lines)s) fusionnées")
                    % {"uai": entry.uai, "count": len(entry.lines), "lines": lines}
                )
            for kind, found in entry.districts.items():
                for code, name in found.items():
                    if (kind, code) in names:
                        continue
                    names[kind, code] = name
                    current = districts.get((kind, code))
                    if current is None:
                        self.new_districts[kind, code] = (name, entry.department)
                        self._place(
                            ("district_created", kind, code, name, entry.department),
                            DISTRICT_CREATED[kind]
                            % {"name": name, "code": code, "department": entry.department},
                        )
                    elif current[1] != name:
                        self.district_updates.append(District(id=current[0], name=name))
                        self._place(
                            ("district_renamed", kind, code, current[1], name),
                            DISTRICT_RENAMED[kind] % {"code": code, "old": current[1], "new": name},
                        )
            current = schools.get(entry.uai)
            if current is None:
                self._plan_creation(entry)
            else:
                self._plan_update(entry, current, links.get(current[0], ()))

    def _foreign_district(self, entry, districts):
        """Why a school cannot join a district of an académie the importer does not
        administer (its name would change, and that académie's people would see the school)."""
        for kind, found in entry.districts.items():
            for code in found:
                academy = districts.get((kind, code), (None, None, None))[2]
                if not self._in_scope(academy):
                    return _(
                        "%(kind)s « %(code)s » de l'académie %(academy)s, "
                        "hors des académies que vous administrez"
                    ) % {"kind": DistrictKind(kind).label, "code": code, "academy": self._named(academy)}
        return ""

    def fingerprint(self):
        """A digest of everything applying would write: the preview's must equal the
        application's, or the directory changed in between (import_schools)."""
        parts = [
            sorted((a.code, a.name) for a in self.new_academies),
            sorted((a.code, a.name) for a in self.academy_updates),
            sorted(self.new_departments),
            sorted(self.department_updates),
            sorted((key, value) for key, value in self.new_districts.items()),
            sorted((d.pk, d.name) for d in self.district_updates),
            sorted(
                (
                    e.uai,
                    e.department,
                    sorted(e.values.items()),
                    sorted((k, sorted(v.items())) for k, v in e.districts.items()),
                )
                for e in self.new_schools
            ),
            sorted((pk, sorted(changes.items())) for pk, changes in self.school_updates),
            sorted(self.overwritten),  # what they were: a value changed since the preview
            sorted(self.place_facts),  # the same for places (before → after)
            sorted(self.links_to_add),
            sorted(self.links_to_remove),
        ]
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    def _place(self, fact, text):
        """A change of an académie, a département or a district: as data (`fact`, for the
        fingerprint, the same in every language) and in words (`text`, for the summary)."""
        self.place_facts.append(fact)
        self.places.append(text)

    def _named(self, academy):
        """« Versailles » (25): an administrator does not know every académie by its code."""
        name = self.academy_names.get(academy)
        return f"« {name} » ({academy})" if name else f"« {academy} »"

    def _in_scope(self, academy):
        return self.scope is None or academy is None or academy in self.scope

    def _plan_creation(self, entry):
        self.created += 1
        self.new_schools.append(entry)
        for kind, found in entry.districts.items():
            self.links_to_add.extend((entry.uai, (kind, code)) for code in found)
        self._add_preview(entry, _("création"), [])

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
            self.links_to_remove.extend(pk for code, (pk, __) in linked.items() if code not in found)
            self.links_to_add.extend((entry.uai, (kind, code)) for code in found if code not in linked)
            old = ", ".join(sorted(name for __, name in linked.values())) or _("(aucun)")
            described.append(
                _("%(field)s : %(before)s → %(after)s")
                % {
                    "field": DistrictKind(kind).label,
                    "before": old,
                    "after": ", ".join(sorted(found.values())),
                }
            )
        if not described:
            self.unchanged += 1
            return
        self.updated += 1
        self.school_updates.append((school_id, changes))
        self.overwritten.append((school_id, sorted((name, before.get(name, department)) for name in changes)))
        self._add_preview(entry, _("mise à jour"), described)

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
        return _("département : %(before)s → %(after)s") % {"before": before, "after": after}
    model_field = School._meta.get_field(name)
    labels = dict(model_field.choices or ())
    shown = [labels.get(value, value) or _("(vide)") for value in (before, after)]
    return _("%(field)s : %(before)s → %(after)s") % {
        "field": model_field.verbose_name,
        "before": shown[0],
        "after": shown[1],
    }


def batched(items, size):
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
