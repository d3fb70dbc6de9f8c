"""Benchmark: 100 heads saving answers at once through the API, served by gunicorn.

Builds a throw-away database (SQLite in a temporary folder; `--postgres`: a throw-away
PostgreSQL server, the script running itself again under scripts/with-postgres.sh),
loads one framework, creates an académie of 100 collèges, opens a campaign, gives each
collège a head with an API token, and starts gunicorn on 127.0.0.1. Then:
- load: after 5 s of warming up, 100 simulated heads (threads with http.client, one
  connection each, kept alive when the server allows) each save one answer every 0.5 to
  2 s with `PUT /api/v1/assessments/{id}/answers`, naming the version last seen (on 409:
  read again), for 60 s (`--seconds`); prints saves/s, latency p50/p95/p99, errors, and
  the CPU gunicorn used per request (the machine's other load shows in the latencies);
- check: every acknowledged save (200) is in the database: per criterion the last
  acknowledged value is the stored one and its version counts the acknowledged saves,
  and there are as many AnswerChange rows as acknowledged changes;
- ramp: shorter and shorter pauses, 15 s a step (`--step-seconds`), to find the highest
  rate sustained with p95 under 200 ms.
Only 127.0.0.1 traffic; it stops by itself, and stops gunicorn on the way out (Ctrl-C too).

Run: uv run python bench/assessment_load.py [--postgres] [--seconds 60]
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCHOOLS = 100
TARGET_P95 = 0.200
VALUES = ("non_atteint", "en_cours", "atteint")  # each save changes the answer: every ack is a change


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="a throw-away PostgreSQL server")
    parser.add_argument("--seconds", type=float, default=60, help="length of the load phase")
    parser.add_argument("--step-seconds", type=float, default=15, help="length of each ramp step")
    parser.add_argument("--users", type=int, default=SCHOOLS)
    # Sync workers, 3 of them on 2 cores: one request per process, so the request that holds
    # SQLite's write lock is never paused for a sibling thread (the GIL), and a third process
    # keeps a core busy while another waits for the lock or the network. Sync workers do not
    # keep connections alive: behind a buffering proxy (nginx), as gunicorn advises for them.
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread only)")
    return parser.parse_args()


ARGS = arguments()
if ARGS.postgres and "PALIERS_BENCH_PG" not in os.environ:
    # Again, under a throw-away server that with-postgres.sh removes when we exit.
    os.environ["PALIERS_BENCH_PG"] = "1"
    script = str(ROOT / "scripts" / "with-postgres.sh")
    os.execv(script, [script, sys.executable, *sys.argv])  # noqa: S606 (our own script)

workdir = tempfile.mkdtemp(prefix="paliers-bench-")
if not ARGS.postgres:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ["PALIERS_VAR_DIR"] = workdir
os.environ["DJANGO_SETTINGS_MODULE"] = "paliers.settings"
os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
os.environ.pop("DEBUG", None)
Path(workdir, "static").mkdir()

if ARGS.postgres:
    # with-postgres.sh names a database it does not create.
    import psycopg

    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as pg:
        if not pg.execute("SELECT 1 FROM pg_database WHERE datname = 'paliers'").fetchone():
            pg.execute("CREATE DATABASE paliers")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from paliers.accounts.models import Membership, Role, User  # noqa: E402
from paliers.api.models import ApiToken  # noqa: E402
from paliers.assessments.campaigns import open_campaign  # noqa: E402
from paliers.assessments.models import Answer, AnswerChange, SchoolGroup  # noqa: E402
from paliers.frameworks.loading import framework_files, load_specs, parse_files  # noqa: E402
from paliers.schools.models import Academy, Department, School, SchoolKind  # noqa: E402
from paliers.schools.uai import make_uai  # noqa: E402


def build_world():
    """100 collèges, their campaign, one head each with a token: [(assessment id, token)]."""
    call_command("migrate", verbosity=0)
    files = [f for f in framework_files() if f.name.startswith("creteil-etablissements-2014")]
    framework = load_specs(parse_files(files))[0].framework
    academy = Academy.objects.create(code="24", name="Créteil")
    department = Department.objects.create(code="094", name="Val-de-Marne", academy=academy)
    for n in range(SCHOOLS):
        School.objects.create(
            uai=make_uai(f"094{n:04d}"),
            name=f"Collège n° {n}",
            kind=SchoolKind.COLLEGE,
            department=department,
        )
    campaign = open_campaign(
        framework=framework, school_year="2025-2026", academy=academy,
        school_group=SchoolGroup.ETABLISSEMENTS, opens_on=date(2025, 9, 1),
        closes_on=date(2026, 6, 30), user=None,
    )  # fmt: skip
    heads = []
    for assessment in campaign.assessments.select_related("school").order_by("school__uai"):
        head = User.objects.create_user(f"principal-{assessment.school.uai}", password=None)
        Membership.objects.create(user=head, role=Role.SCHOOL_HEAD, school=assessment.school)
        heads.append((assessment.pk, ApiToken.issue(head, "banc d’essai")[1]))
    return heads, list(framework.criteria.values_list("code", flat=True))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port, log):
    command = [
        sys.executable, "-m", "gunicorn", "paliers.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(ARGS.workers),
        "--worker-class", ARGS.worker_class, "--threads", str(ARGS.threads),
        "--keep-alive", "30", "--graceful-timeout", "5", "--log-level", "warning",
    ]  # fmt: skip
    # Its own session: Ctrl-C reaches us, and we stop it in order (finally, below).
    server = subprocess.Popen(  # noqa: S603 (our own command line)
        command, cwd=ROOT, env=os.environ, stdout=log, stderr=log, start_new_session=True
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn s’est arrêté au démarrage (voir son journal).")
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            probe.request("GET", "/api/v1/openapi.json")
            if probe.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn ne répond pas après 30 s.")


def stop(server):
    if server is not None and server.poll() is None:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class Head(threading.Thread):
    """One head saving answers on their school's assessment, over one connection. What they
    last read (`memory["state"]`) and what the server acknowledged (`memory["ledger"]`)
    carry over from one phase to the next."""

    def __init__(self, port, assessment_id, token, memory, pause, until):
        super().__init__(daemon=True)
        self.port, self.assessment_id, self.pause, self.until = port, assessment_id, pause, until
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.memory = memory
        self.rng = random.Random(f"{assessment_id} {pause} {until}")  # noqa: S311 (not security)
        self.samples, self.statuses, self.saves, self.reads = [], Counter(), 0, 0

    def call(self, method, path, body=None):
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=self.headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.connection.close()
            self.statuses[type(exc).__name__] += 1
            return None, None, None
        self.statuses[response.status] += 1
        return response.status, data, time.perf_counter() - start

    def remember(self, data):
        answers = json.loads(data)["answers"]
        self.memory["state"] = {a["criterion"]: (a["value"], a["version"]) for a in answers}

    def save(self):
        state, ledger = self.memory["state"], self.memory["ledger"]
        code = self.rng.choice(list(state))
        value, version = state[code]
        new = self.rng.choice([v for v in VALUES if v != value])
        body = json.dumps({"answers": [{"criterion": code, "value": new, "version": version}]})
        status, data, latency = self.call("PUT", f"/api/v1/assessments/{self.assessment_id}/answers", body)
        if latency is not None:
            self.samples.append(latency)
        if status == 200:
            self.saves += 1
            ledger.setdefault(code, []).append(new)
            self.remember(data)
            return
        # 409: someone else saved, read again. Anything else (an error, a timeout): the save
        # may or may not be stored, so this criterion can no longer be checked.
        if status != 409:
            ledger.setdefault(code, []).append(None)
        self.memory["state"] = None

    def pause_a_while(self):
        time.sleep(max(0, min(self.rng.uniform(*self.pause), self.until - time.monotonic())))

    def run(self):
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        # Somewhere in their pause when the phase starts, as in a steady state.
        time.sleep(self.rng.uniform(0, self.pause[1]))
        while time.monotonic() < self.until:
            if self.memory["state"] is None:
                self.reads += 1
                status, data, _ = self.call("GET", f"/api/v1/assessments/{self.assessment_id}")
                if status == 200:
                    self.remember(data)
                    continue
            else:
                self.save()
            self.pause_a_while()
        self.connection.close()


def server_cpu(pid):
    """CPU seconds used so far by gunicorn's master and workers (Linux: read from /proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # gone meanwhile
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def machine_idle():
    """(idle, total) jiffies of all cores since boot, from /proc/stat."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return fields[3] + fields[4], sum(fields)


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def run_phase(server, port, heads, memories, pause, seconds):
    """One phase: every head saves with pauses in `pause`; figures of the saves (PUT)."""
    until = time.monotonic() + seconds
    cpu_server, cpu_client, idle = server_cpu(server.pid), time.process_time(), machine_idle()
    threads = [Head(port, pk, token, memories[pk], pause, until) for pk, token in heads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 30)
    samples = [s for t in threads for s in t.samples]
    statuses = sum((t.statuses for t in threads), Counter())
    requests = sum(statuses.values())
    cpu_server, cpu_client = server_cpu(server.pid) - cpu_server, time.process_time() - cpu_client
    idle = [now - before for now, before in zip(machine_idle(), idle, strict=True)]
    return {
        "pause": pause,
        "requests": requests,
        "reads": sum(t.reads for t in threads),
        "saves_per_s": sum(t.saves for t in threads) / seconds,
        "p50": statistics.median(samples) if samples else float("nan"),
        "p95": percentile(samples, 0.95),
        "p99": percentile(samples, 0.99),
        "conflicts": statuses[409],
        "errors": sum(n for status, n in statuses.items() if status not in (200, 409)),
        "statuses": dict(statuses),
        # Where the 2 cores went: the server's CPU per request says what a core can serve.
        "server_cpu_ms": cpu_server / max(requests, 1) * 1000,
        "server_cores": cpu_server / seconds,
        "client_cores": cpu_client / seconds,
        "idle": idle[0] / idle[1],  # of the whole machine: other work shows here
    }


def show(title, figures):
    print(
        f"{title:<28} pauses {figures['pause'][0]:.2f}–{figures['pause'][1]:.2f} s  "
        f"{figures['saves_per_s']:7.1f} enreg./s  p50 {figures['p50'] * 1000:6.1f} ms  "
        f"p95 {figures['p95'] * 1000:6.1f} ms  p99 {figures['p99'] * 1000:6.1f} ms  "
        f"409 {figures['conflicts']}  erreurs {figures['errors']}",
        flush=True,
    )
    print(
        f"    {figures['requests']} requêtes dont {figures['reads']} lectures ; "
        f"serveur {figures['server_cpu_ms']:.1f} ms de CPU par requête, "
        f"{figures['server_cores']:.2f} cœur ; clients {figures['client_cores']:.2f} cœur ; "
        f"machine inoccupée {figures['idle']:.0%}"
    )
    if figures["errors"]:
        print(f"    statuts : {figures['statuses']}")


def check(memories, title):
    """Every acknowledged save is stored; prints and returns the differences. A criterion
    whose save failed without an answer (None in its ledger) is left out."""
    stored = {
        (a, code): (value, version)
        for a, code, value, version in Answer.objects.values_list(
            "assessment_id", "criterion__code", "value", "version"
        )
    }
    problems, acknowledged, uncertain = [], 0, 0
    ledgers = {pk: memory["ledger"] for pk, memory in memories.items()}
    for assessment_id, ledger in ledgers.items():
        for code, values in ledger.items():
            acknowledged += sum(1 for v in values if v is not None)
            if None in values:
                uncertain += values.count(None)
            elif stored.get((assessment_id, code)) != (values[-1], len(values)):
                problems.append(
                    f"{assessment_id} {code} : acquitté {values[-1]} ×{len(values)}, "
                    f"en base {stored.get((assessment_id, code))}"
                )
    changes = AnswerChange.objects.filter(source="api").count()
    if not acknowledged <= changes <= acknowledged + uncertain:
        problems.append(f"{changes} modifications enregistrées pour {acknowledged} acquittées")
    checked = sum(len(ledger) for ledger in ledgers.values())
    print(
        f"{title} : {acknowledged} enregistrements acquittés sur {checked} critères, "
        + ("tous en base" if not problems else f"{len(problems)} écarts : {problems[:5]}")
    )
    return problems


def main():
    started = time.monotonic()
    heads, criteria = build_world()
    heads = heads[: ARGS.users]
    connections.close_all()  # gunicorn's processes open their own
    memories = {pk: {"state": None, "ledger": {}} for pk, _ in heads}
    print(
        f"base de données : {connection.vendor}; {len(heads)} chefs d’établissement, {len(criteria)} critères"
    )
    print(
        f"gunicorn : {ARGS.workers} processus {ARGS.worker_class}"
        + (f" × {ARGS.threads} fils" if ARGS.worker_class == "gthread" else "")
        + f", {os.cpu_count()} cœurs"
    )
    log_path = Path(workdir, "gunicorn.log")
    server = None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # finally runs: gunicorn stops too
    try:
        with log_path.open("w") as log:
            port = free_port()
            server = start_gunicorn(port, log)
            # Not timed: each worker's first requests (imports, URL resolver, schemas).
            show("mise en route (5 s)", run_phase(server, port, heads, memories, (0.5, 2.0), 5))
            figures = run_phase(server, port, heads, memories, (0.5, 2.0), ARGS.seconds)
            show(f"charge ({ARGS.seconds:.0f} s)", figures)
            problems = check(memories, "vérification")
            best = figures if figures["p95"] < TARGET_P95 and not figures["errors"] else None
            for factor in (1.25, 1.5, 1.75, 2, 2.5, 3, 4):
                pause = (0.5 / factor, 2.0 / factor)
                step = run_phase(server, port, heads, memories, pause, ARGS.step_seconds)
                show(f"palier ×{factor:g} ({ARGS.step_seconds:.0f} s)", step)
                if step["p95"] >= TARGET_P95 or step["errors"]:
                    break
                best = step
            problems += check(memories, "vérification finale")
            if best:
                print(f"débit soutenu avec p95 < 200 ms : {best['saves_per_s']:.1f} enregistrements/s")
    finally:
        stop(server)
        if server is not None and server.returncode not in (0, -signal.SIGTERM):
            print(log_path.read_text()[-3000:])
        connections.close_all()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"durée totale : {time.monotonic() - started:.0f} s")
    if problems or figures["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrompu : gunicorn arrêté, base temporaire supprimée")
