"""fazhi annual_report --region <township or county, name or code> --year <year> --output <file.docx> [--pdf]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fazhi.core import documents as document_kit
from fazhi.core.models import Region, RegionLevel
from fazhi.reports import documents, selectors


class Command(BaseCommand):
    help = "生成乡镇（或全县汇总）法治政府建设年度报告（GB/T 9704 格式 .docx，可选 PDF）。"

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="乡镇或县的名称或12位区划代码")
        parser.add_argument("--year", required=True, type=int, help="报告年度，如 2024")
        parser.add_argument("--output", required=True, help="输出文件路径（.docx）")
        parser.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 导出 PDF（与 .docx 同名）")

    def handle(self, *args, region, year, output, pdf, **options):
        target = self._region(region)
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度“{year}”不正确。")
        if target.level == RegionLevel.TOWNSHIP:
            report = selectors.township_report(target, year)
        else:
            report = selectors.county_report(target, year)
        data = documents.render_docx(report)
        path = Path(output)
        if path.suffix.lower() != ".docx":
            path = path.with_suffix(".docx")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.stdout.write(f"已生成：{path}（{report.title}）")
        for note in report.notes:
            self.stdout.write(self.style.WARNING(f"提示：{note}"))
        if pdf:
            if document_kit.libreoffice() is None:
                raise CommandError("未找到 LibreOffice（libreoffice / soffice），无法导出 PDF。"
                                   "请安装 libreoffice-writer 和中文字体（fonts-noto-cjk）后重试。")
            pdf_path = path.with_suffix(".pdf")
            pdf_path.write_bytes(document_kit.render_pdf(data))
            self.stdout.write(f"已生成：{pdf_path}")

    def _region(self, value: str) -> Region:
        value = value.strip()
        levels = [RegionLevel.TOWNSHIP, RegionLevel.COUNTY]
        if value.isdigit():
            found = Region.objects.filter(code=value, level__in=levels).first()
            if found is None:
                raise CommandError(f"未找到区划代码为“{value}”的乡镇或县。")
            return found
        matches = list(Region.objects.filter(name=value, level__in=levels)[:5])
        if not matches:
            raise CommandError(f"未找到名为“{value}”的乡镇或县。")
        if len(matches) > 1:
            codes = "、".join(f"{r.name}（{r.code}）" for r in matches)
            raise CommandError(f"名称“{value}”对应多个区划：{codes}，请改用区划代码。")
        return matches[0]
