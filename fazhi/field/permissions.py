"""Who may use field mode: exactly those who may record the same thing on the normal page (the submit
endpoint calls the same service, which checks the township and village again)."""

from django.urls import reverse

from fazhi.core.scope import has_role
from fazhi.education.permissions import EVENT_WRITE
from fazhi.enforcement.permissions import CASE_WRITE
from fazhi.mediation.permissions import HANDLE_ROLES

DISPUTE_ROLES = HANDLE_ROLES
EVENT_ROLES = EVENT_WRITE
SCREENING_ROLES = HANDLE_ROLES  # the same as mediation:screening's write roles
INSPECTION_ROLES = CASE_WRITE  # the same as enforcement:inspection_new

# The pages the offline worker keeps, with who may open each.
OFFLINE_PAGES = {"field:dispute": DISPUTE_ROLES, "field:event": EVENT_ROLES, "field:screening": SCREENING_ROLES,
                 "field:inspection": INSPECTION_ROLES}


def offline_pages(user) -> list[str]:
    """The field pages this user may open, the only ones the worker keeps (others would answer 403)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [reverse(name) for name, roles in OFFLINE_PAGES.items() if has_role(user, roles)]
