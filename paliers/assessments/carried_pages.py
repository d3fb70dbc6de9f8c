"""Carried answers arranged for the pages: their origin in words, domain by domain."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from paliers.frameworks.models import CarryRule, Criterion, LinkType

from .carrying import SAME
from .models import AnswerValue

ANSWER_LABELS = dict(AnswerValue.choices)
LINK_LABELS = dict(LinkType.choices) | {SAME: _("même critère")}
RULE_LABELS = dict(CarryRule.choices)


@dataclass
class Source:
    code: str
    text: str
    value: str  # label
    link: str  # label


@dataclass
class CarriedRow:
    answer: object
    sources: list
    proposed: bool  # False: the links propose nothing, the school answers

    @property
    def criterion(self):
        return self.answer.criterion

    @property
    def origin(self):
        return self.answer.carried_origin or {}


@dataclass
class CarriedSection:
    domain: object
    rows: list = field(default_factory=list)

    @property
    def proposed(self):
        return [row for row in self.rows if row.proposed]


def origin_sources(origin, texts=None):
    """[Source] of an answer's origin (texts: {(framework id, code): text})."""
    texts = texts or {}
    return [
        Source(
            code=source["code"],
            text=texts.get((origin.get("framework_id"), source["code"]), ""),
            value=ANSWER_LABELS.get(source["value"], source["value"]),
            link=LINK_LABELS.get(source["type"], source["type"]),
        )
        for source in origin.get("sources", ())
    ]


def carried_sections(assessment):
    """[CarriedSection] of the answers carried over and not confirmed, in the framework's order."""
    answers = list(
        assessment.answers.filter(carried_over=True)
        .select_related("criterion__domain", "criterion__level")
        .order_by("criterion__position")
    )
    wanted = {}
    for answer in answers:
        origin = answer.carried_origin or {}
        for source in origin.get("sources", ()):
            wanted.setdefault(origin.get("framework_id"), set()).add(source["code"])
    texts = {}
    for framework_id, codes in wanted.items():
        # Rows, not values_list: a criterion shows its text in the reader's language.
        rows = Criterion.objects.filter(framework_id=framework_id, code__in=codes).only(
            "code", "text", "translations"
        )
        texts.update({(framework_id, c.code): c.text for c in rows})
    sections = []
    for answer in answers:
        if not sections or sections[-1].domain.pk != answer.criterion.domain_id:
            sections.append(CarriedSection(answer.criterion.domain))
        origin = answer.carried_origin or {}
        proposed = answer.value != AnswerValue.NOT_ANSWERED
        sections[-1].rows.append(CarriedRow(answer, origin_sources(origin, texts), proposed))
    return sections
