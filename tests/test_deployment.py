"""docs/deployment.md, followed literally: the Procfile's `release` step, then two `web`
processes sharing one database (PostgreSQL in the PostgreSQL pass, a SQLite file
otherwise) behind a TLS proxy. A person signed in through one process is signed in
through the other: the processes keep nothing of their own. Then the `worker` process
runs a task queued by a command, and stops cleanly when told to."""

import http.client
import os
import re
import secrets
import subprocess
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from .scratch_databases import scratch_databases

ROOT = Path(__file__).resolve().parent.parent
PROXY = {"X-Forwarded-Proto": "https"}  # what the load balancer adds once it ended TLS


def procfile():
    entries = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, command = line.partition(":")
            entries[name.strip()] = command.strip()
    return entries


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies by name (Secure ones included: TLS ended at the proxy)."""

    def __init__(self):
        self.cookies = {}

    def request(self, port, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        sent = {**PROXY, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        content = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response, content


def wait_healthy(port, process):
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, "le processus web s’est arrêté"
        try:
            response, content = Browser().request(port, "GET", "/sante/")
            if response.status == 200:
                return content
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("pas de réponse de /sante/")


def test_release_then_two_web_processes_on_one_database(tmp_path, db):
    with scratch_databases(tmp_path, 1) as (url,):
        env = {
            **os.environ, "DATABASE_URL": url, "PALIERS_VAR_DIR": str(tmp_path), "PALIERS_PRODUCTION": "1",
            "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1", "BEHIND_TLS_PROXY": "1",
            "WEB_WORKERS": "2", "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
        }  # fmt: skip
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        steps = procfile()
        subprocess.run(["bash", "-c", steps["release"]], env=env, cwd=ROOT, check=True, capture_output=True)
        subprocess.run(
            ["bash", "-c", "paliers shell -c \"from paliers.accounts.models import User; "
             "User.objects.create_user('dan', password='un mot de passe solide 2026')\""],
            env=env, cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        ports, processes = [free_port(), free_port()], []
        try:
            for port in ports:
                processes.append(
                    subprocess.Popen(
                        ["bash", "-c", f"exec {steps['web']}"],
                        env={**env, "PORT": str(port)},
                        cwd=ROOT,
                        stdout=(tmp_path / f"web-{port}.log").open("w"),
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
            for port, process in zip(ports, processes, strict=True):
                assert '"status": "ok"' in wait_healthy(port, process)
            browser = Browser()
            _, form = browser.request(ports[0], "GET", "/comptes/connexion/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
            body = urlencode(
                {"csrfmiddlewaretoken": token, "username": "dan", "password": "un mot de passe solide 2026"}
            )
            signed_in, _ = browser.request(
                ports[0], "POST", "/comptes/connexion/", body,
                {"Content-Type": "application/x-www-form-urlencoded", "Host": f"127.0.0.1:{ports[0]}",
                 "Referer": f"https://127.0.0.1:{ports[0]}/comptes/connexion/"},
            )  # fmt: skip
            assert signed_in.status == 302 and "sessionid" in browser.cookies
            account, page = browser.request(ports[1], "GET", "/comptes/mon-compte/")
            assert account.status == 200 and "Mon compte" in page  # the other process knows the session
            assert account.headers["Strict-Transport-Security"].startswith("max-age=")
            plain, _ = Browser().request(ports[1], "GET", "/", headers={"X-Forwarded-Proto": "http"})
            assert plain.status == 301  # plain HTTP reaching the app goes to HTTPS
            # Static files: collected by `release`, served by each process (WhiteNoise).
            hashed = re.search(r'href="(/static/core/paliers\.[0-9a-f]+\.css)"', page)[1]
            assert (tmp_path / "static" / hashed.removeprefix("/static/")).exists()
            response, content = browser.request(ports[1], "GET", hashed)
            assert response.status == 200 and content.strip()
            check_the_worker(steps["worker"], env, tmp_path)
        finally:
            for process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, 15)
                    process.wait(20)


def shell(code, env):
    result = subprocess.run(
        ["paliers", "shell", "-v", "0", "-c", code],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def check_the_worker(command, env, tmp_path):
    """The Procfile's worker runs what `paliers rebuild_aggregates` queues, then SIGTERM
    stops it: it exits normally and leaves the register of workers."""
    queued = subprocess.run(
        ["paliers", "rebuild_aggregates"], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    assert "mis en file (tâche" in queued.stdout
    worker = subprocess.Popen(
        ["bash", "-c", f"exec {command}"], env=env, cwd=ROOT,
        stdout=(tmp_path / "worker.log").open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    status = "from django_tasks_db.models import DBTaskResult as R; print(R.objects.get().status)"
    try:
        deadline = time.monotonic() + 90
        while shell(status, env) != "SUCCESSFUL":
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()[-2000:]
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-2000:]
            time.sleep(0.5)
        registered = "from paliers.workers.models import WorkerProcess as W; print(W.objects.count())"
        assert shell(registered, env) == "1"
    finally:
        worker.terminate()
        assert worker.wait(30) == 0
    assert shell(registered, env) == "0"


def test_procfile_names_the_three_processes():
    assert set(procfile()) == {"release", "web", "worker"}


@pytest.mark.parametrize("unit", ["paliers-web@.service", "paliers-worker@.service", "paliers-daily.timer"])
def test_systemd_units_run_the_procfile_commands(unit):
    text = (ROOT / "deploy" / "systemd" / unit).read_text()
    if unit.startswith("paliers-web"):
        assert "gunicorn paliers.wsgi:application" in text and "%i" in text
    elif unit.startswith("paliers-worker"):
        assert procfile()["worker"] in text.replace("/srv/paliers/.venv/bin/", "") and "%i" in text
    else:
        assert "OnCalendar=" in text


def test_make_demo_serves_the_site_with_the_procfiles_worker_beside_it():
    recipe = subprocess.run(
        ["make", "-n", "serve"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout  # fmt: skip
    worker, server = recipe.index(procfile()["worker"] + " &"), recipe.index("paliers runserver")
    assert "serve" in make_target("demo").split()
    assert worker < server and "trap" in recipe  # started first, in the background, stopped on exit


def make_target(name):
    for line in (ROOT / "Makefile").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return line
    raise AssertionError(name)
