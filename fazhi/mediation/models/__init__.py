"""Dispute ledger (矛盾纠纷排查调处) under 人民调解法, and petitions (信访工作条例 2022) as a source.

The models package by subject; everything is importable from here (`fazhi.mediation.models`), as before."""

from fazhi.mediation.models.applications import (  # noqa: F401
    Application,
    ApplicationPhoto,
    ApplicationTransition,
)
from fazhi.mediation.models.catalogue import (  # noqa: F401
    LEVEL_RANK,
    DisputeType,
    Level,
    MediationSettings,
)
from fazhi.mediation.models.committees import (  # noqa: F401
    Committee,
    Mediator,
    ScreeningRound,
)
from fazhi.mediation.models.disputes import (  # noqa: F401
    Agreement,
    Dispute,
    DisputeTransition,
    Escalation,
    FollowUp,
    MediationSession,
    Party,
    Signature,
)
from fazhi.mediation.models.petitions import (  # noqa: F401
    Petition,
    PetitionTransition,
)
from fazhi.mediation.models.validators import (  # noqa: F401
    ID_WEIGHTS,
    PHONE_RE,
    VILLAGE_LIMIT,
    mask_id,
    mask_phone,
    validate_id_number,
    validate_phone,
)
