"""A fixed-window rate limit in the shared cache, keyed by the client's address.

Shared by public forms that cannot carry a CSRF token (they sit on cached pages).
"""

import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger("knowaml.ratelimit")


def client_ip(request):
    """The visitor's address, trusting X-Forwarded-For only as far as our own proxies.

    Each proxy appends the address it received the request from, so with N trusted proxies
    the client is the N-th entry from the right; anything further left is client-supplied.
    """
    trusted = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if trusted <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < trusted:
        return remote
    return forwarded[-trusted]


def address_key(ip):
    """One key per IPv4 address or IPv6 /64 (one home or phone gets a whole /64)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "unknown"
    # A dual-stack server sees IPv4 clients as ::ffff:a.b.c.d: each is one IPv4 address,
    # not one shared /64.
    address = getattr(address, "ipv4_mapped", None) or address
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def allow(scope, ip, limit, window):
    """Count one hit; True while the address stays within ``limit`` per ``window`` seconds.

    Without a cache the limit cannot be counted: the form stays open (fails open) and the
    log says so, because refusing every visitor would be worse than a brief spam window.
    """
    if not getattr(cache, "available", True):
        logger.warning("Rate limit %r not enforced: the cache is unavailable", scope)
        return True
    bucket = int(time.time() // window)
    key = f"ratelimit:{scope}:{address_key(ip)}:{bucket}"
    cache.add(key, 0, timeout=window + 1)
    try:
        hits = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window + 1)
        hits = 1
    if not getattr(cache, "available", True):
        logger.warning("Rate limit %r not enforced: the cache is unavailable", scope)
    return hits <= limit
