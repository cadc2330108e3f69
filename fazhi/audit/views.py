import json

from django.apps import apps
from django.http import Http404, HttpResponse
from django.shortcuts import render

from fazhi.audit import selectors
from fazhi.audit.models import AuditEntry
from fazhi.audit.services import checkpoint_export
from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.ledger import Column, Filter, Ledger

ACTIONS = [("create", "新建"), ("update", "修改"), ("delete", "删除"), ("transition", "状态变更"),
           ("view", "查看"), ("download", "下载"), ("export", "导出"), ("login", "登录")]

entries_ledger = Ledger(
    title="审计日志",
    columns=[
        Column("序号", "seq", sort="seq"),
        Column("时间", "created_at", sort="created_at"),
        Column("乡镇", "township.name"),
        Column("操作人", "actor_name"),
        Column("动作", lambda e: dict(ACTIONS).get(e.action, e.action)),
        Column("对象", "object_repr"),
        Column("理由", "reason"),
    ],
    filters=[Filter("action", "动作", "action", ACTIONS)],
    search_fields=["object_repr", "actor_name", "reason"],
    default_sort="-seq",
    page_size=50,
)


@role_view(read=selectors.AUDIT_READERS)
def entries(request):
    return entries_ledger.respond(request, selectors.entry_list_for(request.user),
                                  context={"checkpoints": selectors.checkpoint_list()[:5]})


@role_view(read=selectors.AUDIT_READERS)
def checkpoints_export(request):
    body = json.dumps(checkpoint_export(), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-checkpoints.json"'
    return response


def _history_sample(township):
    """An entry about a township-owned record of `township` (for the URL-walk test)."""
    from fazhi.core.models import TownshipOwned

    for e in AuditEntry.objects.filter(township=township).exclude(object_type="").order_by("-seq")[:200]:
        try:
            model = apps.get_model(e.object_type)
        except (LookupError, ValueError):
            continue
        if issubclass(model, TownshipOwned) and model.objects.filter(pk=e.object_id).exists():
            return e
    return None


@role_view(read=selectors.HISTORY_READERS, model=AuditEntry,
           url_kwargs=lambda e: {"object_type": e.object_type, "pk": e.object_id})
def history(request, object_type, pk):
    """The change history of one record, after the same scope check as the record itself."""
    from fazhi.core.models import TownshipOwned

    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        raise Http404("未找到该记录。") from None
    if not issubclass(model, TownshipOwned):
        raise Http404("未找到该记录。")
    obj = get_visible_or_404(model, request.user, roles=selectors.HISTORY_READERS, pk=pk)
    return render(request, "audit/_history.html",
                  {"lines": selectors.history_lines_for(obj), "object": obj})


history.fazhi_sample = _history_sample
