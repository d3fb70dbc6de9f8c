"""Benchmark: the observatory at national scale.

Builds a throw-away database (SQLite in a temporary folder; `--postgres`: a throw-away
PostgreSQL server, the script running itself again under scripts/with-postgres.sh), fills it
with `generate_national` (66,000 schools, two campaign rounds, every criterion answered) and
prints the time of each step. Then, through Django's test client (everything but the network),
the median server time of 10 requests (after one to warm up) and the queries of:
- the national observatory page (the technical administrator: every school), the national
  heatmap (by département), an académie administrator's page, a département's heatmap (by
  district), the map of France by département (participation; a domain's average) and a
  département's map of schools (target for the national map: < 300 ms on SQLite, < 200 ms
  on PostgreSQL);
each beside its floor, the same aggregate as one raw SQL query over the raw answers:
- for the page: met / en cours / non atteint per criterion over the round's answers (the
  figure of the page that needs every answer);
- for the heatmap: the average progress score per département and domain, the level logic
  written in SQL (GUIDE §3) — and checked equal to the page's figures.
Then the comparison averages beside a school (benchmark.averages: its districts, département
and académie, as published figures — assessments/publication.py): when the published rows
are read as they are, when each area is due for its check (the largest académie's summaries
read), the first publication, and `paliers publish_figures` over the nation; beside the floor,
the live académie average summed from the tallies (what the page did before).
Last, the time of one saved answer with its aggregates (answering.save_answer) on that
database, and the proof that the observatory's figures moved within that save.

Run: uv run python bench/observatory.py [--postgres] [--rounds 10] [--rows 66000] [--smoke]
"""

import os
import statistics
import time
from datetime import date, timedelta

from national_setup import median_ms, national_dataset, raw, run, start

ARGS, workdir = start(__doc__)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402

from paliers.accounts.models import Role  # noqa: E402
from paliers.assessments import answering  # noqa: E402
from paliers.assessments.models import Answer, Assessment  # noqa: E402
from paliers.frameworks.models import Criterion  # noqa: E402
from paliers.observatory.figures import Reader  # noqa: E402
from paliers.observatory.selection import Area, Filters, rounds_for  # noqa: E402
from paliers.schools.models import Academy, Department  # noqa: E402

CRITERIA_FLOOR = """
SELECT a.criterion_id,
       SUM(CASE WHEN a.value = 'atteint' THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.value = 'en_cours' THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.value = 'non_atteint' THEN 1 ELSE 0 END)
FROM assessments_answer a
JOIN assessments_assessment s ON s.id = a.assessment_id
JOIN assessments_campaign c ON c.id = s.campaign_id
WHERE c.framework_id = %s AND c.school_year = %s
GROUP BY a.criterion_id
"""
# The progress score of GUIDE §3 in SQL: per assessment and domain, the first level with an
# unmet criterion (none: the domain's top level is reached), the level below it, plus the
# share met at it. Levels with criteria are 1, 2, 3 in every domain of these frameworks.
HEATMAP_FLOOR = """
WITH counts AS (
  SELECT s.id AS aid, sc.department_id AS dep, cr.domain_id AS dom, lv.number AS lvl,
         SUM(CASE WHEN a.value = 'atteint' THEN 1 ELSE 0 END) AS met, COUNT(*) AS total
  FROM assessments_answer a
  JOIN assessments_assessment s ON s.id = a.assessment_id
  JOIN assessments_campaign c ON c.id = s.campaign_id
  JOIN schools_school sc ON sc.id = s.school_id
  JOIN frameworks_criterion cr ON cr.id = a.criterion_id
  JOIN frameworks_level lv ON lv.id = cr.level_id
  WHERE c.framework_id = %s AND c.school_year = %s
  GROUP BY s.id, sc.department_id, cr.domain_id, lv.number
), gaps AS (
  SELECT aid, dep, dom, MIN(CASE WHEN met < total THEN lvl END) AS gap, MAX(lvl) AS top
  FROM counts GROUP BY aid, dep, dom
)
SELECT g.dep, g.dom,
       AVG(CASE WHEN g.gap IS NULL THEN g.top ELSE g.gap - 1 + 1.0 * c.met / c.total END)
FROM gaps g LEFT JOIN counts c ON c.aid = g.aid AND c.dom = g.dom AND c.lvl = g.gap
GROUP BY g.dep, g.dom
"""


class Queries(list):
    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def page(client, url, params, rounds):
    assert client.get(url, params).status_code == 200
    queries = Queries()
    with connection.execute_wrapper(queries):
        client.get(url, params)
    return median_ms(lambda: client.get(url, params), rounds), len(queries)


def main():
    national_dataset(ARGS.rows)
    User = get_user_model()
    national = User.objects.create_superuser("national", password="x" * 12)
    academy = Academy.objects.get(name="Créteil")
    dan = User.objects.create_user("dan")
    dan.memberships.create(role=Role.ACADEMY_ADMIN, academy=academy)
    latest = rounds_for(national)[0]  # the écoles' 2025-2026 round: the largest
    params = {"campagne": latest.key}
    key = (latest.framework.pk, latest.school_year)
    department = Department.objects.filter(academy=academy).order_by("code").first()

    criteria_floor = median_ms(lambda: raw(CRITERIA_FLOOR, key), ARGS.rounds)
    heatmap_floor = median_ms(lambda: raw(HEATMAP_FLOOR, key), max(3, ARGS.rounds // 3))
    print(f"plancher « critères » (SQL brut sur les réponses) : {criteria_floor:8.1f} ms")
    print(f"plancher « carte de chaleur » (SQL brut)          : {heatmap_floor:8.1f} ms")
    check_floors(latest, key)

    national_client, dan_client = Client(), Client()
    national_client.force_login(national)
    dan_client.force_login(dan)
    cases = [
        ("page nationale", national_client, "/observatoire/", params, criteria_floor),
        ("carte de chaleur nationale", national_client, "/observatoire/carte-de-chaleur/", params,
         heatmap_floor),
        ("page de l’académie de Créteil", dan_client, "/observatoire/", params, criteria_floor),
        (f"carte de chaleur, département {department.code} (districts)", dan_client,
         "/observatoire/carte-de-chaleur/", {**params, "departement": department.pk}, heatmap_floor),
        ("évolution nationale (2 campagnes)", national_client, "/observatoire/evolution/", params, None),
        # The maps (issue #21): France by département, participation then a domain's average
        # (its floor: the heatmap's), and a département's schools as points.
        ("carte de France : participation", national_client, "/observatoire/carte/", params, None),
        ("carte de France : score moyen PIL", national_client, "/observatoire/carte/",
         {**params, "indicateur": "PIL"}, heatmap_floor),
        (f"carte des écoles, département {department.code}", dan_client,
         f"/observatoire/carte/{department.code}/", params, None),
    ]  # fmt: skip
    for label, client, url, query, floor in cases:
        ms, count = page(client, url, query, ARGS.rounds)
        ratio = f"ratio au plancher : {ms / floor:5.2f}" if floor else ""
        print(f"{label:<48} {ms:8.1f} ms  {count:3d} requêtes  {ratio}")
    published_averages(latest)
    save_once(latest)


def published_averages(latest):
    """A school's comparison averages read from published figures, and their upkeep."""
    from django.db.models import Count, Sum

    from paliers.assessments.aggregate_models import DomainTally, PublishedFigure, Stage, StageTally
    from paliers.assessments.benchmark import averages

    submitted = Assessment.objects.filter(
        campaign__framework=latest.framework,
        campaign__school_year=latest.school_year,
        summary__stage="submitted",
    )
    largest = (
        submitted.values("school__department__academy").annotate(n=Count("pk")).order_by("-n").first()
    )["school__department__academy"]
    assessment = (
        submitted.filter(school__department__academy=largest).select_related("school", "campaign").first()
    )
    viewer = get_user_model().objects.get(username="national")
    where = {"campaign__framework": latest.framework, "campaign__school_year": latest.school_year,
             "stage": Stage.SUBMITTED, "department__academy": largest}  # fmt: skip

    def live():  # the académie's average as the page computed it before: from the tallies
        count = StageTally.objects.filter(**where).aggregate(n=Sum("schools"))["n"]
        sums = dict(DomainTally.objects.filter(**where).values("domain_id").annotate(t=Sum("score_sum"))
                    .values_list("domain_id", "t"))  # fmt: skip
        return count, sums

    floor = median_ms(live, ARGS.rounds)
    start = time.perf_counter()
    averages(assessment, viewer)
    first = (time.perf_counter() - start) * 1000
    fresh = median_ms(lambda: averages(assessment, viewer), ARGS.rounds)

    def due():
        PublishedFigure.objects.update(checked_at=F("checked_at") - timedelta(hours=1))
        averages(assessment, viewer)

    checked = median_ms(due, ARGS.rounds)
    schools = submitted.filter(school__department__academy=largest).count()
    print(f"plancher « moyenne de l’académie en direct » : {floor:8.1f} ms")
    print(f"moyennes d’une école, première publication  : {first:8.1f} ms")
    print(f"moyennes d’une école, publiées (lecture)    : {fresh:8.1f} ms  ratio : {fresh / floor:5.2f}")
    due_label = f"moyennes d’une école, contrôle dû ({schools:,} soumises)"
    print(f"{due_label} : {checked:8.1f} ms  ratio : {checked / floor:5.2f}")
    start = time.perf_counter()
    call_command("publish_figures", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"paliers publish_figures (toute la nation)    : {time.perf_counter() - start:8.1f} s, "
          f"{PublishedFigure.objects.count():,} moyennes")  # fmt: skip


def check_floors(latest, key):
    """The raw SQL floors and the aggregates agree: the same figures, computed two ways."""
    reader = Reader(latest, Area(), Filters())
    by_criterion = {f.criterion.pk: (f.met, f.in_progress, f.not_met) for f in reader.criteria()}
    assert by_criterion == {row[0]: tuple(row[1:]) for row in raw(CRITERIA_FLOOR, key)}
    heatmap = reader.domains("department")
    for dep, dom, average in raw(HEATMAP_FLOOR, key):
        assert abs(heatmap[dep][dom].average - float(average)) < 1e-3, (dep, dom)
    print("planchers et agrégats donnent les mêmes chiffres")


def save_once(latest):
    """One saved answer, with its aggregates, in the national database."""
    assessment = Assessment.objects.filter(
        campaign__framework=latest.framework, campaign__school_year=latest.school_year, status="brouillon"
    ).first()
    criterion = Criterion.objects.get(framework=latest.framework, code="PIL.1.1")
    # The synthetic rounds may be past their close (read-only): reopened for late answers, as
    # an académie administrator would, so that the save is the one a school makes.
    Assessment.objects.filter(pk=assessment.pk).update(late_until=date.today() + timedelta(days=7))
    assessment.refresh_from_db()
    user = get_user_model().objects.get(username="national")
    reader = Reader(latest, Area(), Filters())
    times = []
    for i in range(ARGS.rounds * 2):
        answer = Answer.objects.get(assessment=assessment, criterion=criterion)
        value = "atteint" if answer.value != "atteint" else "non_atteint"
        before = next(f.met for f in reader.criteria(only=criterion))
        start = time.perf_counter()
        answering.save_answer(assessment, criterion, value=value, seen_version=answer.version, user=user)
        times.append(time.perf_counter() - start)
        after = next(f.met for f in reader.criteria(only=criterion))
        assert after - before == (1 if value == "atteint" else -1), i  # in the figures once saved
    median = statistics.median(times) * 1000
    print(f"une réponse enregistrée avec ses agrégats (médiane de {len(times)}) : {median:.1f} ms ;")
    print("  les chiffres de l’observatoire la comptent dès l’enregistrement")


if __name__ == "__main__":
    run(main, workdir)
