"""fazhi evidence_import PATH... — register files copied from a camera dock (one streaming pass each)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.core.models import Region
from fazhi.core.scope import default_township
from fazhi.evidence.models import Stage
from fazhi.evidence.selectors import WRITE_ROLES, subject_model
from fazhi.evidence.services import evidence_ingest

# Body cameras name files by their start time: 20240315_093012.mp4, DSJ_20240315093012_0001.MP4, …
_STAMP = re.compile(r"(20\d{2})(\d{2})(\d{2})[_\-T ]?(\d{2})(\d{2})(\d{2})")


def started_from_name(name: str):
    m = _STAMP.search(name)
    if not m:
        return None
    try:
        return timezone.make_aware(dt.datetime(*map(int, m.groups())))
    except ValueError:
        return None


class Command(BaseCommand):
    help = "导入执法记录仪等设备导出的文件（逐个流式计算 SHA-256，重复文件只存一份）。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="文件或目录（目录递归导入）")
        parser.add_argument("--user", required=True, help="导入人用户名（须为该乡镇执法人员等）")
        parser.add_argument("--township", help="乡镇区划代码（用户只在一个乡镇时可省略）")
        parser.add_argument("--subject", default="", help="关联对象，如 enforcement.case:12")
        parser.add_argument("--stage", default=Stage.PATROL, choices=Stage.values)
        parser.add_argument("--device", default="")
        parser.add_argument("--place", default="")
        parser.add_argument("--description", default="")
        parser.add_argument("--officer", action="append", default=[], help="执法人员用户名（可多次）")
        parser.add_argument("--purpose", default="执法记录仪数据导入")

    def handle(self, *args, **o):
        User = get_user_model()
        actor = User.objects.filter(username=o["user"]).first()
        if actor is None:
            raise CommandError(f"用户不存在：{o['user']}")
        if o["township"]:
            township = Region.objects.filter(code=o["township"]).first()
            if township is None:
                raise CommandError(f"乡镇不存在：{o['township']}")
        else:
            township = default_township(actor, WRITE_ROLES)
            if township is None:
                raise CommandError("请用 --township 指定乡镇。")
        subject = None
        if o["subject"]:
            label, _, pk = o["subject"].partition(":")
            model = subject_model(label)
            subject = model._default_manager.filter(pk=pk).first() if model and pk else None
            if subject is None:
                raise CommandError(f"关联对象不存在：{o['subject']}")
        officers = list(User.objects.filter(username__in=o["officer"]))
        if len(officers) != len(set(o["officer"])):
            raise CommandError("有执法人员用户名不存在。")
        files = []
        for raw in o["paths"]:
            p = Path(raw)
            if p.is_dir():
                files += sorted(f for f in p.rglob("*") if f.is_file())
            elif p.is_file():
                files.append(p)
            else:
                raise CommandError(f"路径不存在：{raw}")
        failed = 0
        for path in files:
            try:
                with open(path, "rb") as fh:
                    ev = evidence_ingest(actor=actor, township=township, fileobj=fh, filename=path.name,
                                         subject=subject, stage=o["stage"], device=o["device"], officers=officers,
                                         started_at=started_from_name(path.name), place=o["place"],
                                         description=o["description"], purpose=o["purpose"])
            except DomainError as e:
                failed += 1
                self.stderr.write(f"✗ {path}: {e.message}")
                continue
            self.stdout.write(f"✓ {path}  #{ev.pk}  sha256={ev.sha256}  {ev.size} 字节")
        self.stdout.write(f"导入 {len(files) - failed} 个，失败 {failed} 个。")
        if failed:
            raise CommandError(f"{failed} 个文件未导入。", returncode=1)
