"""fazhi evidence_retention — the retention job: dispose evidence past its retention period (never
evidence of an open case), and clear abandoned uploads. Run daily (cron / systemd timer)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand

from fazhi.evidence.services import retention_run
from fazhi.evidence.uploads import uploads_cleanup


class Command(BaseCommand):
    help = "按保存期限销毁到期证据（关联案件未办结的除外），并清理中断的上传。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按该日期执行（YYYY-MM-DD），默认今天")

    def handle(self, *args, **o):
        today = dt.date.fromisoformat(o["today"]) if o.get("today") else None
        result = retention_run(today=today)
        cleared = uploads_cleanup()
        self.stdout.write(f"销毁到期证据 {result['disposed']} 个；因案件未办结保留 {result['kept_open']} 个；"
                          f"清理中断的上传 {cleared} 个。")
