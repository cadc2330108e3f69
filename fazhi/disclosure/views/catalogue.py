"""The shared catalogue (admins) and a township's statutory settings."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.core.access import role_view
from fazhi.core.errors import DomainError
from fazhi.core.params import int_param
from fazhi.disclosure import selectors
from fazhi.disclosure.deadlines import settings_for
from fazhi.disclosure.forms import CategoryForm, SettingsForm
from fazhi.disclosure.models import Category
from fazhi.disclosure.permissions import CATALOGUE_ROLES, READ_ROLES, SETTINGS_ROLES
from fazhi.disclosure.services.catalogue import category_save, settings_save
from fazhi.disclosure.views import pick_township


@role_view(read=CATALOGUE_ROLES, write=CATALOGUE_ROLES)
@require_http_methods(["GET", "POST"])
def categories(request):
    raw_id = request.GET.get("id", "")
    editing = Category.objects.filter(pk=int_param(raw_id)).first() if int_param(raw_id) is not None else None
    initial = ({"name": editing.name, "group": editing.group, "basis": editing.basis, "order": editing.order,
                "active": editing.active} if editing else None)
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            category_save(actor=request.user, category=editing, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "公开类目已保存。")
            return redirect("disclosure:categories")
    return render(request, "disclosure/categories.html", {
        "form": form, "editing": editing, "categories": selectors.categories(active_only=False)})


@role_view(read=READ_ROLES, write=SETTINGS_ROLES)
@require_http_methods(["GET", "POST"])
def settings_page(request):
    township, towns = pick_township(request, READ_ROLES)
    if township is None:
        raise Http404("没有可设置的乡镇。")
    conf = settings_for(township)
    form = SettingsForm(request.POST or None, instance=conf)
    if request.method == "POST" and form.is_valid():
        try:
            settings_save(actor=request.user, township=township,
                          **{k: form.cleaned_data[k] for k in SettingsForm.Meta.fields})
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "政务公开设置已保存。")
            return redirect(reverse("disclosure:settings") + f"?township={township.code}")
    return render(request, "disclosure/settings.html", {"form": form, "township": township, "towns": towns})
