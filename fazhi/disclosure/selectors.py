"""Reads for disclosure. Staff reads are scoped with `.visible_to(user)`; portal reads (`public_*`)
return only published items and never a request's personal data."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.db.models import Count, Q
from django.utils import timezone

from fazhi.core.models import Region, RegionLevel
from fazhi.core.search import search_q
from fazhi.disclosure.deadlines import answer_deadline, settings_for
from fazhi.disclosure.models import (
    Category,
    DisclosureItem,
    InfoRequest,
    ItemStatus,
    ReplyType,
    RequestStatus,
)
from fazhi.disclosure.permissions import EXTENSION_APPROVER_ROLES, READ_ROLES

OPEN_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.RECEIVED, RequestStatus.CORRECTION, RequestStatus.CONSULTING)
ITEM_SEARCH_FIELDS = ("title", "summary", "body", "doc_number")


# --- staff -----------------------------------------------------------------------------------------

def item_list_for(user):
    return DisclosureItem.objects.visible_to(user, roles=READ_ROLES).select_related("category", "township")


def request_list_for(user):
    return InfoRequest.objects.visible_to(user, roles=READ_ROLES).select_related("township")


def categories(active_only: bool = True):
    qs = Category.objects.all()
    return qs.filter(active=True) if active_only else qs


PENDING_ANSWER = (RequestStatus.RECEIVED, RequestStatus.CONSULTING)


def overdue_requests_for(user, today: dt.date | None = None):
    """The overdue ledger: open requests whose answer date has passed (clock running)."""
    today = today or timezone.localdate()
    return request_list_for(user).filter(status__in=PENDING_ANSWER, answer_due__lt=today)


def request_is_late(req, today: dt.date | None = None) -> bool:
    """超期: answered after the deadline, or still pending with the deadline passed (the overdue ledger's rule)."""
    if req.answered_late:
        return True
    today = today or timezone.localdate()
    return req.status in PENDING_ANSWER and req.answer_due is not None and req.answer_due < today


def late_items_for(user, today: dt.date | None = None):
    today = today or timezone.localdate()
    return item_list_for(user).filter(Q(published_late=True) | Q(status=ItemStatus.DRAFT, publish_due__lt=today))


def leaders_of(township):
    from fazhi.accounts.models import User

    return User.objects.filter(memberships__region=township, memberships__role__in=EXTENSION_APPROVER_ROLES,
                               memberships__active=True).distinct()


# --- portal ----------------------------------------------------------------------------------------

def public_townships():
    return Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code")


def public_township(code: str):
    return Region.objects.filter(level=RegionLevel.TOWNSHIP, code=code).first()


def public_items(township=None, *, category=None, query: str = ""):
    qs = DisclosureItem.objects.public().select_related("category", "township")
    if township is not None:
        qs = qs.filter(township=township)
    if category is not None:
        qs = qs.filter(category=category)
    if query:
        qs = qs.filter(search_q(query[:100], ITEM_SEARCH_FIELDS))
    return qs.order_by("-published_at", "-id")


def public_item(township, pk):
    return public_items(township).prefetch_related("attachments").filter(pk=pk).first()


def public_catalogue(township):
    """Active categories with the number of items the public can see in each (one query)."""
    now = timezone.now()
    visible = Q(items__township=township, items__status__in=[ItemStatus.PUBLISHED, ItemStatus.SCHEDULED],
                items__published_at__lte=now)
    return categories().annotate(public_count=Count("items", filter=visible))


def mask_name(name: str) -> str:
    if not name:
        return ""
    return name[0] + "*" * min(len(name) - 1, 3) if len(name) > 1 else "*"


def public_request_status(tracking_no: str, today: dt.date | None = None) -> dict | None:
    """What the applicant sees by tracking number: progress and reply, no personal data."""
    from fazhi.disclosure.documents import reply_summary
    from fazhi.disclosure.services.requests import normalise_tracking_no

    no = normalise_tracking_no(tracking_no)
    if not no:
        return None
    req = InfoRequest.objects.select_related("township").prefetch_related("clock_stops").filter(tracking_no=no).first()
    if req is None:
        return None
    deadline = answer_deadline(req, today=today) if req.status in OPEN_STATUSES and \
        req.status != RequestStatus.CORRECTION else None
    return {
        "tracking_no": req.tracking_no,
        "township": req.township.name,
        "applicant": mask_name(req.applicant_name),
        "status": req.status,
        "status_label": req.get_status_display(),
        "submitted_at": req.submitted_at,
        "received_on": req.received_on,
        "deadline": deadline,
        "correction_note": req.correction_note if req.status == RequestStatus.CORRECTION else "",
        "extension_days": req.extension_days,
        "extension_reason": req.extension_reason,
        "reply_type": req.get_reply_type_display() if req.reply_type else "",
        "reply_on": req.reply_on,
        "reply": reply_summary(req) if req.status == RequestStatus.ANSWERED else "",
    }


# --- annual statistics (条例第五十条) -------------------------------------------------------------------

class DisclosureStats(TypedDict):
    """The annual-report contract of disclosure (reports reads these keys)."""

    proactive_items: int
    by_category: dict[str, int]
    late_items: int
    requests: int
    requests_answered: int
    requests_overdue: int
    by_reply_type: dict[str, int]
    requests_carried_over: int


def annual_stats(township, year: int) -> DisclosureStats:
    """The year's disclosure figures for the annual reports; five queries whatever the data size."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    today = timezone.localdate()
    cutoff = min(today, end)
    now = timezone.now()
    items = DisclosureItem.objects.filter(
        township=township, published_at__year=year, published_at__lte=now,
        status__in=[ItemStatus.PUBLISHED, ItemStatus.SCHEDULED, ItemStatus.UNPUBLISHED])
    item_totals = items.aggregate(total=Count("id"), late=Count("id", filter=Q(published_late=True)))
    per_category = dict(items.values_list("category__name").annotate(n=Count("id")).values_list("category__name", "n"))
    by_category = {name: per_category.get(name, 0) for name in categories().values_list("name", flat=True)}
    for name, n in per_category.items():  # items in a category retired since
        by_category.setdefault(name, n)

    reqs = InfoRequest.objects.filter(township=township, received_on__isnull=False, received_on__lte=end)
    answered_in_year = Q(status=RequestStatus.ANSWERED, reply_on__year=year)
    totals = reqs.aggregate(
        requests=Count("id", filter=Q(received_on__gte=start)),
        answered=Count("id", filter=answered_in_year),
        overdue=Count("id", filter=Q(answered_in_year, answered_late=True)
                      | Q(status__in=[RequestStatus.RECEIVED, RequestStatus.CONSULTING], answer_due__lt=cutoff)),
        carried=Count("id", filter=Q(received_on__lt=start) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))),
    )
    per_type = dict(reqs.filter(answered_in_year).values_list("reply_type").annotate(n=Count("id"))
                    .values_list("reply_type", "n"))
    return {
        "proactive_items": item_totals["total"],
        "by_category": by_category,
        "late_items": item_totals["late"],
        "requests": totals["requests"],
        "requests_answered": totals["answered"],
        "requests_overdue": totals["overdue"],
        "by_reply_type": {label: per_type.get(value, 0) for value, label in ReplyType.choices},
        "requests_carried_over": totals["carried"],
    }


def request_deadline(req, today=None):
    return answer_deadline(req, conf=settings_for(req.township), today=today)
