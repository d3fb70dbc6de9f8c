"""The client's address behind trusted proxies (core/client.py): the lock-out keys on the
client, not on the proxy, and the security journal names the client; a client cannot pass
for another by sending X-Forwarded-For itself."""

import subprocess
import sys

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from paliers.audit.models import AuditEvent, EventKind
from paliers.core.client import client_address, rate_limit_subject

from .factories import make_world
from .test_security import ROOT, production_env

PROXY = "10.0.0.2"  # the reverse proxy of the deployment


@pytest.fixture
def world(db):
    return make_world()


def address(remote, forwarded=None, **setting):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(**{"TRUSTED_PROXY_COUNT": 0, "TRUSTED_PROXY_NETWORKS": (), **setting}):
        return client_address(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_ignored():
    assert address("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_count_of_proxies_takes_the_address_the_outermost_one_saw():
    one = {"TRUSTED_PROXY_COUNT": 1}
    assert address(PROXY, "198.51.100.1", **one) == "198.51.100.1"
    # A client's own header stays on the left of what the proxy appended.
    assert address(PROXY, "6.6.6.6, 198.51.100.1", **one) == "198.51.100.1"
    assert address(PROXY, None, **one) == PROXY  # no header: nothing better to say
    assert address(PROXY, "n'importe quoi", **one) == PROXY
    two = {"TRUSTED_PROXY_COUNT": 2}
    assert address("10.0.0.3", "6.6.6.6, 198.51.100.1, 10.0.0.2", **two) == "198.51.100.1"


def test_trusted_networks_believe_only_their_own_addresses():
    networks = {"TRUSTED_PROXY_NETWORKS": ("10.0.0.0/8", "2001:db8::/32")}
    assert address(PROXY, "198.51.100.1", **networks) == "198.51.100.1"
    assert address(PROXY, "6.6.6.6, 198.51.100.1, 10.0.0.7", **networks) == "198.51.100.1"
    assert address("2001:db8::1", "198.51.100.1", **networks) == "198.51.100.1"
    # A client reaching the application directly cannot pass for another.
    assert address("203.0.113.9", "198.51.100.1", **networks) == "203.0.113.9"
    assert address(PROXY, "pas-une-adresse, 10.0.0.9", **networks) == "10.0.0.9"


@pytest.mark.parametrize(
    ("remote", "subject"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),  # the same machine, another address
        ("::ffff:198.51.100.7", "198.51.100.7"),
    ],
)
def test_rate_limits_count_an_ipv6_client_by_its_network(remote, subject):
    assert rate_limit_subject(RequestFactory().get("/", REMOTE_ADDR=remote)) == subject


@override_settings(TRUSTED_PROXY_COUNT=1, AXES_FAILURE_LIMIT=3)
def test_behind_the_proxy_one_client_cannot_lock_an_account_for_everyone(client, world):
    """The attack: failed logins sent through the proxy from one address used to lock the
    login for every address, the proxy's being the only one seen."""
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    for _ in range(3):
        client.post(reverse("login"), {"username": "dan", "password": "faux"}, **attacker)
    good = {"username": "dan", "password": "mot de passe de test"}
    refused = client.post(reverse("login"), good, **attacker)
    assert refused.status_code == 429  # the attacker's address is locked out…
    owner = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.20"}
    signed_in = client.post(reverse("login"), good, **owner)
    assert signed_in.status_code == 302  # …the owner, elsewhere, is not
    journal = AuditEvent.objects.order_by("pk")
    assert {e.ip_address for e in journal.filter(kind=EventKind.LOGIN_FAILED)} == {"198.51.100.66"}
    assert {e.ip_address for e in journal.filter(kind=EventKind.LOCKED_OUT)} == {"198.51.100.66"}
    assert journal.get(kind=EventKind.LOGIN).ip_address == "203.0.113.20"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", "0 ()"), ("2", "2 ()"), ("10.0.0.0/8, 192.0.2.7", "0 ('10.0.0.0/8', '192.0.2.7/32')")],
)
def test_the_setting_is_read_from_the_environment(tmp_path, value, expected):
    env = production_env(tmp_path, PALIERS_TRUSTED_PROXIES=value)
    code = "from django.conf import settings as s; print(s.TRUSTED_PROXY_COUNT, s.TRUSTED_PROXY_NETWORKS)"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=env, capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    assert result.stdout.strip() == expected


def test_a_malformed_setting_stops_the_start_with_a_message(tmp_path):
    env = production_env(tmp_path, PALIERS_TRUSTED_PROXIES="10.0.0.0/8, proxy.example")
    result = subprocess.run(
        [sys.executable, "-m", "paliers.cli", "check"], env=env, capture_output=True, text=True, cwd=ROOT,
        check=False,
    )  # fmt: skip
    assert result.returncode != 0 and "PALIERS_TRUSTED_PROXIES" in result.stderr


def test_in_production_the_health_check_answers_a_load_balancer_over_plain_http(tmp_path):
    """With the production settings (HTTPS only, one allowed host): the load balancer's
    probe by the process's address, over HTTP, gets the check, not a redirect nor a 400;
    every other plain-HTTP request is sent to HTTPS (an unknown Host is a 400:
    test_hostile_input)."""
    env = production_env(tmp_path, PALIERS_TRUSTED_PROXIES="1", BEHIND_TLS_PROXY="1")
    migrate = [sys.executable, "-m", "paliers.cli", "migrate", "--no-input", "-v", "0"]
    subprocess.run(migrate, env=env, cwd=ROOT, check=True)
    code = (
        "import django; django.setup(); from django.test import Client; c = Client();"
        "r = c.get('/sante/', HTTP_HOST='10.0.1.11:8001'); print(r.status_code, r.json()['status']);"
        "r = c.get('/', HTTP_HOST='paliers.ac-exemple.fr'); print(r.status_code, r['Location'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split("\n")[:2] == ["200 ok", "301 https://paliers.ac-exemple.fr/"]
