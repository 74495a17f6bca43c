"""A fixed-window counter per client IP in Django's cache (shared between processes when CACHE_URL
points at Redis). The address is the one the login lock-out uses (lde_portal.client_ip)."""

import time

from django.conf import settings
from django.core.cache import cache

from lde_portal.client_ip import client_ip


def hit(request, scope: str, limit: int | None = None) -> bool:
    """Count one request; False when the IP exceeded `limit` in the current minute."""
    limit = limit or settings.DOCUMENTS_VERIFY_RATE_PER_MINUTE
    key = f"ratelimit:{scope}:{client_ip(request) or 'unknown'}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count <= limit
