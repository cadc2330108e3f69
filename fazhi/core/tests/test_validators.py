"""Plausible-input helpers: query-parameter numbers, dates and amounts (installed in every form)."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from fazhi.core.params import int_param, year_param
from fazhi.core.validators import not_in_future


@pytest.mark.parametrize("raw", ["", None, "-1", "²", "١٢", "1e3", "99999999999999999999", " 12x", "\x00"])
def test_int_param_refuses_what_int_or_the_database_cannot_take(raw):
    assert int_param(raw) is None


def test_int_and_year_params():
    assert int_param("42") == 42
    assert year_param("2024", 2026) == 2024
    assert year_param("99999999999999999999", 2026) == 2026
    assert year_param("1999", 2026) == 2026


class F(forms.Form):
    day = forms.DateField(required=False)
    at = forms.DateTimeField(required=False)
    amount = forms.DecimalField(required=False, max_digits=14, decimal_places=2)
    past = forms.DateField(required=False, validators=[not_in_future])


@pytest.mark.parametrize("data,field", [
    ({"day": "0001-01-01"}, "day"), ({"day": "9999-12-31"}, "day"), ({"day": "1999-12-31"}, "day"),
    ({"at": "9999-12-31T10:00"}, "at"), ({"amount": "-1"}, "amount"), ({"amount": "10000000000.01"}, "amount"),
    ({"past": "tomorrow"}, "past"),
])
def test_every_form_refuses_implausible_dates_and_amounts(data, field):
    if data.get("past") == "tomorrow":
        data = {"past": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}
    form = F(data)
    assert not form.is_valid() and field in form.errors
    assert any("\u4e00" <= ch <= "\u9fff" for ch in form.errors[field][0])  # a Chinese message


def test_plausible_values_pass():
    form = F({"day": "2024-03-01", "at": "2026-06-15T09:00", "amount": "9999999999.99", "past": "2024-06-15"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("9999999999.99") and form.cleaned_data["day"] == dt.date(2024, 3, 1)


def test_model_multiple_choice_refuses_ids_the_column_cannot_hold(db):
    from fazhi.core.models import Region

    field = forms.ModelMultipleChoiceField(queryset=Region.objects.all())
    with pytest.raises(ValidationError):
        field.clean(["9" * 25])
