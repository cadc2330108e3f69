"""Every view declares who may reach it. The URL-walk test refuses any view without a declaration.

    @public_view                      portal pages, no login
    @account_view                     login, logout, two-factor: any visitor, never scope data
    @login_view                       any signed-in user (home, to-do)
    @role_view(read=..., write=..., model=Case)
                                      signed-in users with one of the roles; unsafe methods need a
                                      write role; `model` names the scoped object a URL's pk refers to
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from fazhi.accounts.roles import READ_ONLY_ROLES
from fazhi.core.scope import has_role, memberships

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Access:
    kind: str  # public | account | login | roles
    read: frozenset = field(default_factory=frozenset)
    write: frozenset = field(default_factory=frozenset)
    model: type | None = None
    # For URLs with kwargs other than pk: builds kwargs from a model instance (used by the URL-walk test).
    url_kwargs: Callable | None = None


def _declare(view, access: Access):
    view.fazhi_access = access
    return view


def public_view(view):
    return _declare(view, Access("public"))


def account_view(view):
    return _declare(view, Access("account"))


def login_view(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _declare(wrapper, Access("login"))


def role_view(*, read: Iterable[str], write: Iterable[str] = (), model=None, url_kwargs=None):
    read_set, write_set = frozenset(read), frozenset(write) - READ_ONLY_ROLES

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            needed = write_set if request.method in UNSAFE_METHODS else read_set | write_set
            if not has_role(user, needed):
                raise PermissionDenied("您的角色无权进行此操作。")
            return view(request, *args, **kwargs)

        return _declare(wrapper, Access("roles", read_set | write_set, write_set, model, url_kwargs))

    return decorator


def get_visible_or_404(queryset_or_model, user, roles: Iterable[str] | None = None, **lookup):
    """The object if it is inside the user's scope, else 404 (never reveal that it exists)."""
    qs = queryset_or_model if hasattr(queryset_or_model, "visible_to") else queryset_or_model.objects.all()
    obj = qs.visible_to(user, roles=roles).filter(**lookup).first()
    if obj is None:
        raise Http404("未找到该记录，或您无权查看。")
    return obj


class ReadOnlyRoleMiddleware:
    """Users whose every membership is read-only (县级督查) can change nothing, whatever a view says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in UNSAFE_METHODS or not request.user.is_authenticated:
            return None
        access = getattr(view_func, "fazhi_access", None)
        if access is not None and access.kind in {"public", "account"}:
            return None
        ms = memberships(request.user)
        if ms and all(m.role in READ_ONLY_ROLES for m in ms):
            raise PermissionDenied("督查账号为只读，不能修改任何数据。")
        return None
