"""Who may import which ledger, written once. A ledger is imported by whoever may write it on its own
page, so each role set is the owning module's (imported here, and only here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fazhi.core.scope import has_role
from fazhi.core.writes import require_role
from fazhi.disclosure.permissions import WRITE_ROLES as DISCLOSURE_WRITE
from fazhi.education.permissions import EVENT_WRITE, STUDY_WRITE
from fazhi.enforcement.permissions import CASE_WRITE as CASE_WRITE_ROLES
from fazhi.enforcement.permissions import CATALOGUE_WRITE as CATALOGUE_WRITE_ROLES
from fazhi.mediation.permissions import HANDLE_ROLES
from fazhi.organization.permissions import ORG_WRITE

if TYPE_CHECKING:
    from fazhi.imports.engine import LedgerSpec

DISPUTE_ROLES = HANDLE_ROLES  # 矛盾纠纷台账: who takes in a dispute
EVENT_ROLES = EVENT_WRITE  # 普法宣传活动台账
STUDY_ROLES = STUDY_WRITE  # 学法活动台账
OFFICER_ROLES = CATALOGUE_WRITE_ROLES  # 执法人员与证件台账
INSPECTION_ROLES = CASE_WRITE_ROLES  # 行政检查（巡查）台账
REQUEST_ROLES = DISCLOSURE_WRITE  # 政府信息公开申请台账
ITEM_ROLES = DISCLOSURE_WRITE  # 主动公开信息台账
MEMBER_ROLES = ORG_WRITE  # 法治建设领导小组成员
TASK_ROLES = ORG_WRITE  # 年度工作计划任务
# anyone who may import some ledger: the import pages and the menu entry
IMPORT_ROLES = (DISPUTE_ROLES | EVENT_ROLES | STUDY_ROLES | OFFICER_ROLES | INSPECTION_ROLES | REQUEST_ROLES
                | ITEM_ROLES | MEMBER_ROLES | TASK_ROLES)


def may_import(user, spec: LedgerSpec) -> bool:
    """May the user import this ledger somewhere (the ledger list and the ledger pages)?"""
    return has_role(user, spec.roles)


def require_import(actor, township, spec: LedgerSpec) -> None:
    """May the actor write this ledger in this township (the import itself)?"""
    require_role(actor, township, spec.roles, f"您无权向{township.name}导入{spec.label}。")
