import json

from django.core.management.base import BaseCommand, CommandError

from fazhi.audit import signing
from fazhi.audit.services import checkpoint_create, checkpoint_export
from fazhi.core.errors import DomainError


class Command(BaseCommand):
    help = "立即生成并签名审计检查点（RFC 6962 默克尔树根，Ed25519），并可导出全部检查点为JSON（供 audit_verify --against）。"

    def add_arguments(self, parser):
        parser.add_argument("--export", metavar="FILE", help="把全部已签名检查点和公钥写入此JSON文件")

    def handle(self, *args, **options):
        try:
            cp = checkpoint_create()
        except DomainError as e:
            raise CommandError(e.message) from None
        self.stdout.write(f"检查点：前{cp.tree_size}条，根哈希 {cp.root_hash}")
        self.stdout.write(f"签名：{cp.signature}")
        self.stdout.write(f"公钥：{signing.public_key_b64()}（指纹 {signing.fingerprint()}）")
        if options["export"]:
            with open(options["export"], "w", encoding="utf-8") as fh:
                json.dump(checkpoint_export(), fh, ensure_ascii=False, indent=2)
            self.stdout.write(f"已导出到 {options['export']}")
