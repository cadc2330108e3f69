"""fazhi search_reindex [app_label.Model ...] — rebuild the search index (after bulk loads that skip signals)."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from fazhi.core import search_index


class Command(BaseCommand):
    help = "重建检索索引（批量导入或基准数据生成之后运行）。"

    def add_arguments(self, parser):
        parser.add_argument("models", nargs="*", help="app_label.Model；省略则重建全部已登记的模型")

    def handle(self, *labels, **options):
        try:
            models = [apps.get_model(label) for label in labels] or search_index.registered_models()
        except (LookupError, ValueError) as e:
            raise CommandError(f"未知的模型：{e}") from None
        for model in models:
            if search_index.registered_fields(model) is None:
                raise CommandError(f"{model._meta.label} 未登记检索字段。")
            n = search_index.reindex(model)
            self.stdout.write(f"{model._meta.verbose_name}（{model._meta.label}）：已索引 {n} 条")
