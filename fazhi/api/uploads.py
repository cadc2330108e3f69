"""API clients upload evidence through the evidence store's own tus endpoint (/evidence/tus/): their token
stands for the session there. Which token may: one with the write scope of a module whose records take
evidence (cases and inspections: 行政执法; disputes: 矛盾纠纷) — of the named record's module when the upload
names one — held by a user with an evidence-recording role. Everything else (size, type, township, officers)
is the endpoint's own check, exactly as for the upload page."""

from __future__ import annotations

from fazhi.accounts.roles import READ_ONLY_ROLES
from fazhi.api.models import SCOPE_MODULES
from fazhi.api.services import token_for_key
from fazhi.core.scope import has_role

EVIDENCE_MODULES = ("enforcement", "mediation")


def upload_user(request, subject_label: str = ""):
    """(user, None) for a usable Bearer token, else (None, (status, Chinese message))."""
    from fazhi.evidence.selectors import WRITE_ROLES

    token = token_for_key(request.headers.get("Authorization", "")[7:].strip())
    if token is None:
        return None, (401, "接口令牌无效、已吊销或已过期。")
    module = subject_label.partition(".")[0]
    modules = (module,) if module in SCOPE_MODULES else EVIDENCE_MODULES
    if not any(token.allows(m, write=True) for m in modules):
        names = "或".join(f"“{SCOPE_MODULES[m]}”" for m in modules)
        return None, (403, f"该令牌没有上传证据所需的{names}写权限。")
    if not has_role(token.user, WRITE_ROLES - READ_ONLY_ROLES):
        return None, (403, "您的角色无权上传执法记录证据。")
    return token.user, None
