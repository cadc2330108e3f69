"""Who may do what in 学法普法, written once: read by views, selectors and services alike."""

from __future__ import annotations

from fazhi.accounts.roles import READERS, Role
from fazhi.core.errors import DomainError
from fazhi.core.models import RegionLevel
from fazhi.core.scope import can_act_in, has_role, villages_for
from fazhi.core.writes import require_role

EDU_READ = frozenset(READERS)
STUDY_WRITE = frozenset({Role.LEADER, Role.LEGAL_STAFF})
# Village cadres (村干部) record publicity events and venues for their own village.
EVENT_READ = frozenset(READERS | {Role.VILLAGE_CADRE})
EVENT_WRITE = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.VILLAGE_CADRE})
CATALOGUE_WRITE = frozenset({Role.ADMIN})


def may_record_for_village(user, village_id) -> bool:
    """May the user record events and venues for this village (own village for 村干部, any of the township else)?"""
    return villages_for(user, EVENT_WRITE).filter(pk=village_id).exists()


def require_village(actor, township, village) -> None:
    """Events, photos and venues: the actor writes in the township and for that village."""
    require_role(actor, township, EVENT_WRITE)
    if village is None or village.level != RegionLevel.VILLAGE or village.parent_id != township.pk:
        raise DomainError("请选择本乡镇的村（居）。")
    if not may_record_for_village(actor, village.pk):
        raise DomainError(f"您只能登记本村的记录，无权登记{village.name}的记录。")


def may_write_study(user, township) -> bool:
    return can_act_in(user, township, STUDY_WRITE)


def may_edit_catalogue(user) -> bool:
    return has_role(user, CATALOGUE_WRITE)


def require_catalogue_admin(actor) -> None:
    if not may_edit_catalogue(actor):
        raise DomainError("只有系统管理员可以维护目录。")
