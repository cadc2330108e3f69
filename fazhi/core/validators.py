"""Plausible input, for every form of the project at once. Installed by CoreConfig.ready():

- every form date (and date-time) lies between EARLIEST_DATE and YEARS_AHEAD years from today: no
  0001-01-01 filings, no 9999-12-31 hearings (the deadline engine and the databases cannot use them);
- every form amount (DecimalField) is between 0 and MAX_AMOUNT yuan (and within the column's max_digits);
- a model multiple-choice field refuses an id the database column cannot hold (Django's single
  ModelChoiceField already does; its multiple sibling lets the database raise an overflow instead).

Fields for events that have already happened use `not_in_future` on top."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

EARLIEST_DATE = dt.date(2000, 1, 1)
YEARS_AHEAD = 20
MAX_AMOUNT = Decimal("10000000000")  # 1e10 yuan
MAX_ID = 2**63 - 1


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return None


def latest_date(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def plausible_date(value) -> None:
    day = _as_date(value)
    if day is None:
        return
    if day < EARLIEST_DATE:
        raise ValidationError(f"日期不能早于{EARLIEST_DATE:%Y年%m月%d日}。", code="date_too_early")
    latest = latest_date()
    if day > latest:
        raise ValidationError(f"日期不能晚于{latest:%Y年%m月%d日}（今后{YEARS_AHEAD}年内）。", code="date_too_late")


def not_in_future(value) -> None:
    """For facts that have already happened (a receipt, a filing, an event held)."""
    day = _as_date(value)
    if day is not None and day > timezone.localdate():
        raise ValidationError("该日期是已发生事项的日期，不能晚于今天。", code="date_in_future")


def plausible_amount(value) -> None:
    if value is None or not isinstance(value, Decimal) or not value.is_finite():
        return
    if value < 0:
        raise ValidationError("金额或数值不能为负数。", code="negative")
    if value > MAX_AMOUNT:
        raise ValidationError("数值过大（不能超过100亿）。", code="too_large")


def _install_model_multiple_choice_guard():
    from django.db import models
    from django.forms.models import ModelMultipleChoiceField

    if getattr(ModelMultipleChoiceField, "_fazhi_guarded", False):
        return
    original = ModelMultipleChoiceField._check_values

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        target = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        if isinstance(target, models.IntegerField | models.AutoField):
            try:
                values = list(value)
            except TypeError:
                values = []
            for v in values:
                try:
                    number = int(str(v))
                except ValueError:
                    continue  # Django reports it as an invalid value
                if not -MAX_ID <= number <= MAX_ID:
                    raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                          params={"value": v})
        return original(self, value)

    ModelMultipleChoiceField._check_values = _check_values
    ModelMultipleChoiceField._fazhi_guarded = True


def install() -> None:
    from django import forms

    forms.DateField.default_validators = [plausible_date]
    forms.DateTimeField.default_validators = [plausible_date]
    forms.DecimalField.default_validators = [plausible_amount]
    _install_model_multiple_choice_guard()
