from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.documents import docx_response
from fazhi.core.errors import DomainError
from fazhi.core.pages import form_page
from fazhi.decisions import documents, selectors
from fazhi.decisions.forms import AttendeeForm, DiscussionForm, FinalizeForm, OpinionForm
from fazhi.decisions.models import Decision, Discussion
from fazhi.decisions.permissions import DISCUSSION_ROLES, READ_ROLES
from fazhi.decisions.services import discussion as discussion_services
from fazhi.decisions.services.discussion import departs_from_majority, majority
from fazhi.decisions.views.common import FORM


def parse_attendees(text: str) -> list[dict]:
    """'姓名 职务', '姓名 职务 缺席:原因', '姓名 职务 列席' one per line."""
    out = []
    for raw in (text or "").splitlines():
        parts = raw.replace("：", ":").split()
        if not parts:
            continue
        row = {"name": parts[0], "post": "", "is_member": True, "present": True, "absence_reason": ""}
        rest = []
        for p in parts[1:]:
            if p.startswith("缺席"):
                row["present"] = False
                row["absence_reason"] = p.partition(":")[2] or "请假"
            elif p == "列席":
                row["is_member"] = False
            else:
                rest.append(p)
        row["post"] = " ".join(rest)[:64]
        out.append(row)
    return out


def _url(disc) -> str:
    return reverse("decisions:discussion_detail", args=[disc.pk])


@role_view(read=DISCUSSION_ROLES, write=DISCUSSION_ROLES, model=Decision)
def discussion_create(request, pk):
    d = get_visible_or_404(selectors.decision_list_for(request.user), request.user, READ_ROLES, pk=pk)
    form = DiscussionForm(request.POST or None, initial={"held_on": timezone.localdate()})
    return form_page(
        request, form=form, title=f"集体讨论：{d.title}", template=FORM, back_url=reverse("decisions:detail", args=[d.pk]),
        intro="未经合法性审查或经审查不合法的决策草案，不得提交集体讨论。行政首长最后发言。", success=_url,
        success_message="已登记集体讨论会议，请按发言顺序记录每位成员的意见。",
        on_valid=lambda c: discussion_services.discussion_create(
            actor=request.user, decision=d, meeting=c["meeting"], held_on=c["held_on"], place=c["place"],
            members_total=c["members_total"], head_name=c["head_name"], recorder=c["recorder"],
            attendees=parse_attendees(c["attendees"])))


def _disc(request, pk) -> Discussion:
    return get_visible_or_404(selectors.discussion_list_for(request.user), request.user, READ_ROLES, pk=pk)


@role_view(read=READ_ROLES, write=DISCUSSION_ROLES, model=Discussion)
def discussion_detail(request, pk):
    disc = _disc(request, pk)
    attendees = list(disc.attendees.all())
    opinions = list(disc.opinions.select_related("attendee"))
    spoken = {o.attendee_id for o in opinions}
    speakers = [a for a in attendees if a.is_member and a.present and a.pk not in spoken]
    # The head is offered last: only when everybody else has spoken.
    others_left = [a for a in speakers if a.name != disc.head_name]
    if others_left:
        speakers = others_left
    present = sum(1 for a in attendees if a.is_member and a.present)
    from fazhi.decisions.models import DecisionSettings

    settings = DecisionSettings.for_township(disc.township)
    return render(request, "decisions/discussion.html", {
        "disc": disc, "d": disc.decision, "attendees": attendees, "opinions": opinions,
        "opinion_form": OpinionForm(attendees=speakers), "attendee_form": AttendeeForm(),
        "finalize_form": FinalizeForm(), "present": present, "needed": settings.quorum_needed(disc.members_total),
        "majority": majority(disc), "departs": departs_from_majority(disc, "adopted"),
        "dissent": [o for o in opinions if o.dissent],
    })


@role_view(read=DISCUSSION_ROLES, write=DISCUSSION_ROLES, model=Discussion)
def discussion_action(request, pk):
    disc = _disc(request, pk)
    if request.method != "POST":
        return redirect(_url(disc))
    action = request.POST.get("action")
    try:
        if action == "attendee":
            form = AttendeeForm(request.POST)
            if not form.is_valid():
                raise DomainError("请填写参会人员姓名。")
            discussion_services.discussion_attendee_add(actor=request.user, discussion=disc, **form.cleaned_data)
            messages.success(request, "已添加参会人员。")
        elif action == "opinion":
            form = OpinionForm(request.POST, attendees=disc.attendees.all())
            if not form.is_valid():
                raise DomainError("请选择发言人、表态并填写发言要点。")
            attendee = disc.attendees.get(pk=form.cleaned_data["attendee"])
            discussion_services.discussion_opinion_add(actor=request.user, discussion=disc, attendee=attendee,
                                                       stance=form.cleaned_data["stance"], text=form.cleaned_data["text"])
            messages.success(request, f"已记录{attendee.name}的发言。")
        elif action == "finalize":
            form = FinalizeForm(request.POST)
            if not form.is_valid():
                raise DomainError("请选择会议结论并填写决定事项。")
            discussion_services.discussion_finalize(actor=request.user, discussion=disc, **form.cleaned_data)
            messages.success(request, "会议记录已定稿。")
        else:
            raise DomainError("未知操作。")
    except DomainError as e:
        messages.error(request, e.message)
    return redirect(_url(disc))


@role_view(read=READ_ROLES, model=Discussion)
def discussion_minutes(request, pk):
    disc = _disc(request, pk)
    return docx_response(documents.minutes_docx(disc), f"会议纪要-{disc.decision.number}-{disc.held_on:%Y%m%d}.docx")
