"""Run periodically (cron/systemd timer): bring scheduled items whose time has come to “已公开”.
The portal shows them on time without it; this writes their transition rows."""

from django.core.management.base import BaseCommand

from fazhi.disclosure.services.items import items_publish_due


class Command(BaseCommand):
    help = "将到达定时发布时间的公开信息标记为已公开"

    def handle(self, *args, **options):
        n = items_publish_due()
        self.stdout.write(f"已发布 {n} 条定时公开信息。")
