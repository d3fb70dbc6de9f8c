"""Assessment data arranged for the pages: domains → components → criteria with answers."""

from collections import Counter
from dataclasses import dataclass, field

from paliers.frameworks.models import Criterion

from .models import Answer, AnswerValue, ContributionAnswer

DIVERGENT = {AnswerValue.MET, AnswerValue.NOT_MET}


@dataclass
class Block:
    criterion: Criterion
    answer: object  # Answer, ContributionAnswer or None
    form: object = None
    conflict: object = None  # the other person's Answer, when a save was refused
    mine: dict = None  # what the refused save wanted
    counts: list = None  # consensus view: (value, label, count)
    consensus: bool = False
    divergence: bool = False

    @property
    def value(self):
        if self.form is not None and self.form.is_bound and self.conflict is None:
            return self.form.data.get("value", "")
        return self.answer.value if self.answer else AnswerValue.NOT_ANSWERED


@dataclass
class Group:
    component: object
    blocks: list = field(default_factory=list)


@dataclass
class Section:
    domain: object
    groups: list = field(default_factory=list)


def _criteria(assessment):
    return (
        Criterion.objects.filter(framework_id=assessment.campaign.framework_id)
        .select_related("domain__part", "component", "level")
        .order_by("position")
    )


def _arrange(criteria, block_for):
    sections = []
    for criterion in criteria:
        if not sections or sections[-1].domain.pk != criterion.domain_id:
            sections.append(Section(criterion.domain))
        groups = sections[-1].groups
        if not groups or groups[-1].component != criterion.component:
            groups.append(Group(criterion.component))
        groups[-1].blocks.append(block_for(criterion))
    return sections


def answer_sections(assessment, contribution=None):
    if contribution is not None:
        answers = {a.criterion_id: a for a in contribution.answers.all()}
    else:
        answers = {a.criterion_id: a for a in assessment.answers.select_related("updated_by")}
    return _arrange(_criteria(assessment), lambda c: Block(c, answers.get(c.pk)))


def criterion_block(assessment, criterion, form=None, conflict=None):
    answer = (
        Answer.objects.filter(assessment=assessment, criterion=criterion).select_related("updated_by").first()
    )
    block = Block(criterion, answer, form=form)
    if conflict is not None and conflict.conflict:
        block.conflict = conflict.answer
        block.mine = form.cleaned_data
    return block


def consensus_sections(assessment):
    """Per criterion, how many members chose each answer, beside the collective one."""
    tallies = {}
    for criterion_id, value in ContributionAnswer.objects.filter(
        contribution__assessment=assessment
    ).values_list("criterion_id", "value"):
        tallies.setdefault(criterion_id, Counter())[value] += 1
    answers = {a.criterion_id: a for a in assessment.answers.all()}

    def block_for(criterion):
        tally = tallies.get(criterion.pk, Counter())
        given = {value: n for value, n in tally.items() if value != AnswerValue.NOT_ANSWERED}
        return Block(
            criterion,
            answers.get(criterion.pk),
            counts=[(value, label, tally.get(value, 0)) for value, label in AnswerValue.choices],
            consensus=len(given) == 1 and sum(given.values()) >= 2,
            divergence=set(given) >= DIVERGENT or len(given) >= 3,
        )

    return _arrange(_criteria(assessment), block_for)
