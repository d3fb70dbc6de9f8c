"""Roadmaps as YAML: read, check (every fault, with file, place and line), load all or nothing.

The format (`examples/limoges-2016-2017.yaml` is a full example):

    title: Feuille de route académique du numérique pour l’éducation
    period: 2016-2017
    source: …                      # optional
    introduction: |                # optional
      …
    axes:
      - section: Objectifs stratégiques      # optional
        title: Au sein de l’académie
        description: …  situation: …  objectives: …  actions: …  resources: …   # optional texts
        indicators:
          - title: Nombre d’usages répertoriés
            measure: nombre          # or part (a percentage); nombre by default
            target: 120              # optional
          - title: Nombre d’établissements ayant instauré un conseil du numérique
            computed:
              definition: critere    # soumis, critere, niveau or objectif
              framework: creteil-etablissements/2014
              criterion: PIL.2.1     # critere
              domain: INF            # niveau, objectif
              level: 2               # niveau
              department: "087"      # optional scope inside the académie (code), or
              district: "0870001X"   # a district's code
              school_kind: college   # optional filters (the codes of the directory)
              sector: public
              priority: ep           # REP, REP+, ep (REP or REP+), hors
              submitted_only: false
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from paliers.frameworks.models import Criterion, Domain, Framework
from paliers.frameworks.validation import LineLoader, YamlRefused, load_yaml
from paliers.schools.models import Department, District, SchoolKind, Sector

from .models import PRIORITIES, Axis, Indicator, Measure, Roadmap

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
LIMOGES = EXAMPLES_DIR / "limoges-2016-2017.yaml"
TOP_KEYS = {"title", "period", "source", "introduction", "axes"}
TEXTS = ("description", "situation", "objectives", "actions", "resources")
AXIS_KEYS = {"section", "title", "indicators", *TEXTS}
INDICATOR_KEYS = {"title", "measure", "target", "computed"}
COMPUTED_KEYS = {"definition", "framework", "criterion", "domain", "level", "department", "district",
                 "school_kind", "sector", "priority", "submitted_only"}  # fmt: skip


class RoadmapInvalid(Exception):
    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass
class RoadmapSpec:
    title: str
    period: str
    source: str = ""
    introduction: str = ""
    axes: list = field(default_factory=list)  # [(Axis fields, [Indicator fields])]


def read_roadmap(path, academy):
    """The roadmap of a file, its references looked up in `academy`; RoadmapInvalid otherwise."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RoadmapInvalid(
            [_("%(name)s : lecture impossible (%(error)s).") % {"name": path, "error": error}]
        ) from None
    return read_roadmap_text(text, academy, str(path))


def read_roadmap_text(text, academy, source_name="<texte>"):
    try:
        data = load_yaml(text, LineLoader)
    except YamlRefused as error:
        raise RoadmapInvalid(
            [_("%(name)s : %(problem)s.") % {"name": source_name, "problem": error}]
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        values = {"name": source_name, "problem": getattr(error, "problem", error)}
        if mark:
            values["line"] = mark.line + 1
            message = _("%(name)s, ligne %(line)s : YAML illisible (%(problem)s).") % values
        else:
            message = _("%(name)s : YAML illisible (%(problem)s).") % values
        raise RoadmapInvalid([message]) from None
    checker = _Checker(source_name, academy)
    spec = checker.roadmap(data)
    if checker.errors:
        raise RoadmapInvalid(checker.errors)
    return spec


class _Checker:
    def __init__(self, source_name, academy):
        self.source_name, self.academy, self.errors = source_name, academy, []

    def fail(self, place, node, message):
        line = getattr(node, "line", None)
        values = {"source": self.source_name, "place": place, "line": line, "message": message}
        if line:
            self.errors.append(_("%(source)s › %(place)s (ligne %(line)s) : %(message)s") % values)
        else:
            self.errors.append(_("%(source)s › %(place)s : %(message)s") % values)

    def mapping(self, place, node, allowed, required, parent=None):
        if not isinstance(node, dict):
            self.fail(place, parent, _("une table de clés est attendue."))
            return False
        for key in node:
            if key not in allowed:
                self.fail(
                    place,
                    node,
                    _("clé inconnue « %(key)s » (clés possibles : %(keys)s).")
                    % {"key": key, "keys": ", ".join(sorted(allowed))},
                )
        for key in sorted(required - set(node)):
            self.fail(place, node, _("clé obligatoire « %(key)s » absente.") % {"key": key})
        return True

    def text(self, place, node, key, required=False):
        value = node.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required and key in node:  # an absent key is reported by `mapping`
                self.fail(f"{place}.{key}", node, _("texte manquant."))
            return ""
        if isinstance(value, bool | dict | list):
            self.fail(f"{place}.{key}", node, _("un texte est attendu."))
            return ""
        return str(value).strip()

    def roadmap(self, data):
        if not self.mapping("document", data, TOP_KEYS, {"title", "period", "axes"}):
            return None
        spec = RoadmapSpec(
            title=self.text("title", data, "title", True),
            period=self.text("period", data, "period", True),
            source=self.text("source", data, "source"),
            introduction=self.text("introduction", data, "introduction"),
        )
        axes = data.get("axes")
        if not isinstance(axes, list) or not axes:
            self.fail("axes", data, _("une liste d’axes est attendue."))
            return spec
        for i, node in enumerate(axes):
            axis = self.axis(f"axes[{i + 1}]", node, data)
            if axis is not None:
                spec.axes.append(axis)
        return spec

    def axis(self, place, node, parent):
        if not self.mapping(place, node, AXIS_KEYS, {"title"}, parent):
            return None
        fields = {
            "section": self.text(place, node, "section"),
            "title": self.text(place, node, "title", True),
        }
        fields.update({key: self.text(place, node, key) for key in TEXTS})
        indicators = node.get("indicators") or []
        if not isinstance(indicators, list):
            self.fail(f"{place}.indicators", node, _("une liste est attendue."))
            indicators = []
        found = [self.indicator(f"{place}.indicators[{i + 1}]", n, node) for i, n in enumerate(indicators)]
        return fields, [f for f in found if f is not None]

    def indicator(self, place, node, parent):
        if not self.mapping(place, node, INDICATOR_KEYS, {"title"}, parent):
            return None
        fields = {"title": self.text(place, node, "title", True)}
        measure = node.get("measure", Measure.COUNT)
        if measure not in Measure.values:
            self.fail(
                f"{place}.measure",
                node,
                _("« %(value)s » inconnue (attendu : nombre ou part).") % {"value": measure},
            )
        fields["measure"] = measure
        if node.get("target") is not None:
            try:
                fields["target"] = Decimal(str(node["target"]))
            except InvalidOperation:
                self.fail(
                    f"{place}.target",
                    node,
                    _("« %(value)s » n’est pas un nombre.") % {"value": node["target"]},
                )
        if "computed" in node:
            fields.update(self.computed(f"{place}.computed", node["computed"], node))
        return fields

    def computed(self, place, node, parent):
        if not self.mapping(place, node, COMPUTED_KEYS, {"definition", "framework"}, parent):
            return {}
        fields = {"definition": node.get("definition")}
        needs = {
            "soumis": (),
            "critere": ("criterion",),
            "niveau": ("domain", "level"),
            "objectif": ("domain",),
        }
        if fields["definition"] not in needs:
            self.fail(
                f"{place}.definition",
                node,
                _("« %(value)s » inconnue (attendu : %(expected)s).")
                % {"value": fields["definition"], "expected": ", ".join(needs)},
            )
            return {}
        for key in needs[fields["definition"]]:
            if node.get(key) is None:
                self.fail(
                    place,
                    node,
                    _("clé « %(key)s » obligatoire pour la définition « %(definition)s ».")
                    % {"key": key, "definition": fields["definition"]},
                )
        framework = self.framework(place, node)
        if framework is not None and node.get("criterion") is not None:
            fields["criterion"] = self.lookup(
                place,
                node,
                "criterion",
                Criterion,
                framework,
                _("critère « %(code)s » inconnu dans %(framework)s."),
            )
        if framework is not None and node.get("domain") is not None:
            fields["domain"] = self.lookup(
                place,
                node,
                "domain",
                Domain,
                framework,
                _("domaine « %(code)s » inconnu dans %(framework)s."),
            )
        level = node.get("level")
        if level is not None:
            if (
                isinstance(level, bool)
                or not isinstance(level, int)
                or not (framework is None or framework.levels.filter(number=level).exists())
            ):
                self.fail(
                    f"{place}.level",
                    node,
                    _("niveau %(level)s inconnu dans ce référentiel.") % {"level": repr(level)},
                )
            fields["level"] = level
        fields["framework"] = framework
        fields.update(self.scope(place, node))
        return fields

    def framework(self, place, node):
        slug, __, version = str(node.get("framework", "")).partition("/")
        found = Framework.objects.filter(slug=slug, version=version).first()
        if found is None:
            self.fail(
                f"{place}.framework",
                node,
                _("référentiel « %(framework)s » non chargé (attendu : identifiant/version).")
                % {"framework": node.get("framework")},
            )
        return found

    def lookup(self, place, node, key, model, framework, unknown):
        """`unknown`: the message for a code not found, with %(code)s and %(framework)s."""
        found = model.objects.filter(framework=framework, code=str(node[key])).first()
        if found is None:
            self.fail(
                f"{place}.{key}",
                node,
                unknown % {"code": node[key], "framework": f"{framework.slug} {framework.version}"},
            )
        return found

    def scope(self, place, node):
        fields = {}
        if node.get("department") is not None:
            department = Department.objects.filter(code=str(node["department"]), academy=self.academy).first()
            if department is None:
                self.fail(
                    f"{place}.department",
                    node,
                    _("département « %(code)s » absent de l’académie.") % {"code": node["department"]},
                )
            fields["department"] = department
        if node.get("district") is not None:
            districts = District.objects.filter(code=str(node["district"]), department__academy=self.academy)
            if districts.count() != 1:
                self.fail(
                    f"{place}.district",
                    node,
                    _("district « %(code)s » absent de l’académie (ou ambigu).") % {"code": node["district"]},
                )
            fields["district"] = districts.first()
        for key, choices in (("school_kind", SchoolKind.values), ("sector", Sector.values),
                             ("priority", [value for value, __ in PRIORITIES])):  # fmt: skip
            value = node.get(key)
            if value is not None and str(value) not in choices:
                self.fail(
                    f"{place}.{key}",
                    node,
                    _("« %(value)s » inconnu (attendu : %(expected)s).")
                    % {"value": value, "expected": ", ".join(c for c in choices if c)},
                )
            fields[key] = "" if value is None else str(value)
        submitted_only = node.get("submitted_only", False)
        if not isinstance(submitted_only, bool):
            self.fail(f"{place}.submitted_only", node, _("true ou false attendu."))
        fields["submitted_only"] = submitted_only is True
        return fields


def load_roadmap(path, academy, user=None):
    """(roadmap, created): a roadmap of the same title and period in the académie is left as it is."""
    spec = read_roadmap(path, academy)
    existing = Roadmap.objects.filter(academy=academy, title=spec.title, period=spec.period).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        roadmap = Roadmap.objects.create(
            academy=academy, title=spec.title, period=spec.period, source=spec.source,
            introduction=spec.introduction, created_by=user, updated_by=user,
        )  # fmt: skip
        for position, (fields, indicators) in enumerate(spec.axes):
            axis = Axis.objects.create(roadmap=roadmap, position=position, **fields)
            for rank, indicator in enumerate(indicators):
                Indicator.objects.create(axis=axis, position=rank, **indicator)
    return roadmap, True
