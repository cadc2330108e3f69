from django.core.management.base import BaseCommand, CommandError

from fazhi.core.models import LEVEL_ORDER


class Command(BaseCommand):
    help = "录入一个行政区划：fazhi region_add 431127201000 犁头瑶族乡 township --parent 431127000000"

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("name")
        parser.add_argument("level", choices=[lv.value for lv in LEVEL_ORDER])
        parser.add_argument("--parent", default=None)

    def handle(self, *args, **o):
        from fazhi.core.services import region_save

        try:
            region = region_save(actor=None, code=o["code"], name=o["name"], level=o["level"], parent_code=o["parent"])
        except Exception as e:  # DomainError carries a Chinese message
            raise CommandError(getattr(e, "message", str(e))) from e
        self.stdout.write(self.style.SUCCESS(f"已录入 {region.code} {region.name}"))
