"""Staff side of online mediation applications: the list, one application, accept or decline."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.mediation import applications, selectors
from fazhi.mediation.models import Application, Dispute
from fazhi.mediation.roles import HANDLE_ROLES


class AcceptForm(forms.Form):
    dispute_type = forms.ModelChoiceField(label="纠纷类型", queryset=None, empty_label="请选择")
    risk_level = forms.ChoiceField(label="风险等级", choices=Dispute.Risk.choices, initial=Dispute.Risk.LOW)

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.fields["dispute_type"].queryset = selectors.active_types()


class DeclineForm(forms.Form):
    reason_key = forms.ChoiceField(label="不予受理理由", choices=list(applications.DECLINE_REASONS.items()))
    note = forms.CharField(label="补充说明（将告知申请人）", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


@role_view(read=HANDLE_ROLES)
def application_list(request):
    return render(request, "mediation/applications.html", {"apps": applications.applications_for(request.user)[:300]})


@role_view(read=HANDLE_ROLES, write=HANDLE_ROLES, model=Application)
def application_detail(request, pk):
    app = get_visible_or_404(applications.applications_for(request.user), request.user, roles=HANDLE_ROLES, pk=pk)
    return render(request, "mediation/application_detail.html", {
        "app": app, "photos": app.photos.all(), "accept_form": AcceptForm(), "decline_form": DeclineForm()})


@role_view(read=HANDLE_ROLES, write=HANDLE_ROLES, model=Application)
@require_POST
def application_accept(request, pk):
    app = get_visible_or_404(applications.applications_for(request.user), request.user, roles=HANDLE_ROLES, pk=pk)
    form = AcceptForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("请选择纠纷类型。")
        d = applications.application_accept(actor=request.user, application=app, **form.cleaned_data)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("mediation:application_detail", pk)
    messages.success(request, f"已受理并登记为纠纷{d.number}。")
    return redirect("mediation:detail", d.pk)


@role_view(read=HANDLE_ROLES, write=HANDLE_ROLES, model=Application)
@require_POST
def application_decline(request, pk):
    app = get_visible_or_404(applications.applications_for(request.user), request.user, roles=HANDLE_ROLES, pk=pk)
    form = DeclineForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("请选择不予受理的理由。")
        applications.application_decline(actor=request.user, application=app, **form.cleaned_data)
        messages.success(request, "已记录不予受理，申请人可凭查询码看到理由和其他解决途径。")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("mediation:application_detail", pk)


@role_view(read=HANDLE_ROLES, model=Application, url_kwargs=lambda p: {"pk": p.application_id, "photo": p.pk})
def application_photo(request, pk, photo):
    from django.http import FileResponse

    app = get_visible_or_404(applications.applications_for(request.user), request.user, roles=HANDLE_ROLES, pk=pk)
    p = app.photos.filter(pk=photo).first()
    if p is None:
        from django.http import Http404

        raise Http404("没有这张照片。")
    return FileResponse(p.image.open("rb"), content_type=p.content_type)


def _photo_sample(township):
    from fazhi.mediation.models import ApplicationPhoto

    return ApplicationPhoto.objects.filter(township=township).order_by("pk").first()


application_photo.fazhi_sample = _photo_sample
