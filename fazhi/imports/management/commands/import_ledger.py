"""fazhi import_ledger <ledger> FILE --region <township code or name> --user <username> [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fazhi.core.errors import DomainError
from fazhi.core.models import Region, RegionLevel
from fazhi.imports import engine
from fazhi.imports.ledgers import LEDGERS


class Command(BaseCommand):
    help = "导入已有的Excel/CSV台账（全部成功才写入；任何一行有误则不写入并列出错误）。台账：" + "、".join(
        f"{k}（{s.label}）" for k, s in LEDGERS.items())

    def add_arguments(self, parser):
        parser.add_argument("ledger", choices=sorted(LEDGERS))
        parser.add_argument("file")
        parser.add_argument("--region", required=True, help="乡镇的区划代码或名称")
        parser.add_argument("--user", required=True, help="以哪个账号的名义导入（须有该台账的登记权限）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--report", help="有错误时把错误报告（.xlsx）写到这里")

    def handle(self, *args, ledger, file, region, user, dry_run, report, **options):
        from fazhi.accounts.models import User

        town = Region.objects.filter(level=RegionLevel.TOWNSHIP).filter(code=region).first() or \
            Region.objects.filter(level=RegionLevel.TOWNSHIP, name=region).first()
        if town is None:
            raise CommandError(f"找不到乡镇：{region}")
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"找不到账号：{user}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        spec = LEDGERS[ledger]

        def progress(done, total, phase):
            self.stdout.write(f"  {phase}：{done}/{total} 行…")

        try:
            result = engine.run(spec=spec, actor=actor, township=town, data=path.read_bytes(), filename=path.name,
                                dry_run=dry_run, progress=progress)
        except DomainError as e:
            raise CommandError(e.message) from None
        if result.errors:
            for e in result.errors[:200]:
                self.stderr.write(f"第{e.row}行 {e.column}：{e.reason}")
            if report:
                Path(report).write_bytes(engine.error_report(result))
            raise CommandError(f"共{len(result.errors)}处错误，没有导入任何记录。")
        verb = "预演通过，将新建" if dry_run else "已导入"
        self.stdout.write(f"{verb}{len(result.created)}条{spec.label}记录；跳过此前已导入的{len(result.duplicates)}行。")
