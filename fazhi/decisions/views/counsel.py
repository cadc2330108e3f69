from __future__ import annotations

import copy

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from fazhi.accounts.models import User
from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.pages import form_page
from fazhi.core.scope import has_role
from fazhi.decisions import selectors
from fazhi.decisions.forms import CounselForm, OpinionRequestForm
from fazhi.decisions.models import LegalCounsel, OpinionRequest, OpinionStatus
from fazhi.decisions.permissions import ASK_ROLES, COUNSEL_ROLES, OPINION_READ_ROLES, READ_ROLES, WRITE_ROLES
from fazhi.decisions.services import counsel as counsel_services
from fazhi.decisions.subjects import SUBJECT_LABELS, subject_label, subject_url
from fazhi.decisions.views.common import FORM, chosen, labelled_history, one_township
from fazhi.decisions.workflow import OPINION_FLOW


def _counsel_users(township):
    return User.objects.filter(memberships__region=township, memberships__role__in=COUNSEL_ROLES,
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
    return form_page(request, form=form, title="登记法律顾问", template=FORM, context={"towns": towns},
                     on_valid=lambda c: counsel_services.counsel_save(actor=request.user, township=chosen(township),
                                                                      **c),
                     success=reverse("decisions:counsel_list"), success_message="已登记法律顾问。",
                     back_url=reverse("decisions:counsel_list"))


@role_view(read=WRITE_ROLES, write=WRITE_ROLES, model=LegalCounsel)
def counsel_edit(request, pk):
    obj = get_visible_or_404(selectors.counsel_list_for(request.user), request.user, READ_ROLES, pk=pk)
    form = CounselForm(request.POST or None, instance=LegalCounsel.objects.get(pk=obj.pk),
                       user_choices=_counsel_users(obj.township))
    return form_page(request, form=form, title=f"编辑法律顾问：{obj}", template=FORM,
                     on_valid=lambda c: counsel_services.counsel_save(actor=request.user, township=obj.township,
                                                                      counsel=obj, **c),
                     success=reverse("decisions:counsel_list"), back_url=reverse("decisions:counsel_list"))


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
    return form_page(request, form=form, title="征求法律顾问意见", template=FORM, context={"towns": towns},
                     multipart=True, back_url=reverse("decisions:opinions"), success=_opinion_url,
                     success_message="已发送征求意见。",
                     on_valid=lambda c: counsel_services.opinion_request_create(
                         actor=request.user, township=chosen(township), counsel=c["counsel"],
                         subject_type=c["subject_type"], subject_id=c["subject_id"],
                         subject_label=c["subject_label"], question=c["question"], due_on=c["due_on"],
                         files=c["files"]))


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
        "step_forms": OPINION_FLOW.forms_for(o, request.user),
        "transitions": labelled_history(OPINION_FLOW, o.transitions.select_related("actor")),
        "overdue": o.status == OpinionStatus.SENT and o.due_on < timezone.localdate()})

