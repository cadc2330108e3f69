from __future__ import annotations

from fazhi.core.errors import DomainError
from fazhi.core.scope import townships_for

FORM = "decisions/form.html"  # core.pages.form_page with a township choice for multi-township accounts


def chosen(township):
    """The township a new record goes to; refused on the form when the user has several and chose none."""
    if township is None:
        raise DomainError("请选择所属乡镇。")
    return township


def one_township(request, roles):
    """The township a new record goes to: the user's only township for these roles (or ?township=code)."""
    towns = list(townships_for(request.user, roles))
    code = request.POST.get("township") or request.GET.get("township")
    if code:
        towns = [t for t in towns if t.code == code]
    return towns[0] if len(towns) == 1 else None, towns


def labelled_history(flow, transitions) -> list:
    """A flow's history rows with the status each moved to (shown where no reason was written)."""
    rows = list(transitions)
    for t in rows:
        t.to_label = flow.workflow.label(t.to_status)
    return rows
