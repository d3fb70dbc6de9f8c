"""OpenID Connect sign-in (ProConnect, an académie's provider) on mozilla-django-oidc.

The library draws state, nonce and PKCE verifier, keeps them in the session, exchanges the
code and verifies signed JWTs (ID token and, from ProConnect, the userinfo response) against
the provider's keys. Around it: one configuration per provider from the environment with
its discovery document, audience, issuer and expiry checks, French failure pages, and the
admission rules instead of the library's account creation.
"""

from urllib.parse import urlencode

import jwt
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from .admission import admit
from .failures import SignInFailure
from .providers import TIMEOUT, ProviderUnreachable, configuration, discover
from .signing_in import failure_page, log_in

BACKEND = "paliers.identities.oidc.OidcBackend"
PROVIDER_OF_STATE = "paliers_oidc_provider_of_state"
LEEWAY = 60  # seconds of clock difference tolerated with a provider


def provider_or_failure(slug):
    provider = configuration().provider(slug)
    if provider is None:
        raise SignInFailure("not_configured", slug)
    return provider


def endpoints(provider):
    try:
        return discover(provider)
    except ProviderUnreachable as error:
        raise SignInFailure("unreachable", str(error)[:200]) from error


class ProviderSettings:
    """mozilla-django-oidc reads its settings through get_settings: answer per provider."""

    def provider_settings(self):
        document = endpoints(self.provider)
        return {
            "OIDC_OP_AUTHORIZATION_ENDPOINT": document["authorization_endpoint"],
            "OIDC_OP_TOKEN_ENDPOINT": document["token_endpoint"],
            "OIDC_OP_USER_ENDPOINT": document.get("userinfo_endpoint"),
            "OIDC_OP_JWKS_ENDPOINT": document["jwks_uri"],
            "OIDC_RP_CLIENT_ID": self.provider.client_id,
            "OIDC_RP_CLIENT_SECRET": self.provider.client_secret,
            "OIDC_RP_SCOPES": self.provider.scopes,
            "OIDC_RP_SIGN_ALGO": self.provider.sign_algo,
            "OIDC_TIMEOUT": TIMEOUT,
        }

    def get_settings(self, attr, *args):
        values = self.provider_settings()
        if attr in values:
            return values[attr]
        return import_from_settings(attr, *args)


class OidcBackend(ProviderSettings, OIDCAuthenticationBackend):
    """Authenticates the code of a callback for one provider; never creates a role."""

    def __init__(self, provider=None):
        self.UserModel = get_user_model()
        self.provider = provider
        if provider is not None:
            values = self.provider_settings()
            for name in ("OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT",
                         "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "OIDC_RP_SIGN_ALGO"):  # fmt: skip
                setattr(self, name, values[name])
            self.OIDC_RP_IDP_SIGN_KEY = None
            self.issuer = endpoints(provider)["issuer"]

    def authenticate(self, request, *, oidc_nonce, oidc_code_verifier):
        """Only called by the callback view, with a provider (never for a password)."""
        if self.provider is None:
            return None
        try:
            return super().authenticate(request, nonce=oidc_nonce, code_verifier=oidc_code_verifier)
        except requests.HTTPError as error:
            raise SignInFailure("provider_error", str(error)[:200]) from error
        except requests.RequestException as error:
            raise SignInFailure("unreachable", str(error)[:200]) from error

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)

    def verify_token(self, token, **kwargs):
        """A JWT of this provider: signature (keys from its JWKS), audience, issuer, expiry,
        and for the ID token its nonce. SignInFailure says which check failed."""
        nonce = kwargs.get("nonce")
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
                raise SignInFailure("signature", f"algorithme {header.get('alg')!r}")
            key = self.retrieve_matching_jwk(token)
            payload = jwt.decode(
                token, key, algorithms=[self.OIDC_RP_SIGN_ALGO], audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.issuer, leeway=LEEWAY,
                options={"require": ["exp", "iat", "sub"] if "nonce" in kwargs else ["sub"]},
            )  # fmt: skip
        except jwt.ExpiredSignatureError as error:
            raise SignInFailure("expired", str(error)) from error
        except (jwt.InvalidAudienceError, jwt.InvalidIssuerError) as error:
            raise SignInFailure("audience", str(error)) from error
        except (jwt.PyJWTError, SuspiciousOperation) as error:
            raise SignInFailure("signature", str(error)[:200]) from error
        except requests.RequestException as error:
            raise SignInFailure("unreachable", str(error)[:200]) from error
        if "nonce" in kwargs and payload.get("nonce") != nonce:
            raise SignInFailure("replayed", "nonce différent de celui de la demande")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        if not self.OIDC_OP_USER_ENDPOINT:
            return payload
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT, headers={"Authorization": f"Bearer {access_token}"}, timeout=TIMEOUT
        )
        response.raise_for_status()
        if response.headers.get("content-type", "").lower().startswith("application/jwt"):
            claims = self.verify_token(response.text)
        elif self.provider.userinfo_signed:
            raise SignInFailure("signature", "réponse userinfo non signée")
        else:
            claims = response.json()
        if claims.get("sub") != payload["sub"]:
            raise SignInFailure("audience", "le sujet de userinfo diffère de celui du jeton d’identité")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        admission = admit(
            provider=self.provider.slug,
            issuer=self.issuer,
            subject=payload["sub"],
            claims=claims,
            email_claim=self.provider.email_claim,
        )
        self.admission, self.id_token = admission, id_token
        return admission.user


@method_decorator(never_cache, name="dispatch")
class OidcStartView(ProviderSettings, OIDCAuthenticationRequestView):
    """Sends the browser to the provider, with state, nonce (43 characters) and PKCE."""

    def __init__(self, **kwargs):
        # The library reads the endpoints here; they depend on the provider, known in setup().
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def dispatch(self, request, slug):
        try:
            self.provider = provider_or_failure(slug)
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
            self.OIDC_RP_CLIENT_ID = self.provider.client_id
            response = super().dispatch(request)
        except SignInFailure as failure:
            return failure_page(request, failure, slug)
        states = request.session.get(PROVIDER_OF_STATE, {})
        # Only the states the library still keeps (it keeps the 50 latest).
        states = {s: p for s, p in states.items() if s in request.session.get("oidc_states", {})}
        states[self.state] = slug
        request.session[PROVIDER_OF_STATE] = states
        return response

    def get_extra_params(self, request):
        params = {"acr_values": self.provider.acr_values} if self.provider.acr_values else {}
        if self.provider.is_proconnect:
            params["prompt"] = "login"  # ProConnect's recommendation for a fresh choice of identity
        return params

    def get(self, request):
        response = super().get(request)
        # The state is the newest entry the library added to the session.
        states = request.session["oidc_states"]
        self.state = max(states, key=lambda s: states[s]["added_on"])
        return response


@never_cache
def oidc_callback(request):
    """The provider sends the browser back here, with a code or an error, and the state."""
    state = request.GET.get("state", "")
    slug = request.session.get(PROVIDER_OF_STATE, {}).pop(state, None)
    entry = request.session.get("oidc_states", {}).pop(state, None)
    request.session.modified = True
    try:
        if slug is None or entry is None:
            raise SignInFailure("replayed", "état inconnu ou déjà utilisé")
        provider = provider_or_failure(slug)
        error = request.GET.get("error")
        if error == "access_denied":
            raise SignInFailure("cancelled", request.GET.get("error_description", "")[:200])
        if error or "code" not in request.GET:
            raise SignInFailure("provider_error", f"{error} {request.GET.get('error_description', '')}"[:200])
        request.session.save()  # the state is spent even if what follows fails
        backend = OidcBackend(provider)
        backend.authenticate(
            request, oidc_nonce=entry["nonce"], oidc_code_verifier=entry.get("code_verifier")
        )
        log_in(request, backend.admission, provider=slug, backend=BACKEND, id_token=backend.id_token)
    except SignInFailure as failure:
        return failure_page(request, failure, slug)
    next_url = request.session.pop("oidc_login_next", None)
    return HttpResponseRedirect(next_url or resolve_url("home"))


def end_session_url(request, provider_slug, id_token):
    """Where to send the browser so that the provider ends its session too ("" if it cannot)."""
    provider = configuration().provider(provider_slug)
    if provider is None or not id_token:
        return ""
    try:
        endpoint = discover(provider).get("end_session_endpoint")
    except ProviderUnreachable:
        return ""
    if not endpoint:
        return ""
    params = {
        "id_token_hint": id_token,
        "state": get_random_string(43),
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("signed_out")),
    }
    return f"{endpoint}?{urlencode(params)}"
