"""What the enforcement pages share: the township a new record belongs to, and the plain form page."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render

from fazhi.core.params import int_param
from fazhi.core.scope import default_township, townships_for


def _years(request):
    this = dt.date.today().year
    return [(y, f"{y}年") for y in range(this, this - 6, -1)]



def _township(request, roles):
    """The township a new record belongs to: the user's only one, or the one picked in the form."""
    town = default_township(request.user, roles)
    if town is not None:
        return town
    pick = request.POST.get("township") or request.GET.get("township")
    if int_param(pick) is not None:
        return townships_for(request.user, roles).filter(pk=int_param(pick)).first()
    return None


def _town_choices(request, roles):
    return list(townships_for(request.user, roles)) if default_township(request.user, roles) is None else []


def _form_page(request, form, *, title, intro="", back=None, multipart=False, towns=(), extra=None):
    return render(request, "enforcement/form.html", {"form": form, "title": title, "intro": intro, "back": back,
                                                     "multipart": multipart, "towns": towns, **(extra or {})})

