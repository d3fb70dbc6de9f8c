"""The client's address, as the lock-out, the security journal and the rate limits see it.

Behind a reverse proxy or a load balancer, REMOTE_ADDR is the proxy's address: keyed on it,
one person's failed logins would lock an account for everyone, and the journal would name
the proxy. `TRUSTED_PROXIES` (PALIERS_TRUSTED_PROXIES) says whom to believe about
X-Forwarded-For, which any client can also send:

- empty (the default): no proxy, REMOTE_ADDR is the client;
- a number N: N proxies stand in front of every request (and the application is reachable
  only through them): the client is the address the outermost one saw, N entries from the
  right of REMOTE_ADDR + X-Forwarded-For;
- addresses or networks (« 10.0.0.0/8, 192.0.2.7 »): reading from the right, every address
  of these networks is a proxy, and the first that is not is the client. A request from
  elsewhere is its own client, whatever header it sends.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(texts):
    return tuple(ipaddress.ip_network(text) for text in texts)


def _address(text):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def client_address(request):
    """The client's IP address as text, or None when the request gives none."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    count, networks = settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXY_NETWORKS
    if not remote or not (count or networks):
        return remote
    forwarded = [item for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    chain = [*forwarded, remote]
    if count:
        # The outermost proxy appended what it saw; anything to its left is the client's say.
        chosen = _address(chain[-(count + 1)]) if len(chain) > count else _address(chain[0])
        return str(chosen) if chosen else remote
    trusted = _networks(networks)
    for item in reversed(chain):
        address = _address(item)
        if address is None:
            break  # not an address: written by the client, beyond the last proxy
        if not any(address in network for network in trusted):
            return str(address)
        remote = str(address)
    return remote


def rate_limit_subject(request):
    """Whom a rate limit counts: the client's address, an IPv6 one by its /64 network (a
    single machine is given a whole /64 and could otherwise take a new address per try)."""
    text = client_address(request)
    address = _address(text) if text else None
    if address is None:
        return text or "inconnue"
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))
