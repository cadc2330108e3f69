from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import content_disposition_header

from fazhi.audit.selectors import history_lines_for
from fazhi.audit.services import audit_record
from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.pages import form_page
from fazhi.core.steps import step_form
from fazhi.decisions import documents, rules, selectors
from fazhi.decisions.deadlines import comment_period, hearing_notice, review_period
from fazhi.decisions.forms import (
    CatalogueForm,
    CommentSummaryForm,
    ConsultationForm,
    DecisionEditForm,
    DecisionForm,
    ModerateForm,
    ReviewForm,
    SettingsForm,
)
from fazhi.decisions.models import (
    Attachment,
    CommentStatus,
    Decision,
    DecisionCatalogue,
    DecisionCategory,
    DecisionSettings,
    DecisionStatus,
    PublicComment,
)
from fazhi.decisions.permissions import OPINION_READ_ROLES, READ_ROLES, SETTINGS_ROLES, WRITE_ROLES
from fazhi.decisions.services import consultation as consultation_services
from fazhi.decisions.services import decision as decision_services
from fazhi.decisions.views.common import FORM, chosen, one_township
from fazhi.decisions.workflow import DECISION_FLOW, next_steps

S = DecisionStatus


def _detail_url(d) -> str:
    return reverse("decisions:detail", args=[d.pk])


DECISION_LEDGER = Ledger(
    title="重大决策台账",
    columns=[Column("编号", "number", sort="number", link=True), Column("决策事项", "title", link=True),
             Column("类别", "category", sort="category"), Column("承办单位", "lead_unit"),
             Column("当前进度", "status", sort="status"), Column("年度", "year", sort="year"),
             Column("乡镇", "township.name")],
    filters=[Filter("category", "类别", "category", DecisionCategory.choices),
             Filter("status", "进度", "status", DecisionStatus.choices),
             Filter("year", "年度", "year", lambda r: [(y, f"{y}年") for y in range(timezone.localdate().year, 2018, -1)])],
    search_fields=["title", "number", "lead_unit", "description"],
    default_sort="-id",
    row_url=_detail_url,
    actions=[("登记决策事项", reverse_lazy("decisions:create"))],
)


@role_view(read=READ_ROLES, write=WRITE_ROLES)
def decision_list(request):
    return DECISION_LEDGER.respond(request, selectors.decision_list_for(request.user))


@role_view(read=WRITE_ROLES, write=WRITE_ROLES)
def decision_create(request):
    township, towns = one_township(request, WRITE_ROLES)
    form = DecisionForm(request.POST or None, request.FILES or None,
                        initial={"started_on": timezone.localdate()})
    return form_page(
        request, form=form, title="登记决策事项", template=FORM, context={"towns": towns}, multipart=True,
        back_url=reverse("decisions:list"), success=_detail_url, success_message="已登记决策事项并确定承办单位。",
        on_valid=lambda c: decision_services.decision_create(
            actor=request.user, township=chosen(township), title=c["title"], category=c["category"],
            amount=c["amount"], lead_unit=c["lead_unit"], lead_person=c["lead_person"],
            started_on=c["started_on"], description=c["description"], summary=c["summary"], files=c["files"]))


def _step_rows(decision: Decision, steps):
    done = {s.step: s for s in steps}
    current = rules.step_index(decision.status) if decision.status in rules.STEP_ORDER else -1
    rows = []
    for i, code in enumerate(rules.STEP_ORDER):
        rows.append({"code": code, "label": rules.STEP_LABELS[code], "record": done.get(code),
                     "rule": rules.step_rule(decision.category, code), "done": i <= current,
                     "next": i == current + 1 and decision.status != S.TERMINATED})
    return rows


def _step_forms(d: Decision, user) -> dict:
    """The next step's form, its "not applicable" form where the category allows it, and termination —
    each posting to its own step URL (DECISION_FLOW), shown only to those who may take it."""
    complete, skip = next_steps(d)
    forms = {}
    for key, step in (("complete", complete), ("skip", skip), ("terminate", DECISION_FLOW.step("terminate"))):
        if step is not None and step in DECISION_FLOW.open_steps(d, user):
            forms[key] = (step, step_form(DECISION_FLOW, step, d, user), DECISION_FLOW.step_url(d, step))
    return forms


@role_view(read=READ_ROLES, write=WRITE_ROLES, model=Decision)
def decision_detail(request, pk):
    d = get_visible_or_404(selectors.decision_list_for(request.user), request.user, READ_ROLES, pk=pk)
    settings = DecisionSettings.for_township(d.township)
    steps = list(selectors.decision_steps(d))
    nxt = rules.next_step(d.status) if d.status != S.TERMINATED else None
    attachments = list(d.attachments.order_by("created_at", "id"))
    ctx = {
        "d": d, "settings": settings, "steps": _step_rows(d, steps), "next": nxt,
        "next_label": rules.STEP_LABELS.get(nxt, ""), "next_rule": nxt and rules.step_rule(d.category, nxt),
        "attachments": attachments, "discussions": d.discussions.order_by("held_on", "id"),
        "pending_comments": d.comments.filter(status=CommentStatus.PENDING).count(),
        "comment_total": d.comments.count(),
        "step_forms": _step_forms(d, request.user),
        "editable": d.status in rules.STEP_ORDER and rules.step_index(d.status) < rules.step_index(S.DISCUSSION),
        "history": history_lines_for(d), "opinions": selectors.opinion_list_for(request.user).filter(
            subject_type="decisions.decision", subject_id=d.pk),
    }
    if d.comment_start and d.comment_end:
        ctx["comment_period"] = comment_period(d.comment_start, d.comment_end, settings.comment_period_days)
    if d.hearing_date and d.hearing_materials_on:
        ctx["hearing_notice"] = hearing_notice(d.hearing_materials_on, d.hearing_date, settings.hearing_notice_days)
    ctx["review_period"] = review_period(d, settings)
    return render(request, "decisions/detail.html", ctx)


def _with_decision(request, pk):
    return get_visible_or_404(selectors.decision_list_for(request.user), request.user, READ_ROLES, pk=pk)


@role_view(read=WRITE_ROLES, write=WRITE_ROLES, model=Decision)
def decision_edit(request, pk):
    d = _with_decision(request, pk)
    form = DecisionEditForm(request.POST or None, initial={
        "title": d.title, "amount": d.amount, "lead_unit": d.lead_unit, "lead_person": d.lead_person,
        "description": d.description})
    return form_page(
        request, form=form, title=f"修改基本信息：{d.number}", template=FORM, back_url=_detail_url(d),
        success=_detail_url(d),
        intro=f"类别（{d.get_category_display()}）和程序记录不能修改；集体讨论决定后基本信息不再修改。",
        on_valid=lambda c: decision_services.decision_update(actor=request.user, decision=d, **c))


@role_view(read=WRITE_ROLES, write=WRITE_ROLES, model=Decision)
def decision_consultation(request, pk):
    d = _with_decision(request, pk)
    initial = {"draft_text": d.draft_text or d.description, "comment_start": d.comment_start or timezone.localdate(),
               "comment_end": d.comment_end, "short_reason": d.comment_short_reason,
               "hearing_date": d.hearing_date, "hearing_materials_on": d.hearing_materials_on}
    form = ConsultationForm(request.POST or None, initial=initial)
    settings = DecisionSettings.for_township(d.township)
    return form_page(
        request, form=form, title=f"公开征求意见：{d.title}", template=FORM, back_url=_detail_url(d),
        success=_detail_url(d), success_message="已公开征求意见。",
        intro=f"征求意见期限一般不少于{settings.comment_period_days}日（起算日不计入），少于的须说明理由；"
              f"举行听证的，听证材料应至少提前{settings.hearing_notice_days}日公布或送达。",
        on_valid=lambda c: consultation_services.consultation_open(
            actor=request.user, decision=d, draft_text=c["draft_text"], comment_start=c["comment_start"],
            comment_end=c["comment_end"], short_reason=c["short_reason"], hearing_date=c["hearing_date"],
            hearing_materials_on=c["hearing_materials_on"]))


@role_view(read=WRITE_ROLES, write=WRITE_ROLES, model=Decision)
def decision_review(request, pk):
    d = _with_decision(request, pk)
    initial = {"submitted_on": d.review_submitted_on or timezone.localdate(), "reviewer": d.reviewer or "乡司法所",
               "result": d.review_result, "concluded_on": d.review_concluded_on, "opinion": d.review_opinion,
               "short_reason": d.review_short_reason}
    form = ReviewForm(request.POST or None, request.FILES or None, initial=initial)
    settings = DecisionSettings.for_township(d.township)
    period = review_period(d, settings)
    return form_page(
        request, form=form, title=f"合法性审查：{d.title}", template=FORM, back_url=_detail_url(d), multipart=True,
        success=_detail_url(d), success_message="已登记合法性审查。",
        intro=f"应当保证合法性审查的必要时间，一般不少于{settings.legality_review_working_days}个工作日。"
              + (period.explanation if period else ""),
        on_valid=lambda c: decision_services.decision_review_record(
            actor=request.user, decision=d, submitted_on=c["submitted_on"], reviewer=c["reviewer"],
            result=c["result"], concluded_on=c["concluded_on"], opinion=c["opinion"],
            short_reason=c["short_reason"], files=c["files"]))


@role_view(read=WRITE_ROLES, write=WRITE_ROLES, model=Decision)
def decision_comments(request, pk):
    d = _with_decision(request, pk)
    form = CommentSummaryForm(request.POST or None, initial={
        "summary": d.comment_summary, "published_on": d.comment_summary_published_on or timezone.localdate()})
    return form_page(
        request, form=form, title=f"意见采纳情况：{d.title}", template="decisions/comments.html",
        back_url=_detail_url(d), success=reverse("decisions:comments", args=[d.pk]),
        success_message="已公布意见采纳情况。",
        context={"d": d, "comments": d.comments.select_related("moderated_by").order_by("created_at", "id"),
                 "moderate_form": ModerateForm()},
        on_valid=lambda c: consultation_services.comment_summary_publish(
            actor=request.user, decision=d, summary=c["summary"], published_on=c["published_on"]))


@role_view(read=WRITE_ROLES, write=WRITE_ROLES, model=PublicComment)
def comment_moderate(request, pk):
    c = get_visible_or_404(selectors.comment_list_for(request.user), request.user, READ_ROLES, pk=pk)
    back = reverse("decisions:comments", args=[c.decision_id])
    if request.method == "POST":
        form = ModerateForm(request.POST)
        if form.is_valid():
            try:
                consultation_services.comment_moderate(actor=request.user, comment=c,
                                                       status=form.cleaned_data["status"],
                                                       handling=form.cleaned_data["handling"])
                messages.success(request, "已审核。")
            except DomainError as e:
                messages.error(request, e.message)
        else:
            messages.error(request, "请选择审核结果。")
    return redirect(back)


@role_view(read=OPINION_READ_ROLES, model=Attachment)
def attachment_download(request, pk):
    a = get_visible_or_404(selectors.attachment_list_for(request.user), request.user, None, pk=pk)
    audit_record(actor=request.user, action="download", obj=a, reason="下载附件")
    return FileResponse(a.file.open("rb"), as_attachment=True, filename=a.original_name)


@role_view(read=READ_ROLES, model=Decision)
def decision_archive(request, pk):
    d = _with_decision(request, pk)
    data = documents.archive_zip(d)
    audit_record(actor=request.user, action="download", obj=d, reason="导出决策档案包")
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, f"决策档案-{d.number}.zip")
    return response


@role_view(read=READ_ROLES, write=WRITE_ROLES)
def catalogue_list(request):
    township, towns = one_township(request, WRITE_ROLES)
    form = CatalogueForm(request.POST or None, initial={"year": timezone.localdate().year})
    return form_page(
        request, form=form, title="重大行政决策事项年度目录", template="decisions/catalogues.html",
        back_url=reverse("decisions:list"), success=lambda cat: reverse("decisions:catalogue_detail", args=[cat.pk]),
        success_message="已保存年度目录。",
        context={"catalogues": selectors.catalogue_list_for(request.user).order_by("-year", "township__code"),
                 "towns": towns},
        on_valid=lambda c: decision_services.catalogue_save(
            actor=request.user, township=chosen(township), year=c["year"], title=c["title"],
            published_on=c["published_on"], note=c["note"]))


@role_view(read=READ_ROLES, model=DecisionCatalogue)
def catalogue_detail(request, pk):
    cat = get_visible_or_404(selectors.catalogue_list_for(request.user), request.user, READ_ROLES, pk=pk)
    decisions = selectors.decision_list_for(request.user).filter(township=cat.township, year=cat.year)
    return render(request, "decisions/catalogue_detail.html", {"cat": cat, "decisions": decisions})


@role_view(read=SETTINGS_ROLES, write=SETTINGS_ROLES)
def settings_edit(request):
    township, towns = one_township(request, SETTINGS_ROLES)
    if township is None:
        return render(request, "decisions/form.html", {"title": "依法决策设置", "towns": towns, "form": None,
                                                       "intro": "请选择乡镇。", "choose_township": True})
    current = DecisionSettings.for_township(township)
    form = SettingsForm(request.POST or None, instance=current)
    return form_page(request, form=form, title=f"依法决策设置（{township.name}）", template=FORM,
                     intro="法定期限等数值可由省、县规定调整；修改留痕。", success=reverse("decisions:settings"),
                     back_url="", success_message="已保存设置。",
                     on_valid=lambda c: decision_services.settings_save(actor=request.user, township=township, **c))
