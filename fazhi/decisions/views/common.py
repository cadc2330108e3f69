from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from fazhi.core.errors import DomainError
from fazhi.core.scope import townships_for


def run(request, form, action, success: str, redirect_to):
    """Call `action(cleaned_data)`; on DomainError put the Chinese message on the form. Returns a redirect
    on success, else None (the caller re-renders the form with its errors)."""
    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except DomainError as e:
        form.add_error(None, e.message)
        return None
    messages.success(request, success)
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)


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
