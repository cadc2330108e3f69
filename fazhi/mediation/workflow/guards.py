"""Guards more than one mediation workflow uses: guard(obj, data, today) raises DomainError."""

from __future__ import annotations

from fazhi.core.errors import DomainError
from fazhi.mediation.services.disputes import check_date

# --- guards: guard(obj, data, today) raises DomainError ----------------------------------------------

def on_or_after(key: str, label: str, start: str, start_label: str):
    """The date in data[key] (today when not given) lies between obj.<start> and today."""
    def guard(obj, data, today):
        check_date(data.get(key) or today, label, getattr(obj, start), start_label, today=today)
    return guard


def required(key: str, message: str):
    def guard(obj, data, today):
        if not str(data.get(key) or "").strip():
            raise DomainError(message)
    return guard
