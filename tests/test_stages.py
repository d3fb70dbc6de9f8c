"""The state word of a positioning: one definition (assessments/stages.py) for the model, the
aggregates, the pages and the exports."""

import pytest

from paliers.assessments.aggregates import summarise
from paliers.assessments.models import Assessment, AssessmentStatus
from paliers.assessments.stages import Stage, stage_of


@pytest.mark.parametrize(
    ("submitted", "answered", "expected", "word"),
    [
        (False, 0, Stage.NOT_STARTED, "non commencé"),
        (False, 3, Stage.IN_PROGRESS, "en cours"),
        (True, 3, Stage.SUBMITTED, "soumis"),
        (True, 0, Stage.SUBMITTED, "soumis"),  # submitted blank: still submitted
    ],
)
def test_one_rule_for_the_model_and_the_aggregates(submitted, answered, expected, word):
    assert stage_of(submitted=submitted, answered=answered) == expected
    assert expected.label == word
    status = AssessmentStatus.SUBMITTED if submitted else AssessmentStatus.DRAFT
    assert Assessment(status=status, answered_count=answered).stage == expected

    class Structure:  # the smallest framework: one domain of `answered or 1` criteria on level 1
        criterion_ids = tuple(range(max(answered, 1)))
        levels = (1,) * len(criterion_ids)
        domains = ((1, tuple(range(len(criterion_ids)))),)

    letters = "A" * answered if answered else "-"
    assert summarise(Structure, letters, submitted).stage == expected
