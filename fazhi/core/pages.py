"""The standard create/edit page: one form, a service call, Chinese refusals on the form, nothing
half-saved (the service is atomic), typed values kept as a draft until the save went through."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from fazhi.core.errors import DomainError
from fazhi.core.scope import default_township


def write_township(request, roles):
    """The township a new record goes to: the user's only township (through a write role)."""
    town = default_township(request.user, roles)
    if town is None:
        # Read-only (督查) or multi-township accounts: no single township to record in.
        raise PermissionDenied("无法确定新记录所属乡镇：请使用所属乡镇具有登记权限的账号办理。")
    return town


def form_page(request, *, form, title: str, on_valid, success, back_url: str, success_message: str = "已保存。",
              template: str = "core/form_page.html", multipart: bool = False, intro: str = "",
              context: dict | None = None, keep_draft: bool = True):
    """GET shows the form; a valid POST calls on_valid(cleaned_data); DomainError shows on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = on_valid(form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, success_message)
            return redirect(success(result) if callable(success) else success)
    return render(request, template, {"form": form, "title": title, "back_url": back_url, "multipart": multipart,
                                      "intro": intro, "keep_draft": keep_draft, **(context or {})},
                  )
