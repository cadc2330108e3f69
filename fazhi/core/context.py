from django.conf import settings

from fazhi.core.nav import items_for
from fazhi.core.scope import memberships


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "my_memberships": [], "LANGUAGES": settings.LANGUAGES}
    return {"nav_items": items_for(user), "my_memberships": memberships(user), "LANGUAGES": settings.LANGUAGES}
