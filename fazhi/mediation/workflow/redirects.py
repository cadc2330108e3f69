"""Where a step goes after it saved (core's step view returns to the record page)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.shortcuts import redirect
from django.urls import path, reverse

from fazhi.core.steps import Flow
from fazhi.mediation import selectors
from fazhi.mediation.models import (
    Application,
    Dispute,
)
from fazhi.mediation.workflow.disputes import DISPUTE_FLOW


def step_urls(flow: Flow, prefix: str, after: dict[str, Callable]) -> list:
    """flow.urls(prefix), except that after a successful POST of a step named in `after` the user goes to
    after[step](obj) (None: the record page) — core's step view always returns to the record page."""
    out = []
    for pattern in flow.urls(prefix):
        view = pattern.callback
        _flow, step = view.fazhi_step
        if step.name in after:
            out.append(path(str(pattern.pattern), _then(view, flow, after[step.name]), name=pattern.name))
        else:
            out.append(pattern)
    return out


def _then(view, flow: Flow, where: Callable):
    @wraps(view)
    def wrapped(request, pk):
        response = view(request, pk)
        if request.method == "POST" and response.status_code == 302:  # saved: back to the record page
            obj = flow.model.objects.filter(pk=pk).first()
            url = where(obj) if obj is not None and response.url == flow.detail_url(obj) else None
            if url:
                return redirect(url)
        return response
    return wrapped


def next_signature_url(d: Dispute) -> str | None:
    """A phone shows one thing at a time: after a signature, the next one until all are recorded."""
    return DISPUTE_FLOW.step_url(d, "sign") if selectors.signature_steps(d) else None


def accepted_dispute_url(app: Application) -> str | None:
    """An accepted application continues as its dispute."""
    return reverse("mediation:detail", args=[app.dispute_id]) if app.dispute_id else None
