"""The accessibility statement's audit grid: the RGAA 4.1 criteria, one result each, read
from `audit.yaml` and checked whole; the conformity rate and state computed as the RGAA
defines them, so that nothing else states them by hand."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

AUDIT_FILE = Path(__file__).with_name("audit.yaml")

# RGAA 4.1: 106 criteria in 13 themes, numbered from 1 in each theme.
CRITERIA_PER_THEME = {1: 9, 2: 2, 3: 3, 4: 13, 5: 8, 6: 2, 7: 5, 8: 10, 9: 4, 10: 14, 11: 13, 12: 11, 13: 12}
RESULTS = {"C", "NC", "NA"}
LEVELS = {"A", "AA"}

FULLY = "totalement"
PARTIALLY = "partiellement"
NOT = "non"
# The RGAA's theme names, as the grid writes them: marked so that they are translated.
THEME_TITLES = [
    gettext_noop("Images"),
    gettext_noop("Cadres"),
    gettext_noop("Couleurs"),
    gettext_noop("Multimédia"),
    gettext_noop("Tableaux"),
    gettext_noop("Liens"),
    gettext_noop("Scripts"),
    gettext_noop("Éléments obligatoires"),
    gettext_noop("Structuration de l’information"),
    gettext_noop("Présentation de l’information"),
    gettext_noop("Formulaires"),
    gettext_noop("Navigation"),
    gettext_noop("Consultation"),
]
STATE_LABELS = {
    FULLY: _("totalement conforme"),
    PARTIALLY: _("partiellement conforme"),
    NOT: _("non conforme"),
}


class AuditError(ValueError):
    """The grid is not a whole RGAA 4.1 audit; the message says where."""


@dataclass(frozen=True)
class Criterion:
    number: str
    level: str
    title: str
    result: str
    note: str = ""
    pages: tuple[str, ...] = ()
    page_titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    number: int
    title: str
    criteria: tuple[Criterion, ...]

    @property
    def label(self):
        return gettext(self.title)

    @property
    def caption_id(self):
        return f"theme-{self.number}-caption"


@dataclass(frozen=True)
class SamplePage:
    key: str
    title: str
    url: str


@dataclass(frozen=True)
class Audit:
    reference: str
    audited_on: datetime.date
    audit_kind: str
    tools: tuple[str, ...]
    environment: tuple[str, ...]
    technologies: tuple[str, ...]
    sample: tuple[SamplePage, ...]
    derogations: tuple[str, ...]
    exempted: tuple[str, ...]
    themes: tuple[Theme, ...]

    @property
    def criteria(self):
        return [criterion for theme in self.themes for criterion in theme.criteria]

    def count(self, result):
        return sum(1 for criterion in self.criteria if criterion.result == result)

    @property
    def met_count(self):
        return self.count("C")

    @property
    def not_met_count(self):
        return self.count("NC")

    @property
    def not_applicable_count(self):
        return self.count("NA")

    @property
    def rate(self) -> Decimal:
        """The RGAA's conformity rate: criteria met over criteria applicable (met or not
        met), in per cent, rounded down to one decimal so as never to overstate it."""
        applicable = self.count("C") + self.count("NC")
        if not applicable:
            return Decimal(0)
        return (Decimal(100) * self.count("C") / applicable).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)

    @property
    def state(self) -> str:
        """Totally conforming when every applicable criterion is met, partially from 50 %,
        not conforming below (RGAA 4.1, « état de conformité »)."""
        if self.count("NC") == 0 and self.count("C") > 0:
            return FULLY
        return PARTIALLY if self.rate >= 50 else NOT

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def not_met(self):
        return [criterion for criterion in self.criteria if criterion.result == "NC"]


def _text_list(data, name):
    value = data.get(name) or []
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise AuditError(f"« {name} » : une liste de textes est attendue.")
    return tuple(item.strip() for item in value)


def _criterion(raw, theme_number, position, sample_titles):
    expected = f"{theme_number}.{position}"
    where = f"critère {expected}"
    if not isinstance(raw, dict) or str(raw.get("number")) != expected:
        raise AuditError(f"Thème {theme_number} : le critère {expected} est attendu à la place {position}.")
    if raw.get("result") not in RESULTS:
        raise AuditError(f"{where} : résultat « {raw.get('result')} » inconnu (C, NC ou NA).")
    if raw.get("level") not in LEVELS:
        raise AuditError(f"{where} : niveau « {raw.get('level')} » inconnu (A ou AA).")
    if not str(raw.get("title") or "").strip():
        raise AuditError(f"{where} : l'intitulé manque.")
    pages = tuple(raw.get("pages") or ())
    unknown = [page for page in pages if page not in sample_titles]
    if unknown:
        raise AuditError(f"{where} : page(s) hors de l'échantillon : {', '.join(unknown)}.")
    note = str(raw.get("note") or "").strip()
    if raw["result"] == "NC" and not (note and pages):
        raise AuditError(f"{where} : un critère non conforme dit pourquoi (note) et sur quelles pages.")
    titles = tuple(sample_titles[page] for page in pages)
    return Criterion(expected, raw["level"], raw["title"].strip(), raw["result"], note, pages, titles)


def parse_audit(data) -> Audit:
    """Reads the grid's YAML data into an Audit, or raises AuditError on the first fault."""
    if not isinstance(data, dict):
        raise AuditError("La grille doit être un dictionnaire YAML.")
    audited_on = data.get("audited_on")
    if not isinstance(audited_on, datetime.date):
        raise AuditError("« audited_on » : une date AAAA-MM-JJ est attendue.")
    raw_sample = data.get("sample") or []
    sample = tuple(SamplePage(str(p["key"]), str(p["title"]), str(p["url"])) for p in raw_sample)
    if not sample:
        raise AuditError("« sample » : l'échantillon de pages manque.")
    sample_titles = {page.key: page.title for page in sample}
    raw_themes = data.get("themes") or []
    if [theme.get("number") for theme in raw_themes] != list(CRITERIA_PER_THEME):
        raise AuditError("Les 13 thèmes du RGAA 4.1 sont attendus, dans l'ordre.")
    themes = []
    for raw in raw_themes:
        number, criteria = raw["number"], raw.get("criteria") or []
        if len(criteria) != CRITERIA_PER_THEME[number]:
            expected = CRITERIA_PER_THEME[number]
            raise AuditError(f"Thème {number} : {expected} critères attendus, {len(criteria)} trouvés.")
        themes.append(
            Theme(
                number,
                str(raw.get("title") or "").strip(),
                tuple(_criterion(c, number, i, sample_titles) for i, c in enumerate(criteria, start=1)),
            )
        )
    return Audit(
        reference=str(data.get("reference") or "RGAA 4.1"),
        audited_on=audited_on,
        audit_kind=str(data.get("audit_kind") or "").strip(),
        tools=_text_list(data, "tools"),
        environment=_text_list(data, "environment"),
        technologies=_text_list(data, "technologies"),
        sample=sample,
        derogations=_text_list(data, "derogations"),
        exempted=_text_list(data, "exempted"),
        themes=tuple(themes),
    )


@cache
def shipped_audit() -> Audit:
    """The repository's grid, read once per process (it changes with a deployment)."""
    return parse_audit(yaml.safe_load(AUDIT_FILE.read_text(encoding="utf-8")))
