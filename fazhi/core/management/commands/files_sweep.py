from django.core.management.base import BaseCommand

from fazhi.core.files import orphan_files, sweep_orphans


class Command(BaseCommand):
    help = "清理存储中没有任何记录引用的文件（中断的写入留下的孤立文件）。"

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=float, default=3600, help="只清理超过该秒数的文件（默认3600，避开正在上传的文件）")
        parser.add_argument("--dry-run", action="store_true", help="只列出，不删除")

    def handle(self, *args, older_than, dry_run, **options):
        names = orphan_files(older_than=older_than) if dry_run else sweep_orphans(older_than=older_than)
        for name in names:
            self.stdout.write(name)
        self.stdout.write(f"{'发现' if dry_run else '已清理'}孤立文件 {len(names)} 个。")
