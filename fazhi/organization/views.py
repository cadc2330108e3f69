"""Leading group, topic meetings, budget and duty lists. Plans and tasks are in plan_views.py."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.urls import reverse

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.scope import has_role, villages_for
from fazhi.organization import forms, selectors, services
from fazhi.organization.common import form_page, write_township
from fazhi.organization.models import (
    BudgetLine,
    DutyList,
    DutyObligation,
    FollowUp,
    GroupMember,
    LeadingGroup,
    TopicMeeting,
)
from fazhi.organization.selectors import ORG_READ, ORG_WRITE, PROGRESS_WRITE

R, W = ORG_READ, ORG_WRITE


# --- leading group ------------------------------------------------------------------------------

group_ledger = Ledger(
    title="法治政府建设工作领导小组",
    columns=[Column("年度", "year", sort="year", link=True), Column("名称", "name", link=True),
             Column("乡镇", "township.name"), Column("成立文号", "document_no"),
             Column("成立日期", "established_on", sort="established_on"), Column("在任成员", "member_count")],
    filters=[Filter("year", "年度", "year", selectors.years_choices)],
    search_fields=["name", "document_no"],
    default_sort="-year",
    row_url=lambda o: reverse("organization:group_detail", args=[o.pk]),
    actions=[("新建年度领导小组", "/organization/groups/new/")],
)


@role_view(read=R, write=W)
def groups(request):
    return group_ledger.respond(request, selectors.group_list_for(request.user))


@role_view(read=R, write=W)
def group_new(request):
    form = forms.GroupForm(request.POST or None, initial={"year": dt.date.today().year})

    def save(cd):
        copy = cd.pop("copy_previous")
        return services.group_create(actor=request.user, township=write_township(request, W), copy_previous=copy,
                                     **cd)

    return form_page(request, form=form, title="新建年度领导小组", on_valid=save,
                     success=lambda g: reverse("organization:group_detail", args=[g.pk]),
                     back_url=reverse("organization:groups"))


@role_view(read=R, write=W, model=LeadingGroup)
def group_detail(request, pk):
    group = get_visible_or_404(LeadingGroup, request.user, roles=R, pk=pk)
    members = selectors.members_of(group)
    return render(request, "organization/group_detail.html", {"can_write": has_role(request.user, W),
        "group": group, "serving": [m for m in members if m.active], "former": [m for m in members if not m.active],
        "member_form": forms.MemberForm()})


@role_view(read=R, write=W, model=LeadingGroup)
def group_edit(request, pk):
    group = get_visible_or_404(LeadingGroup, request.user, roles=R, pk=pk)
    form = forms.GroupForm(request.POST or None, instance=group)
    form.fields.pop("copy_previous")
    form.fields["year"].disabled = True

    def save(cd):
        cd.pop("year", None)
        return services.group_update(actor=request.user, group=group, **cd)

    url = reverse("organization:group_detail", args=[pk])
    return form_page(request, form=form, title=f"修改{group}", on_valid=save, success=url, back_url=url)


@role_view(read=R, write=W, model=LeadingGroup)
def member_add(request, pk):
    group = get_visible_or_404(LeadingGroup, request.user, roles=R, pk=pk)
    form = forms.MemberForm(request.POST or None)
    url = reverse("organization:group_detail", args=[pk])
    return form_page(request, form=form, title=f"{group}：增加成员",
                     on_valid=lambda cd: services.member_add(actor=request.user, group=group, **cd),
                     success=url, back_url=url, success_message="已增加成员。")


@role_view(read=R, write=W, model=GroupMember)
def member_leave(request, pk):
    member = get_visible_or_404(GroupMember, request.user, roles=R, pk=pk)
    form = forms.MemberLeaveForm(request.POST or None, initial={"left_on": dt.date.today()})
    url = reverse("organization:group_detail", args=[member.group_id])
    return form_page(request, form=form, title=f"成员退出：{member}", keep_draft=False,
                     intro="退出后该成员仍保留在变动记录中。",
                     on_valid=lambda cd: services.member_leave(actor=request.user, member=member, **cd),
                     success=url, back_url=url, success_message="已记录成员变动。")


# --- topic meetings -----------------------------------------------------------------------------

meeting_ledger = Ledger(
    title="专题研究部署会议",
    columns=[Column("日期", "date", sort="date"), Column("会议名称", "title", link=True),
             Column("乡镇", "township.name"), Column("主持人", "chair"), Column("地点", "place"),
             Column("落实事项", "follow_up_count")],
    filters=[Filter("year", "年度", "date__year", selectors.years_choices)],
    search_fields=["title", "agenda", "decisions", "minutes"],
    default_sort="-date",
    row_url=lambda o: reverse("organization:meeting_detail", args=[o.pk]),
    actions=[("登记会议", "/organization/meetings/new/")],
)


@role_view(read=R, write=W)
def meetings(request):
    return meeting_ledger.respond(request, selectors.meeting_list_for(request.user))


@role_view(read=R, write=W)
def meeting_new(request):
    form = forms.MeetingForm(request.POST or None)
    return form_page(request, form=form, title="登记专题研究部署会议",
                     on_valid=lambda cd: services.meeting_create(actor=request.user,
                                                                 township=write_township(request, W), **cd),
                     success=lambda m: reverse("organization:meeting_detail", args=[m.pk]),
                     back_url=reverse("organization:meetings"))


@role_view(read=R, write=W, model=TopicMeeting)
def meeting_detail(request, pk):
    meeting = get_visible_or_404(TopicMeeting, request.user, roles=R, pk=pk)
    return render(request, "organization/meeting_detail.html", {"can_write": has_role(request.user, W),
        "meeting": meeting, "follow_ups": meeting.follow_ups.all(), "today": dt.date.today()})


@role_view(read=R, write=W, model=TopicMeeting)
def meeting_edit(request, pk):
    meeting = get_visible_or_404(TopicMeeting, request.user, roles=R, pk=pk)
    form = forms.MeetingForm(request.POST or None, instance=meeting)
    url = reverse("organization:meeting_detail", args=[pk])
    return form_page(request, form=form, title="修改会议记录", success=url, back_url=url,
                     on_valid=lambda cd: services.meeting_update(actor=request.user, meeting=meeting, **cd))


@role_view(read=R, write=W, model=TopicMeeting)
def followup_add(request, pk):
    meeting = get_visible_or_404(TopicMeeting, request.user, roles=R, pk=pk)
    form = forms.FollowUpForm(request.POST or None)
    url = reverse("organization:meeting_detail", args=[pk])
    return form_page(request, form=form, title=f"{meeting.title}：增加落实事项", success=url, back_url=url,
                     on_valid=lambda cd: services.followup_add(actor=request.user, meeting=meeting, **cd))


@role_view(read=R, write=PROGRESS_WRITE, model=FollowUp)
def followup_done(request, pk):
    fu = get_visible_or_404(FollowUp, request.user, roles=R, pk=pk)
    form = forms.FollowUpDoneForm(request.POST or None, initial={"done_on": dt.date.today()})
    url = reverse("organization:meeting_detail", args=[fu.meeting_id])
    return form_page(request, form=form, title=f"办结：{fu.content}", success=url, back_url=url,
                     on_valid=lambda cd: services.followup_complete(actor=request.user, followup=fu, **cd))


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
    return render(request, "organization/budget_detail.html", {"can_write": has_role(request.user, W),
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
    return render(request, "organization/duty_detail.html", {"can_write": has_role(request.user, W), "duty": duty, "obligations": obligations})


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
