"""The address of the client that sent a request, for the login lock-out (django-axes) and the rate
limit of the public verify page: one answer for both."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """REMOTE_ADDR, unless PORTAL_TRUSTED_PROXY_COUNT reverse proxies stand in front of the portal.

    X-Forwarded-For is whatever the client put there, with each proxy appending the address it received
    the request from. Behind N trusted proxies only the N-th entry from the right was written by one of
    ours (the outermost): everything to its left is the client's own claim and would let an attacker pick
    a fresh address per guess. Without a trusted proxy the header is ignored altogether.
    """
    # None when the request has no peer at all (a login made in code, e.g. a test client's force_login):
    # axes stores the address in an inet column, which refuses a placeholder text.
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.PORTAL_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        # The request did not pass every configured proxy: only the direct peer is known.
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
