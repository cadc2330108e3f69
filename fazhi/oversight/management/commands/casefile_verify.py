"""fazhi casefile_verify FILE.zip — re-checks an exported case file against its manifest (exit 1 if not)."""

from django.core.management.base import BaseCommand

from fazhi.oversight.casefile import verify_casefile


class Command(BaseCommand):
    help = "校验导出的卷宗压缩包：每个文件都在且 SHA-256 与清单一致；完好退出码 0，否则 1。"

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            fh = open(path, "rb")
        except OSError as e:
            self.stderr.write(f"无法打开 {path}：{e.strerror}")
            raise SystemExit(1) from None
        with fh:
            problems = verify_casefile(fh)
        if problems:
            for p in problems:
                self.stderr.write(p)
            raise SystemExit(1)
        self.stdout.write("卷宗完好：全部文件与清单的 SHA-256 一致。")
