"""The rule-of-law budget (法治建设经费) and its spending."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.urls import reverse

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.pages import form_page, write_township
from fazhi.organization import forms, permissions, selectors, services
from fazhi.organization.models import BudgetLine
from fazhi.organization.permissions import ORG_READ, ORG_WRITE

R, W = ORG_READ, ORG_WRITE


# --- budget -------------------------------------------------------------------------------------

budget_ledger = Ledger(
    title="法治建设经费预算",
    columns=[Column("年度", "year", sort="year"), Column("预算项目", "subject", link=True),
             Column("乡镇", "township.name"), Column("预算金额(元)", "amount", sort="amount"),
             Column("已支出(元)", "spent", sort="spent"), Column("资金来源", "source")],
    filters=[Filter("year", "年度", "year", selectors.years_choices)],
    search_fields=["subject", "note"],
    default_sort="-year",
    row_url=lambda o: reverse("organization:budget_detail", args=[o.pk]),
    actions=[("新增预算项目", "/organization/budget/new/")],
)


@role_view(read=R, write=W)
def budget(request):
    return budget_ledger.respond(request, selectors.budget_list_for(request.user))


@role_view(read=R, write=W)
def budget_new(request):
    form = forms.BudgetLineForm(request.POST or None, initial={"year": dt.date.today().year})
    return form_page(request, form=form, title="新增法治建设预算项目",
                     on_valid=lambda cd: services.budget_line_create(actor=request.user,
                                                                     township=write_township(request, W), **cd),
                     success=lambda b: reverse("organization:budget_detail", args=[b.pk]),
                     back_url=reverse("organization:budget"))


@role_view(read=R, write=W, model=BudgetLine)
def budget_detail(request, pk):
    line = get_visible_or_404(selectors.budget_list_for(request.user), request.user, roles=R, pk=pk)
    return render(request, "organization/budget_detail.html", {
        "can_write": permissions.may_write(request.user, line.township),
        "line": line, "spends": line.spends.all(), "remaining": line.amount - line.spent})


@role_view(read=R, write=W, model=BudgetLine)
def budget_edit(request, pk):
    line = get_visible_or_404(BudgetLine, request.user, roles=R, pk=pk)
    form = forms.BudgetLineForm(request.POST or None, instance=line)
    url = reverse("organization:budget_detail", args=[pk])
    return form_page(request, form=form, title=f"修改预算：{line.subject}", success=url, back_url=url,
                     on_valid=lambda cd: services.budget_line_update(actor=request.user, line=line, **cd))


@role_view(read=R, write=W, model=BudgetLine)
def spend_add(request, pk):
    line = get_visible_or_404(BudgetLine, request.user, roles=R, pk=pk)
    form = forms.SpendForm(request.POST or None, initial={"date": dt.date.today()})
    url = reverse("organization:budget_detail", args=[pk])
    return form_page(request, form=form, title=f"{line.subject}：登记支出", success=url, back_url=url,
                     on_valid=lambda cd: services.spend_record(actor=request.user, line=line, **cd),
                     success_message="已登记支出。")
