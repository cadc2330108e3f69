from __future__ import annotations

import copy

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fazhi.accounts.models import User
from fazhi.accounts.roles import Role
from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.scope import has_role
from fazhi.decisions import selectors, services
from fazhi.decisions.forms import AnswerForm, CounselForm, OpinionRequestForm, WithdrawForm
from fazhi.decisions.models import LegalCounsel, OpinionRequest, OpinionStatus
from fazhi.decisions.permissions import ASK_ROLES, COUNSEL_ROLES, OPINION_READ_ROLES, READ_ROLES, WRITE_ROLES
from fazhi.decisions.subjects import SUBJECT_LABELS, subject_label, subject_url
from fazhi.decisions.views.common import one_township, run


def _counsel_users(township):
    return User.objects.filter(memberships__region=township, memberships__role=Role.COUNSEL,
                               memberships__active=True).distinct()


@role_view(read=READ_ROLES, write=WRITE_ROLES)
def counsel_list(request):
    counsel = selectors.counsel_list_for(request.user)
    opinions = selectors.opinion_list_for(request.user).filter(township__in=counsel.values("township"))
    year = timezone.localdate().year
    return render(request, "decisions/counsel_list.html", {
        "counsel": counsel, "stats": selectors.opinion_stats(selectors.opinion_list_for(request.user)),
        "year_stats": selectors.opinion_stats(opinions.filter(asked_on__year=year)), "year": year,
        "today": timezone.localdate()})


@role_view(read=WRITE_ROLES, write=WRITE_ROLES)
def counsel_create(request):
    township, towns = one_township(request, WRITE_ROLES)
    form = CounselForm(request.POST or None, user_choices=_counsel_users(township) if township else User.objects.none())
    if request.method == "POST":
        if township is None:
            form.add_error(None, "请选择所属乡镇。")
        else:
            done = run(request, form, lambda c: services.counsel_save(actor=request.user, township=township, **c),
                       "已登记法律顾问。", reverse("decisions:counsel_list"))
            if done:
                return done
    return render(request, "decisions/form.html", {"form": form, "title": "登记法律顾问", "towns": towns,
                                                   "back": reverse("decisions:counsel_list")})


@role_view(read=WRITE_ROLES, write=WRITE_ROLES, model=LegalCounsel)
def counsel_edit(request, pk):
    obj = get_visible_or_404(selectors.counsel_list_for(request.user), request.user, READ_ROLES, pk=pk)
    form = CounselForm(request.POST or None, instance=LegalCounsel.objects.get(pk=obj.pk),
                       user_choices=_counsel_users(obj.township))
    if request.method == "POST":
        done = run(request, form, lambda c: services.counsel_save(actor=request.user, township=obj.township,
                                                                  counsel=obj, **c),
                   "已保存。", reverse("decisions:counsel_list"))
        if done:
            return done
    return render(request, "decisions/form.html", {"form": form, "title": f"编辑法律顾问：{obj}",
                                                   "back": reverse("decisions:counsel_list")})


def _opinion_url(o) -> str:
    return reverse("decisions:opinion_detail", args=[o.pk])


OPINION_LEDGER = Ledger(
    title="法律意见征询",
    columns=[Column("事项", "subject_label", link=True), Column("类型", lambda o: subject_label(o.subject_type)),
             Column("法律顾问", "counsel.name"), Column("提出日期", "asked_on", sort="asked_on"),
             Column("要求回复", "due_on", sort="due_on"), Column("状态", "status", sort="status"),
             Column("出具日期", "answered_on", sort="answered_on")],
    filters=[Filter("status", "状态", "status", OpinionStatus.choices),
             Filter("subject_type", "类型", "subject_type", list(SUBJECT_LABELS.items()))],
    search_fields=["subject_label", "question", "answer"],
    default_sort="-asked_on",
    row_url=_opinion_url,
)


@role_view(read=OPINION_READ_ROLES, write=ASK_ROLES)
def opinion_list(request):
    ledger = copy.copy(OPINION_LEDGER)  # per request: the 征求 button depends on the user's roles
    ledger.actions = [("征求法律意见", reverse("decisions:opinion_create"))] if has_role(request.user, ASK_ROLES) else []
    return ledger.respond(request, selectors.opinion_list_for(request.user))


@role_view(read=ASK_ROLES, write=ASK_ROLES)
def opinion_create(request):
    township, towns = one_township(request, ASK_ROLES)
    counsel_qs = selectors.counsel_list_for(request.user)
    if township:
        counsel_qs = counsel_qs.filter(township=township)
    initial = {k: request.GET[k] for k in ("subject_type", "subject_id", "subject_label") if k in request.GET}
    form = OpinionRequestForm(request.POST or None, request.FILES or None, counsel_qs=counsel_qs, initial=initial)
    if request.method == "POST":
        if township is None:
            form.add_error(None, "请选择所属乡镇。")
        else:
            done = run(request, form, lambda c: services.opinion_request_create(
                actor=request.user, township=township, counsel=c["counsel"], subject_type=c["subject_type"],
                subject_id=c["subject_id"], subject_label=c["subject_label"], question=c["question"],
                due_on=c["due_on"], files=c["files"]), "已发送征求意见。", _opinion_url)
            if done:
                return done
    return render(request, "decisions/form.html", {"form": form, "title": "征求法律顾问意见", "towns": towns,
                                                   "multipart": True, "back": reverse("decisions:opinions")})


def _opinion(request, pk) -> OpinionRequest:
    return get_visible_or_404(selectors.opinion_list_for(request.user), request.user, None, pk=pk)


@role_view(read=OPINION_READ_ROLES, write=ASK_ROLES | COUNSEL_ROLES, model=OpinionRequest)
def opinion_detail(request, pk):
    o = _opinion(request, pk)
    is_counsel = o.counsel.user_id == request.user.pk
    return render(request, "decisions/opinion_detail.html", {
        "o": o, "subject_kind": subject_label(o.subject_type),
        "subject_url": None if is_counsel else subject_url(o.subject_type, o.subject_id),
        "attachments": o.attachments.all(), "is_counsel": is_counsel,
        "answer_form": AnswerForm(initial={"answered_on": timezone.localdate()}),
        "withdraw_form": WithdrawForm(), "can_withdraw": has_role(request.user, ASK_ROLES),
        "transitions": o.transitions.select_related("actor"),
        "overdue": o.status == OpinionStatus.SENT and o.due_on < timezone.localdate()})


@role_view(read=COUNSEL_ROLES, write=COUNSEL_ROLES, model=OpinionRequest)
def opinion_answer(request, pk):
    o = _opinion(request, pk)
    if request.method == "POST":
        form = AnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.opinion_answer(actor=request.user, opinion=o, answer=form.cleaned_data["answer"],
                                        answered_on=form.cleaned_data["answered_on"], files=form.cleaned_data["files"],
                                        expected_status=OpinionStatus.SENT)
                messages.success(request, "已出具法律意见。")
            except DomainError as e:
                messages.error(request, e.message)
        else:
            messages.error(request, "请填写法律意见和出具日期。")
    return redirect(_opinion_url(o))


@role_view(read=ASK_ROLES, write=ASK_ROLES, model=OpinionRequest)
def opinion_withdraw(request, pk):
    o = _opinion(request, pk)
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        try:
            if not form.is_valid():
                raise DomainError("请说明撤回理由。")
            services.opinion_withdraw(actor=request.user, opinion=o, reason=form.cleaned_data["reason"])
            messages.success(request, "已撤回。")
        except DomainError as e:
            messages.error(request, e.message)
    return redirect(_opinion_url(o))
