"""Form fields that read what a clerk types as the clerk's language writes it."""

from django import forms
from django.core.exceptions import ValidationError

from .formatting import (
    amount_example,
    amount_from_text,
    amount_input_text,
    ascii_digits,
)
from .validation import AMOUNT_UNREADABLE


class AmountFormField(forms.DecimalField):
    """An amount typed as the clerk writes it: "60.000.000" in Vietnamese and Lao,
    "60,000,000" in English, with Lao or full-width digits, or a pasted "₫".

    A text box, not a number box: browsers refuse grouping in `type=number`. The
    saved amount is shown back grouped, without VND's meaningless ",00".
    """

    widget = forms.TextInput

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = amount_from_text(value)
        if text is None:
            raise ValidationError(
                AMOUNT_UNREADABLE, code="invalid", params={"example": amount_example()}
            )
        return super().to_python(text)

    def prepare_value(self, value):
        return amount_input_text(value)


class DayFormField(forms.DateField):
    """A date typed with Lao or full-width digits reads as the same date typed with
    ASCII digits; the input formats are the language's (day first but in ISO)."""

    def strptime(self, value, format):
        return super().strptime(ascii_digits(value), format)
