"""The “谁执法谁普法” duty lists and their obligations, fulfilled by publicity events (education app)."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.urls import reverse

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.pages import form_page, write_township
from fazhi.core.scope import villages_for
from fazhi.organization import forms, permissions, selectors, services
from fazhi.organization.models import DutyList, DutyObligation
from fazhi.organization.permissions import ORG_READ, ORG_WRITE

R, W = ORG_READ, ORG_WRITE


# --- duty lists (谁执法谁普法) -------------------------------------------------------------------

duty_ledger = Ledger(
    title="“谁执法谁普法”责任清单",
    columns=[Column("年度", "year", sort="year"), Column("责任单位", "unit", sort="unit", link=True),
             Column("乡镇", "township.name"), Column("村", "village.name"), Column("责任人", "person"),
             Column("责任事项数", "obligation_count")],
    filters=[Filter("year", "年度", "year", selectors.years_choices)],
    search_fields=["unit", "person", "laws"],
    default_sort="-year",
    row_url=lambda o: reverse("organization:duty_detail", args=[o.pk]),
    actions=[("新建责任清单", "/organization/duties/new/")],
)


@role_view(read=R, write=W)
def duties(request):
    return duty_ledger.respond(request, selectors.duty_list_for(request.user))


@role_view(read=R, write=W)
def duty_new(request):
    form = forms.DutyListForm(request.POST or None, villages=villages_for(request.user, W),
                              initial={"year": dt.date.today().year})
    return form_page(request, form=form, title="新建普法责任清单",
                     on_valid=lambda cd: services.duty_list_create(actor=request.user,
                                                                   township=write_township(request, W), **cd),
                     success=lambda d: reverse("organization:duty_detail", args=[d.pk]),
                     back_url=reverse("organization:duties"))


@role_view(read=R, write=W, model=DutyList)
def duty_detail(request, pk):
    duty = get_visible_or_404(selectors.duty_list_for(request.user), request.user, roles=R, pk=pk)
    obligations = selectors.obligations_with_progress(duty.obligations.all()).prefetch_related("events__village")
    return render(request, "organization/duty_detail.html", {
        "can_write": permissions.may_write(request.user, duty.township), "duty": duty, "obligations": obligations})


@role_view(read=R, write=W, model=DutyList)
def duty_edit(request, pk):
    duty = get_visible_or_404(DutyList, request.user, roles=R, pk=pk)
    form = forms.DutyListForm(request.POST or None, instance=duty, villages=villages_for(request.user, W))
    form.fields["year"].disabled = True
    url = reverse("organization:duty_detail", args=[pk])

    def save(cd):
        cd.pop("year", None)
        return services.duty_list_update(actor=request.user, duty_list=duty, **cd)

    return form_page(request, form=form, title=f"修改{duty}", success=url, back_url=url, on_valid=save)


@role_view(read=R, write=W, model=DutyList)
def obligation_add(request, pk):
    duty = get_visible_or_404(DutyList, request.user, roles=R, pk=pk)
    form = forms.ObligationForm(request.POST or None)
    url = reverse("organization:duty_detail", args=[pk])
    return form_page(request, form=form, title=f"{duty.unit}：增加普法责任事项", success=url, back_url=url,
                     on_valid=lambda cd: services.obligation_add(actor=request.user, duty_list=duty, **cd))


@role_view(read=R, write=W, model=DutyObligation)
def obligation_events(request, pk):
    """Link the publicity events (学法普法 module) that fulfil an obligation."""
    from fazhi.education.selectors import event_list_for

    ob = get_visible_or_404(DutyObligation.objects.select_related("duty_list"), request.user, roles=R, pk=pk)
    qs = event_list_for(request.user).filter(township=ob.township, date__year=ob.duty_list.year)
    form = forms.LinkEventsForm(request.POST or None, events_qs=qs,
                                initial={"events": list(ob.events.values_list("pk", flat=True))})
    url = reverse("organization:duty_detail", args=[ob.duty_list_id])
    return form_page(request, form=form, title=f"关联普法活动：{ob.content}", success=url, back_url=url,
                     keep_draft=False,
                     on_valid=lambda cd: services.obligation_link_events(actor=request.user, obligation=ob,
                                                                         events=cd["events"]))
