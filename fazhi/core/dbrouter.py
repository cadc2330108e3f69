"""Read replicas (PostgreSQL hot standby) for read-only requests, with read-your-writes.

A request is routed to a replica only when it is safe (GET/HEAD, see `ReplicaMiddleware`) and the user
has not written in the last `FAZHI_READ_YOUR_WRITES_SECONDS` (a signed cookie set by any unsafe request
pins them to the primary, so they see their own change at once). Writes, anything inside a transaction,
background tasks and commands always use the primary. Without replicas configured nothing changes.
"""

from __future__ import annotations

import contextvars
import random
import time

from django.conf import settings
from django.db import connections

_read_from: contextvars.ContextVar[str | None] = contextvars.ContextVar("fazhi_read_from", default=None)
PIN_COOKIE = "fazhi_rw"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def replica_aliases() -> list[str]:
    return [a for a in settings.DATABASES if a.startswith("replica")]


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = _read_from.get()
        if alias is None or connections["default"].in_atomic_block:
            return "default"
        return alias

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on every alias

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def pinned(request) -> bool:
    """Did this browser write within the read-your-writes window?"""
    try:
        at = float(request.get_signed_cookie(PIN_COOKIE, default="0", salt=PIN_COOKIE))
    except (ValueError, TypeError):
        return False
    return time.time() - at < settings.FAZHI_READ_YOUR_WRITES_SECONDS


class ReplicaMiddleware:
    """Chooses where this request reads (a replica for safe, unpinned requests) and pins a writer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        replicas = replica_aliases()
        alias = None
        if replicas and request.method in ("GET", "HEAD") and not pinned(request):
            alias = random.choice(replicas)
        request.fazhi_read_from = alias or "default"
        token = _read_from.set(alias)
        try:
            response = self.get_response(request)
        finally:
            _read_from.reset(token)
        if replicas and request.method in UNSAFE:
            response.set_signed_cookie(PIN_COOKIE, str(time.time()), salt=PIN_COOKIE,
                                       max_age=settings.FAZHI_READ_YOUR_WRITES_SECONDS, httponly=True,
                                       samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response
