from django.core.management.base import BaseCommand

from fazhi.audit.verify import verify_chain


class Command(BaseCommand):
    help = "验证审计日志哈希链与检查点；完好退出码0，发现篡改退出码1并指出第一条问题记录。"

    def handle(self, *args, **options):
        result = verify_chain()
        if result.ok:
            self.stdout.write(f"审计链完好：共校验{result.checked}条记录。")
            return
        self.stderr.write(f"审计链校验失败：{result.problem}")
        raise SystemExit(1)
