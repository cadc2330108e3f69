"""Case pages: the ledger, the case file, and one form per workflow step (thin: selector → form → service)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.params import int_param
from fazhi.core.scope import can_act_in, default_township, townships_for
from fazhi.enforcement import forms, rules, selectors, services
from fazhi.enforcement.models import (
    Case,
    CaseStatus,
    DocKind,
    PowerCategory,
    Procedure,
)
from fazhi.enforcement.workflow import CASE_WORKFLOW

READ = selectors.READ_ROLES
WRITE = selectors.CASE_WRITE_ROLES
S = CaseStatus


def _years(request):
    this = dt.date.today().year
    return [(y, f"{y}年") for y in range(this, this - 6, -1)]


case_ledger = Ledger(
    title="行政执法案件",
    columns=[
        Column("案号", "number", sort="seq", link=True),
        Column("案由", "title"),
        Column("当事人", "party_name"),
        Column("程序", "procedure"),
        Column("状态", "status", sort="status"),
        Column("立案日期", "filed_on", sort="filed_on"),
        Column("决定日期", "decided_on", sort="decided_on"),
        Column("罚款（元）", lambda c: rules.money(c.fine_amount) if c.outcome == "penalty" else ""),
        Column("乡镇", "township.name"),
    ],
    filters=[Filter("status", "状态", "status", CaseStatus.choices),
             Filter("procedure", "程序", "procedure", Procedure.choices),
             Filter("category", "类别", "power__category", PowerCategory.choices),
             Filter("year", "年度", "year", _years)],
    search_fields=["number", "title", "party_name", "facts"],
    default_sort="-id",
    row_url=lambda c: reverse("enforcement:case_detail", args=[c.pk]),
    actions=[("登记案件（普通程序）", "/enforcement/cases/new/"), ("简易程序当场处罚", "/enforcement/cases/simple/")],
)


@role_view(read=READ)
def cases(request):
    return case_ledger.respond(request, selectors.case_list_for(request.user))


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


@role_view(read=WRITE, write=WRITE)
@require_http_methods(["GET", "POST"])
def case_new(request):
    town = _township(request, WRITE)
    form = forms.CaseForm(request.POST or None)
    if town is not None:
        form.fields["power"].queryset = selectors.power_list_for(request.user).filter(township=town, active=True)
        form.set_officers(selectors.officers_for_case_choice(town))
    if request.method == "POST" and form.is_valid():
        if town is None:
            form.add_error(None, "请选择乡镇。")
        else:
            data = dict(form.cleaned_data)
            power, officers = data.pop("power"), data.pop("officers")
            try:
                case = services.case_create(actor=request.user, township=town, power=power, officers=officers,
                                            **data)
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, f"已登记案件{case.number}，请报负责人审批立案。")
                return redirect("enforcement:case_detail", pk=case.pk)
    return _form_page(request, form, title="登记行政处罚案件（普通程序）", back=reverse("enforcement:cases"),
                      towns=_town_choices(request, WRITE),
                      intro="登记后由负责人审批立案；立案须有2名以上持有效执法证件的执法人员承办，并核对追责时效。")


@role_view(read=WRITE, write=WRITE)
@require_http_methods(["GET", "POST"])
def case_simple(request):
    town = _township(request, WRITE)
    form = forms.SimpleCaseForm(request.POST or None)
    s = rules.settings_for(town) if town else None
    if town is not None:
        form.fields["power"].queryset = selectors.power_list_for(request.user).filter(township=town, active=True)
        form.set_officers(selectors.officers_for_case_choice(town))
    if request.method == "POST" and form.is_valid():
        if town is None:
            form.add_error(None, "请选择乡镇。")
        else:
            data = dict(form.cleaned_data)
            try:
                case = services.case_simple_decide(actor=request.user, township=town, **data)
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, f"已当场作出处罚决定{case.decision_number}并交付当事人。")
                return redirect("enforcement:case_detail", pk=case.pk)
    intro = ""
    if s:
        intro = (f"简易程序仅适用于警告，或对公民处以{rules.fmt_money(s.simple_fine_person_max)}元以下、"
                 f"对法人或者其他组织处以{rules.fmt_money(s.simple_fine_org_max)}元以下罚款（行政处罚法第五十一条）；"
                 "超出的须立案适用普通程序。")
    return _form_page(request, form, title="简易程序当场处罚", intro=intro, back=reverse("enforcement:cases"),
                      towns=_town_choices(request, WRITE))


# --- the case file ------------------------------------------------------------------------------

ACTIONS = {
    S.FILING: ["approve", "officers", "edit"],
    S.INVESTIGATING: ["notice", "review", "collective", "decide", "measure", "officers", "edit", "extend"],
    S.NOTIFIED: ["hearing_request", "review", "collective", "decide", "reinvestigate", "edit", "extend"],
    S.HEARING: ["hearing", "review", "collective", "decide", "reinvestigate", "extend"],
    S.LEGAL_REVIEW: ["collective", "decide", "reinvestigate", "extend"],
    S.COLLECTIVE: ["discussion", "review", "decide", "reinvestigate", "extend"],
    S.DECIDED: ["serve", "publish", "revoke"],
    S.SERVED: ["execute", "payment", "close", "publish", "revoke"],
    S.EXECUTING: ["payment", "close", "revoke"],
    S.CLOSED: ["archive", "revoke"],
    S.REVOKED: ["archive"],
    S.ONSITE: [],
}


def _docs_for(case: Case) -> list[tuple[str, str]]:
    kinds = [DocKind.INQUIRY]
    if case.filed_on:
        kinds.insert(0, DocKind.FILING)
    if case.notice_served_on:
        kinds.append(DocKind.NOTICE)
    if case.hearings.exists():
        kinds.append(DocKind.HEARING_NOTICE)
    if case.decided_on:
        kinds.append(DocKind.ONSITE if case.is_simplified else DocKind.DECISION)
        if not case.is_simplified:
            kinds.append(DocKind.RECEIPT)
    return [(k, DocKind(k).label) for k in kinds]


@role_view(read=READ, model=Case)
def case_detail(request, pk):
    from fazhi.enforcement import views_steps as steps
    case = get_visible_or_404(selectors.case_detail_qs(request.user), request.user, roles=READ, pk=pk)
    s = rules.settings_for(case.township)
    from fazhi.enforcement.workflow import hearing_held

    held = hearing_held(case)
    records = list(case.records.prefetch_related("officers").order_by("recorded_at"))
    ev_files = {}
    if services._evidence() is not None:
        from fazhi.evidence.selectors import evidence_by_subject

        ev_files = evidence_by_subject(records)  # one query for every record's files
    today = dt.date.today()
    can_write = can_act_in(request.user, case.township, WRITE)
    return render(request, "enforcement/case_detail.html", {
        "case": case, "today": today, "settings": s,
        "deadlines": selectors.case_deadlines_for(case),
        "transitions": _labelled(case.transitions.select_related("actor")),
        "officers": case.officers.all(),
        "hearings": case.hearings.select_related("presiding", "recorder"),
        "reviews": case.reviews.select_related("reviewer").prefetch_related("items"),
        "discussions": case.discussions.prefetch_related("opinions"),
        "measures": case.measures.all(),
        "records": [(r, ev_files.get(r.pk, []), list(r.files.all())) for r in records],
        "documents": _docs_for(case),
        "issued": {d.kind: d for d in case.documents.all()},
        "publication": getattr(case, "publication", None) if selectors._has_pub(case) else None,
        "review_reasons": rules.legal_review_reasons(case, s, hearing_held=held),
        "collective_reasons": rules.collective_reasons(case, s),
        "hearing_triggered": rules.hearing_triggered(case, s) if case.penalty_kind else None,
        "actions": [(a, steps.STEPS[a].label) for a in ACTIONS.get(case.status, [])
                    if can_act_in(request.user, case.township, steps.STEPS[a].roles)] if can_write else [],
        "can_record": can_write,
        "history_url": reverse("audit:history", args=["enforcement.case", case.pk]),
        "late": _late(case, s, today),
    })


def _labelled(transitions):
    for t in transitions:
        t.from_label = CASE_WORKFLOW.label(t.from_status) if t.from_status else "—"
        t.to_label = CASE_WORKFLOW.label(t.to_status)
        yield t


def _late(case, s, today):
    from fazhi.enforcement.deadlines import late_fee_today

    if not case.has_fine or not case.served_on:
        return None
    days, fee = late_fee_today(case, s, today)
    return {"days": days, "fee": fee}
