import getpass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fazhi.accounts.models import Membership, User
from fazhi.audit.services import audit_record
from fazhi.core.models import Region


class Command(BaseCommand):
    help = "为正式部署创建第一个系统管理员（需先有区划）。"

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--region", required=True, help="区划代码（12位）")
        parser.add_argument("--full-name", default="")

    def handle(self, *args, **o):
        region = Region.objects.filter(code=o["region"]).first()
        if region is None:
            raise CommandError(f"区划代码 {o['region']} 不存在，请先用 fazhi region_add 录入区划。")
        if User.objects.filter(username=o["username"]).exists():
            raise CommandError("该用户名已存在。")
        password = getpass.getpass("密码：")
        if len(password) < 10:
            raise CommandError("密码至少10位。")
        with transaction.atomic():
            user = User(username=o["username"], full_name=o["full_name"])
            user.set_password(password)
            user.save()
            Membership.objects.create(user=user, region=region, role="admin")
            audit_record(actor=None, action="create", obj=user, reason="命令行创建首个管理员")
        self.stdout.write(self.style.SUCCESS(f"已创建管理员 {user.username}；首次登录时需启用两步验证。"))
