"""Staff pages of 政务公开, by subject: `items`, `requests`, `annual` (the Art. 50 report), `catalogue`
(categories and settings). Workflow steps are served by core's step view (`*FLOW.urls`)."""

from __future__ import annotations

from fazhi.core.scope import townships_for
from fazhi.disclosure.permissions import WRITE_ROLES


def pick_township(request, roles=WRITE_ROLES):
    """The township a staff page works on: ?township=<code> among the user's, else their only one."""
    towns = townships_for(request.user, roles)
    code = request.GET.get("township") or request.POST.get("township_code")
    if code:
        chosen = towns.filter(code=code).first()
        if chosen:
            return chosen, towns
    return towns.first(), towns
