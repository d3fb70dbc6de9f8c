"""Real identity providers for the tests, each in its own process on 127.0.0.1: the npm
package oidc-provider (tests/programs/oidc_provider.mjs) and django-cas-server
(tests/programs/cas_server/). Nothing is mocked: Paliers talks HTTP to them."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PROGRAMS = ROOT / "tests" / "programs"
CLIENT_ID = "paliers"
CLIENT_SECRET = "secret-du-client-paliers-pour-les-tests-0123456789"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command, env, name):
    """Start a provider and wait for its « ready » line (30 s at most)."""
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    process = subprocess.Popen(
        command, env={**environment, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    deadline = time.monotonic() + 30
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        lines.append(line)
        if line.startswith("ready"):
            return process
    process.kill()
    raise RuntimeError(f"{name} n’a pas démarré :\n{''.join(lines)}")


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    if process.stdout:
        process.stdout.close()


class OidcProvider:
    """oidc-provider run by Node.js, its people in a JSON file the tests rewrite."""

    def __init__(self, site_urls):
        if shutil.which("node") is None:
            raise RuntimeError("Node.js introuvable : installez le paquet Debian nodejs, puis « npm ci ».")
        self.folder = Path(tempfile.mkdtemp(prefix="paliers-oidc-"))
        self.users_file = self.folder / "users.json"
        self.set_people({})
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            "PORT": str(self.port),
            "CLIENT_ID": CLIENT_ID,
            "CLIENT_SECRET": CLIENT_SECRET,
            "REDIRECT_URIS": ",".join(f"{u}/comptes/connexion/oidc/retour/" for u in site_urls),
            "POST_LOGOUT_REDIRECT_URIS": ",".join(f"{u}/comptes/deconnexion/terminee/" for u in site_urls),
            "USERS_FILE": str(self.users_file),
        }
        self.process = start(["node", str(PROGRAMS / "oidc_provider.mjs")], env, "oidc-provider")

    @property
    def discovery_url(self):
        return f"{self.url}/.well-known/openid-configuration"

    def set_people(self, people):
        self.users_file.write_text(json.dumps(people))

    def set_mode(self, mode):
        requests.post(f"{self.url}/test/mode", params={"set": mode}, timeout=5).raise_for_status()

    def log(self):
        return requests.get(f"{self.url}/test/log", timeout=5).json()

    def environment(self, slug="proconnect", **extra):
        prefix = f"PALIERS_OIDC_{slug.upper().replace('-', '_')}_"
        values = {
            "PALIERS_OIDC_PROVIDERS": slug,
            prefix + "DISCOVERY_URL": self.discovery_url,
            prefix + "CLIENT_ID": CLIENT_ID,
            prefix + "CLIENT_SECRET": CLIENT_SECRET,
            prefix + "SCOPES": "openid email given_name usual_name FrEduRneResp",
        }
        values.update({prefix + key: value for key, value in extra.items()})
        return values

    def close(self):
        stop(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)


class CasServer:
    """django-cas-server in its own Python process and database."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="paliers-cas-"))
        self.users_file = self.folder / "users.json"
        self.set_people({})
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/cas/"
        env = {
            "PORT": str(self.port),
            "CAS_DB": str(self.folder / "cas.sqlite3"),
            "USERS_FILE": str(self.users_file),
            "PYTHONPATH": str(PROGRAMS / "cas_server"),
        }
        self.process = start(
            [sys.executable, str(PROGRAMS / "cas_server" / "run.py")], env, "django-cas-server"
        )

    def set_people(self, people):
        self.users_file.write_text(json.dumps(people))

    def environment(self, label="ENT de test"):
        return {
            "PALIERS_CAS_SERVER_URL": self.url,
            "PALIERS_CAS_LABEL": label,
            "PALIERS_CAS_EMAIL_ATTRIBUTE": "mail",
        }

    def close(self):
        stop(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)


def use_providers(settings, *environments):
    """Point Paliers at these providers (and django-cas-ng at the CAS server)."""
    environment = {}
    for part in environments:
        environment.update(part)
    settings.SIGN_IN_ENVIRONMENT = environment
    settings.CAS_SERVER_URL = environment.get("PALIERS_CAS_SERVER_URL", "")
