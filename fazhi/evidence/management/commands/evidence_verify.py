"""fazhi evidence_verify — re-hash every stored evidence file; exit 1 on any mismatch or missing file."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from fazhi.evidence.integrity import verify_all


class Command(BaseCommand):
    help = "重新计算所有证据文件的 SHA-256 并与登记值比对；有不一致或缺失时退出码为 1。"

    def add_arguments(self, parser):
        parser.add_argument("--township", help="只校验该乡镇（区划代码）")

    def handle(self, *args, **o):
        report = verify_all(township_code=o.get("township"), progress=lambda line: self.stdout.write(line))
        for line in report.problems:
            self.stderr.write(line)
        for line in report.warnings:
            self.stdout.write("提示：" + line)
        self.stdout.write(f"校验 {report.checked} 个文件（{report.bytes} 字节）：一致 {report.ok}，"
                          f"不一致或缺失 {len(report.problems)}。")
        if report.problems:
            raise CommandError("证据文件校验未通过。", returncode=1)
