"""Writes of the decisions app. Every service is keyword-only, atomic, checks the actor's right to act
in the township, and records each change in the audit chain."""

from fazhi.decisions.services.consultation import (
    comment_moderate,
    comment_submit,
    comment_summary_publish,
    consultation_open,
)
from fazhi.decisions.services.counsel import (
    counsel_save,
    opinion_answer,
    opinion_request_create,
    opinion_withdraw,
)
from fazhi.decisions.services.decision import (
    catalogue_save,
    decision_create,
    decision_review_record,
    decision_transition,
    decision_update,
    settings_save,
)
from fazhi.decisions.services.discussion import (
    discussion_attendee_add,
    discussion_create,
    discussion_finalize,
    discussion_opinion_add,
)
from fazhi.decisions.services.files import attachment_store
from fazhi.decisions.services.litigation import litigation_save, litigation_transition

__all__ = [
    "attachment_store", "catalogue_save", "comment_moderate", "comment_submit", "comment_summary_publish",
    "consultation_open", "counsel_save", "decision_create", "decision_review_record", "decision_transition", "decision_update",
    "discussion_attendee_add", "discussion_create", "discussion_finalize", "discussion_opinion_add",
    "litigation_save", "litigation_transition", "opinion_answer", "opinion_request_create", "opinion_withdraw",
    "settings_save",
]
