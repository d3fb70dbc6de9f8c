"""The rules of GUIDE §3, on hand-computed cases and as properties."""

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paliers.assessments.scoring import (
    ANSWER_VALUES,
    MET,
    FrameworkResult,
    Item,
    level_reached,
    percentages,
    progress_score,
    score_framework,
)


def items(*pairs):
    return [Item(level, met) for level, met in pairs]


# --- level reached and progress score, by hand -------------------------------------------


def test_empty_set_is_level_zero_with_no_percentage():
    assert level_reached([]) == 0
    assert progress_score([]) == 0.0
    assert percentages([], levels=[1, 2]) == {1: None, 2: None}


def test_in_progress_is_not_met():
    result = score_framework(
        [{"code": "D", "title": "Domaine", "criteria": [("a", 1), ("b", 1), ("c", 2)]}],
        {"a": "en_cours", "b": "en_cours", "c": "en_cours"},
    )
    domain = result.domains[0]
    assert (domain.level, domain.score) == (0, 0.0)
    assert result.answered == 3
    assert domain.percentages == {1: 0.0, 2: 0.0}


def test_level_counts_only_when_every_lower_level_is_met():
    assert level_reached(items((1, True), (1, True), (2, True), (3, False))) == 2
    assert level_reached(items((1, True), (1, False), (2, True), (3, True))) == 0
    assert level_reached(items((1, True), (2, False), (3, True))) == 1


def test_progress_score_adds_the_share_of_the_next_level():
    assert progress_score(items((1, True), (1, True), (2, True), (2, False), (2, False), (2, False))) == 1.25
    # The next level's share counts even if the one above it is partly met.
    assert progress_score(items((1, False), (1, True), (2, True))) == 0.5
    assert progress_score(items((1, True), (2, True))) == 2.0


def test_gaps_between_levels():
    # Only levels 1 and 3 have criteria: level 2 is skipped, not "missed".
    assert level_reached(items((1, True), (3, False), (3, True))) == 1
    assert progress_score(items((1, True), (3, False), (3, True))) == 1.5
    assert level_reached(items((1, True), (3, True))) == 3
    assert progress_score(items((1, True), (3, True))) == 3.0
    # The lowest level with criteria is the first step even when it is not level 1.
    assert level_reached(items((2, True), (3, False))) == 2
    assert progress_score(items((2, False), (2, True), (4, True))) == 0.5


def test_plain_pairs_work_like_items():
    assert level_reached([(1, True), (2, False)]) == 1
    assert progress_score([(1, True), (2, False), (2, True)]) == 1.5


def test_level_below_one_is_refused():
    with pytest.raises(ValueError, match="Niveau"):
        level_reached([(0, True)])


def test_percentages_per_level():
    assert percentages(items((1, True), (1, False), (3, True)), levels=[1, 2, 3]) == {1: 0.5, 2: None, 3: 1.0}
    assert percentages(items((2, False))) == {2: 0.0}


# --- a whole framework, by hand ----------------------------------------------------------

STRUCTURE = [
    {
        "code": "D1",
        "title": "Pilotage",
        "components": [
            {"code": "D1.1", "title": "Stratégie", "criteria": [("c1", 1), ("c2", 2), ("c3", 3)]},
            {"code": "D1.2", "title": "Communication", "criteria": [("c4", 1), ("c5", 2), ("c6", 2)]},
        ],
    },
    # Créteil 2014 lists criteria straight under domains; this one has no level-2 criterion.
    {"code": "D2", "title": "Formation", "criteria": [("c7", 1), ("c8", 1), ("c9", 3), ("c10", 3)]},
]
ANSWERS = {
    "c1": "atteint",
    "c2": "atteint",
    "c3": "en_cours",
    "c4": "atteint",
    "c5": "atteint",
    "c6": "non_atteint",
    "c7": "atteint",
    "c8": "atteint",
    "c9": "atteint",
    "c10": "atteint",
}


def test_domain_with_components():
    d1 = score_framework(STRUCTURE, ANSWERS).domains[0]
    strategy, communication = d1.components
    assert (strategy.level, strategy.score, strategy.highest_level) == (2, 2.0, 3)
    assert (communication.level, communication.score) == (1, 1.5)
    # The domain counts its components' criteria together: level 2 is 2 of 3.
    assert (d1.level, d1.score) == (1, pytest.approx(1 + 2 / 3))
    assert d1.percentages == {1: 1.0, 2: pytest.approx(2 / 3), 3: 0.0}
    assert not d1.at_highest


def test_overall_is_the_lowest_domain_and_strengths_are_domains_at_their_top():
    result = score_framework(STRUCTURE, ANSWERS)
    d1, d2 = result.domains
    assert (d2.level, d2.score, d2.at_highest) == (3, 3.0, True)
    assert result.overall_level == 1 == d1.level
    assert result.overall_score == d1.score
    assert result.strengths == (d2,)
    assert (result.answered, result.total) == (10, 10)


def test_percentages_with_a_level_absent_from_a_domain():
    result = score_framework(STRUCTURE, ANSWERS)
    assert result.domains[1].percentages == {1: 1.0, 2: None, 3: 1.0}
    # Over the whole framework: level 2 is c2, c5, c6.
    assert result.percentages == {1: 1.0, 2: pytest.approx(2 / 3), 3: pytest.approx(2 / 3)}
    counts = {c.level: (c.met, c.total) for c in result.levels}
    assert counts == {1: (4, 4), 2: (2, 3), 3: (2, 3)}


def test_declared_levels_without_criteria_have_no_percentage():
    result = score_framework(STRUCTURE, ANSWERS, levels=[1, 2, 3, 4])
    assert result.percentages[4] is None
    assert result.max_level == 4


def test_next_steps_are_the_unmet_criteria_of_the_next_level():
    result = score_framework(STRUCTURE, ANSWERS)
    assert result.domains[0].next_steps == ("c6",)
    assert result.domains[1].next_steps == ()
    # At level 0 the next step is the lowest level with criteria, and "en cours" is still to do.
    partial = score_framework(STRUCTURE, {"c7": "atteint", "c8": "en_cours", "c9": "non_atteint"})
    assert partial.domains[1].next_steps == ("c8",)
    # A gap: from level 1 the next step is level 3.
    gap = score_framework(STRUCTURE, {**ANSWERS, "c10": "non_atteint"})
    assert gap.domains[1].next_steps == ("c10",)


def test_unanswered_criteria_and_answers_outside_the_framework():
    result = score_framework(STRUCTURE, {"c1": "non_renseigne", "c2": "atteint", "other": "atteint"})
    assert (result.answered, result.total) == (1, 10)
    assert result.overall_level == 0


def test_a_domain_with_criteria_of_its_own_beside_components():
    structure = [
        {
            "code": "D",
            "title": "Domaine",
            "criteria": [("a", 1)],
            "components": [{"code": "C", "title": "Composante", "criteria": [("b", 1), ("c", 2)]}],
        }
    ]
    domain = score_framework(structure, {"b": "atteint", "c": "atteint"}).domains[0]
    assert domain.components[0].level == 2
    assert (domain.level, domain.next_steps) == (0, ("a",))


def test_unknown_answer_value_is_refused():
    with pytest.raises(ValueError, match="inconnues"):
        score_framework(STRUCTURE, {"c1": "oui"})


def test_empty_framework_and_domain_without_criteria():
    assert score_framework([], {}).overall_level == 0
    result = score_framework([*STRUCTURE, {"code": "D3", "title": "Vide", "criteria": []}], ANSWERS)
    empty = result.domains[2]
    assert (empty.level, empty.highest_level, empty.at_highest, empty.next_steps) == (0, 0, False, ())
    # A domain without criteria says nothing about the school: the overall level ignores it.
    assert result.overall_level == 1


def test_results_survive_a_json_round_trip():
    result = score_framework(STRUCTURE, ANSWERS, levels=[1, 2, 3, 4])
    data = json.loads(json.dumps(result.as_dict()))
    assert data["domains"][0]["levels"][1] == {"level": 2, "met": 2, "total": 3, "fraction": 2 / 3}
    assert data["levels"][3]["fraction"] is None
    assert FrameworkResult.from_dict(data) == result


# --- properties -------------------------------------------------------------------------

item_lists = st.lists(st.builds(Item, st.integers(1, 6), st.booleans()), max_size=25)


def by_definition(items):
    """GUIDE §3 read literally: the highest level with criteria up to which all are met."""
    levels = {level for level, _ in items}
    return max((lv for lv in levels if all(met for level, met in items if level <= lv)), default=0)


@given(item_lists)
def test_level_reached_follows_the_definition(items):
    assert level_reached(items) == by_definition(items)


@given(item_lists, st.data())
def test_meeting_one_more_criterion_never_lowers_level_or_score(items, data):
    unmet = [i for i, item in enumerate(items) if not item.met]
    if not unmet:
        return
    index = data.draw(st.sampled_from(unmet))
    better = [*items[:index], Item(items[index].level, True), *items[index + 1 :]]
    assert level_reached(better) >= level_reached(items)
    assert progress_score(better) >= progress_score(items)


@given(item_lists)
def test_level_and_score_stay_within_the_levels_that_have_criteria(items):
    highest = max((level for level, _ in items), default=0)
    level, score = level_reached(items), progress_score(items)
    assert 0 <= level <= highest
    assert 0 <= score <= highest
    assert level in {0} | {lv for lv, _ in items}
    assert math.floor(score) == level
    if level == highest:
        assert score == level
    else:
        assert level <= score < level + 1


@given(item_lists, st.randoms(use_true_random=False))
def test_order_of_criteria_changes_nothing(items, rnd):
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert level_reached(shuffled) == level_reached(items)
    assert progress_score(shuffled) == progress_score(items)
    assert percentages(shuffled, range(1, 7)) == percentages(items, range(1, 7))


@given(item_lists)
def test_percentages_are_fractions_and_none_only_without_criteria(items):
    present = {level for level, _ in items}
    for level, share in percentages(items, range(1, 7)).items():
        assert (share is None) == (level not in present)
        assert share is None or 0 <= share <= 1


@st.composite
def assessments(draw):
    """A framework of 1–5 domains, some with components, and answers to it."""
    structure, codes = [], []
    for d in range(draw(st.integers(1, 5))):
        groups = [
            [(f"d{d}g{g}c{c}", draw(st.integers(1, 4))) for c in range(draw(st.integers(1, 5)))]
            for g in range(draw(st.integers(1, 3)))
        ]
        codes += [code for group in groups for code, _ in group]
        if draw(st.booleans()):
            components = [
                {"code": f"{d}.{g}", "title": "C", "criteria": group} for g, group in enumerate(groups)
            ]
            structure.append({"code": str(d), "title": "D", "components": components})
        else:
            structure.append(
                {"code": str(d), "title": "D", "criteria": [c for group in groups for c in group]}
            )
    answers = {code: draw(st.sampled_from(ANSWER_VALUES)) for code in codes if draw(st.booleans())}
    return structure, answers


@given(assessments())
def test_overall_level_is_at_most_every_domain_level(assessment):
    result = score_framework(*assessment)
    assert all(result.overall_level <= domain.level for domain in result.domains)
    assert result.overall_level in {domain.level for domain in result.domains}
    assert math.floor(result.overall_score) == result.overall_level
    for domain in result.domains:
        assert domain.at_highest == (domain.level == domain.highest_level)
        assert (domain.next_steps == ()) == domain.at_highest


@given(assessments(), st.randoms(use_true_random=False))
def test_order_of_criteria_in_a_framework_changes_no_level(assessment, rnd):
    structure, answers = assessment
    shuffled = []
    for domain in structure:
        copy = dict(domain)
        if "criteria" in copy:
            copy["criteria"] = rnd.sample(copy["criteria"], len(copy["criteria"]))
        if "components" in copy:
            copy["components"] = [
                {**c, "criteria": rnd.sample(c["criteria"], len(c["criteria"]))} for c in copy["components"]
            ]
        shuffled.append(copy)
    before, after = score_framework(structure, answers), score_framework(shuffled, answers)
    assert (after.overall_level, after.overall_score, after.levels) == (
        before.overall_level,
        before.overall_score,
        before.levels,
    )
    for one, other in zip(before.domains, after.domains, strict=True):
        assert (one.level, one.score, set(one.next_steps)) == (
            other.level,
            other.score,
            set(other.next_steps),
        )


@given(assessments())
def test_json_round_trip_of_any_result(assessment):
    result = score_framework(*assessment)
    assert FrameworkResult.from_dict(json.loads(json.dumps(result.as_dict()))) == result


@pytest.mark.parametrize("value", ANSWER_VALUES)
def test_met_is_the_only_value_that_counts(value):
    result = score_framework([{"code": "D", "title": "D", "criteria": [("a", 1)]}], {"a": value})
    assert result.overall_level == (1 if value == MET else 0)


def test_an_unfinished_assessment_says_which_levels_unanswered_criteria_decide():
    structure = [
        {"code": "D1", "title": "Pilotage", "criteria": [("a", 1), ("b", 1), ("c", 2)]},
        {"code": "D2", "title": "Formation", "criteria": [("d", 1), ("e", 2)]},
        {"code": "D3", "title": "Ressources", "criteria": [("f", 1), ("g", 2)]},
    ]
    # D1: level 1 is missing one answer: 0 now, 2 at most. D2: level 1 met, level 2 not met
    # (answered): 1, decided. D3: nothing answered.
    result = score_framework(structure, {"a": "atteint", "c": "atteint", "d": "atteint", "e": "non_atteint"})
    d1, d2, d3 = result.domains
    assert (d1.level, d1.unanswered, d1.decided, d1.level_at_most) == (0, 1, False, 2)
    assert (d2.level, d2.unanswered, d2.decided, d2.level_at_most) == (1, 0, True, 1)
    assert (d3.level, d3.unanswered, d3.decided, d3.level_at_most) == (0, 2, False, 2)
    assert result.provisional and (result.answered, result.total) == (4, 7)
    assert (result.overall_level, result.overall_decided, result.overall_at_most) == (0, False, 1)
    # An answer « en cours » or « non atteint » decides as much as « atteint ».
    done = score_framework(structure, {code: "en_cours" for code in "abcdefg"})
    assert not done.provisional and done.overall_decided and all(d.decided for d in done.domains)


def test_strengths_are_the_domains_standing_highest_as_the_table_shows():
    structure = [
        {"code": "D1", "title": "Pilotage", "criteria": [("a", 1), ("b", 2), ("c", 3)]},
        {"code": "D2", "title": "Formation", "criteria": [("d", 1), ("e", 2), ("f", 3)]},
        {"code": "D3", "title": "Ressources", "criteria": [("g", 1), ("h", 2)]},
    ]
    result = score_framework(
        structure, {"a": "atteint", "b": "atteint", "d": "atteint", "g": "atteint", "h": "atteint"}
    )
    assert [d.code for d in result.strengths] == ["D1", "D3"]  # palier 2, the best reached
    assert score_framework(structure, {}).strengths == ()  # nothing reached: no strength
