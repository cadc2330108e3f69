"""Law study (学法): officials, study sessions, per-official hours, and the shared catalogues."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.pages import form_page, write_township
from fazhi.core.params import int_param, year_param
from fazhi.education import forms, permissions, selectors, services
from fazhi.education.models import LawKind, Official, StudyKind, StudySession
from fazhi.education.permissions import CATALOGUE_WRITE, EDU_READ, STUDY_WRITE

R, W = EDU_READ, STUDY_WRITE


session_ledger = Ledger(
    title="学法活动台账",
    columns=[Column("日期", "date", sort="date"), Column("形式", "kind", sort="kind"),
             Column("学习主题", "topic", link=True), Column("乡镇", "township.name"),
             Column("主讲/领学", "speaker"), Column("学时", "hours"), Column("参学人数", "attendee_count")],
    filters=[Filter("year", "年度", "date__year", selectors.years_choices),
             Filter("kind", "形式", "kind", StudyKind.choices)],
    search_fields=["topic", "speaker", "notes"],
    default_sort="-date",
    row_url=lambda o: reverse("education:session_detail", args=[o.pk]),
    actions=[("登记学法活动", "/education/study/new/"), ("个人学时统计", "/education/study/hours/")],
)


@role_view(read=R, write=W)
def sessions(request):
    return session_ledger.respond(request, selectors.session_list_for(request.user))


def _session_save(request, cd, session=None):
    attendees = list(cd.pop("attendees"))
    laws = cd.pop("laws")
    by_name = {o.name: o for o in attendees}
    hours = {}
    for name, h in cd.pop("partial_hours").items():
        if name not in by_name:
            raise DomainError(f"“{name}”不在本次参学人员中，无法单独登记学时。")
        hours[by_name[name].pk] = h
    if session is None:
        return services.session_create(actor=request.user, township=write_township(request, W), laws=laws,
                                       attendees=attendees, hours_by_official=hours, **cd)
    return services.session_update(actor=request.user, session=session, laws=laws, attendees=attendees,
                                   hours_by_official=hours, **cd)


@role_view(read=R, write=W)
def session_new(request):
    officials = selectors.official_list_for(request.user).filter(active=True)
    form = forms.SessionForm(request.POST or None, officials=officials,
                             initial={"date": dt.date.today(), "kind": StudyKind.CENTER_GROUP})
    return form_page(request, form=form, title="登记学法活动", on_valid=lambda cd: _session_save(request, cd),
                     success=lambda s: reverse("education:session_detail", args=[s.pk]),
                     back_url=reverse("education:sessions"))


@role_view(read=R, write=W, model=StudySession)
def session_detail(request, pk):
    s = get_visible_or_404(StudySession, request.user, roles=R, pk=pk)
    return render(request, "education/session_detail.html", {
        "s": s, "laws": s.laws.all(), "attendance": s.attendance.select_related("official"),
        "can_write": permissions.may_write_study(request.user, s.township)})


@role_view(read=R, write=W, model=StudySession)
def session_edit(request, pk):
    s = get_visible_or_404(StudySession, request.user, roles=R, pk=pk)
    officials = selectors.official_list_for(request.user).filter(township=s.township)
    form = forms.SessionForm(request.POST or None, instance=s, officials=officials)
    url = reverse("education:session_detail", args=[pk])
    return form_page(request, form=form, title="修改学法活动", success=url, back_url=url,
                     on_valid=lambda cd: _session_save(request, cd, s))


official_ledger = Ledger(
    title="干部学法名册",
    columns=[Column("姓名", "name", sort="name", link=True), Column("职务", "post"),
             Column("关键少数", "is_leader", sort="is_leader"), Column("在岗", "active"),
             Column("乡镇", "township.name"), Column("排序", "order", sort="order")],
    filters=[Filter("leader", "领导干部", "is_leader", [("True", "是"), ("False", "否")])],
    search_fields=["name", "post"],
    default_sort="order",
    page_size=50,
    row_url=lambda o: reverse("education:official_detail", args=[o.pk]),
    actions=[("新增干部", "/education/officials/new/"), ("个人学时统计", "/education/study/hours/")],
)


@role_view(read=R, write=W)
def officials(request):
    return official_ledger.respond(request, selectors.official_list_for(request.user))


@role_view(read=R, write=W)
def official_new(request):
    form = forms.OfficialForm(request.POST or None)
    return form_page(request, form=form, title="新增干部",
                     on_valid=lambda cd: services.official_create(actor=request.user,
                                                                  township=write_township(request, W), **cd),
                     success=reverse("education:officials"), back_url=reverse("education:officials"))


@role_view(read=R, write=W, model=Official)
def official_detail(request, pk):
    """One official's law study in a year: every session attended, with hours."""
    o = get_visible_or_404(Official, request.user, roles=R, pk=pk)
    year = year_param(request.GET.get("year", ""), dt.date.today().year)
    rows = list(o.attendance.filter(session__date__year=year).select_related("session")
                .order_by("session__date"))
    return render(request, "education/official_detail.html", {
        "o": o, "year": year, "rows": rows, "years": selectors.years_choices(), "townships": [],
        "total_hours": sum((a.hours for a in rows), 0),
        "can_write": permissions.may_write_study(request.user, o.township)})


@role_view(read=R, write=W, model=Official)
def official_edit(request, pk):
    o = get_visible_or_404(Official, request.user, roles=R, pk=pk)
    form = forms.OfficialForm(request.POST or None, instance=o)
    url = reverse("education:official_detail", args=[pk])
    return form_page(request, form=form, title=f"干部：{o}", success=url, back_url=url,
                     on_valid=lambda cd: services.official_update(actor=request.user, official=o, **cd),
                     context={"history_type": "education.official", "history_pk": o.pk})


@role_view(read=R)
def hours(request):
    """Sessions and hours per official in a year; the leaders (“关键少数”) listed apart."""
    year = year_param(request.GET.get("year", ""), dt.date.today().year)
    town, towns = selectors.stats_township(request.user, R, request.GET.get("township", ""))
    rows = list(selectors.officials_with_hours(selectors.official_list_for(request.user).filter(township=town),
                                               year)) if town else []
    return render(request, "education/hours.html", {
        "year": year, "township": town, "townships": towns, "years": selectors.years_choices(),
        "leaders": [o for o in rows if o.is_leader], "others": [o for o in rows if not o.is_leader]})


@role_view(read=R, write=CATALOGUE_WRITE)
def catalogue(request):
    """The shared catalogues (laws studied, publicity topics): admins add and retire entries."""
    form = forms.CatalogueAddForm(request.POST or None) if request.POST.get("action") != "toggle" else None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "toggle":
                pk = request.POST.get("pk", "")
                obj = services.catalogue_toggle(actor=request.user, kind=request.POST.get("kind", ""),
                                                pk=int_param(pk) or 0)
                messages.success(request, f"已{'启用' if obj.active else '停用'}“{obj.name}”。")
                return redirect("education:catalogue")
            if form.is_valid():
                cd = form.cleaned_data
                obj = services.catalogue_add(actor=request.user, kind=cd["kind"], name=cd["name"],
                                             law_kind=cd["law_kind"] or LawKind.LAW)
                messages.success(request, f"已添加“{obj.name}”。")
                return redirect("education:catalogue")
        except DomainError as e:
            if form is None:
                messages.error(request, e.message)
                return redirect("education:catalogue")
            form.add_error(None, e.message)
    return render(request, "education/catalogue.html", {
        "laws": selectors.law_catalogue(active_only=False), "topics": selectors.topic_catalogue(active_only=False),
        "form": form or forms.CatalogueAddForm(), "can_write": permissions.may_edit_catalogue(request.user)})
