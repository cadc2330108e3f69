from django.db import models


class Role(models.TextChoices):
    LEADER = "leader", "乡镇领导"
    LEGAL_STAFF = "legal_staff", "法治办/司法所"
    OFFICER = "officer", "执法队员"
    MEDIATOR = "mediator", "调解员"
    VILLAGE_CADRE = "village_cadre", "村干部"
    COUNSEL = "counsel", "法律顾问"
    SUPERVISOR = "supervisor", "县级督查"
    COUNTY_LEGAL = "county_legal", "县司法局执法监督"
    ADMIN = "admin", "系统管理员"


ALL_ROLES = frozenset(Role)
READ_ONLY_ROLES = frozenset({Role.SUPERVISOR})
# County-level roles: never write a township's own records (county_legal writes oversight records only).
COUNTY_ROLES = frozenset({Role.SUPERVISOR, Role.COUNTY_LEGAL})
# Township staff who run the day-to-day ledgers.
TOWNSHIP_STAFF = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.OFFICER, Role.MEDIATOR, Role.ADMIN})
# Roles that read the whole township's ledgers (supervisor reads, never writes).
READERS = TOWNSHIP_STAFF | {Role.SUPERVISOR}
