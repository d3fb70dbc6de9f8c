"""Levels and scores: the rules of GUIDE §3 on plain data.

No Django and no database here, so the rules are tested on their own and the results
(frozen dataclasses with `as_dict` / `from_dict`) can be stored as JSON and served by the API.
Fractions are 0..1: templates and charts format them.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

ANSWER_VALUES = ("non_renseigne", "non_atteint", "en_cours", "atteint")
NOT_ANSWERED = "non_renseigne"
MET = "atteint"

Items = Iterable[tuple[int, bool]]  # (level, met) pairs or Items
Criteria = Sequence[tuple[str, int]]  # (code, level) pairs


class Item(NamedTuple):
    """A criterion as scoring sees it. A NamedTuple, so a plain `(level, met)` pair works too."""

    level: int
    met: bool


def _counts(items: Items) -> dict[int, tuple[int, int]]:
    """(met, total) per level that has criteria, in level order."""
    counts: dict[int, list[int]] = {}
    for level, met in items:
        # 0 means "no level reached": a criterion cannot sit there.
        if level < 1:
            raise ValueError(f"Niveau de critère invalide : {level!r} (les niveaux commencent à 1).")
        pair = counts.setdefault(level, [0, 0])
        pair[0] += bool(met)
        pair[1] += 1
    return {level: (met, total) for level, (met, total) in sorted(counts.items())}


def _reached(counts: dict[int, tuple[int, int]]) -> int:
    reached = 0
    for level, (met, total) in counts.items():
        if met < total:
            break
        reached = level
    return reached


def _score(counts: dict[int, tuple[int, int]], reached: int) -> float:
    for level, (met, total) in counts.items():
        if level > reached:
            return reached + met / total
    return float(reached)


def level_reached(items: Items) -> int:
    return _reached(_counts(items))


def progress_score(items: Items) -> float:
    counts = _counts(items)
    return _score(counts, _reached(counts))


def level_and_score(items: Items) -> tuple[int, float]:
    """Both at once, counting once: the aggregates score every assessment of a nation."""
    counts = _counts(items)
    reached = _reached(counts)
    return reached, _score(counts, reached)


def percentages(items: Items, levels: Iterable[int] | None = None) -> dict[int, float | None]:
    """Fraction (0..1) of criteria met per level; None for a level without criteria in the set.

    Without `levels`, only the levels that have criteria are listed.
    """
    counts = _counts(items)
    wanted = sorted(set(levels)) if levels is not None else list(counts)
    return {level: (counts[level][0] / counts[level][1] if level in counts else None) for level in wanted}


class _AsDict:
    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class LevelCount(_AsDict):
    level: int
    met: int
    total: int
    # A field rather than a property so that `as_dict` (hence the API) carries it.
    fraction: float | None = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "fraction", self.met / self.total if self.total else None)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "LevelCount":
        return cls(level=data["level"], met=data["met"], total=data["total"])


def level_counts(items: Items, levels: Iterable[int]) -> tuple[LevelCount, ...]:
    counts = _counts(items)
    # Counts rather than bare fractions: aggregates over many schools add them up.
    return tuple(LevelCount(level, *counts.get(level, (0, 0))) for level in sorted(set(levels) | set(counts)))


class _Levels(_AsDict):
    """What every result derives from its level counts."""

    levels: tuple[LevelCount, ...]

    @property
    def percentages(self) -> dict[int, float | None]:
        return {count.level: count.fraction for count in self.levels}


@dataclass(frozen=True)
class ComponentResult(_Levels):
    code: str
    title: str
    level: int
    score: float
    highest_level: int  # the highest level that has criteria here (0 when none)
    at_highest: bool
    levels: tuple[LevelCount, ...]
    # Criteria still « non renseigné », counted as not met; the level is `decided` when
    # answering them all « atteint » would not raise it, else it may reach `level_at_most`.
    unanswered: int = 0
    decided: bool = True
    level_at_most: int = 0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ComponentResult":
        return cls(**{**data, "levels": tuple(LevelCount.from_dict(c) for c in data["levels"])})


@dataclass(frozen=True)
class DomainResult(_Levels):
    code: str
    title: str
    level: int
    score: float
    highest_level: int
    at_highest: bool
    levels: tuple[LevelCount, ...]
    components: tuple[ComponentResult, ...]
    # Codes of the unmet criteria of the next level with criteria above `level`, in framework order.
    next_steps: tuple[str, ...]
    unanswered: int = 0
    decided: bool = True
    level_at_most: int = 0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "DomainResult":
        return cls(
            **{
                **data,
                "levels": tuple(LevelCount.from_dict(c) for c in data["levels"]),
                "components": tuple(ComponentResult.from_dict(c) for c in data["components"]),
                "next_steps": tuple(data["next_steps"]),
            }
        )


@dataclass(frozen=True)
class FrameworkResult(_Levels):
    overall_level: int
    # The lowest domain score: its integer part is the overall level, so charts and level agree.
    overall_score: float
    levels: tuple[LevelCount, ...]
    domains: tuple[DomainResult, ...]
    answered: int
    total: int
    # As for a domain: the overall level may still rise when unanswered criteria decide it.
    overall_decided: bool = True
    overall_at_most: int = 0

    @property
    def provisional(self) -> bool:
        """Some criteria are unanswered: every figure counts them as not met."""
        return self.answered < self.total

    @property
    def unanswered(self) -> int:
        return self.total - self.answered

    @property
    def strengths(self) -> tuple[DomainResult, ...]:
        """The domains where the school stands highest: the best level reached among them
        (at least 1), as the table says it — never a domain the table shows behind another."""
        best = max((domain.level for domain in self.domains), default=0)
        return tuple(domain for domain in self.domains if best and domain.level == best)

    @property
    def max_level(self) -> int:
        return max((count.level for count in self.levels), default=0)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "FrameworkResult":
        return cls(
            **{
                **data,
                "levels": tuple(LevelCount.from_dict(c) for c in data["levels"]),
                "domains": tuple(DomainResult.from_dict(d) for d in data["domains"]),
            }
        )


def _summary(criteria: Criteria, answers: Mapping[str, str], levels: Sequence[int]) -> dict[str, Any]:
    items = [Item(level, answers.get(code) == MET) for code, level in criteria]
    counts = _counts(items)
    reached = _reached(counts)
    highest = max(counts, default=0)
    unanswered = [code for code, _ in criteria if answers.get(code, NOT_ANSWERED) == NOT_ANSWERED]
    # The best the level could be once every unanswered criterion is answered « atteint ».
    hoped = {code: MET for code in unanswered}
    at_most = _reached(
        _counts(Item(level, {**answers, **hoped}.get(code) == MET) for code, level in criteria)
    )
    return {
        "level": reached,
        "score": _score(counts, reached),
        "highest_level": highest,
        "at_highest": highest > 0 and reached == highest,
        "levels": level_counts(items, levels),
        "unanswered": len(unanswered),
        "decided": at_most == reached,
        "level_at_most": at_most,
    }


def _domain_criteria(domain: Mapping[str, Any]) -> list[tuple[str, int]]:
    # A domain may list criteria of its own beside its components: both count.
    own = [tuple(c) for c in domain.get("criteria", ())]
    return own + [tuple(c) for component in domain.get("components", ()) for c in component["criteria"]]


def _next_steps(criteria: Criteria, answers: Mapping[str, str], reached: int) -> tuple[str, ...]:
    above = [level for _, level in criteria if level > reached]
    if not above:
        return ()
    step = min(above)
    return tuple(code for code, level in criteria if level == step and answers.get(code) != MET)


def score_framework(
    structure: Sequence[Mapping[str, Any]], answers: Mapping[str, str], levels: Iterable[int] | None = None
) -> FrameworkResult:
    """Score one assessment.

    `structure`: domains in framework order, each `{"code", "title", "components": [{"code",
    "title", "criteria": [(code, level), …]}], "criteria": [(code, level), …]}` (either key or
    both). `answers`: `{criterion code: answer value}`, a missing code being "non renseigné".
    `levels`: the framework's level numbers, so that a level without criteria still gets a
    (None) percentage; by default the levels that have criteria.
    """
    unknown = {value for value in answers.values() if value not in ANSWER_VALUES}
    if unknown:
        raise ValueError(f"Valeurs de réponse inconnues : {', '.join(sorted(map(repr, unknown)))}.")
    every = [criterion for domain in structure for criterion in _domain_criteria(domain)]
    all_levels = sorted(set(levels or ()) | {level for _, level in every})
    domains = []
    for domain in structure:
        criteria = _domain_criteria(domain)
        summary = _summary(criteria, answers, all_levels)
        components = tuple(
            ComponentResult(code=c["code"], title=c["title"], **_summary(c["criteria"], answers, all_levels))
            for c in domain.get("components", ())
        )
        domains.append(
            DomainResult(
                code=domain["code"],
                title=domain["title"],
                components=components,
                next_steps=_next_steps(criteria, answers, summary["level"]),
                **summary,
            )
        )
    # A domain without criteria says nothing about the school's level.
    scored = [domain for domain in domains if domain.highest_level]
    overall = min((d.level for d in scored), default=0)
    at_most = min((d.level_at_most for d in scored), default=0)
    return FrameworkResult(
        overall_level=overall,
        overall_score=min((d.score for d in scored), default=0.0),
        overall_decided=at_most == overall,
        overall_at_most=at_most,
        levels=level_counts([Item(level, answers.get(code) == MET) for code, level in every], all_levels),
        domains=tuple(domains),
        answered=sum(1 for code, _ in every if answers.get(code, NOT_ANSWERED) != NOT_ANSWERED),
        total=len(every),
    )
