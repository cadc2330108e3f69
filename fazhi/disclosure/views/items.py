"""Staff pages for proactive items: the ledger, entry and editing, the record page (with its publication
steps inline), attachments."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.disclosure import selectors
from fazhi.disclosure.deadlines import publish_deadline
from fazhi.disclosure.forms import AttachmentForm, ItemForm
from fazhi.disclosure.models import Attachment, DisclosureItem, ItemStatus
from fazhi.disclosure.permissions import READ_ROLES, WRITE_ROLES, may_write
from fazhi.disclosure.services import items as item_services
from fazhi.disclosure.views import pick_township
from fazhi.disclosure.workflow.items import ITEM_FLOW, ITEM_WORKFLOW

ITEMS = Ledger(
    title="主动公开信息",
    columns=[
        Column("标题", "title", sort="title", link=True),
        Column("类目", "category.name", sort="category__order"),
        Column("乡镇", "township.name"),
        Column("形成（变更）日期", "formed_on", sort="formed_on"),
        Column("公开期限", "publish_due", sort="publish_due"),
        Column("状态", "status", sort="status"),
        Column("公开时间", "published_at", sort="published_at"),
        Column("超期", lambda o: "超期" if o.published_late else ""),
    ],
    filters=[
        Filter("status", "状态", "status", ItemStatus.choices),
        Filter("category", "类目", "category_id", lambda r: [(c.pk, c.name) for c in selectors.categories()]),
        Filter("late", "超期公开", "published_late", [("True", "是")]),
    ],
    search_fields=["title", "summary", "body", "doc_number"],
    default_sort="-formed_on",
    row_url=lambda o: reverse("disclosure:item_detail", args=[o.pk]),
    actions=[("新建公开信息", reverse_lazy("disclosure:item_new"))],
)


@role_view(read=READ_ROLES)
def items(request):
    item_services.items_publish_due()
    return ITEMS.respond(request, selectors.item_list_for(request.user))


@role_view(read=READ_ROLES, write=WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def item_new(request):
    township, towns = pick_township(request)
    if township is None:
        raise Http404("您没有可以填报公开信息的乡镇。")
    form = ItemForm(request.POST or None, initial={"formed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            item = item_services.item_create(actor=request.user, township=township, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "已保存为草稿，请核对后公开。")
            return redirect("disclosure:item_detail", pk=item.pk)
    return render(request, "disclosure/item_form.html", {"form": form, "township": township, "towns": towns})


@role_view(read=READ_ROLES, model=DisclosureItem)
def item_detail(request, pk):
    item = get_visible_or_404(selectors.item_list_for(request.user), request.user, READ_ROLES, pk=pk)
    return render(request, "disclosure/item_detail.html", {
        "item": item, "deadline": publish_deadline(item), "attachments": item.attachments.all(),
        "step_forms": ITEM_FLOW.forms_for(item, request.user),
        "transitions": [(t, ITEM_WORKFLOW.label(t.from_status) if t.from_status else "—",
                         ITEM_WORKFLOW.label(t.to_status)) for t in item.transitions.select_related("actor")],
        "attachment_form": AttachmentForm(),
        "is_public": item.is_public(), "can_write": may_write(request.user, item.township),
        "today": timezone.localdate(),
    })


@role_view(read=READ_ROLES, write=WRITE_ROLES, model=DisclosureItem)
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = get_visible_or_404(selectors.item_list_for(request.user), request.user, READ_ROLES, pk=pk)
    initial = {k: getattr(item, k) for k in ("category", "title", "doc_number", "formed_on", "summary", "body")}
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item_services.item_update(actor=request.user, item=item, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "已保存修改。")
            return redirect("disclosure:item_detail", pk=item.pk)
    return render(request, "disclosure/item_form.html", {"form": form, "item": item, "township": item.township})


@role_view(read=READ_ROLES, write=WRITE_ROLES, model=DisclosureItem)
def item_attach(request, pk):
    item = get_visible_or_404(selectors.item_list_for(request.user), request.user, READ_ROLES, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件。")
    else:
        try:
            item_services.attachment_add(actor=request.user, item=item, upload=form.cleaned_data["file"])
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, "附件已上传。")
    return redirect("disclosure:item_detail", pk=pk)


def _attachment_list_for(user):
    return Attachment.objects.visible_to(user, roles=READ_ROLES).select_related("item")


@role_view(read=READ_ROLES, model=Attachment)
def attachment_download(request, pk):
    att = get_visible_or_404(_attachment_list_for(request.user), request.user, READ_ROLES, pk=pk)
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)


@role_view(read=READ_ROLES, write=WRITE_ROLES, model=Attachment)
def attachment_delete(request, pk):
    att = get_visible_or_404(_attachment_list_for(request.user), request.user, READ_ROLES, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        item_services.attachment_delete(actor=request.user, attachment=att)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, "附件已删除。")
    return redirect("disclosure:item_detail", pk=att.item_id)
