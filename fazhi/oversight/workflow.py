"""The two oversight workflows, declared once: a 评查 round, and a 督办/整改 notice."""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.core.workflow import Workflow
from fazhi.oversight import permissions
from fazhi.oversight.models import NoticeStatus, RoundStatus

ROUND_WORKFLOW = Workflow(
    "review_round",
    allowed={RoundStatus.DRAFT: {RoundStatus.DRAWN}, RoundStatus.DRAWN: {RoundStatus.FINISHED}},
    labels=dict(RoundStatus.choices),
)

NOTICE_WORKFLOW = Workflow(
    "notice",
    allowed={
        NoticeStatus.ISSUED: {NoticeStatus.ANSWERED},
        NoticeStatus.RETURNED: {NoticeStatus.ANSWERED},
        NoticeStatus.ANSWERED: {NoticeStatus.ACCEPTED, NoticeStatus.RETURNED},
    },
    labels=dict(NoticeStatus.choices),
)


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    target: str
    roles: frozenset
    county_side: bool  # True: the county acts (scope: the notice's county); False: the township answers
    confirm: str = ""


NOTICE_STEPS = {
    "answer": Step("answer", "答复整改情况", NoticeStatus.ANSWERED, permissions.TOWNSHIP_ANSWER, county_side=False),
    "accept": Step("accept", "审核通过", NoticeStatus.ACCEPTED, permissions.WRITE, county_side=True,
                   confirm="确认整改到位、办结此通知？"),
    "return": Step("return", "退回重新整改", NoticeStatus.RETURNED, permissions.WRITE, county_side=True,
                   confirm="确认退回乡镇重新整改？"),
}
