from functools import partial

from django.conf import settings

from fazhi.core.nav import items_for, menu_html
from fazhi.core.scope import memberships


def shell(request):
    """The frame's values, as callables the template calls only if it uses them (an htmx fragment rendered with
    this context then costs no membership query and no menu)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_html": "", "my_memberships": [], "LANGUAGES": settings.LANGUAGES}
    return {"nav_items": partial(items_for, user), "nav_html": partial(menu_html, user, request.path),
            "my_memberships": partial(memberships, user), "LANGUAGES": settings.LANGUAGES}
