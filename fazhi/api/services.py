"""Writes owned by the API app: personal access tokens; which idempotency records have expired."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from fazhi.accounts.middleware import two_factor_required
from fazhi.api.models import SCOPE_MODULES, ApiToken, IdempotentRequest, read_scopes
from fazhi.audit.services import audit_record
from fazhi.core.errors import DomainError

MAX_ACTIVE_TOKENS = 5


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def clean_scopes(scopes) -> list[str]:
    """Known "<module>:read|write" scopes, in a stable order; None → read everything (the old behaviour)."""
    if scopes is None:
        return read_scopes()
    wanted = set(scopes)
    unknown = wanted - {f"{m}:{level}" for m in SCOPE_MODULES for level in ("read", "write")}
    if unknown:
        raise DomainError(f"未知的令牌权限范围：{'、'.join(sorted(unknown))}。")
    if not wanted:
        raise DomainError("请至少选择一项令牌权限范围。")
    return [f"{m}:{level}" for m in SCOPE_MODULES for level in ("read", "write") if f"{m}:{level}" in wanted]


def token_create(*, actor, name: str, verified: bool = False, scopes=None) -> tuple[ApiToken, str]:
    """A new token for `actor`; returns (row, the token in clear — shown once, never stored).
    `verified`: the request's session passed two-factor verification (required of users who must use it).
    `scopes`: "<module>:read|write" (default: read every module); the user's roles still bound what it does."""
    scopes = clean_scopes(scopes)
    if two_factor_required(actor) and not verified:
        raise DomainError("请先完成两步验证再创建接口令牌。")
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写令牌用途，例如“县级平台对接”。")
    with transaction.atomic():
        if ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
            raise DomainError(f"每人最多{MAX_ACTIVE_TOKENS}个有效令牌，请先吊销不用的令牌。")
        key = "fz_" + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(user=actor, name=name[:64], prefix=key[:8], key_hash=hash_key(key),
                                        verified_at=timezone.now() if verified else None, scopes=scopes)
        audit_record(actor=actor, action="create", obj=token,
                     changes={"name": [None, token.name], "scopes": [None, "、".join(scopes)]})
    return token, key


def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk, user=actor)
        if locked.revoked_at:
            raise DomainError("该令牌已吊销。")
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="update", obj=locked, changes={"revoked": ["否", "是"]})
    return locked


def token_authenticate(key: str):
    """The user of an active token (and mark it used), or None."""
    token = token_for_key(key)
    return token.user if token else None


def token_for_key(key: str):
    """The active token of `key` (marked used), or None."""
    token = (ApiToken.objects.select_related("user").filter(key_hash=hash_key(key), revoked_at__isnull=True)
             .first())
    if token is None or not token.user.is_active:
        return None
    if token.verified_at is None and two_factor_required(token.user):
        return None  # minted without the second factor the user must use
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def idempotent_expired(*, now=None):
    """Idempotency records past their retention (fazhi.core.retention): purged; a retry after that is new."""
    from fazhi.core.retention import idempotency_cutoff

    return IdempotentRequest.objects.filter(created_at__lt=idempotency_cutoff(now))
