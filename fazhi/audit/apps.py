from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fazhi.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_signing_key, sender=self)
        from fazhi.accounts.roles import Role
        from fazhi.core.nav import NavItem, register

        register(NavItem("审计日志", "audit:entries", roles={Role.ADMIN, Role.LEGAL_STAFF, Role.LEADER, Role.SUPERVISOR},
                         group="系统", order=910))
        from fazhi.audit.models import AuditEntry
        from fazhi.core import search_index

        # the county audit ledger searches a million entries: through the index (not in the one search box)
        search_index.register(AuditEntry, ["object_repr", "actor_name", "reason"])


def _ensure_signing_key(**kwargs):
    """The first `migrate` creates the checkpoint signing key (outside the database) when it is absent."""
    from fazhi.audit.signing import ensure_key, key_path

    if ensure_key() and kwargs.get("verbosity", 1):
        print(f"已生成审计签名密钥：{key_path()}（权限0600，请与数据库分开备份）")
