"""Every form field's limits equal the column it saves into: a form that accepts 100 characters for a
64-character column is a database error (a 500) on PostgreSQL, and a silent truncation nowhere.

Walks every Form / ModelForm class of every app's forms module. A ModelForm's declared fields are
compared with Meta.model; a plain Form's fields with the same-named columns of its app's models
(services save them under the same name). Copies under another name are listed in ALSO_SAVED_AS."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from django import forms
from django.apps import apps
from django.db import models

# form field -> the other columns a service also copies it into (app label, model, field)
ALSO_SAVED_AS = {
    ("enforcement", "SimpleCaseForm", "party_name"): [("enforcement", "Case", "service_recipient")],
}


# same-named columns a form does NOT save into (checked by reading the services)
NOT_SAVED_AS = {
    ("core", "RegionForm", "name"): {"CalendarDay"},
    ("disclosure", "ActionForm", "reason"): {"ClockStop"},  # the reason goes to the transition row
    ("disclosure", "ItemStatusForm", "reason"): {"ClockStop"},
    ("enforcement", "BodyForm", "name"): {"Officer"},
    ("mediation", "CommitteeForm", "name"): {"DisputeType", "Mediator"},
    ("mediation", "PartyForm", "name"): {"DisputeType", "Mediator"},
    ("organization", "ProgressForm", "note"): {"BudgetLine"},
    ("decisions", "AttendeeForm", "name"): {"PublicComment"},  # saved as DiscussionAttendee.name (64)
    # catalogue_add() full_clean()s a topic (60) and refuses a longer name with a Chinese error; laws take 120
    ("education", "CatalogueAddForm", "name"): {"Official", "Topic"},
}


def _form_modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("fazhi."):
            continue
        for candidate in ("forms",):
            try:
                module = importlib.import_module(f"{config.name}.{candidate}")
            except ModuleNotFoundError:
                continue
            yield config, module
            if hasattr(module, "__path__"):  # a forms package
                for info in pkgutil.iter_modules(module.__path__):
                    yield config, importlib.import_module(f"{module.__name__}.{info.name}")


def _form_classes():
    seen = set()
    for config, module in _form_modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__ and cls not in seen:
                seen.add(cls)
                yield config, cls


def _columns_by_name(config):
    by_name: dict[str, list[models.Field]] = {}
    for model in config.get_models():
        for f in model._meta.concrete_fields:
            by_name.setdefault(f.name, []).append(f)
    return by_name


def _mismatch(form_field, column) -> str | None:
    if isinstance(column, models.CharField) and isinstance(form_field, forms.CharField) \
            and not isinstance(form_field, forms.ChoiceField) and column.max_length:
        if form_field.max_length is None or form_field.max_length > column.max_length:
            return f"max_length {form_field.max_length} > column {column.max_length}"
    if isinstance(column, models.DecimalField) and isinstance(form_field, forms.DecimalField):
        whole_form = (form_field.max_digits or 99) - (form_field.decimal_places or 0)
        whole_col = column.max_digits - column.decimal_places
        if whole_form > whole_col or (form_field.decimal_places or 99) > column.decimal_places:
            return (f"max_digits/decimal_places {form_field.max_digits}/{form_field.decimal_places} > column "
                    f"{column.max_digits}/{column.decimal_places}")
    return None


def _targets(config, cls, name, by_name):
    meta_model = getattr(getattr(cls, "_meta", None), "model", None)
    if meta_model is not None:
        try:
            yield meta_model._meta.get_field(name)
        except Exception:  # noqa: BLE001 — an extra, non-model field of a ModelForm
            pass
    else:
        skip = NOT_SAVED_AS.get((config.label, cls.__name__, name), set())
        yield from (c for c in by_name.get(name, []) if c.model.__name__ not in skip)
    for app_label, model, field in ALSO_SAVED_AS.get((config.label, cls.__name__, name), []):
        yield apps.get_model(app_label, model)._meta.get_field(field)


def test_form_limits_equal_their_columns():
    bad = []
    checked = 0
    for config, cls in _form_classes():
        by_name = _columns_by_name(config)
        for name, field in cls.base_fields.items():
            if isinstance(field.widget, forms.PasswordInput):
                continue  # stored as a hash
            for column in _targets(config, cls, name, by_name):
                checked += 1
                problem = _mismatch(field, column)
                if problem:
                    bad.append(f"{cls.__module__}.{cls.__name__}.{name} → "
                               f"{column.model.__name__}.{column.name}: {problem}")
    assert checked > 100
    assert not bad, "form limits exceed their columns:\n" + "\n".join(sorted(set(bad)))
