from django.core.management.base import BaseCommand

from fazhi.core.retention import idempotency_hours, import_files_hours, purge_expired


class Command(BaseCommand):
    help = "清理超过保存期限的技术记录：接口幂等记录、已过期的后台导出文件、导入错误报告和进度文件（请每日运行一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args, dry_run, **options):
        n = purge_expired(dry_run=dry_run)
        verb = "可清理" if dry_run else "已清理"
        self.stdout.write(f"{verb}：接口幂等记录 {n['idempotency']} 条（保存{idempotency_hours()}小时），"
                          f"后台导出 {n['exports']} 个，导入文件 {n['import_files']} 个（保存{import_files_hours()}小时）。")
