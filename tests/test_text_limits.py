"""Every free-text field of the record apps has an upper limit, held three times.

A TextField without one took a visit purpose of 20,000 characters that stalled the
PDF. The form, full_clean() and the database must all refuse longer text, so a
field added later without `bounded_text_field` and `text_length_constraint` fails
here rather than in a report.
"""

import pytest
from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from cooperation.history import is_historical_model
from cooperation.validation import TEXT_TOO_LONG

RECORD_APPS = ("cooperation", "exchanges", "programs")


def text_fields():
    return [
        pytest.param(field, id=f"{model.__name__}.{field.name}")
        for label in RECORD_APPS
        for model in apps.get_app_config(label).get_models()
        # The history's copies hold what the records held, already limited.
        if not is_historical_model(model)
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField)
    ]


@pytest.mark.parametrize("field", text_fields())
def test_free_text_is_limited_in_the_form_in_full_clean_and_in_the_database(field):
    limit = field.max_length
    assert limit, "no max_length: the form takes text of any length"
    assert any(
        isinstance(validator, MaxLengthValidator) and validator.limit_value == limit
        for validator in field.validators
    ), "no MaxLengthValidator: full_clean() takes text of any length"
    expected = LessThanOrEqual(Length(field.name), limit)
    constraints = [
        constraint
        for constraint in field.model._meta.constraints
        if getattr(constraint, "condition", None) == expected
    ]
    assert constraints, "no length constraint: the database takes any length"
    assert constraints[0].violation_error_message == TEXT_TOO_LONG


def test_every_record_app_has_free_text_to_check():
    checked = {param.values[0].model._meta.app_label for param in text_fields()}
    assert checked == set(RECORD_APPS)
