"""Answers saved at once through the API against gunicorn: the pieces shared by
`bench/assessment_load.py`, `bench/scale_out.py` and the fault tests
(`tests/programs/fault_load.py`).

Nothing here configures Django: callers set DATABASE_URL and call django.setup() before
`build_world` and `check`, which read and write the database.
"""

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

from paliers.core.calendar import school_year

ROOT = Path(__file__).resolve().parent.parent
VALUES = ("non_atteint", "en_cours", "atteint")  # each save changes the answer: every ack is a change


# The current school year's campaign, so that it is open whenever this runs (after its
# closing date a campaign is read-only: the campaign life cycle).
YEAR = school_year(date.today())
OPENS, CLOSES = date(int(YEAR[:4]), 9, 1), date(int(YEAR[:4]) + 1, 6, 30)


def build_world(schools=100):
    """`schools` collèges, their campaign, one head each with a token: [(assessment id, token)],
    and the criteria's codes. The database must be migrated."""
    from paliers.accounts.models import Membership, Role, User
    from paliers.api.models import ApiToken
    from paliers.assessments.campaigns import open_campaign
    from paliers.assessments.models import SchoolGroup
    from paliers.frameworks.loading import framework_files, load_specs, parse_files
    from paliers.schools.models import Academy, Department, School, SchoolKind
    from paliers.schools.uai import make_uai

    files = [f for f in framework_files() if f.name.startswith("creteil-etablissements-2014")]
    framework = load_specs(parse_files(files))[0].framework
    academy = Academy.objects.create(code="24", name="Créteil")
    department = Department.objects.create(code="094", name="Val-de-Marne", academy=academy)
    for n in range(schools):
        School.objects.create(
            uai=make_uai(f"094{n:04d}"),
            name=f"Collège n° {n}",
            kind=SchoolKind.COLLEGE,
            department=department,
        )
    campaign = open_campaign(
        framework=framework, school_year=YEAR, academy=academy,
        school_group=SchoolGroup.ETABLISSEMENTS, opens_on=OPENS,
        closes_on=CLOSES, user=None,
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


def start_gunicorn(port, log, workers=3, worker_class="sync", threads=4):
    command = [
        sys.executable, "-m", "gunicorn", "paliers.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-class", worker_class, "--threads", str(threads),
        "--keep-alive", "30", "--graceful-timeout", "5", "--log-level", "warning",
    ]  # fmt: skip
    # Its own session: Ctrl-C reaches us, and we stop it in order (finally, below).
    server = subprocess.Popen(  # noqa: S603 (our own command line)
        command, cwd=ROOT, env=os.environ, stdout=log, stderr=log, start_new_session=True
    )
    deadline = time.monotonic() + 60
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
    stop(server)
    raise RuntimeError("gunicorn ne répond pas après 60 s.")


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
    """One phase: every head saves with pauses in `pause`; figures of the saves (PUT).

    `server` and `port` may be lists (several gunicorn processes): heads are spread over
    the ports in turn, as a round-robin load balancer would."""
    servers = server if isinstance(server, list) else [server]
    ports = port if isinstance(port, list) else [port]
    until = time.monotonic() + seconds

    def all_cpu():
        return sum(server_cpu(one.pid) for one in servers)

    cpu_server, cpu_client, idle = all_cpu(), time.process_time(), machine_idle()
    threads = [
        Head(ports[n % len(ports)], pk, token, memories[pk], pause, until)
        for n, (pk, token) in enumerate(heads)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 30)
    samples = [s for t in threads for s in t.samples]
    statuses = sum((t.statuses for t in threads), Counter())
    requests = sum(statuses.values())
    cpu_server, cpu_client = all_cpu() - cpu_server, time.process_time() - cpu_client
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
    from paliers.assessments.models import Answer, AnswerChange

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
