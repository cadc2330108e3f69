"""fazhi export_cases --since DATE [--until DATE] [--region 区划代码或名称 …] --out DIR"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fazhi.imports import exchange, reader


class Command(BaseCommand):
    help = ("导出某一期间的全部行政执法案件（JSON Lines 与 .xlsx，个人信息按公示规则隐去），"
            "附 manifest.json（条数与各文件SHA-256），供定时向上级执法监督平台推送。")

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="起始日期（含），如 2024-01-01")
        parser.add_argument("--until", help="截止日期（含），默认今天")
        parser.add_argument("--region", action="append", default=[], help="乡镇或县的区划代码或名称，可重复；默认全部")
        parser.add_argument("--out", required=True, help="输出目录")

    def handle(self, *args, since, until, region, out, **options):
        try:
            start = reader.parse_date(since)
            end = reader.parse_date(until) if until else timezone.localdate()
        except ValueError as e:
            raise CommandError(str(e)) from None
        if start is None or end is None:
            raise CommandError("日期格式不正确，请写成 2024-01-01。")
        if end < start:
            raise CommandError("截止日期不能早于起始日期。")
        towns = []
        for text in region or [None]:
            r = exchange.find_region(text) if text else None
            if text and r is None:
                raise CommandError(f"找不到区划：{text}")
            towns.extend(t for t in exchange.townships_of(r) if t not in towns)
        files = exchange.build(townships=towns, since=start, until=end)
        paths = exchange.write(Path(out), files)
        import json

        count = json.loads(files["manifest.json"])["cases"]
        self.stdout.write(f"已导出{count}件案件（{len(towns)}个乡镇，{start}至{end}）：" + "、".join(str(p) for p in paths))
