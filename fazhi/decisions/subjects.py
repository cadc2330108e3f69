"""Generic links to a record of any module: subject_type "app_label.model" + subject_id."""

from __future__ import annotations

from django.apps import apps
from django.urls import NoReverseMatch

from fazhi.core.errors import DomainError
from fazhi.core.models import TownshipOwned

# The subjects the seed names (重大事项、重大决策、重大矛盾纠纷调处、行政应诉) plus contracts.
SUBJECT_LABELS: dict[str, str] = {
    "decisions.decision": "重大决策",
    "mediation.dispute": "矛盾纠纷",
    "enforcement.case": "行政执法案件",
    "decisions.litigation": "行政复议/应诉",
    "other.contract": "合同审查",
    "other.other": "其他事项",
}


def subject_label(subject_type: str) -> str:
    if subject_type in SUBJECT_LABELS:
        return SUBJECT_LABELS[subject_type]
    model = subject_model(subject_type)
    return str(model._meta.verbose_name) if model else subject_type


def subject_model(subject_type: str):
    try:
        model = apps.get_model(subject_type)
    except (LookupError, ValueError):
        return None
    return model if issubclass(model, TownshipOwned) else None


def resolve_subject(subject_type: str, subject_id, township, label: str = "") -> tuple[str, object | None]:
    """(display label, object or None). Refuses unknown types and records of another township."""
    subject_type = (subject_type or "").strip().lower()
    model = subject_model(subject_type)
    if model is None and subject_type not in SUBJECT_LABELS:
        raise DomainError("事项类型无效。")
    if model is None:
        if not (label or "").strip():
            raise DomainError("请填写事项名称。")
        return label.strip(), None
    if not subject_id:
        if subject_type.startswith("decisions.") or not (label or "").strip():
            raise DomainError("请选择关联的具体事项。")
        return label.strip(), None
    obj = model.objects.filter(township=township, pk=subject_id).first()
    if obj is None:
        raise DomainError("关联事项不存在，或不属于本乡镇。")
    return ((label or "").strip() or str(obj))[:200], obj


def subject_url(subject_type: str, subject_id) -> str | None:
    if not subject_id:
        return None
    model = subject_model(subject_type)
    if model is None:
        return None
    obj = model(pk=subject_id)
    try:
        return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
    except (NoReverseMatch, AttributeError, TypeError, ValueError):
        return None
