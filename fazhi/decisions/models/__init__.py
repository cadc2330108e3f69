"""Major decisions (重大行政决策 · 三重一大), public consultation, legal counsel, reconsideration and
litigation. Split by subject so that no file holds two things."""

from fazhi.decisions.models.counsel import LegalCounsel, OpinionRequest, OpinionStatus, OpinionTransition
from fazhi.decisions.models.decision import (
    Attachment,
    CommentStatus,
    Decision,
    DecisionCatalogue,
    DecisionCategory,
    DecisionSettings,
    DecisionStatus,
    DecisionStep,
    DecisionTransition,
    PublicComment,
    ReviewResult,
    RiskLevel,
    Step,
)
from fazhi.decisions.models.discussion import (
    Discussion,
    DiscussionAttendee,
    DiscussionConclusion,
    DiscussionOpinion,
    Stance,
)
from fazhi.decisions.models.litigation import (
    Litigation,
    LitigationKind,
    LitigationOutcome,
    LitigationStatus,
    LitigationTransition,
)

__all__ = [
    "Attachment", "CommentStatus", "Decision", "DecisionCatalogue", "DecisionCategory", "DecisionSettings",
    "DecisionStatus", "DecisionStep", "DecisionTransition", "Discussion", "DiscussionAttendee",
    "DiscussionConclusion", "DiscussionOpinion", "LegalCounsel", "Litigation", "LitigationKind",
    "LitigationOutcome", "LitigationStatus", "LitigationTransition", "OpinionRequest", "OpinionStatus",
    "OpinionTransition", "PublicComment", "ReviewResult", "RiskLevel", "Stance", "Step",
]
