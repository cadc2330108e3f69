from django.core.management.base import BaseCommand

from fazhi.core.demo import DEMO_PASSWORD, load_all


class Command(BaseCommand):
    help = "载入演示数据：犁头瑶族乡（蓝山县）2024年数据、第二个乡镇及各角色演示账号（可重复执行）。"

    def handle(self, *args, **options):
        from fazhi.core.files import sweep_orphans

        # A previous run killed half-way left files whose rows were never committed: drop them first.
        removed = sweep_orphans(older_than=0)
        if removed:
            self.stdout.write(f"已清理上次中断留下的孤立文件 {len(removed)} 个。")
        load_all(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已载入。"))
        self.stdout.write("演示账号：litou_<角色>（犁头瑶族乡）、demo2_<角色>（汇源瑶族乡）、county_supervisor（蓝山县督查，只读）、county_legal（蓝山县司法局执法监督）")
        self.stdout.write("角色：leader legal_staff officer mediator village_cadre counsel admin")
        self.stdout.write(f"演示密码（仅供演示）：{DEMO_PASSWORD}")
