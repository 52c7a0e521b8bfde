"""Messages and checks shared by every dated record of an agreement.

Messages are module constants so tests assert exactly what a user reads.
"""

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

END_BEFORE_START = _("The end date cannot be before the start date.")
DATE_OUTSIDE_AGREEMENT = _(
    "This date is outside the agreement period (%(start)s to %(end)s)."
)
YEAR_OUTSIDE_AGREEMENT = _(
    "The year %(year)s is outside the agreement period (%(start)s to %(end)s)."
)
NOT_A_PARTY = _("%(organisation)s is not a party to this agreement.")
SAME_SENDER_AND_HOST = _("The host and the sending party must be different.")
NEGATIVE_AMOUNT = _("The amount cannot be negative.")
TITLE_REQUIRED = _("Enter the title in at least one language.")
PERIOD_EXCLUDES_RECORDS = _(
    "The new period would leave records outside the agreement: %(records)s. "
    "Change those records first."
)
PARTY_STILL_USED = _(
    "%(organisation)s cannot be removed or replaced while records of this agreement "
    "name it (%(records)s)."
)
# The database constraint's message, for text that skipped the form; a form and
# full_clean() stop it earlier with Django's own message, which gives the numbers.
TEXT_TOO_LONG = _(
    "This text is longer than the field allows: shorten it, or attach the full "
    "text as a document."
)
YEAR_LOCKED = _(
    "Every party has confirmed the records of %(year)s as complete, so they cannot "
    "change. To correct one, reopen the year first (Year confirmations), giving "
    "the reason."
)
YEAR_NOT_ENDED = _(
    "%(year)s has not ended yet: a year can be confirmed from 1 January of the "
    "next year."
)
YEAR_CONFIRMED_ALREADY = _(
    "This party has already confirmed this year. To confirm it again, reopen the "
    "earlier confirmation first."
)
REOPEN_NEEDS_REASON = _("Give the reason for reopening the year.")
UNKNOWN_CURRENCY = _("Choose a currency code from the list (ISO 4217).")
# %(currency)s is the currency's full name, e.g. "Vietnamese đồng (VND)".
AMOUNT_HAS_DECIMALS = _(
    "Amounts in %(currency)s have no decimals: enter a whole number."
)
# The database constraint's message cannot name the currency (Django fills in only
# the constraint's name); clean() normally speaks first with AMOUNT_HAS_DECIMALS.
WHOLE_UNITS_ONLY = _("This currency has no decimals: enter a whole number.")
ITEM_VALUES_HAVE_DECIMALS = _(
    "Amounts in %(currency)s have no decimals, but the value per unit of "
    "%(items)s has some: correct those items first."
)


def agreement_date_errors(agreement, **dates):
    """Return {field: ValidationError} for each given date outside the agreement."""
    errors = {}
    for field, value in dates.items():
        if value is not None and not agreement.covers(value):
            errors[field] = ValidationError(
                DATE_OUTSIDE_AGREEMENT,
                code="outside_agreement",
                params=period_params(agreement),
            )
    return errors


def period_params(agreement):
    """The agreement's first and last day, formatted for the reader's language."""
    return {
        "start": date_format(agreement.start_date, "DATE_FORMAT"),
        "end": date_format(agreement.end_date, "DATE_FORMAT"),
    }


def not_a_party_error(organisation):
    return ValidationError(
        NOT_A_PARTY, code="not_a_party", params={"organisation": organisation}
    )


def related_or_none(instance, field):
    """The related object of `instance.field`, or None when it is not set yet.

    Admin inlines set an unsaved parent on the child, so `<field>_id` can be None
    while the parent object is there to be checked.
    """
    return getattr(instance, field, None)


def raise_if(errors):
    if errors:
        raise ValidationError(errors)
