"""The leading group (领导小组) per year with its members' changes, and the topic meetings (专题研究部署)."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.urls import reverse

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.pages import form_page, write_township
from fazhi.organization import forms, permissions, selectors, services
from fazhi.organization.models import FollowUp, GroupMember, LeadingGroup, TopicMeeting
from fazhi.organization.permissions import ORG_READ, ORG_WRITE, PROGRESS_WRITE

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
    return render(request, "organization/group_detail.html", {
        "can_write": permissions.may_write(request.user, group.township),
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
    return render(request, "organization/meeting_detail.html", {
        "can_write": permissions.may_write(request.user, meeting.township),
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
