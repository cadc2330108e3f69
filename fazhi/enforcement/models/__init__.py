"""Administrative enforcement (行政执法): catalogues, officers, inspections, cases and the three systems
(公示、全过程记录、法制审核). Statutory numbers live in `StatutorySettings`, never as literals.

The models are split by subject; Django finds them (and their `enforcement.<Model>` labels) here."""

from fazhi.enforcement.models.cases import (  # noqa: F401
    OPEN_STATUSES,
    Case,
    CaseSource,
    CaseStatus,
    CaseTransition,
    Outcome,
    PartyKind,
    Procedure,
    ServiceMethod,
)
from fazhi.enforcement.models.coercion import (  # noqa: F401
    CoercionInstalment,
    CoercionProcedure,
    CoercionRoute,
    CoercionStatus,
    CoercionTransition,
    ProxyGround,
)
from fazhi.enforcement.models.inspection_plans import (  # noqa: F401
    Conflict,
    InspectionDraw,
    InspectionObject,
    ObjectKind,
    PlanItem,
    RiskLevel,
)
from fazhi.enforcement.models.inspections import (  # noqa: F401
    Inspection,
    InspectionKind,
    InspectionResult,
)
from fazhi.enforcement.models.publication import (  # noqa: F401
    DOC_PREFIX,
    CaseDocument,
    DocKind,
    Publication,
    PublicationStatus,
)
from fazhi.enforcement.models.records import (  # noqa: F401
    CoerciveMeasure,
    MeasureKind,
    MeasureStatus,
    MeasureTransition,
    ProcessRecord,
    RecordStage,
)
from fazhi.enforcement.models.registry import (  # noqa: F401
    HEARING_KINDS,
    BandLevel,
    BodyKind,
    CertificateStatus,
    DiscretionBand,
    EnforcementBody,
    Officer,
    PenaltyKind,
    Power,
    PowerCategory,
    certified_q,
)
from fazhi.enforcement.models.reviews import (  # noqa: F401
    CHECKLIST,
    CollectiveDiscussion,
    DiscussionOpinion,
    Hearing,
    LegalReview,
    LegalReviewItem,
    ReviewOutcome,
    Stance,
)
from fazhi.enforcement.models.statutory import (  # noqa: F401
    StatutorySettings,
)
