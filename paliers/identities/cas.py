"""CAS sign-in (an ENT) on django-cas-ng: its client (python-cas) validates the ticket with
the CAS server, its views send the browser there and take the server's single-logout
requests; the admission rules decide who enters, as for OpenID Connect."""

from xml.etree.ElementTree import ParseError

import requests
from django.contrib.auth.backends import ModelBackend
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django_cas_ng import views as cas_views
from django_cas_ng.models import SESSION_KEY_MAXLENGTH, SessionTicket
from django_cas_ng.utils import RedirectException, get_cas_client, get_service_url

from .admission import admit
from .failures import SignInFailure
from .providers import TIMEOUT, configuration
from .signing_in import failure_page, log_in

BACKEND = "paliers.identities.cas.CasBackend"


class SessionWithTimeout(requests.Session):
    """python-cas sets no time limit on its calls to the CAS server."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(*args, **kwargs)


class CasBackend(ModelBackend):
    """Validates a service ticket; called by the CAS view only, never for a password."""

    def authenticate(self, request, *, cas_ticket, cas_service):
        server = configuration().cas
        if server is None:
            return None
        client = get_cas_client(service_url=cas_service, request=request)
        try:
            subject, attributes, _ = client.verify_ticket(cas_ticket)
        except requests.RequestException as error:
            raise SignInFailure("unreachable", str(error)[:200]) from error
        except ParseError as error:
            raise SignInFailure("provider_error", f"réponse illisible : {error}") from error
        if not subject:
            # CAS tickets serve once: a replayed, expired or forged ticket ends here.
            raise SignInFailure("replayed", "ticket refusé par le serveur CAS")
        self.admission = admit(
            provider=server.slug,
            issuer=server.server_url,
            subject=subject,
            claims=attributes or {},
            email_claim=server.email_attribute,
        )
        return self.admission.user


@method_decorator(never_cache, name="dispatch")
class CasLoginView(cas_views.LoginView):
    """Without a ticket: off to the CAS server (django-cas-ng). With one: validated here."""

    def get(self, request):
        server = configuration().cas
        if server is None:
            return failure_page(request, SignInFailure("not_configured", "cas"), None)
        ticket = request.GET.get("ticket")
        try:
            next_page = cas_views.clean_next_page(request, request.GET.get("next"))
        except RedirectException:
            next_page = None
        if not ticket:
            return super().get(request)
        service_url = get_service_url(request, next_page)
        backend = CasBackend()
        try:
            backend.authenticate(request, cas_ticket=ticket, cas_service=service_url)
            log_in(request, backend.admission, provider=server.slug, backend=BACKEND)
        except SignInFailure as failure:
            return failure_page(request, failure, server.slug)
        if not request.session.session_key:
            request.session.save()
        # The CAS server's single-logout request names this ticket (django-cas-ng ends the session).
        SessionTicket.objects.update_or_create(
            session_key=request.session.session_key[:SESSION_KEY_MAXLENGTH], defaults={"ticket": ticket}
        )
        return HttpResponseRedirect(next_page or resolve_url("home"))


def cas_logout_url(request, redirect_url):
    SessionTicket.objects.filter(
        session_key=(request.session.session_key or "")[:SESSION_KEY_MAXLENGTH]
    ).delete()
    return get_cas_client(request=request).get_logout_url(redirect_url)
