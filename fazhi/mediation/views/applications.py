"""Staff side of online mediation applications: the list and one application with its open steps inline
(workflow.APPLICATION_FLOW: accept into the ledger, decline with the reason), and its photos."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.mediation import selectors
from fazhi.mediation.models import Application, ApplicationPhoto
from fazhi.mediation.permissions import HANDLE_ROLES
from fazhi.mediation.workflow import APPLICATION_FLOW


@role_view(read=HANDLE_ROLES)
def application_list(request):
    return render(request, "mediation/applications.html", {"apps": selectors.applications_for(request.user)[:300]})


@role_view(read=HANDLE_ROLES, model=Application)
def application_detail(request, pk):
    app = get_visible_or_404(selectors.applications_for(request.user), request.user, roles=HANDLE_ROLES, pk=pk)
    return render(request, "mediation/application_detail.html", {
        "app": app, "photos": app.photos.all(), "step_forms": APPLICATION_FLOW.forms_for(app, request.user)})


@role_view(read=HANDLE_ROLES, model=Application, url_kwargs=lambda p: {"pk": p.application_id, "photo": p.pk})
def application_photo(request, pk, photo):
    app = get_visible_or_404(selectors.applications_for(request.user), request.user, roles=HANDLE_ROLES, pk=pk)
    p = app.photos.filter(pk=photo).first()
    if p is None:
        raise Http404("没有这张照片。")
    return FileResponse(p.image.open("rb"), content_type=p.content_type)


application_photo.fazhi_sample = lambda township: (
    ApplicationPhoto.objects.filter(township=township).order_by("pk").first())
