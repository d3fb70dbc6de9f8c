"""Benchmark: teachers answering team questionnaires at 100 responses a second, served by gunicorn.

The peak of the issue: a whole académie answering after staff meetings, 6,000 responses a
minute. Builds a throw-away SQLite database in a temporary folder, loads the Créteil jalons,
creates an académie of 300 collèges, opens a campaign on the jalons and a questionnaire in
every collège, and starts gunicorn on 127.0.0.1. Then:
- load: after 5 s of warming up, respondents arrive at a steady 100 a second (`--rate`) for
  120 s (`--seconds`), each at a random collège's code, each a new browser (no cookie, a new
  connection): it loads the questionnaire (GET /q/<code>/, which sets the CSRF cookie),
  sends its answers (POST, answered by a redirect that sets the browser's cookie) and
  follows the redirect to the thank-you page, as a phone's browser does. Prints responses/s,
  latency p50/p95/p99 per kind of request, errors, how late the client started requests
  (if it could not keep the pace, the figures would flatter the server), the CPU gunicorn
  used per respondent and the machine's load (other work on the machine shows there);
- check: every acknowledged response (the POST's redirect) is stored: as many rows as
  acknowledgements, per questionnaire too, and each questionnaire's tallies equal a recount
  of its rows.
Targets: no error, p95 under 300 ms for every kind of request, every acknowledged response
stored. Only 127.0.0.1 traffic; it stops by itself, and stops gunicorn on the way out.

Run: uv run python bench/survey_load.py [--rate 100] [--seconds 120] [--schools 300] [--smoke]
"""

import argparse
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_P95 = 0.300


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--rate", type=float, default=100, help="respondents a second")
    parser.add_argument("--seconds", type=float, default=120, help="length of the load phase")
    parser.add_argument("--schools", type=int, default=300, help="collèges, each with its questionnaire")
    # As in assessment_load.py: sync workers, 3 on 2 cores (one request per process holds
    # SQLite's write lock without waiting for a sibling thread; a third keeps a core busy).
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--clients", type=int, default=64, help="client threads (respondents at once)")
    parser.add_argument("--smoke", action="store_true", help="5 collèges, 2 s at 5/s (make test)")
    args = parser.parse_args()
    if args.smoke:
        args.rate, args.seconds, args.schools, args.clients = 5, 2, 5, 4
    return args


ARGS = arguments()
workdir = tempfile.mkdtemp(prefix="paliers-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ["PALIERS_VAR_DIR"] = workdir
os.environ["DJANGO_SETTINGS_MODULE"] = "paliers.settings"
os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
os.environ.pop("DEBUG", None)
Path(workdir, "static").mkdir()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from paliers.assessments.campaigns import open_campaign  # noqa: E402
from paliers.assessments.models import SchoolGroup  # noqa: E402
from paliers.frameworks.loading import framework_files, load_specs, parse_files  # noqa: E402
from paliers.schools.models import Academy, Department, School, SchoolKind  # noqa: E402
from paliers.schools.uai import make_uai  # noqa: E402
from paliers.surveys.models import SurveyResponse, TeamSurvey  # noqa: E402
from paliers.surveys.opening import open_survey  # noqa: E402
from paliers.surveys.responding import recount  # noqa: E402
from paliers.surveys.results import tallies_by_survey  # noqa: E402

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
AXES = ("DYN", "ORG", "ESP", "RES", "LIT")


def build_world():
    """300 collèges, a campaign on the jalons, a questionnaire open today in each: their codes."""
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the pages link the DSFR's files
    files = [f for f in framework_files() if f.name.startswith("creteil-jalons")]
    framework = load_specs(parse_files(files))[0].framework
    academy = Academy.objects.create(code="24", name="Créteil")
    department = Department.objects.create(code="094", name="Val-de-Marne", academy=academy)
    School.objects.bulk_create(
        School(uai=make_uai(f"094{n:04d}"), name=f"Collège n° {n}", kind=SchoolKind.COLLEGE,
               department=department)
        for n in range(ARGS.schools)
    )  # fmt: skip
    today = timezone.localdate()
    campaign = open_campaign(
        framework=framework, school_year="2025-2026", academy=academy,
        school_group=SchoolGroup.ETABLISSEMENTS, opens_on=today - timedelta(days=30),
        closes_on=today + timedelta(days=30), user=None,
    )  # fmt: skip
    return [
        open_survey(campaign, school, today, today + timedelta(days=7), None).code
        for school in School.objects.order_by("uai")
    ]


# --- as in assessment_load.py (which cannot be imported: it runs on import) ---------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(server):
    if server is not None and server.poll() is None:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


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


# --- this benchmark ---------------------------------------------------------------------------


def start_gunicorn(port, log):
    command = [
        sys.executable, "-m", "gunicorn", "paliers.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(ARGS.workers),
        "--graceful-timeout", "5", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(  # noqa: S603 (our own command line)
        command, cwd=ROOT, env=os.environ, stdout=log, stderr=log, start_new_session=True
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn s’est arrêté au démarrage (voir son journal).")
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            probe.request("GET", "/q/")
            if probe.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn ne répond pas après 30 s.")


class Figures:
    """What the client threads record, under one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency = {"page": [], "envoi": [], "merci": []}
        self.statuses = Counter()
        self.acknowledged = Counter()  # code → responses acknowledged
        self.uncertain = Counter()  # code → sends that failed without an answer: stored or not
        self.lags = []

    def record(self, kind, status, seconds):
        with self.lock:
            self.statuses[kind, status] += 1
            if seconds is not None:
                self.latency[kind].append(seconds)


def request(port, method, path, headers, body=b""):
    """One request on a new connection (a new browser): (status, cookies set, body, seconds).

    Raw sockets rather than http.client, whose header parsing costs the client a core at
    300 requests a second, on the 2 cores the server needs. gunicorn's sync workers close
    the connection after the response: read until then."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    start, chunks = time.perf_counter(), []
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=15) as connection:
            connection.sendall(raw)
            while chunk := connection.recv(65536):
                chunks.append(chunk)
    except OSError as exc:
        return type(exc).__name__, [], b"", None
    seconds = time.perf_counter() - start
    head, _, content = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(status_line.split(" ", 2)[1])
    except (IndexError, ValueError):
        return "réponse illisible", [], b"", None
    cookies = [
        line.split(":", 1)[1].strip().split(";", 1)[0]
        for line in header_lines
        if line.lower().startswith("set-cookie:")
    ]
    return status, cookies, content, seconds


def respondent(port, code, rng, figures):
    """A new browser: load the questionnaire, answer, read the thank-you page."""
    path = f"/q/{code}/"
    status, cookies, body, seconds = request(port, "GET", path, {})
    figures.record("page", status, seconds)
    found = CSRF_FIELD.search(body)
    if status != 200 or not found:
        return
    answers = {f"axe-{axis}": str(rng.choice((0, 1, 2, 2, 3, 3, 4))) for axis in AXES}
    form = urlencode({"csrfmiddlewaretoken": found[1].decode(), **answers}).encode()
    jar = "; ".join(cookies)
    sent = {"Cookie": jar, "Content-Type": "application/x-www-form-urlencoded"}
    status, cookies, _, seconds = request(port, "POST", path, sent, form)
    figures.record("envoi", status, seconds)
    if status == 302:
        with figures.lock:
            figures.acknowledged[code] += 1
        status, _, _, seconds = request(port, "GET", f"{path}merci/", {"Cookie": "; ".join([jar, *cookies])})
        figures.record("merci", status, seconds)
    elif not isinstance(status, int):
        with figures.lock:
            figures.uncertain[code] += 1


def run_phase(server, port, codes, rate, seconds, seed):
    """Respondents arrive every 1/rate s (an open loop: a slow server does not slow arrivals)."""
    figures, rng = Figures(), random.Random(seed)  # noqa: S311 (not security)
    cpu_server, cpu_client, idle = server_cpu(server.pid), time.process_time(), machine_idle()
    total, start = int(rate * seconds), time.monotonic()
    with ThreadPoolExecutor(max_workers=ARGS.clients) as pool:

        def arrive(scheduled, code, respondent_rng):
            figures.lags.append(time.monotonic() - scheduled)
            respondent(port, code, respondent_rng, figures)

        for n in range(total):
            scheduled = start + n / rate
            time.sleep(max(0.0, scheduled - time.monotonic()))
            pool.submit(arrive, scheduled, rng.choice(codes), random.Random(rng.random()))  # noqa: S311
    elapsed = time.monotonic() - start
    cpu_server, cpu_client = server_cpu(server.pid) - cpu_server, time.process_time() - cpu_client
    idle = [now - before for now, before in zip(machine_idle(), idle, strict=True)]
    figures.elapsed, figures.respondents = elapsed, total
    figures.server_cpu_ms = cpu_server / max(total, 1) * 1000
    figures.server_cores = cpu_server / elapsed
    figures.client_cores = cpu_client / elapsed
    figures.idle = idle[0] / idle[1]
    return figures


def ms(seconds):
    return seconds * 1000


def show(title, figures):
    acknowledged = sum(figures.acknowledged.values())
    errors = {key: n for key, n in figures.statuses.items() if key[1] not in (200, 302)}
    rate = acknowledged / figures.elapsed
    print(
        f"{title} : {acknowledged} réponses acquittées en {figures.elapsed:.1f} s, {rate:.1f} réponses/s ; "
        f"erreurs {sum(errors.values())}",
        flush=True,
    )
    for kind, samples in figures.latency.items():
        if samples:
            p50, p95, p99 = (ms(percentile(samples, f)) for f in (0.5, 0.95, 0.99))
            print(
                f"    {kind:<6} {len(samples):6d} requêtes  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
                f"p99 {p99:6.1f} ms  max {ms(max(samples)):6.1f} ms"
            )
    print(
        f"    retard des arrivées p95 {ms(percentile(figures.lags, 0.95)):.1f} ms ; "
        f"serveur {figures.server_cpu_ms:.1f} ms de CPU par répondant (3 requêtes), "
        f"{figures.server_cores:.2f} cœur ; client {figures.client_cores:.2f} cœur ; "
        f"machine inoccupée {figures.idle:.0%}"
    )
    if errors:
        print(f"    statuts : {dict(errors)}")
    return errors


def check(figures_list):
    """Every acknowledged response is a row, per questionnaire; tallies equal a recount."""
    acknowledged, uncertain = Counter(), Counter()
    for figures in figures_list:
        acknowledged.update(figures.acknowledged)
        uncertain.update(figures.uncertain)
    stored = Counter(dict(SurveyResponse.objects.values_list("survey__code").annotate(n=Count("pk"))))
    problems = [
        f"{code} : {acknowledged[code]} acquittées, {stored[code]} en base"
        for code in set(acknowledged) | set(stored)
        if not acknowledged[code] <= stored[code] <= acknowledged[code] + uncertain[code]
    ]
    tallies = tallies_by_survey(TeamSurvey.objects.all())
    for survey in TeamSurvey.objects.all():
        kept = {key: n for key, n in tallies.get(survey.pk, {}).items() if n}
        if kept != recount(survey):
            problems.append(f"{survey.code} : décomptes différents du recomptage")
    outcome = f"{len(problems)} écarts : {problems[:5]}" if problems else "tout est en base, décomptes exacts"
    print(
        f"vérification : {sum(acknowledged.values())} réponses acquittées, {sum(stored.values())} en base, "
        f"{len(stored)} questionnaires ; {outcome}"
    )
    return problems


def main():
    started = time.monotonic()
    codes = build_world()
    connections.close_all()  # gunicorn's processes open their own
    print(
        f"base de données : SQLite ; {len(codes)} questionnaires ; gunicorn : {ARGS.workers} processus "
        f"sync, {os.cpu_count()} cœurs ; charge de la machine avant (1 min) : {os.getloadavg()[0]:.2f}"
    )
    log_path, server, failed = Path(workdir, "gunicorn.log"), None, True
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        with log_path.open("w") as log:
            port = free_port()
            server = start_gunicorn(port, log)
            warm = run_phase(server, port, codes, min(ARGS.rate, 20), 5, "mise en route")
            show("mise en route (5 s, non comptée)", warm)
            figures = run_phase(server, port, codes, ARGS.rate, ARGS.seconds, "charge")
            errors = show(f"charge ({ARGS.rate:g} répondants/s, {ARGS.seconds:g} s)", figures)
            print(f"charge de la machine après (1 min) : {os.getloadavg()[0]:.2f}")
            problems = check([warm, figures])
            slow = [k for k, s in figures.latency.items() if s and percentile(s, 0.95) >= TARGET_P95]
            failed = bool(errors or problems or slow)
            verdict = f"manqués (p95 ≥ 300 ms : {slow or 'aucun'})" if failed else "atteints"
            print(f"objectifs : {verdict}")
    finally:
        stop(server)
        if server is not None and server.returncode not in (0, -signal.SIGTERM):
            print(log_path.read_text()[-3000:])
        connections.close_all()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"durée totale : {time.monotonic() - started:.0f} s")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrompu : gunicorn arrêté, base temporaire supprimée")
