from django.core.management.base import BaseCommand, CommandError

from fazhi.audit.backup import key_warning, restore_run
from fazhi.core.errors import DomainError


class Command(BaseCommand):
    help = ("从 fazhi backup 的目录恢复：先校验清单中每个文件的 SHA-256，只恢复到空的数据目录/空数据库（拒绝覆盖），"
            "恢复后核对记录数。之后请运行 audit_verify --against DIR/manifest.json 与 evidence_verify。")

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="DIR", help="备份目录")

    def handle(self, *args, **options):
        try:
            manifest = restore_run(options["source"])
        except DomainError as e:
            raise CommandError(e.message) from None
        total = sum(manifest["counts"].values())
        self.stdout.write(f"恢复完成：{len(manifest['files'])}个文件，{total}条数据库记录，记录数与备份一致。")
        if warning := key_warning(manifest):
            self.stderr.write(warning)
        self.stdout.write(f"下一步：fazhi audit_verify --against {options['source']}/manifest.json；fazhi evidence_verify")
