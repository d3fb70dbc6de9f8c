"""Results of team questionnaires: per axis, how many responses chose each jalon, the
median jalon, and the leadership's view beside it — only from MIN_RESPONSES responses.

The threshold is applied here, once, for every page, export and API endpoint: below it the
results carry the number of responses and no distribution at all, so nothing downstream
can show one by mistake. Everything is computed from the tallies (plain numbers); the
functions on plain data are tested without a database.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .models import DONT_KNOW, AxisTally, LeadershipView

MIN_RESPONSES = 5  # below this, a distribution could single a teacher out
GAP_HIGHLIGHT = 1  # a gap of a whole jalon or more between the team and its leadership


def median_level(counts: Mapping[int, int]) -> float | None:
    """The median of the jalons chosen, « je ne sais pas » left out; halfway between two
    jalons (2.5) when the middle falls between them; None when nobody placed themselves."""
    levels = sorted(level for level, n in counts.items() if level != DONT_KNOW and n > 0)
    total = sum(counts[level] for level in levels)
    if not total:
        return None

    def nth(k):  # the k-th smallest answer, from 0
        seen = 0
        for level in levels:
            seen += counts[level]
            if k < seen:
                return level
        raise IndexError(k)

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


@dataclass(frozen=True)
class AxisResult:
    code: str
    title: str
    counts: tuple[int, ...]  # responses at each jalon, in the levels' order
    dont_know: int
    median: float | None
    leadership: float | None  # the leadership's jalon (a median of them over several schools)
    leadership_dont_know: bool = False

    @property
    def gap(self) -> float | None:
        """Leadership minus team: positive when the leadership sees the team further on."""
        if self.leadership is None or self.median is None:
            return None
        return self.leadership - self.median

    @property
    def highlighted(self) -> bool:
        return self.gap is not None and abs(self.gap) >= GAP_HIGHLIGHT


@dataclass(frozen=True)
class SurveyResults:
    responses: int
    levels: tuple[tuple[int, str], ...]
    axes: tuple[AxisResult, ...]  # empty below MIN_RESPONSES
    schools: int = 1  # aggregates: schools whose responses are counted
    schools_below: int = 0  # aggregates: questionnaires left out, under the threshold

    @property
    def available(self) -> bool:
        return self.responses >= MIN_RESPONSES and bool(self.axes)

    @property
    def gaps(self):
        return [axis for axis in self.axes if axis.highlighted]


def responses_in(tally: Mapping[tuple[str, int], int], axis_codes: Sequence[str]) -> int:
    """Every response answers every axis (« je ne sais pas » included): the first axis counts them."""
    if not axis_codes:
        return 0
    return sum(n for (code, _level), n in tally.items() if code == axis_codes[0])


def build_results(axes, levels, tally, leadership=None, schools=1, schools_below=0) -> SurveyResults:
    """`axes`: [(code, title)]; `levels`: [(number, label)]; `tally`: {(axis code, level): n};
    `leadership`: {axis code: [jalons chosen by leaderships, 0 for « je ne sais pas »]}."""
    codes = [code for code, _ in axes]
    responses = responses_in(tally, codes)
    if responses < MIN_RESPONSES:
        return SurveyResults(responses, tuple(levels), (), schools, schools_below)
    rows = []
    for code, title in axes:
        counts = {level: tally.get((code, level), 0) for level, _ in levels}
        chosen = (leadership or {}).get(code, [])
        placed = {}
        for level in chosen:
            placed[level] = placed.get(level, 0) + 1
        rows.append(
            AxisResult(
                code=code,
                title=title,
                counts=tuple(counts.values()),
                dont_know=tally.get((code, DONT_KNOW), 0),
                median=median_level(counts),
                leadership=median_level(placed),
                leadership_dont_know=bool(chosen) and all(level == DONT_KNOW for level in chosen),
            )
        )
    return SurveyResults(responses, tuple(levels), tuple(rows), schools, schools_below)


# --- from the database ------------------------------------------------------------


def tallies_by_survey(surveys):
    """{survey id: {(axis code, level): n}} in one query."""
    tallies = {}
    rows = AxisTally.objects.filter(survey__in=surveys)
    for survey_id, code, level, count in rows.values_list("survey_id", "axis", "level", "count"):
        tallies.setdefault(survey_id, {})[code, level] = count
    return tallies


def _shape(questionnaire):
    return [(axis.code, axis.title) for axis in questionnaire.axes], questionnaire.levels


def survey_results(survey, questionnaire):
    axes, levels = _shape(questionnaire)
    tally = tallies_by_survey([survey.pk]).get(survey.pk, {})
    view = LeadershipView.objects.filter(survey=survey).values_list("answers", flat=True).first() or {}
    return build_results(axes, levels, tally, {code: [level] for code, level in view.items()})


def aggregate_from(axes, levels, tallies, leaderships, survey_ids):
    """The responses of the questionnaires `survey_ids` that have at least MIN_RESPONSES of
    them, added up; one below the threshold adds nothing (it is only counted as left out).
    The leadership's column is the median of the leaderships' views of the counted schools.
    `tallies`: {survey id: tally}; `leaderships`: {survey id: answers}."""
    codes = [code for code, _ in axes]
    counted = [pk for pk in survey_ids if responses_in(tallies.get(pk, {}), codes) >= MIN_RESPONSES]
    total, leadership = {}, {}
    for pk in counted:
        for key, n in tallies[pk].items():
            total[key] = total.get(key, 0) + n
        for code, level in leaderships.get(pk, {}).items():
            leadership.setdefault(code, []).append(level)
    return build_results(axes, levels, total, leadership, len(counted), len(survey_ids) - len(counted))


def aggregate_results(surveys, questionnaire, groups=None):
    """The aggregate of `surveys` (a queryset of one campaign's questionnaires) and, with
    `groups` ({key: [survey ids]}), of each group, from two queries whatever their number."""
    axes, levels = _shape(questionnaire)
    ids = list(surveys.values_list("pk", flat=True))
    # The queryset as a subquery, not the ids: an académie has more schools than SQLite takes parameters.
    tallies = tallies_by_survey(surveys)
    leaderships = dict(LeadershipView.objects.filter(survey__in=surveys).values_list("survey_id", "answers"))
    overall = aggregate_from(axes, levels, tallies, leaderships, ids)
    by_group = {key: aggregate_from(axes, levels, tallies, leaderships, members)
                for key, members in (groups or {}).items()}  # fmt: skip
    return overall, by_group
