"""The public consultation page (no login): decisions open for comment, a comment form, and the
published summaries of how comments were handled. The portal app may embed `open_consultations()`."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_protect

from fazhi.core.access import public_view
from fazhi.core.errors import DomainError
from fazhi.core.ratelimit import client_ip
from fazhi.decisions import selectors
from fazhi.decisions.forms import PublicCommentForm
from fazhi.decisions.services.consultation import comment_submit


@public_view
@csrf_protect
def consultations(request):
    open_qs = list(selectors.open_consultations()[:50])
    form = PublicCommentForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            decision = next((d for d in open_qs if d.pk == form.cleaned_data["decision"]), None)
            try:
                if decision is None:
                    raise DomainError("该事项不在征求意见期内，不能提交意见。")
                comment_submit(decision=decision, body=form.cleaned_data["body"], client_ip=client_ip(request),
                               name=form.cleaned_data["name"], contact=form.cleaned_data["contact"])
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, "感谢您的意见！意见经审核后公开显示。")
                return redirect(reverse("decisions:consultations") + f"#d{decision.pk}")
    comments: dict[int, list] = {}
    for c in selectors.approved_comments([d.pk for d in open_qs]):
        comments.setdefault(c.decision_id, []).append(c)
    items = [{"d": d, "comments": comments.get(d.pk, [])} for d in open_qs]
    posted = form.data.get("decision") if form.is_bound else None
    return render(request, "decisions/public_consultations.html", {
        "items": items, "form": form, "posted": str(posted or ""),
        "summaries": selectors.published_comment_summaries()[:20]})
