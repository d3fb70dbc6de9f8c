"""Benchmark: the caseload (« Suivi des écoles ») of an académie and of the nation.

Builds a throw-away database (SQLite in a temporary folder; `--postgres`: a throw-away
PostgreSQL server, the script running itself again under scripts/with-postgres.sh), fills it
with `generate_national` (65,700 schools, two campaign rounds, every criterion answered), then
adds what a caseload also reads: requests for accompaniment, objectives and accompaniment
records for a share of the schools (deterministic). Through Django's test client (everything
but the network), the median server time (wall, and this process's CPU) of 10 requests (after
one to warm up) and the queries of:
- an académie administrator's caseload (the académie nearest 3,000 schools): first page,
  « à suivre en priorité », sorted by a domain's level, a search;
- the nation's (the technical administrator: every school): first page (the schools the round
  concerns, as by default), every school concerned or not, filtered by state and type, a
  search, « à suivre en priorité », and the API's first page;
each beside its floor: one raw SQL query over the answers giving, per school of the scope,
what the caseload shows from the aggregates (criteria answered, level reached per domain with
the rule of GUIDE §3 in SQL) — checked equal to the aggregates, school by school.
Targets: every page under 300 ms, and under 0.2 of its floor.
Then the CSV of the académie's caseload (every row), timed once.

Run: uv run python bench/caseload.py [--postgres] [--rounds 10] [--rows 66000] [--smoke]
"""

import os
import random
import statistics
import time
from datetime import date, timedelta

from national_setup import median_ms, national_dataset, raw, run, start

ARGS, workdir = start(__doc__)

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from paliers.accompaniment.models import AccompanimentRecord, RecordKind, SupportRequest  # noqa: E402
from paliers.accounts.models import Role  # noqa: E402
from paliers.api.models import ApiToken  # noqa: E402
from paliers.assessments.aggregate_models import AssessmentSummary  # noqa: E402
from paliers.frameworks.models import Domain  # noqa: E402
from paliers.objectives.models import Objective  # noqa: E402
from paliers.observatory.selection import rounds_for  # noqa: E402
from paliers.schools.models import Academy, School  # noqa: E402

# What the caseload shows of each school, computed from the raw answers: the criteria answered
# and the level reached in each domain (GUIDE §3 in SQL: the level below the first one with an
# unmet criterion, or the top one; levels with criteria are 1, 2, 3 in every domain of the
# écoles framework). `{scope}`: a condition on the school.
FLOOR = """
WITH counts AS (
  SELECT s.id AS aid, s.school_id AS school, cr.domain_id AS dom, lv.number AS lvl,
         SUM(CASE WHEN a.value = 'atteint' THEN 1 ELSE 0 END) AS met,
         SUM(CASE WHEN a.value <> 'non_renseigne' THEN 1 ELSE 0 END) AS answered, COUNT(*) AS total
  FROM assessments_answer a
  JOIN assessments_assessment s ON s.id = a.assessment_id
  JOIN assessments_campaign c ON c.id = s.campaign_id
  JOIN schools_school sc ON sc.id = s.school_id
  JOIN schools_department d ON d.id = sc.department_id
  JOIN frameworks_criterion cr ON cr.id = a.criterion_id
  JOIN frameworks_level lv ON lv.id = cr.level_id
  WHERE c.framework_id = %s AND c.school_year = %s {scope}
  GROUP BY s.id, s.school_id, cr.domain_id, lv.number
)
SELECT school, dom, SUM(answered),
       CASE WHEN MIN(CASE WHEN met < total THEN lvl END) IS NULL THEN MAX(lvl)
            ELSE MIN(CASE WHEN met < total THEN lvl END) - 1 END
FROM counts GROUP BY aid, school, dom
"""
SHARE_WITH_REQUEST, SHARE_WITH_OBJECTIVES, SHARE_WITH_RECORD = 0.05, 0.10, 0.10
ATTENTION = {"etat": "all", "attention": "on"}  # as the page's count and the home link it: every school


class Queries(list):
    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def median_wall_and_cpu_ms(function, rounds):
    """Medians of the wall time and of this process's CPU time (SQLite works in it, so on a
    shared, loaded machine the CPU time is the steadier measure of the work done)."""
    function()  # warm up
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def page(client, url, params, rounds, headers=None):
    response = client.get(url, params, headers=headers or {})
    assert response.status_code == 200, (url, params, response.status_code)
    queries = Queries()
    with connection.execute_wrapper(queries):
        client.get(url, params, headers=headers or {})
    assert not any("assessments_answer" in sql for sql in queries), "the caseload read the answers"
    wall, cpu = median_wall_and_cpu_ms(lambda: client.get(url, params, headers=headers or {}), rounds)
    return wall, cpu, len(queries)


def steering_data(framework):
    """Requests, objectives and records for a share of the schools, as the caseload counts them."""
    rng = random.Random(2026)  # noqa: S311 (reproducible on purpose)
    today, now = timezone.localdate(), timezone.now()
    ids = list(School.objects.order_by("pk").values_list("pk", flat=True))
    domains = list(Domain.objects.filter(framework=framework))
    level = framework.levels.order_by("number").first()
    SupportRequest.objects.bulk_create(
        SupportRequest(school_id=pk, domain=rng.choice(domains), message="Une animation, s’il vous plaît.",
                       created_at=now - timedelta(days=rng.randint(0, 60)))
        for pk in rng.sample(ids, int(len(ids) * SHARE_WITH_REQUEST))
    )  # fmt: skip
    Objective.objects.bulk_create(
        Objective(school_id=pk, framework=framework, domain=rng.choice(domains), level=level,
                  title="Atteindre le niveau suivant", is_draft=False,
                  due_on=today + timedelta(days=rng.randint(-60, 180)))
        for pk in rng.sample(ids, int(len(ids) * SHARE_WITH_OBJECTIVES))
        for _ in range(2)
    )  # fmt: skip
    AccompanimentRecord.objects.bulk_create(
        AccompanimentRecord(school_id=pk, date=today - timedelta(days=rng.randint(0, 300)),
                            kind=rng.choice(RecordKind.values), notes="")
        for pk in rng.sample(ids, int(len(ids) * SHARE_WITH_RECORD))
    )  # fmt: skip


def check_floor(rows, round, academy):
    """The floor and the aggregates agree, school by school and domain by domain."""
    summaries = AssessmentSummary.objects.filter(
        campaign_id__in=round.campaign_ids(), department__academy=academy
    )
    stored = {(school, int(dom)): level for school, domains in summaries.values_list("school_id", "domains")
              for dom, (level, _score) in domains.items()}  # fmt: skip
    assert stored == {(school, dom): level for school, dom, _answered, level in rows}, "floor ≠ aggregates"
    answered = dict(summaries.values_list("school_id", "answered"))
    by_school = {}
    for school, _dom, count, _level in rows:
        by_school[school] = by_school.get(school, 0) + int(count)
    assert answered == by_school, "floor ≠ aggregates (criteria answered)"


def main():
    result = national_dataset(ARGS.rows)
    User = get_user_model()
    national = User.objects.create_superuser("national", password="x" * 12)
    latest = rounds_for(national)[0]  # the écoles' 2025-2026 round: the largest
    steering_data(latest.framework)
    sizes = Academy.objects.annotate(n=Count("departments__schools")).order_by("code")
    academy = min(sizes, key=lambda a: (abs(a.n - 3000), a.code))
    dan = User.objects.create_user("dan")
    dan.memberships.create(role=Role.ACADEMY_ADMIN, academy=academy)
    print(
        f"académie mesurée : {academy} ({academy.n:,} écoles et établissements) ; nation : {result.schools:,}"
    )
    print(
        f"suivi : {SupportRequest.objects.count():,} demandes, {Objective.objects.count():,} objectifs, "
        f"{AccompanimentRecord.objects.count():,} interventions"
    )

    key = (latest.framework.pk, latest.school_year)
    academy_sql = FLOOR.format(scope="AND d.academy_id = %s")
    check_floor(raw(academy_sql, (*key, academy.pk)), latest, academy)
    print("plancher et agrégats donnent les mêmes chiffres, école par école et domaine par domaine")
    academy_floor = median_ms(lambda: raw(academy_sql, (*key, academy.pk)), ARGS.rounds)
    national_floor = median_ms(lambda: raw(FLOOR.format(scope=""), key), max(3, ARGS.rounds // 3))
    print(f"plancher, académie (SQL brut sur les réponses) : {academy_floor:8.1f} ms")
    print(f"plancher, nation (SQL brut sur les réponses)   : {national_floor:8.1f} ms")

    national_client, dan_client = Client(), Client()
    national_client.force_login(national)
    dan_client.force_login(dan)
    token = ApiToken.issue(national, "bench")[1]
    campaign = latest.campaign_ids()[0]
    base = {"campagne": latest.key}
    cases = [
        ("académie, première page", dan_client, "/suivi/", base, academy_floor),
        ("académie, à suivre en priorité", dan_client, "/suivi/", {**base, **ATTENTION}, academy_floor),
        ("académie, triée par niveau (PIL)", dan_client, "/suivi/", {**base, "tri": "-d-PIL"}, academy_floor),
        ("académie, recherche « jean »", dan_client, "/suivi/", {**base, "q": "jean"}, academy_floor),
        ("nation, première page", national_client, "/suivi/", base, national_floor),
        ("nation, tous, concernés ou non", national_client, "/suivi/", {**base, "etat": "all"},
         national_floor),
        ("nation, en cours et élémentaires", national_client, "/suivi/",
         {**base, "etat": "in_progress", "type": "elementaire"}, national_floor),
        ("nation, recherche « jaures »", national_client, "/suivi/", {**base, "q": "jaures"}, national_floor),
        ("nation, à suivre en priorité", national_client, "/suivi/", {**base, **ATTENTION}, national_floor),
        ("nation, API, première page (100)", Client(), "/api/v1/caseload", {"campaign": campaign},
         national_floor),
    ]  # fmt: skip
    for label, client, url, query, floor in cases:
        headers = {"Authorization": f"Bearer {token}"} if url.startswith("/api/") else None
        ms, cpu, count = page(client, url, query, ARGS.rounds, headers)
        print(
            f"{label:<42} {ms:8.1f} ms (CPU {cpu:6.1f} ms)  {count:3d} requêtes  "
            f"ratio au plancher : {ms / floor:5.2f}"
        )
    start = time.perf_counter()
    response = dan_client.get("/suivi/export.csv", base)
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    print(f"CSV de l’académie : {lines - 1:,} lignes en {(time.perf_counter() - start) * 1000:.0f} ms")
    print(f"(mesuré le {date.today():%d/%m/%Y} ; charge de la machine : {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    run(main, workdir)
