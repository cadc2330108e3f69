"""Per-client limits for public forms, kept in the Django cache (one counter per client, bucket and
time window). Behind a reverse proxy set FAZHI_TRUSTED_PROXY_COUNT so the client address is taken
from X-Forwarded-For (the proxy's own address would otherwise rate-limit everybody together)."""

from __future__ import annotations

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """Always a valid address (django-axes stores it in an IP column; a forged header must not be a 500)."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "") or "") or "0.0.0.0"
    hops = int(getattr(settings, "FAZHI_TRUSTED_PROXY_COUNT", 0) or 0)
    if hops:
        chain = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(chain) >= hops:
            return _valid_ip(chain[-hops]) or remote
    return remote


def hit(request, bucket: str, limit: int, window: int = 3600) -> bool:
    """Count one use; False once the client has used up `limit` in the current window."""
    return hit_address(client_ip(request), bucket, limit, window)


def hit_address(address: str, bucket: str, limit: int, window: int = 3600) -> bool:
    """`hit` for a client address already taken from the request (services get the address, not the request)."""
    ip = hashlib.sha256(address.encode()).hexdigest()[:24]  # no raw addresses in the cache
    key = f"fazhi-rl:{bucket}:{ip}:{int(time.time() // window)}"
    cache.add(key, 0, window + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, window + 60)
        count = 1
    return count <= limit
