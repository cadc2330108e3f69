"""The Art. 50 annual report: figures the module does not hold, and publishing the report on the portal."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import snapshot
from fazhi.core.errors import DomainError
from fazhi.core.writes import require_role, save_audited
from fazhi.disclosure import annual, documents
from fazhi.disclosure.models import AnnualReportExtra, Category, DisclosureItem
from fazhi.disclosure.permissions import REFUSED, WRITE_ROLES
from fazhi.disclosure.sanitize import plain_text
from fazhi.disclosure.services.items import attachment_add, item_create
from fazhi.disclosure.workflow.items import item_transition


@transaction.atomic
def annual_extra_save(*, actor, township, year: int, figures: dict, problems: str = "",
                      other: str = "") -> AnnualReportExtra:
    """Figures the module does not hold (reconsiderations and lawsuits about disclosure) and the text parts."""
    require_role(actor, township, WRITE_ROLES, REFUSED)
    extra = AnnualReportExtra.objects.select_for_update().filter(township=township, year=year).first()
    before = snapshot(extra) if extra else None
    extra = extra or AnnualReportExtra(township=township, year=year)
    for key in ("reconsideration", "litigation_direct", "litigation_after"):
        values = {k: int(v) for k, v in (figures.get(key) or {}).items()}
        if any(v < 0 for v in values.values()):
            raise DomainError("数量不能为负数。")
        setattr(extra, key, values)
    extra.problems, extra.other = plain_text(problems, 5000), plain_text(other, 5000)
    return save_audited(extra, actor=actor, before=before)


@transaction.atomic
def annual_report_publish(*, actor, township, year: int) -> DisclosureItem:
    """Publish the year's report on the portal with its .docx (条例第四十九条: by 31 January)."""
    require_role(actor, township, WRITE_ROLES, REFUSED)
    ref = f"annual:{year}"
    if DisclosureItem.objects.filter(township=township, source_module="政务公开", source_ref=ref).exists():
        raise DomainError(f"{year}年度报告已经发布，如需更正请修改已发布的信息。")
    if year >= timezone.localdate().year:
        raise DomainError("年度报告须在该年度结束后发布。")
    tables = annual.report_tables(township, year)
    category = Category.objects.filter(name="政府信息公开年度报告").first() or Category.objects.filter(
        active=True).first()
    item = item_create(actor=actor, township=township, category=category, title=tables["title"],
                       body=annual.report_html(tables), formed_on=timezone.localdate(), source_module="政务公开",
                       source_ref=ref)
    attachment_add(actor=actor, item=item, upload=SimpleUploadedFile(f"{item.title}.docx",
                                                                     documents.report_docx(tables)))
    return item_transition(actor=actor, item=item, step="publish", data={"note": "发布年度报告"})
