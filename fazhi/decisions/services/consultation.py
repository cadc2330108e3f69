"""Public participation: open a draft for comment, take comments from the public (moderated before they
show), and publish how they were handled (713号令第十四至十六条)."""

from __future__ import annotations

import datetime as dt
import hashlib
import html

import nh3
from django.conf import settings as dj_settings
from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import audit_record
from fazhi.core.errors import DomainError
from fazhi.core.ratelimit import hit_address
from fazhi.core.writes import clean, require_role, save_audited, snapshot
from fazhi.decisions.deadlines import comment_period, hearing_notice
from fazhi.decisions.models import CommentStatus, Decision, DecisionSettings, DecisionStatus, PublicComment
from fazhi.decisions.permissions import REFUSED_DECISION, WRITE_ROLES

COMMENT_MAX_CHARS = 2000
COMMENT_MAX_RAW = 20000  # refuse oversized posts before sanitising them
# Per client address: at most this many comments in the window (spam from one address, not a statute).
COMMENT_RATE_LIMIT = 5
COMMENT_RATE_WINDOW_SECONDS = 3600


def consultation_open(*, actor, decision: Decision, draft_text: str, comment_start: dt.date,
                      comment_end: dt.date, short_reason: str = "", hearing_date: dt.date | None = None,
                      hearing_materials_on: dt.date | None = None) -> Decision:
    """Publish the draft for comment. A period shorter than the statutory minimum needs a reason."""
    require_role(actor, decision.township, WRITE_ROLES, REFUSED_DECISION)
    settings = DecisionSettings.for_township(decision.township)
    with transaction.atomic():
        d = Decision.objects.select_for_update().get(pk=decision.pk)
        if d.status != DecisionStatus.STARTED:
            raise DomainError("只有处于决策启动后、公众参与完成前的事项才能公开征求意见。")
        if not (draft_text or "").strip():
            raise DomainError("请填写向社会公开的征求意见稿内容。")
        if comment_end <= comment_start:
            raise DomainError("征求意见截止日期应晚于开始日期。")
        period = comment_period(comment_start, comment_end, settings.comment_period_days)
        if period.short and not (short_reason or "").strip():
            raise DomainError(period.explanation)
        if hearing_date or hearing_materials_on:
            if not (hearing_date and hearing_materials_on):
                raise DomainError("举行听证的，须同时填写听证日期和听证材料公布/送达日期。")
            notice = hearing_notice(hearing_materials_on, hearing_date, settings.hearing_notice_days)
            if notice.short:
                raise DomainError(notice.explanation)
        before = snapshot(d)
        d.draft_text = plain(draft_text)
        d.comment_start, d.comment_end = comment_start, comment_end
        d.comment_short_reason = (short_reason or "").strip() if period.short else ""
        d.hearing_date, d.hearing_materials_on = hearing_date, hearing_materials_on
        save_audited(d, actor=actor, before=before, reason=period.explanation)
    decision.refresh_from_db()
    return d


def plain(text: str) -> str:
    """Plain text from whatever was typed: tags (and script/style content) removed, entities decoded;
    templates escape it again on output."""
    return html.unescape(nh3.clean(text or "", tags=set())).strip()


def client_hash(ip: str) -> str:
    return hashlib.sha256(f"{dj_settings.SECRET_KEY}:{ip}".encode()).hexdigest()


def comment_submit(*, decision: Decision, body: str, client_ip: str, name: str = "", contact: str = "",
                   today: dt.date | None = None, rate_limit: bool = True) -> PublicComment:
    """A comment from the public. Plain text only, size-capped, rate-limited per client address; it is
    held for moderation and shows only once approved."""
    from fazhi.decisions.selectors import open_consultations

    today = today or timezone.localdate()
    if not open_consultations(today=today).filter(pk=decision.pk).exists():
        raise DomainError("该事项不在征求意见期内，不能提交意见。")
    if len(body or "") > COMMENT_MAX_RAW:
        raise DomainError(f"意见内容不能超过{COMMENT_MAX_CHARS}字。")
    text = plain(body)
    if not text:
        raise DomainError("请填写意见内容。")
    if len(text) > COMMENT_MAX_CHARS:
        raise DomainError(f"意见内容不能超过{COMMENT_MAX_CHARS}字。")
    name = plain(name)[:40]
    contact = plain(contact)[:60]
    if rate_limit:  # off only for loading recorded (paper) comments, e.g. the demo
        _count_or_refuse(client_ip)
    with transaction.atomic():
        c = PublicComment(township=decision.township, decision=decision, name=name, contact=contact, body=text,
                          client_hash=client_hash(client_ip))
        clean(c)
        c.save()
        audit_record(actor=None, action="create", obj=c, reason="公众提交意见（待审核）",
                     changes={"body": [None, text[:200]]})
    return c


def _count_or_refuse(client_ip: str) -> None:
    if not hit_address(client_ip, "decisions-comment", COMMENT_RATE_LIMIT, COMMENT_RATE_WINDOW_SECONDS):
        raise DomainError("提交过于频繁，请一小时后再试。")


def comment_moderate(*, actor, comment: PublicComment, status: str, handling: str = "") -> PublicComment:
    require_role(actor, comment.township, WRITE_ROLES, REFUSED_DECISION)
    if status not in (CommentStatus.APPROVED, CommentStatus.REJECTED):
        raise DomainError("请选择“公开”或“不予公开”。")
    with transaction.atomic():
        c = PublicComment.objects.select_for_update().get(pk=comment.pk)
        if c.decision.status != DecisionStatus.STARTED:
            raise DomainError("公众参与环节已完成，意见不能再修改。")
        before = snapshot(c)
        c.status, c.handling = status, (handling or "").strip()
        c.moderated_by, c.moderated_at = actor, timezone.now()
        save_audited(c, actor=actor, before=before, reason="审核公众意见")
    return c


def comment_summary_publish(*, actor, decision: Decision, summary: str, published_on: dt.date) -> Decision:
    """Publish how the comments were handled (采纳情况): required before public participation is done."""
    require_role(actor, decision.township, WRITE_ROLES, REFUSED_DECISION)
    with transaction.atomic():
        d = Decision.objects.select_for_update().get(pk=decision.pk)
        if d.status != DecisionStatus.STARTED or not d.comment_start:
            raise DomainError("只有已公开征求意见、尚未完成公众参与的事项才能公布采纳情况。")
        if d.comments.filter(status=CommentStatus.PENDING).exists():
            raise DomainError("还有公众意见未审核，请先审核全部意见。")
        if not (summary or "").strip():
            raise DomainError("请填写意见采纳情况。")
        if published_on < d.comment_start or published_on > timezone.localdate():
            raise DomainError("公布日期应在征求意见开始之后、且不晚于今天。")
        before = snapshot(d)
        d.comment_summary = plain(summary)
        d.comment_summary_published_on = published_on
        save_audited(d, actor=actor, before=before, reason="公布意见采纳情况")
    decision.refresh_from_db()
    return d

