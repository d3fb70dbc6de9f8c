"""Results of team questionnaires: per axis, how many responses chose each jalon, the
median jalon, and the leadership's view beside it.

The anonymity rule is applied here, once, for every page, export and API endpoint — nothing
downstream can show more by mistake:

1. Results exist only once the questionnaire is **closed** (its closing day past, Paris
   time), and a closed questionnaire never opens again (opening.py): the head reads one
   release, never a before and an after.
2. Only from MIN_RESPONSES responses; below, not even the exact number is shown
   (`shown_count`), so the count does not move under the threshold.
3. Every count (axis × jalon) is published with a **secret noise** — a discrete Laplace
   draw (NOISE_ALPHA), fixed per questionnaire and count by `TeamSurvey.noise_seed`,
   never shown — and medians are computed from the published counts. Why: the head may
   answer the public form from fresh browsers as often as the rate limit allows, and
   subtract their own answers; any display that is an exact function of the counts can then
   be made to reveal a lone teacher's answer (fill every other cell to the brink of a
   threshold, or bracket the median). With the noise, whatever the head adds, a teacher's
   answer to an axis changes what is published by at most a factor NOISE_ALPHA⁻² in
   probability (4): the head's best guess of it is wrong two times in three.

Everything is computed from the tallies (plain numbers); the functions on plain data are
tested without a database.
"""

import hashlib
import hmac
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from django.utils import timezone

from .models import DONT_KNOW, AxisTally, LeadershipView, SurveyState

MIN_RESPONSES = 5  # below this, a distribution could single a teacher out
GAP_HIGHLIGHT = 1  # a gap of a whole jalon or more between the team and its leadership
NOISE_ALPHA = 0.5  # P(noise = k) ∝ α^|k|: a third of counts exact, most within ±2


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


def shown_count(responses: int) -> int | None:
    """The number of responses as pages and the API show it: None under the threshold."""
    return responses if responses >= MIN_RESPONSES else None


def noise(seed: str, key: str) -> int:
    """A discrete Laplace draw (the difference of two geometric ones, parameter NOISE_ALPHA),
    the same for the same seed and key, unpredictable without the seed."""
    digest = hmac.new(seed.encode(), key.encode(), hashlib.sha256).digest()

    def geometric(chunk):
        uniform = (int.from_bytes(chunk, "big") + 1) / 2**64  # in (0, 1]
        return math.floor(math.log(uniform) / math.log(NOISE_ALPHA))

    return geometric(digest[:8]) - geometric(digest[8:16])


def published_tally(tally: Mapping[tuple[str, int], int], seed: str, survey_id: int):
    """The counts as published: each with its noise, never below zero."""
    return {
        (code, level): max(0, n + noise(seed, f"{survey_id}:{code}:{level}"))
        for (code, level), n in tally.items()
    }


@dataclass(frozen=True)
class SurveyResults:
    responses: int  # exact: pages show `shown_responses`
    levels: tuple[tuple[int, str], ...]
    axes: tuple[AxisResult, ...]  # empty until closed, or below MIN_RESPONSES
    schools: int = 1  # aggregates: schools whose responses are counted
    schools_below: int = 0  # aggregates: questionnaires left out, open or under the threshold
    closed: bool = True
    closes_on: date | None = None

    @property
    def available(self) -> bool:
        return self.closed and self.responses >= MIN_RESPONSES and bool(self.axes)

    @property
    def shown_responses(self) -> int | None:
        return shown_count(self.responses)

    @property
    def gaps(self):
        return [axis for axis in self.axes if axis.highlighted]


def responses_in(tally: Mapping[tuple[str, int], int], axis_codes: Sequence[str]) -> int:
    """Every response answers every axis (« je ne sais pas » included): the first axis counts them."""
    if not axis_codes:
        return 0
    return sum(n for (code, _level), n in tally.items() if code == axis_codes[0])


def build_results(
    axes, levels, tally, leadership=None, schools=1, schools_below=0, responses=None
) -> SurveyResults:
    """`axes`: [(code, title)]; `levels`: [(number, label)]; `tally`: {(axis code, level): n},
    as published; `responses`: the exact number of responses (by default, the tally's);
    `leadership`: {axis code: [jalons chosen by leaderships, 0 for « je ne sais pas »]}."""
    codes = [code for code, _ in axes]
    responses = responses_in(tally, codes) if responses is None else responses
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


def is_closed(closes_on, today=None):
    return (today or timezone.localdate()) > closes_on


def survey_results(survey, questionnaire, today=None):
    """What may be read of one questionnaire (see the module's rule)."""
    axes, levels = _shape(questionnaire)
    tally = tallies_by_survey([survey.pk]).get(survey.pk, {})
    responses = responses_in(tally, [code for code, _ in axes])
    closed = survey.state(today or timezone.localdate()) == SurveyState.CLOSED
    if not closed or responses < MIN_RESPONSES:
        return SurveyResults(responses, tuple(levels), (), closed=closed, closes_on=survey.closes_on)
    view = LeadershipView.objects.filter(survey=survey).values_list("answers", flat=True).first() or {}
    published = published_tally(tally, survey.noise_seed, survey.pk)
    leadership = {code: [level] for code, level in view.items()}
    found = build_results(axes, levels, published, leadership, responses=responses)
    return replace(found, closes_on=survey.closes_on)


def aggregate_from(axes, levels, published, responses, leaderships, survey_ids):
    """The published counts of the questionnaires `survey_ids` that may be read (closed, with
    at least MIN_RESPONSES responses: those in `published`), added up; any other adds
    nothing (it is only counted as left out). The leadership's column is the median of the
    leaderships' views of the counted schools. `published`: {survey id: published tally};
    `responses`: {survey id: exact number of responses}; `leaderships`: {survey id: answers}."""
    counted = [pk for pk in survey_ids if pk in published]
    total, leadership = {}, {}
    for pk in counted:
        for key, n in published[pk].items():
            total[key] = total.get(key, 0) + n
        for code, level in leaderships.get(pk, {}).items():
            leadership.setdefault(code, []).append(level)
    return build_results(
        axes, levels, total, leadership, len(counted), len(survey_ids) - len(counted),
        responses=sum(responses[pk] for pk in counted),
    )  # fmt: skip


def aggregate_results(surveys, questionnaire, groups=None, today=None):
    """The aggregate of `surveys` (a queryset of one campaign's questionnaires) and, with
    `groups` ({key: [survey ids]}), of each group, from three queries whatever their number."""
    axes, levels = _shape(questionnaire)
    codes = [code for code, _ in axes]
    today = today or timezone.localdate()
    rows = list(surveys.values_list("pk", "closes_on", "noise_seed"))
    ids = [pk for pk, _, _ in rows]
    # The queryset as a subquery, not the ids: an académie has more schools than SQLite takes parameters.
    tallies = tallies_by_survey(surveys)
    responses = {pk: responses_in(tallies.get(pk, {}), codes) for pk in ids}
    published = {
        pk: published_tally(tallies[pk], seed, pk)
        for pk, closes_on, seed in rows
        if is_closed(closes_on, today) and responses[pk] >= MIN_RESPONSES
    }
    leaderships = dict(LeadershipView.objects.filter(survey__in=surveys).values_list("survey_id", "answers"))
    overall = aggregate_from(axes, levels, published, responses, leaderships, ids)
    by_group = {key: aggregate_from(axes, levels, published, responses, leaderships, members)
                for key, members in (groups or {}).items()}  # fmt: skip
    return overall, by_group
