from django.core.management.base import BaseCommand, CommandError

from fazhi.audit.backup import backup_create
from fazhi.core.errors import DomainError


class Command(BaseCommand):
    help = ("在线备份：数据库（SQLite 在线备份接口 / PostgreSQL pg_dump）、全部存储文件和清单 manifest.json"
            "（每个文件的 SHA-256、记录数、最新的审计签名根）。先写入 DIR.partial，完成后才改名为 DIR。")

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, metavar="DIR", help="备份目录（必须尚不存在）")

    def handle(self, *args, **options):
        try:
            manifest = backup_create(options["output"])
        except DomainError as e:
            raise CommandError(e.message) from None
        root = manifest["audit_root"]
        size = sum(f["size"] for f in manifest["files"])
        self.stdout.write(f"备份完成：{options['output']}，{len(manifest['files'])}个文件，共{size}字节。")
        if root:
            self.stdout.write(f"审计签名根：前{root['tree_size']}条，根哈希 {root['root_hash']}")
