"""Reads of the decisions app. Every scoped read goes through here; other apps (portal, reports) too."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from fazhi.core.scope import scope_q
from fazhi.decisions.models import (
    Attachment,
    CommentStatus,
    Decision,
    DecisionCatalogue,
    DecisionCategory,
    DecisionStatus,
    DecisionStep,
    Discussion,
    LegalCounsel,
    Litigation,
    LitigationKind,
    LitigationOutcome,
    OpinionRequest,
    OpinionStatus,
    PublicComment,
)
from fazhi.decisions.permissions import COUNSEL_ROLES, READ_ROLES
from fazhi.decisions.subjects import SUBJECT_LABELS, subject_label

S = DecisionStatus


# --- decisions ---------------------------------------------------------------------------------------

def decision_list_for(user):
    return Decision.objects.visible_to(user, roles=READ_ROLES).select_related("township", "catalogue")


def catalogue_list_for(user):
    return DecisionCatalogue.objects.visible_to(user, roles=READ_ROLES).select_related("township").annotate(
        decision_count=Count("decisions"))


def discussion_list_for(user):
    return Discussion.objects.visible_to(user, roles=READ_ROLES).select_related("decision", "township")


def attachment_list_for(user):
    """Attachments of decisions and cases (staff), and of the opinion requests sent to a counsel."""
    staff = scope_q(user, Attachment, roles=READ_ROLES)
    counsel = scope_q(user, Attachment, roles=COUNSEL_ROLES) & Q(opinion__counsel__user=user)
    return Attachment.objects.filter(staff | counsel)


def comment_list_for(user):
    return PublicComment.objects.visible_to(user, roles=READ_ROLES).select_related("decision")


def decision_steps(decision: Decision):
    return decision.steps.select_related("actor").order_by("performed_on", "id")


# --- public consultation (the portal reads these) --------------------------------------------------------

def open_consultations(township=None, today: dt.date | None = None):
    """Decisions whose comment period is running today (public data: no user scope)."""
    today = today or timezone.localdate()
    qs = Decision.objects.filter(status=S.STARTED, comment_start__lte=today, comment_end__gte=today).exclude(
        draft_text="")
    if township is not None:
        qs = qs.filter(township=township)
    return qs.select_related("township").order_by("comment_end", "id")


def published_comment_summaries(township=None):
    """Decisions whose comment handling summary (采纳情况) has been published."""
    qs = Decision.objects.filter(comment_summary_published_on__isnull=False).exclude(comment_summary="")
    if township is not None:
        qs = qs.filter(township=township)
    return qs.select_related("township").order_by("-comment_summary_published_on", "-id")


def approved_comments(decision_ids):
    return PublicComment.objects.filter(decision_id__in=decision_ids, status=CommentStatus.APPROVED).order_by(
        "created_at", "id")


# --- counsel -------------------------------------------------------------------------------------------

def counsel_list_for(user):
    return LegalCounsel.objects.visible_to(user, roles=READ_ROLES).select_related("township", "user")


def opinion_list_for(user):
    """Staff see their township's requests; a counsel sees ONLY the requests sent to them (the township
    scope alone would show a counsel every request of the township)."""
    staff = scope_q(user, OpinionRequest, roles=READ_ROLES)
    counsel = scope_q(user, OpinionRequest, roles=COUNSEL_ROLES) & Q(counsel__user=user)
    return OpinionRequest.objects.filter(staff | counsel).select_related("counsel", "township", "asked_by")


def counsel_for_year(township, year: int):
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return LegalCounsel.objects.filter(township=township, contract_start__lte=end, contract_end__gte=start).order_by(
        "-contract_end", "-id").first()


def opinion_stats(queryset, today: dt.date | None = None) -> dict:
    """Volume and turnaround over the given (already scoped) requests."""
    today = today or timezone.localdate()
    agg = queryset.aggregate(
        total=Count("id"),
        answered=Count("id", filter=Q(status=OpinionStatus.ANSWERED)),
        pending=Count("id", filter=Q(status=OpinionStatus.SENT)),
        overdue=Count("id", filter=Q(status=OpinionStatus.SENT, due_on__lt=today)),
        late=Count("id", filter=Q(status=OpinionStatus.ANSWERED, answered_on__gt=F("due_on"))),
        avg_days=Avg(F("answered_on") - F("asked_on"), filter=Q(status=OpinionStatus.ANSWERED)),
    )
    by_subject = dict(queryset.values_list("subject_type").annotate(n=Count("id")).order_by())
    agg["avg_days"] = _days(agg["avg_days"])
    agg["by_subject"] = {subject_label(k): v for k, v in sorted(by_subject.items())}
    return agg


def _days(value) -> float | None:
    """Average of date differences: a timedelta (PostgreSQL, SQLite via Django) or microseconds."""
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return round(value.total_seconds() / 86400, 1)
    return round(float(value) / 86400 / 1_000_000, 1)


# --- litigation ----------------------------------------------------------------------------------------

def litigation_list_for(user):
    return Litigation.objects.visible_to(user, roles=READ_ROLES).select_related("township", "counsel")


# --- annual statistics for the report (constant number of queries) ----------------------------------------

class Counsel(TypedDict):
    name: str
    firm: str


class DecisionsStats(TypedDict):
    """The annual-report contract of decisions (reports reads these keys)."""

    decisions: int
    by_category: dict[str, int]
    with_legality_review: int
    with_collective_discussion: int
    with_public_participation: int
    counsel_opinions: int
    litigation_cases: int
    reconsideration_cases: int
    counsel: Counsel | None
    opinions_by_subject: dict[str, int]
    head_appearance_rate: int | None
    litigation_outcomes: dict[str, int]
    avg_opinion_days: float | None


def annual_stats(township, year: int) -> DecisionsStats:
    decisions = Decision.objects.filter(township=township, year=year)
    cat_counts = dict(decisions.values_list("category").annotate(n=Count("id")).order_by())
    steps = DecisionStep.objects.filter(decision__township=township, decision__year=year, skipped=False)
    step_counts = dict(steps.values_list("step").annotate(n=Count("decision", distinct=True)).order_by())
    discussed = Discussion.objects.filter(township=township, decision__year=year, finalized=True).aggregate(
        n=Count("decision", distinct=True))["n"]

    requests = OpinionRequest.objects.filter(township=township, asked_on__year=year)
    op = requests.aggregate(
        answered=Count("id", filter=Q(status=OpinionStatus.ANSWERED)),
        avg_days=Avg(F("answered_on") - F("asked_on"), filter=Q(status=OpinionStatus.ANSWERED)))
    by_subject = dict(requests.values_list("subject_type").annotate(n=Count("id")).order_by())
    opinions_by_subject = {label: 0 for key, label in SUBJECT_LABELS.items()}
    for key, n in by_subject.items():
        label = subject_label(key)
        opinions_by_subject[label] = opinions_by_subject.get(label, 0) + n

    cases = Litigation.objects.filter(township=township, received_on__year=year)
    lit = cases.aggregate(
        litigation=Count("id", filter=Q(kind=LitigationKind.LITIGATION)),
        reconsideration=Count("id", filter=Q(kind=LitigationKind.RECONSIDERATION)),
        heard=Count("id", filter=Q(kind=LitigationKind.LITIGATION, hearing_on__isnull=False,
                                   head_appeared__isnull=False)),
        appeared=Count("id", filter=Q(kind=LitigationKind.LITIGATION, hearing_on__isnull=False,
                                      head_appeared=True)))
    outcome_counts = dict(cases.values_list("outcome").annotate(n=Count("id")).order_by())
    counsel = counsel_for_year(township, year)
    return {
        "decisions": sum(cat_counts.values()),
        "by_category": {label: cat_counts.get(value, 0) for value, label in DecisionCategory.choices},
        "with_legality_review": step_counts.get(S.LEGALITY_REVIEW, 0),
        "with_collective_discussion": discussed,
        "with_public_participation": step_counts.get(S.PARTICIPATION, 0),
        "counsel_opinions": op["answered"],
        "litigation_cases": lit["litigation"],
        "reconsideration_cases": lit["reconsideration"],
        "counsel": {"name": counsel.name, "firm": counsel.firm} if counsel else None,
        "opinions_by_subject": opinions_by_subject,
        "head_appearance_rate": round(100 * lit["appeared"] / lit["heard"]) if lit["heard"] else None,
        "litigation_outcomes": {label: outcome_counts.get(value, 0) for value, label in LitigationOutcome.choices},
        "avg_opinion_days": _days(op["avg_days"]),
    }


def decision_step_counts(township, year: int) -> dict[str, int]:
    """Decisions by their current step, for dashboards."""
    counts = dict(Decision.objects.filter(township=township, year=year).values_list("status").annotate(
        n=Count("id")).order_by())
    return {label: counts.get(value, 0) for value, label in DecisionStatus.choices}
