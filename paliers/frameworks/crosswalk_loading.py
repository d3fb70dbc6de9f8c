"""Load crosswalks into the database and read them back as specs.

Checked whole before anything is written (both frameworks loaded, every code known, no
framework related to itself, no circle of crosswalks), written in one transaction. A
crosswalk is identified by its two frameworks; loading the same content again changes
nothing, a different content replaces it: unlike a framework, nothing is built on its
rows (a carried answer keeps its origin as data), so a correction may follow a mistake.
"""

import itertools
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .crosswalks import CrosswalkSpec, LinkSpec, check_codes, find_cycle, parse_crosswalk_text
from .loading import SHIPPED_DIR
from .models import Crosswalk, CrosswalkLink, Framework
from .validation import FrameworkInvalid

SHIPPED_CROSSWALKS = SHIPPED_DIR / "crosswalks"

CREATED = "created"
UNCHANGED = "unchanged"
REPLACED = "replaced"
STATUS_LABELS = {
    CREATED: gettext_lazy("table de correspondance chargée"),
    UNCHANGED: gettext_lazy("table de correspondance inchangée (déjà chargée à l’identique)"),
    REPLACED: gettext_lazy("table de correspondance remplacée"),
}


@dataclass(frozen=True)
class CrosswalkLoad:
    spec: CrosswalkSpec
    status: str
    crosswalk: Crosswalk


def crosswalk_files(paths=()):
    """The YAML files named, a directory standing for the files it holds; none: the shipped ones."""
    files = []
    for path in [Path(p) for p in paths] or [SHIPPED_CROSSWALKS]:
        files.extend(sorted([*path.glob("*.yaml"), *path.glob("*.yml")]) if path.is_dir() else [path])
    return files


def parse_crosswalk_files(files):
    documents, errors = [], []
    for path in files:
        try:
            documents.append(parse_crosswalk_text(Path(path).read_text(encoding="utf-8"), str(path)))
        except UnicodeDecodeError:
            errors.append(_("%(name)s : le fichier n’est pas encodé en UTF-8.") % {"name": path})
        except OSError as error:
            errors.append(
                _("%(name)s : lecture impossible (%(error)s).") % {"name": path, "error": error.strerror}
            )
        except FrameworkInvalid as invalid:
            errors.extend(invalid.errors)
    if errors:
        raise FrameworkInvalid(errors)
    return documents


def _codes(key, pending):
    """The criterion codes of a framework, from the specs about to be loaded or the database;
    None when it is neither."""
    for spec in pending:
        if (spec.slug, spec.version) == key:
            return {criterion.code for criterion in spec.all_criteria()}
    framework = Framework.objects.filter(slug=key[0], version=key[1]).first()
    return None if framework is None else set(framework.criteria.values_list("code", flat=True))


def check_documents(documents, pending=()):
    """Every fault of the crosswalks against the frameworks (loaded, or `pending`: framework
    specs loaded in the same transaction) and the crosswalks already loaded."""
    errors, pairs = [], {}
    for document in documents:
        spec = document.spec
        if spec.source_key == spec.target_key:
            errors.append(document.fault(None, "target", _("un référentiel ne se relie pas à lui-même.")))
            continue
        if spec.source_key + spec.target_key in pairs:
            errors.append(
                document.fault(
                    None, "target", _("table %(crosswalk)s donnée deux fois.") % {"crosswalk": spec.key}
                )
            )
        pairs[spec.source_key + spec.target_key] = document
        codes = {}
        for end, key in (("source", spec.source_key), ("target", spec.target_key)):
            codes[end] = _codes(key, pending)
            if codes[end] is None:
                errors.append(
                    document.fault(
                        None,
                        end,
                        _("référentiel « %(slug)s » version « %(version)s » non chargé.")
                        % {"slug": key[0], "version": key[1]},
                    )
                )
        if None not in codes.values():
            errors.extend(
                document.fault(*fault) for fault in check_codes(spec, codes["source"], codes["target"])
            )
    new = {
        (d.spec.source_key, d.spec.target_key): d for d in documents if d.spec.source_key != d.spec.target_key
    }
    loaded = {
        ((source_slug, source_version), (target_slug, target_version))
        for source_slug, source_version, target_slug, target_version in Crosswalk.objects.values_list(
            "source__slug", "source__version", "target__slug", "target__version"
        )
    }
    cycle = find_cycle(loaded | set(new))
    if cycle:
        steps = list(itertools.pairwise(cycle))
        document = next((new[step] for step in steps if step in new), None)
        circle = " → ".join(f"{slug} {version}" for slug, version in cycle)
        message = _(
            "cycle de correspondances (%(cycle)s) : un référentiel ne peut pas à la fois précéder "
            "et suivre un autre."
        ) % {"cycle": circle}
        errors.append(document.fault(None, "target", message) if document else message)
    return errors


@transaction.atomic
def load_documents(documents, pending=()):
    """Load every crosswalk, or none (FrameworkInvalid with every fault). The caller loads
    the `pending` frameworks first, in the same transaction."""
    errors = check_documents(documents, pending)
    if errors:
        raise FrameworkInvalid(errors)
    return [_load_one(document.spec) for document in documents]


def load_crosswalk_paths(paths=()):
    return load_documents(parse_crosswalk_files(crosswalk_files(paths)))


def _load_one(spec):
    source = Framework.objects.get(slug=spec.source_slug, version=spec.source_version)
    target = Framework.objects.get(slug=spec.target_slug, version=spec.target_version)
    crosswalk = Crosswalk.objects.filter(source=source, target=target).first()
    status = CREATED
    if crosswalk is not None:
        if crosswalk_spec_from_db(crosswalk) == spec:
            return CrosswalkLoad(spec, UNCHANGED, crosswalk)
        crosswalk.links.all().delete()
        crosswalk.rule = spec.rule
        crosswalk.save(update_fields=["rule", "loaded_at"])
        status = REPLACED
    else:
        crosswalk = Crosswalk.objects.create(source=source, target=target, rule=spec.rule)
    source_ids = dict(source.criteria.values_list("code", "pk"))
    target_ids = dict(target.criteria.values_list("code", "pk"))
    CrosswalkLink.objects.bulk_create(
        CrosswalkLink(
            crosswalk=crosswalk,
            source_id=source_ids[link.source],
            target_id=target_ids[link.target],
            type=link.type,
            note=link.note,
            position=position,
        )
        for position, link in enumerate(spec.links)
    )
    return CrosswalkLoad(spec, status, crosswalk)


def crosswalk_spec_from_db(crosswalk):
    source, target = crosswalk.source, crosswalk.target
    return CrosswalkSpec(
        source_slug=source.slug,
        source_version=source.version,
        target_slug=target.slug,
        target_version=target.version,
        rule=crosswalk.rule,
        links=tuple(
            LinkSpec(source_code, target_code, link_type, note)
            for source_code, target_code, link_type, note in crosswalk.links.order_by("position").values_list(
                "source__code", "target__code", "type", "note"
            )
        ),
    )
