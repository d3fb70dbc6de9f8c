"""The identity providers Paliers trusts, read from the environment.

OpenID Connect providers (ProConnect, an académie's own) are listed in
PALIERS_OIDC_PROVIDERS; each NAME has its PALIERS_OIDC_<NAME>_* variables. One CAS server
(an ENT) is PALIERS_CAS_SERVER_URL. Reading never raises: faults are collected, and the
system check (`checks.py`) refuses to start with any of them.
"""

import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from django.conf import settings

PROCONNECT = "proconnect"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
DISCOVERY_TTL = 3600  # seconds a provider's discovery document is kept in a process
TIMEOUT = 10  # seconds for every call to a provider


@dataclass(frozen=True)
class OidcProvider:
    slug: str
    label: str
    discovery_url: str
    client_id: str
    client_secret: str
    scopes: str = "openid email given_name usual_name"
    acr_values: str = ""
    sign_algo: str = "RS256"
    userinfo_signed: bool = False
    email_claim: str = "email"
    kind: str = "oidc"

    @property
    def is_proconnect(self):
        return self.slug == PROCONNECT


@dataclass(frozen=True)
class CasServer:
    server_url: str
    label: str = "ENT"
    version: str = "3"
    email_attribute: str = "mail"
    slug: str = "cas"
    kind: str = "cas"


@dataclass
class Configuration:
    oidc: list = field(default_factory=list)
    cas: CasServer | None = None
    faults: list = field(default_factory=list)

    def provider(self, slug):
        return next((p for p in self.oidc if p.slug == slug), None)

    def label_of(self, slug):
        if self.cas and slug == self.cas.slug:
            return self.cas.label
        provider = self.provider(slug)
        return provider.label if provider else slug

    @property
    def any(self):
        return bool(self.oidc or self.cas)


def _bool(value, default):
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def url_fault(name, url):
    """A French sentence when `url` cannot serve as a provider's address, else ""."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return f"{name} doit être une adresse http(s) complète (reçu : « {url} »)."
    local = parts.hostname in {"127.0.0.1", "localhost", "::1"}
    if settings.PRODUCTION and parts.scheme != "https" and not local:
        return f"{name} doit être en https en production (reçu : « {url} »)."
    return ""


def read_configuration(environ=None):
    environ = settings.SIGN_IN_ENVIRONMENT if environ is None else environ
    config = Configuration()
    names = [n.strip().lower() for n in environ.get("PALIERS_OIDC_PROVIDERS", "").split(",") if n.strip()]
    for slug in names:
        prefix = f"PALIERS_OIDC_{slug.upper().replace('-', '_')}_"
        if not SLUG.match(slug):
            config.faults.append(
                f"PALIERS_OIDC_PROVIDERS : « {slug} » n’est pas un nom valable (a-z, 0-9, -)."
            )
            continue
        if config.provider(slug):
            config.faults.append(f"PALIERS_OIDC_PROVIDERS : « {slug} » est cité deux fois.")
            continue
        value = {key[len(prefix) :]: v.strip() for key, v in environ.items() if key.startswith(prefix)}
        proconnect = slug == PROCONNECT
        provider = OidcProvider(
            slug=slug,
            label=value.get("LABEL") or ("ProConnect" if proconnect else slug),
            discovery_url=value.get("DISCOVERY_URL", ""),
            client_id=value.get("CLIENT_ID", ""),
            client_secret=value.get("CLIENT_SECRET", ""),
            scopes=value.get("SCOPES") or OidcProvider.scopes,
            # ProConnect: « eidas1 » unless the deployment asks for more.
            acr_values=value.get("ACR_VALUES", "eidas1" if proconnect else ""),
            sign_algo=value.get("SIGN_ALGO") or "RS256",
            # ProConnect signs its userinfo response: accept nothing else from it.
            userinfo_signed=_bool(value.get("USERINFO_SIGNED"), proconnect),
            email_claim=value.get("EMAIL_CLAIM") or "email",
        )
        for variable, text in (
            ("DISCOVERY_URL", provider.discovery_url),
            ("CLIENT_ID", provider.client_id),
            ("CLIENT_SECRET", provider.client_secret),
        ):
            if not text:
                config.faults.append(f"{prefix}{variable} manque pour le fournisseur « {slug} ».")
        if provider.discovery_url and (fault := url_fault(prefix + "DISCOVERY_URL", provider.discovery_url)):
            config.faults.append(fault)
        if "openid" not in provider.scopes.split():
            config.faults.append(f"{prefix}SCOPES doit contenir « openid ».")
        if provider.sign_algo not in {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256"}:
            config.faults.append(f"{prefix}SIGN_ALGO : algorithme asymétrique attendu (RS256, ES256…).")
        config.oidc.append(provider)
    unknown = sorted(
        {
            key
            for key in environ
            if key.startswith("PALIERS_OIDC_")
            and key != "PALIERS_OIDC_PROVIDERS"
            and not any(key.startswith(f"PALIERS_OIDC_{s.upper().replace('-', '_')}_") for s in names)
        }
    )
    for key in unknown:
        config.faults.append(f"{key} : ce fournisseur n’est pas cité dans PALIERS_OIDC_PROVIDERS.")
    server_url = environ.get("PALIERS_CAS_SERVER_URL", "").strip()
    if server_url:
        config.cas = CasServer(
            server_url=server_url,
            label=environ.get("PALIERS_CAS_LABEL", "").strip() or "ENT",
            version=environ.get("PALIERS_CAS_VERSION", "").strip() or "3",
            email_attribute=environ.get("PALIERS_CAS_EMAIL_ATTRIBUTE", "").strip() or "mail",
        )
        if fault := url_fault("PALIERS_CAS_SERVER_URL", server_url):
            config.faults.append(fault)
        if config.cas.version not in {"1", "2", "3"}:
            config.faults.append("PALIERS_CAS_VERSION : 1, 2 ou 3.")
        if config.provider("cas"):
            config.faults.append("PALIERS_OIDC_PROVIDERS : « cas » est réservé au serveur CAS.")
    elif any(key.startswith("PALIERS_CAS_") for key in environ):
        config.faults.append(
            "PALIERS_CAS_SERVER_URL manque alors que d’autres variables PALIERS_CAS_ sont là."
        )
    if not settings.LOCAL_PASSWORDS and not config.any:
        config.faults.append(
            "PALIERS_LOCAL_PASSWORDS=0 sans fournisseur d’identité : personne ne pourrait se connecter."
        )
    return config


def configuration():
    """The configuration in force, without its faults' providers: a fault stops the start."""
    return read_configuration()


class ProviderUnreachable(Exception):
    pass


_discovered = {}


def discover(provider):
    """The provider's discovery document (endpoints, issuer), kept DISCOVERY_TTL seconds."""
    cached = _discovered.get(provider.discovery_url)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    try:
        response = requests.get(provider.discovery_url, timeout=TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnreachable(str(error)) from error
    missing = [
        k for k in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri") if k not in document
    ]
    if missing:
        raise ProviderUnreachable(f"document de découverte incomplet : {', '.join(missing)}")
    _discovered[provider.discovery_url] = (time.monotonic() + DISCOVERY_TTL, document)
    return document


def forget_discoveries():
    _discovered.clear()
