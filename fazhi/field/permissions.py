"""Who may use field mode: exactly those who may record the same thing on the normal page (the submit
endpoint calls the same service, which checks the township and village again)."""

from fazhi.education.permissions import EVENT_WRITE
from fazhi.enforcement.permissions import CASE_WRITE
from fazhi.mediation.permissions import HANDLE_ROLES

DISPUTE_ROLES = HANDLE_ROLES
EVENT_ROLES = EVENT_WRITE
SCREENING_ROLES = HANDLE_ROLES  # the same as mediation:screening's write roles
INSPECTION_ROLES = CASE_WRITE  # the same as enforcement:inspection_new
