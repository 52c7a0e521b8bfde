"""Helpers for the bad-input tests: complete admin POST data, errors, snapshots.

An admin POST must carry every field of the form and the management form of every
inline, or Django refuses it for reasons that have nothing to do with the rule under
test. `admin_form_data` reads both from the page the admin renders, so a test states
only the value it is about.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from PIL import Image


def admin_add_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_add")


def admin_change_url(instance):
    opts = instance._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk]
    )


def _post_value(field, value):
    """`value` as a browser would submit it for `field`, or None to leave it out."""
    if isinstance(field, forms.FileField):
        # An empty file input keeps the stored file.
        return None
    if isinstance(field, forms.BooleanField):
        return "on" if value else None
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return [str(item) for item in value or []]
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # As the form shows it, which is what a browser sends back: "5.000.000"
        # to a Vietnamese clerk.
        return str(field.prepare_value(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _form_values(form):
    values = {}
    for bound_field in form:
        value = _post_value(bound_field.field, bound_field.value())
        if value is not None:
            values[bound_field.html_name] = value
    return values


def admin_form_data(client, url, **fields):
    """POST data for the admin add or change page at `url`, with `fields` overriding.

    The main form carries the page's current values (the saved record on a change
    page, the defaults on an add page). Each inline keeps its saved rows unchanged
    and gets no new row; add some with `inline_rows_add`.
    """
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = _form_values(response.context["adminform"].form)
    for inline_admin_formset in response.context["inline_admin_formsets"]:
        data |= _saved_rows(inline_admin_formset.formset)
    _set_values(data, fields)
    return data


def _saved_rows(formset):
    """The management form and saved rows of `formset`, and of the rows nested in
    each (cooperation/nested_inlines.py: a distribution's items)."""
    saved_rows = formset.initial_form_count()
    data = {
        f"{formset.prefix}-TOTAL_FORMS": str(saved_rows),
        f"{formset.prefix}-INITIAL_FORMS": str(saved_rows),
        f"{formset.prefix}-MIN_NUM_FORMS": str(formset.min_num),
        f"{formset.prefix}-MAX_NUM_FORMS": str(formset.max_num),
    }
    for form in formset.initial_forms:
        data |= _form_values(form)
        nested = getattr(form, "nested_formset", None)
        if nested is not None:
            data |= _saved_rows(nested)
    return data


def _set_values(data, values, prefix=""):
    """Put test values into POST `data`: dates, numbers, model instances, lists,
    files, and booleans for checkboxes (False leaves the box unticked)."""
    for name, value in values.items():
        key = f"{prefix}{name}"
        if value is False:
            data.pop(key, None)
        elif value is True:
            data[key] = "on"
        elif value is None:
            data[key] = ""
        elif isinstance(value, datetime.date):
            data[key] = value.isoformat()
        elif isinstance(value, list | tuple):
            data[key] = [str(getattr(item, "pk", item)) for item in value]
        elif hasattr(value, "read"):
            data[key] = value
        else:
            data[key] = str(getattr(value, "pk", value))


def inline_rows_add(data, prefix, *rows):
    """Append new rows (dicts of field values) to the inline `prefix` in `data`.

    A prefix nested in a row ("distributions-0-items") gets its management form
    when the row is new, as the browser sends it from the row's template.
    """
    for name, value in (("TOTAL", "0"), ("INITIAL", "0"), ("MIN_NUM", "0")):
        data.setdefault(f"{prefix}-{name}_FORMS", value)
    data.setdefault(f"{prefix}-MAX_NUM_FORMS", "1000")
    first = int(data[f"{prefix}-TOTAL_FORMS"])
    for index, row in enumerate(rows, start=first):
        _set_values(data, row, prefix=f"{prefix}-{index}-")
    data[f"{prefix}-TOTAL_FORMS"] = str(first + len(rows))
    return data


def form_errors(response):
    """{field: [message, …]} of the admin's main form, as the page shows them."""
    form = response.context["adminform"].form
    return {
        field: [message for error in errors for message in error.messages]
        for field, errors in form.errors.as_data().items()
    }


def inline_errors(response, prefix):
    """The errors of the inline `prefix`: a list of {field: [message, …]} per row,
    and the formset's own errors (duplicates across rows) under "__formset__".

    `prefix` may name rows nested in an inline's row: "distributions-0-items".
    """
    for formset in _formsets(response):
        if formset.prefix == prefix:
            rows = [
                {
                    field: [message for error in errors for message in error.messages]
                    for field, errors in form.errors.as_data().items()
                }
                for form in formset.forms
            ]
            return {"rows": rows, "__formset__": list(formset.non_form_errors())}
    raise AssertionError(f"The page has no inline with the prefix {prefix!r}.")


def _formsets(response):
    """Every formset of the page, those nested in inline rows included."""
    pending = [each.formset for each in response.context["inline_admin_formsets"]]
    while pending:
        formset = pending.pop(0)
        yield formset
        pending += [
            form.nested_formset
            for form in formset.forms
            if getattr(form, "nested_formset", None) is not None
        ]


def assert_redisplayed_with(response, message):
    """The admin showed the form again (nothing saved) and the page reads `message`."""
    assert response.status_code == 200, (
        f"expected the form back with an error, got {response.status_code}"
    )
    assert escape(str(message)) in response.content.decode()


def assert_refused_in_admin(response, field, message):
    """The admin showed the form again with `message` on `field` ("__all__" for the
    form as a whole), and the page reads it."""
    assert_redisplayed_with(response, message)
    errors = form_errors(response)
    assert str(message) in errors.get(field, []), errors


def assert_saved(response):
    """The admin accepted the form: it redirects instead of showing it again."""
    if response.status_code != 302:
        errors = form_errors(response) if response.context else {}
        inline = {}
        if response.context:
            for inline_admin_formset in response.context["inline_admin_formsets"]:
                formset = inline_admin_formset.formset
                inline[formset.prefix] = (formset.errors, formset.non_form_errors())
        raise AssertionError(f"not saved: {errors} {inline}")


def full_clean_errors(instance):
    """The message_dict of the ValidationError that `instance.full_clean()` raises."""
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def constraint_message(model, name):
    """The message of the database constraint `name` on `model`, still lazy: it is
    translated into the language active where the test reads it."""
    for constraint in model._meta.constraints:
        if constraint.name == name:
            return constraint.violation_error_message
    raise AssertionError(f"{model.__name__} has no constraint named {name!r}.")


def stored_row(instance):
    """The row as the database holds it, to show a refused change left it alone."""
    return type(instance).objects.filter(pk=instance.pk).values().get()


def image_upload(name, image_format):
    """A small real image, so Pillow's check in Attachment.clean() accepts it."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "#c8102e").save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue())
