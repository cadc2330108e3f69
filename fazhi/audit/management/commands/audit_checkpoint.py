import json

from django.core.management.base import BaseCommand

from fazhi.audit.models import Checkpoint
from fazhi.audit.services import checkpoint_create


class Command(BaseCommand):
    help = "立即生成审计检查点（RFC 6962 默克尔树根），并可导出全部检查点为JSON。"

    def add_arguments(self, parser):
        parser.add_argument("--export", metavar="FILE", help="把全部检查点写入此JSON文件")

    def handle(self, *args, **options):
        cp = checkpoint_create()
        self.stdout.write(f"检查点：前{cp.tree_size}条，根哈希 {cp.root_hash}")
        if options["export"]:
            rows = [{"tree_size": c.tree_size, "root_hash": c.root_hash, "created_at": c.created_at.isoformat()}
                    for c in Checkpoint.objects.order_by("tree_size")]
            with open(options["export"], "w", encoding="utf-8") as fh:
                json.dump({"algorithm": "RFC6962-SHA256", "checkpoints": rows}, fh, ensure_ascii=False, indent=2)
            self.stdout.write(f"已导出到 {options['export']}")
