"""Who the client is behind the reverse proxy, and counting a client's requests in the cache.

Behind a proxy every request comes from the proxy's address (`REMOTE_ADDR`). Each trusted proxy
appends the address it received the request from to `X-Forwarded-For`, so with `TRUSTED_PROXY_COUNT`
proxies in front of the app the client is the entry that many places from the right. Entries further
left were written by the client and are never trusted. Sign-in lock-outs (django-axes) and the
password-reset throttle both use this address.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address: `REMOTE_ADDR`, or the one the trusted proxies put in `X-Forwarded-For`."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        # Not through all the proxies (a probe sent to the app directly): its own address.
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def rate_limit_allows(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one request for `key` in `scope`; False once more than `limit` were counted in the window.

    Fixed windows in the default cache: shared by all app processes when REDIS_URL is set, per
    process otherwise. Keys are hashed, so an email address never appears in the cache.
    """
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()
    cache_key = f"throttle:{scope}:{digest}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
