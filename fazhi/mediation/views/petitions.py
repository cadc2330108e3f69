"""Petitions (信访): the ledger, registration and the record page with its open steps inline
(workflow.PETITION_FLOW: accept, reject, conclude, extend)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.scope import default_township, has_role
from fazhi.mediation import deadlines, forms, selectors
from fazhi.mediation.models import Petition
from fazhi.mediation.permissions import PETITION_ROLES, PII_ROLES, TOWNSHIP_READ_ROLES
from fazhi.mediation.services.petitions import petition_create as create_petition
from fazhi.mediation.workflow import petition_steps_open


def _petition_ledger(request):
    rules: dict = {}

    def due(p):
        if p.township_id not in rules:
            rules[p.township_id] = deadlines.rules_for(p.township)
        if p.status == Petition.Status.RECEIVED:
            dl = deadlines.petition_receipt_due(p, rules[p.township_id])
            return f"告知 {dl.due:%Y-%m-%d}" + ("（已逾期）" if dl.is_overdue() else "")
        if p.status == Petition.Status.ACCEPTED:
            dl = deadlines.petition_conclude_due(p, rules[p.township_id])
            return f"办结 {dl.due:%Y-%m-%d}" + ("（已逾期）" if dl.is_overdue() else "")
        return ""

    actions = [("登记信访", reverse("mediation:petition_create"))] if has_role(request.user, PETITION_ROLES) else []
    return Ledger(
        title="信访事项台账",
        columns=[Column("编号", "number", sort="number", link=True), Column("收到日期", "received_on", sort="received_on"),
                 Column("乡镇", "township.name"), Column("信访人", "petitioner"),
                 Column("电话", lambda p: p.phone and (p.phone[:3] + "****" + p.phone[-4:])),
                 Column("形式", "form"), Column("所涉村", "village.name"), Column("状态", "status", sort="status"),
                 Column("期限", due)],
        filters=[Filter("status", "状态", "status", Petition.Status.choices),
                 Filter("form", "形式", "form", Petition.Form.choices)],
        search_fields=["number", "petitioner", "content"], default_sort="-received_on",
        row_url=lambda p: reverse("mediation:petition_detail", args=[p.pk]), actions=actions,
    )


@role_view(read=TOWNSHIP_READ_ROLES)
def petitions(request):
    return _petition_ledger(request).respond(request, selectors.petition_list_for(request.user, TOWNSHIP_READ_ROLES))


@role_view(read=PETITION_ROLES, write=PETITION_ROLES)
@require_http_methods(["GET", "POST"])
def petition_create(request):
    form = forms.PetitionForm(request.POST or None, user=request.user)
    town = default_township(request.user, PETITION_ROLES)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        township = c["village"].parent if c["village"] else town
        try:
            if township is None:
                raise DomainError("请选择所涉村以确定乡镇。")
            p = create_petition(actor=request.user, township=township, **c)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已登记{p}。")
            return redirect("mediation:petition_detail", pk=p.pk)
    return render(request, "mediation/form_page.html", {"form": form, "title": "登记信访事项", "keep_draft": True})


@role_view(read=TOWNSHIP_READ_ROLES, model=Petition)
def petition_detail(request, pk):
    p = get_visible_or_404(selectors.petition_list_for(request.user, TOWNSHIP_READ_ROLES), request.user,
                           roles=TOWNSHIP_READ_ROLES, pk=pk)
    rules = deadlines.rules_for(p.township)
    return render(request, "mediation/petition_detail.html", {
        "p": p, "receipt": deadlines.petition_receipt_due(p, rules),
        "conclude": deadlines.petition_conclude_due(p, rules),
        "step_forms": petition_steps_open(p, request.user), "can_act": has_role(request.user, PETITION_ROLES),
        "show_pii": has_role(request.user, PII_ROLES), "transitions": p.transitions.select_related("actor"),
        "disputes": p.disputes.all(), "max_ext": rules.petition_extension_max_days})
