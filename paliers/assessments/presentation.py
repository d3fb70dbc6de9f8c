"""Assessment data arranged for the pages: domains → components → criteria with answers."""

from collections import Counter
from dataclasses import dataclass, field

from paliers.frameworks.models import Criterion

from .answering import answer_digest
from .models import Answer, AnswerValue, ContributionAnswer

DIVERGENT = {AnswerValue.MET, AnswerValue.NOT_MET}


@dataclass
class Block:
    """A criterion on a page. After a refused save (a value invalid, or a conflict) the
    fields show what the user typed — never the stored answer in its place — with the
    reason beside them; `conflict` is then the answer someone saved meanwhile, and the
    page's seen version is that one's, so that saving again keeps what was typed."""

    criterion: Criterion
    answer: object  # Answer, ContributionAnswer or None
    form: object = None  # bound: what the user sent
    conflict: object = None  # the answer saved meanwhile, when a save was refused
    counts: list = None  # consensus view: (value, label, count)
    consensus: bool = False
    divergence: bool = False
    notice: str = ""  # said beside the criterion after a page was saved (without JavaScript)

    def _typed(self, name, stored):
        if self.form is not None and self.form.is_bound and name in self.form.fields:
            typed = self.form[name].value()
            return "" if typed is None else typed
        return stored

    @property
    def value(self):
        return self._typed("value", self.answer.value if self.answer else AnswerValue.NOT_ANSWERED)

    @property
    def comment(self):
        return self._typed("comment", self.answer.comment if self.answer else "")

    @property
    def evidence_url(self):
        return self._typed("evidence_url", getattr(self.answer, "evidence_url", "") if self.answer else "")

    @property
    def seen_version(self):
        if self.conflict is not None:
            return self.conflict.version
        return self._typed("seen_version", self.answer.version if self.answer else 0)

    @property
    def seen_digest(self):
        if self.conflict is not None:
            return answer_digest(self.conflict)
        return self._typed("seen_digest", answer_digest(self.answer))

    @property
    def errors(self):
        """{field: [messages]} of a refused save."""
        return self.form.errors if self.form is not None and self.form.is_bound else {}

    @property
    def refused(self):
        return bool(self.errors) or self.conflict is not None


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


def answer_sections(assessment, contribution=None, forms=None, conflicts=None, notices=None):
    """Every criterion with its answer (the collective one, or `contribution`'s); after a
    page was refused, `forms` ({code: bound form}) and `conflicts` ({code: answer}) keep
    what was typed beside the reasons; `notices` ({code: text}) say what a save did."""
    if contribution is not None:
        answers = {a.criterion_id: a for a in contribution.answers.all()}
    else:
        answers = {a.criterion_id: a for a in assessment.answers.select_related("updated_by")}
    forms, conflicts, notices = forms or {}, conflicts or {}, notices or {}
    return _arrange(
        _criteria(assessment),
        lambda c: Block(
            c,
            answers.get(c.pk),
            form=forms.get(c.code),
            conflict=conflicts.get(c.code),
            notice=notices.get(c.code, ""),
        ),
    )


def criterion_block(assessment, criterion, form=None, conflict=None, contribution=None):
    """One criterion's block, as a save left it: `conflict` is the answer saved meanwhile."""
    if contribution is not None:
        answer = ContributionAnswer.objects.filter(contribution=contribution, criterion=criterion).first()
    else:
        answer = (
            Answer.objects.filter(assessment=assessment, criterion=criterion)
            .select_related("updated_by")
            .first()
        )
    return Block(criterion, answer, form=form, conflict=conflict)


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
