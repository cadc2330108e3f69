"""A workflow's steps, declared once in the app's `workflow.py` and driven end to end by core.

    NOTICE_FLOW = Flow(
        name="notice", model=Notice, workflow=NOTICE_WORKFLOW, record_model=NoticeTransition, record_fk="notice",
        read_roles=permissions.ANY_READ, queryset=selectors.notices_for, detail="oversight:notice_detail",
        steps=[Step("accept", "审核通过", forms.ReasonForm, roles=permissions.WRITE, target=NoticeStatus.ACCEPTED,
                    fields=("review_note",), confirm="确认整改到位、办结此通知？", done="已办结。"), ...],
    )

    def notice_transition(*, actor, notice, step, data=None, expected_status=None, today=None):
        return run_step(NOTICE_FLOW, actor=actor, obj=notice, step=step, data=data,
                        expected_status=expected_status, today=today)

    urlpatterns = [..., *NOTICE_FLOW.urls("notices/")]      # notices/<pk>/<step>/ → oversight:notice_<step>

A step names its target status (or none: a step that records without moving, e.g. a payment), the form,
the entity fields it may set, the roles that may take it, guards `guard(obj, data, today)` raising
DomainError, the document it produces and the confirmation a destructive step asks for. `run_step` checks
the role in the record's township, the status the user saw (`expected_status` → ConflictError), the
allowed-transition table and the guards, then sets the fields, saves, and writes the transition row and
the audit entry — all in one transaction, so a refusal changes nothing. A step whose write is more than
"set these fields" names its `service` (same keywords); the transition still goes through `run_step`.

One step view serves every step of every flow: GET shows the form (with the intro and the law), POST
runs the transition; refusals are shown on the form; HTMX requests get the form fragment only. Each step
is its own URL pattern, declared with `role_view(read=flow.read_roles, write=step.roles, model=flow.model)`,
so the every-URL access walk covers it without anyone adding it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django import forms as djforms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fazhi.audit.services import audit_update, snapshot
from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import ConflictError, DomainError
from fazhi.core.scope import can_act_in
from fazhi.core.workflow import Workflow, transition
from fazhi.core.writes import clean

Guard = Callable[[object, dict, dt.date], None]  # guard(obj, data, today): raise DomainError to refuse


@dataclass(frozen=True)
class Step:
    name: str                      # URL segment and the name services are called with
    label: str                     # button and page title: "审核通过"
    form: type                     # the form a user fills in (its cleaned_data is the step's data)
    roles: frozenset               # who may take the step (in the record's township)
    target: str | None = None      # the status it moves to; None: records without moving
    fields: tuple[str, ...] = ()   # entity fields the step sets from the data (anything else is refused)
    guards: tuple[Guard, ...] = ()
    service: Callable | None = None  # (*, actor, obj, step, data, today) -> None: writes beyond the fields
    document: str = ""             # the document kind the step produces, if any
    confirm: str = ""              # destructive steps ask this before submitting
    intro: str | Callable = ""     # what the law says, shown above the form (or intro(obj) -> str)
    done: str | Callable = "已保存。"  # message after success, or done(obj) -> str
    initial: Callable | None = None  # initial(obj) -> dict for the form
    prepare: Callable | None = None  # prepare(form, obj, user): choices that depend on the record
    multipart: bool = False
    reason: str | Callable = "reason"  # the data key recorded as the transition's reason, or reason(obj, data)
    refused: str = ""              # what an actor without the role is told (default: 您无权在该乡镇办理…)
    page: bool = True              # False: taken only by other services (no URL, never offered on a page)
    when: Callable | None = None   # when(obj) -> bool: offered now? (beyond the status table; guards still refuse)
    next: Callable | None = None   # next(obj) -> URL after success (default: the record page)

    def message(self, obj) -> str:
        return self.done(obj) if callable(self.done) else self.done


@dataclass(frozen=True)
class Flow:
    name: str                      # entity name: URL names are f"{name}_{step}"
    model: type
    workflow: Workflow
    steps: Iterable[Step]
    record_model: type             # the TransitionRecord subclass
    record_fk: str
    read_roles: frozenset
    queryset: Callable             # queryset(user) -> the records the user may see (a selector)
    detail: str                    # URL name of the record page (takes pk)
    heading: Callable = str        # heading(obj) -> text after the step label in the page title
    status_field: str = "status"
    may_act: Callable | None = None  # may_act(user, obj, roles) -> bool; default: a write role in obj.township
    sample: Callable | None = None   # sample(township) -> obj, for the every-URL walk (records without township)
    derive: Callable | None = None   # derive(obj): recompute stored derived fields after every step, before save
    by_name: Mapping[str, Step] = field(init=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "by_name", {s.name: s for s in self.steps})

    def step(self, name: str | Step) -> Step:
        if isinstance(name, Step):
            return name
        try:
            return self.by_name[name]
        except KeyError:
            raise DomainError(f"没有“{name}”这一办理步骤。") from None

    def may(self, user, obj, roles) -> bool:
        return self.may_act(user, obj, roles) if self.may_act else can_act_in(user, obj.township, roles)

    def get_or_404(self, user, pk):
        qs = self.queryset(user)
        if hasattr(qs, "visible_to"):
            return get_visible_or_404(qs, user, roles=self.read_roles, pk=pk)
        obj = qs.filter(pk=pk).first()  # the selector is the scope (county-level records)
        if obj is None:
            raise Http404("未找到该记录，或您无权查看。")
        return obj

    def status_of(self, obj) -> str:
        return getattr(obj, self.status_field)

    def open_steps(self, obj, user=None) -> list[Step]:
        """Steps that may be taken now (status allows it) — by `user` if given (role in the township)."""
        current = self.status_of(obj)
        out = [s for s in self.steps if s.page and (s.target is None or s.target in self.workflow.targets(current))
               and (s.when is None or s.when(obj))]
        if user is not None:
            out = [s for s in out if self.may(user, obj, s.roles)]
        return out

    def detail_url(self, obj) -> str:
        return reverse(self.detail, args=[obj.pk])

    def step_url(self, obj, step: str | Step) -> str:
        namespace = self.detail.rpartition(":")[0]
        return reverse(f"{namespace}:{self.name}_{self.step(step).name}" if namespace else
                       f"{self.name}_{self.step(step).name}", args=[obj.pk])

    def forms_for(self, obj, user) -> list[tuple[Step, object, str]]:
        """(step, blank form, URL) for each step `user` may take now: the record page shows them inline."""
        return [(s, step_form(self, s, obj, user), self.step_url(obj, s)) for s in self.open_steps(obj, user)]

    def urls(self, prefix: str = "") -> list:
        """One URL per step: f"{prefix}<int:pk>/{step}/", named f"{flow.name}_{step}"."""
        return [path(f"{prefix}<int:pk>/{s.name}/", step_view(self, s), name=f"{self.name}_{s.name}")
                for s in self.steps if s.page]


def run_step(flow: Flow, *, actor, obj, step: str | Step, data: dict | None = None,
             expected_status: str | None = None, today: dt.date | None = None):
    """Take `step` on `obj`. Refuses with DomainError (nothing changed) or ConflictError (changed meanwhile)."""
    step = flow.step(step)
    data = dict(data or {})
    data.pop("expected_status", None)
    today = today or timezone.localdate()
    if not flow.may(actor, obj, step.roles):
        raise DomainError(step.refused or f"您无权在该乡镇办理“{step.label}”。")
    unknown = {k for k in data if k in {f.name for f in obj._meta.concrete_fields}} - set(step.fields)
    if unknown and not step.service:
        raise DomainError(f"“{step.label}”不能填写：{'、'.join(sorted(unknown))}。")

    def reason(locked) -> str:  # read after the step's service ran, so it can say what the step did
        text = step.reason(locked, data) if callable(step.reason) else data.get(step.reason)
        return str(text or "").strip()[:500]

    def apply(locked):
        for name in step.fields:
            if name in data:
                setattr(locked, name, data[name])
        if step.service is not None:
            step.service(actor=actor, obj=locked, step=step, data=data, today=today)
        if flow.derive is not None:
            flow.derive(locked)

    guards = [lambda o, g=g: g(o, data, today) for g in step.guards]
    if step.target is not None:
        return transition(obj, workflow=flow.workflow, to=step.target, actor=actor, record_model=flow.record_model,
                          record_fk=flow.record_fk, reason=reason, guards=guards, expected_status=expected_status,
                          on_apply=apply, status_field=flow.status_field)
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        current = flow.status_of(locked)
        if expected_status is not None and current != expected_status:
            raise ConflictError(f"该记录已被他人处理（当前状态：{flow.workflow.label(current)}），请刷新页面后重试。")
        for guard in guards:
            guard(locked)
        before = snapshot(locked)
        apply(locked)
        clean(locked)
        locked.save()
        audit_update(actor=actor, obj=locked, before=before, reason=reason(locked) or step.label)
    return locked


class StatusField(djforms.CharField):
    """The status the user saw, posted back so a stale page is refused instead of overwriting."""

    widget = djforms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=32, **kwargs)


def step_form(flow: Flow, step: Step, obj, user, post=None, files=None):
    initial = {"expected_status": flow.status_of(obj),
               **(step.initial(obj) if step.initial else {})}
    form = step.form(post, files, initial=initial, auto_id=f"id_{step.name}_%s")  # unique ids, several per page
    if "expected_status" not in form.fields:
        form.fields["expected_status"] = StatusField()
    if step.prepare is not None:
        step.prepare(form, obj, user)
    form.fazhi_intro = step.intro(obj) if callable(step.intro) else step.intro
    return form


def step_view(flow: Flow, step: Step):
    @role_view(read=flow.read_roles, write=step.roles, model=flow.model)
    @require_http_methods(["GET", "POST"])
    def view(request, pk):
        obj = flow.get_or_404(request.user, pk)
        form = step_form(flow, step, obj, request.user, request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            expected = data.pop("expected_status", None) or None
            try:
                obj = run_step(flow, actor=request.user, obj=obj, step=step, data=data, expected_status=expected)
            except DomainError as e:  # ConflictError included: the form says 已被他人处理
                form.add_error(None, e.message)
            else:
                messages.success(request, step.message(obj))
                return redirect((step.next(obj) if step.next else None) or flow.detail_url(obj))
        context = {"form": form, "step": step, "flow": flow, "obj": obj, "title": f"{step.label} · {flow.heading(obj)}",
                   "intro": form.fazhi_intro, "confirm": step.confirm, "multipart": step.multipart,
                   "back_url": flow.detail_url(obj), "keep_draft": True}
        template = "core/_step_form.html" if getattr(request, "htmx", False) else "core/step_page.html"
        return render(request, template, context)

    view.__name__ = view.__qualname__ = f"{flow.name}_{step.name}"
    view.fazhi_step = (flow, step)
    if flow.sample is not None:
        view.fazhi_sample = flow.sample
    return view
