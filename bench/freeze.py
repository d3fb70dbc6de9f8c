"""Benchmark: freezing a campaign's figures at its close (assessments/lifecycle.py: freeze).

On the national synthetic dataset (`generate_national`: 65,700 schools, a campaign per
académie, framework and year; SQLite, or `--postgres` a throw-away PostgreSQL server), the
median time of `freeze` for the largest académie's écoles campaign of the latest year (what
« Clore maintenant » does within the DAN's request), the rows it writes, beside its floor:
the copy of the aggregates alone (`lifecycle._copy`, one INSERT … SELECT per table), rolled
back. Then the nation's closing day: every campaign of that year frozen one after the other,
as the daily task does (target: the largest académie under 5 s, the nation in minutes).

Run: uv run python bench/freeze.py [--postgres] [--rounds 10] [--rows 66000] [--smoke]
"""

import os
import time
from datetime import date

from national_setup import median_ms, national_dataset, run, start

ARGS, workdir = start(__doc__)

from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402

from paliers.assessments.aggregate_models import FigureKind, PublishedFigure  # noqa: E402
from paliers.assessments.lifecycle import FROZEN, _copy, freeze, unfreeze  # noqa: E402
from paliers.assessments.models import Campaign  # noqa: E402


class RolledBack(Exception):
    pass


def rows_written(campaign):
    frozen = {model._meta.verbose_name_plural: model.objects.filter(campaign=campaign).count()
              for model in FROZEN.values()}  # fmt: skip
    frozen["chiffres publiés à la clôture"] = PublishedFigure.objects.filter(
        framework_id=campaign.framework_id, school_year=campaign.school_year, kind=FigureKind.CLOSE
    ).count()
    return frozen


def copy_floor(campaign):
    """The copy alone (`lifecycle._copy`: one INSERT … SELECT per table), rolled back."""
    try:
        with transaction.atomic():
            for model in FROZEN:
                _copy(model, campaign)
            raise RolledBack
    except RolledBack:
        pass


def main():
    national_dataset(ARGS.rows)
    year = Campaign.objects.order_by("-school_year").values_list("school_year", flat=True).first()
    campaigns = Campaign.objects.filter(school_year=year).annotate(n=Count("assessments"))
    largest = max(campaigns, key=lambda c: (c.n, -c.pk))
    print(
        f"campagne mesurée : {largest.academy}, {largest.framework.slug} {year} "
        f"({largest.n:,} positionnements)"
    )

    rounds = max(3, ARGS.rounds // 2)
    floor = median_ms(lambda: copy_floor(largest), rounds, warm_up=False)
    frozen = median_ms(lambda: freeze(largest), rounds, warm_up=False, after=lambda: unfreeze(largest))
    print(f"plancher (INSERT … SELECT par table)  : {floor:8.1f} ms")
    print(
        f"freeze, la plus grande académie       : {frozen:8.1f} ms  ratio au plancher : {frozen / floor:5.1f}"
    )
    freeze(largest)
    for what, count in rows_written(largest).items():
        print(f"  {what} : {count:,}")
    unfreeze(largest)

    start = time.perf_counter()
    frozen_count = sum(freeze(campaign) for campaign in campaigns.order_by("pk"))
    seconds = time.perf_counter() - start
    assert frozen_count == len(campaigns), "every campaign of the year was frozen once"
    print(f"jour de clôture national : {frozen_count} campagnes gelées en {seconds:.1f} s")
    print(f"(mesuré le {date.today():%d/%m/%Y} ; charge de la machine : {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    run(main, workdir)
