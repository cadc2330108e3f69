from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.pages import form_page
from fazhi.decisions import selectors
from fazhi.decisions.deadlines import reply_deadline
from fazhi.decisions.forms import LitigationForm
from fazhi.decisions.models import (
    DecisionSettings,
    Litigation,
    LitigationKind,
    LitigationOutcome,
    LitigationStatus,
)
from fazhi.decisions.permissions import READ_ROLES, WRITE_ROLES
from fazhi.decisions.services.litigation import litigation_save
from fazhi.decisions.subjects import subject_label, subject_url
from fazhi.decisions.views.common import FORM, chosen, labelled_history, one_township
from fazhi.decisions.workflow import LITIGATION_FLOW


def _url(c) -> str:
    return reverse("decisions:litigation_detail", args=[c.pk])


def _head(c) -> str:
    return {True: "是", False: "否"}.get(c.head_appeared, "—")


def _ledger(settings_by_township: dict) -> Ledger:
    """Built per request: the deadline column reads the townships' settings fetched once (no N+1)."""

    def deadline(c):
        settings = settings_by_township.get(c.township_id) or DecisionSettings(township_id=c.township_id)
        return str(reply_deadline(c, settings))

    return Ledger(
        title="行政复议/行政应诉登记簿",
        columns=[Column("案号", "case_no", sort="case_no", link=True), Column("类型", "kind", sort="kind"),
             Column("复议机关/法院", "organ"), Column("申请人/原告", "claimant"), Column("被诉行为", "subject"),
             Column("收到副本", "received_on", sort="received_on"),
             Column("答复/答辩期限", deadline),
             Column("负责人出庭", _head), Column("状态", "status", sort="status"), Column("结果", "outcome")],
    filters=[Filter("kind", "类型", "kind", LitigationKind.choices),
             Filter("status", "状态", "status", LitigationStatus.choices),
             Filter("outcome", "结果", "outcome", [c for c in LitigationOutcome.choices if c[0]])],
        search_fields=["case_no", "claimant", "subject", "organ"],
        default_sort="-received_on",
        row_url=_url,
        actions=[("登记案件", reverse("decisions:litigation_create"))],
    )


@role_view(read=READ_ROLES, write=WRITE_ROLES)
def litigation_list(request):
    qs = selectors.litigation_list_for(request.user)
    settings = {s.township_id: s for s in DecisionSettings.objects.filter(township__in=qs.values("township"))}
    return _ledger(settings).respond(request, qs)


@role_view(read=WRITE_ROLES, write=WRITE_ROLES)
def litigation_create(request):
    township, towns = one_township(request, WRITE_ROLES)
    counsel_qs = selectors.counsel_list_for(request.user)
    form = LitigationForm(request.POST or None, counsel_qs=counsel_qs)
    return form_page(request, form=form, title="登记行政复议/应诉案件", template=FORM, context={"towns": towns},
                     on_valid=lambda c: litigation_save(actor=request.user, township=chosen(township), **c),
                     success=_url, success_message="已登记案件。", back_url=reverse("decisions:litigation_list"))


def _case(request, pk) -> Litigation:
    return get_visible_or_404(selectors.litigation_list_for(request.user), request.user, READ_ROLES, pk=pk)


@role_view(read=READ_ROLES, write=WRITE_ROLES, model=Litigation)
def litigation_detail(request, pk):
    c = _case(request, pk)
    return render(request, "decisions/litigation_detail.html", {
        "c": c, "deadline": reply_deadline(c), "step_forms": LITIGATION_FLOW.forms_for(c, request.user),
        "subject_kind": subject_label(c.subject_type) if c.subject_type else "",
        "subject_url": subject_url(c.subject_type, c.subject_id),
        "transitions": labelled_history(LITIGATION_FLOW, c.transitions.select_related("actor")),
        "opinions": selectors.opinion_list_for(request.user).filter(subject_type="decisions.litigation",
                                                                   subject_id=c.pk)})


@role_view(read=WRITE_ROLES, write=WRITE_ROLES, model=Litigation)
def litigation_edit(request, pk):
    c = _case(request, pk)
    form = LitigationForm(request.POST or None, instance=Litigation.objects.get(pk=c.pk),
                          counsel_qs=selectors.counsel_list_for(request.user).filter(township=c.township))
    return form_page(request, form=form, title=f"编辑案件：{c.case_no}", template=FORM, success=_url(c),
                     back_url=_url(c),
                     on_valid=lambda d: litigation_save(actor=request.user, township=c.township, case=c, **d))
