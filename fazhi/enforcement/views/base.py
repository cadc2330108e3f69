"""What the enforcement pages share: the township a new record belongs to, the plain form page, the
full-process record page and the document downloads."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from fazhi.audit.services import audit_record
from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.documents import docx_response
from fazhi.core.errors import DomainError
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



def record_page(request, *, township, subject: dict, initial: dict, title: str, intro: str, back: str,
                extra=None, done: str = "已保存全过程记录。"):
    """The full-process record page (文字和音像记录) of any enforcement subject — a case (with one of its open
    measures), a 强制执行 procedure or an inspection: officers of the subject's township, files into the
    evidence store, saved by `records.record_create`, back to the subject's page."""
    from fazhi.enforcement import forms, records, selectors

    form = forms.RecordForm(request.POST or None, request.FILES or None,
                            initial={"recorded_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), **initial})
    form.set_officers(selectors.officer_list_for(request.user).filter(township=township, active=True))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = [(f, f.name) for f in data.pop("files")]
        try:
            records.record_create(actor=request.user, township=township, files=files, **subject, **data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, done)
            return redirect(back)
    return _form_page(request, form, title=title, multipart=True, intro=intro, back=back, extra=extra)


def document_views(*, model, subject_qs, build, label, detail: str, prefix: str, kinds) -> dict:
    """One .docx download view per document kind of a subject (case or 强制执行 procedure): scope check,
    build through the app's document kit, an 'export' audit entry, the file; a document the record cannot yet
    have is refused on the subject's page, in Chinese."""
    from fazhi.enforcement import permissions

    def make(kind):
        @role_view(read=permissions.READ, model=model)
        def view(request, pk):
            obj = get_visible_or_404(subject_qs(request.user), request.user, roles=permissions.READ, pk=pk)
            try:
                name, data = build(obj, kind)
            except DomainError as e:
                messages.error(request, e.message)
                return redirect(detail, pk=obj.pk)
            audit_record(actor=request.user, action="export", obj=obj, reason=f"生成{label(kind)}")
            return docx_response(data, name)

        view.__name__ = view.__qualname__ = f"{prefix}{kind}"
        return view

    return {kind: make(kind) for kind in kinds}
