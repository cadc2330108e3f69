"""The three mediation workflows, declared once and driven by core (fazhi.core.steps): a dispute
(人民调解法), a petition (信访工作条例 2022) and an online application for mediation.

Each step names its target status (or none: a record that does not move the dispute, e.g. a session),
its form, the roles that may take it, its guards `guard(obj, data, today)` and the service that writes
beyond the step's fields. The step pages are `*FLOW.urls(prefix)` (urls.py); services, the demo and the
import call `<entity>_transition(*, actor, <entity>, step, data, expected_status, today)`."""

from fazhi.mediation.workflow.applications import (  # noqa: F401
    APPLICATION_FLOW,
    APPLICATION_WORKFLOW,
    application_transition,
)
from fazhi.mediation.workflow.disputes import DISPUTE_FLOW, DISPUTE_WORKFLOW, dispute_transition  # noqa: F401
from fazhi.mediation.workflow.petitions import (  # noqa: F401
    PETITION_FLOW,
    PETITION_WORKFLOW,
    petition_steps_open,
    petition_transition,
)
from fazhi.mediation.workflow.redirects import accepted_dispute_url, next_signature_url, step_urls  # noqa: F401
