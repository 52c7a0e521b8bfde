"""Messages and checks shared by every dated record of an agreement.

Messages are module constants so tests assert exactly what a user reads.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .formatting import date_text

END_BEFORE_START = _("The end date cannot be before the start date.")
DATE_OUTSIDE_AGREEMENT = _(
    "This date is outside the agreement period (%(start)s to %(end)s)."
)
YEAR_OUTSIDE_AGREEMENT = _(
    "The year %(year)s is outside the agreement period (%(start)s to %(end)s)."
)
NOT_A_PARTY = _("%(organisation)s is not a party to this agreement.")
SAME_SENDER_AND_HOST = _("The host and the sending party must be different.")
# Succession (Kon Tum province merged into Quảng Ngãi on 1 July 2025): a record
# dated after the change names the successor, one dated before names what was there.
SUCCEEDED_BY = _(
    "%(old)s was succeeded by %(new)s on %(date)s: choose %(new)s for records "
    "after that date."
)
ENDED_ON = _(
    "%(old)s ended on %(date)s and no successor is recorded: it cannot be chosen "
    "for records after that date."
)
TOOK_OVER_ON = _(
    "%(new)s took over from %(old)s on %(date)s: choose %(old)s for records "
    "before that date."
)
STARTS_ON = _(
    "%(new)s exists only from %(date)s: choose the one that stood in its place "
    "before that date."
)
IN_AREA_SUCCEEDED_BY = _(
    "%(area)s lay in %(old)s, which was succeeded by %(new)s on %(date)s: choose "
    "an area of %(new)s for records after that date."
)
IN_AREA_ENDED_ON = _(
    "%(area)s lay in %(old)s, which ended on %(date)s: choose an area that exists "
    "on the record's date."
)
SAME_SIDE = _(
    "%(successor)s continues the side of %(predecessor)s: the host and the sending "
    "party must be different sides of the agreement."
)
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
# %(example)s is sixty million as the clerk's language groups it: "60.000.000".
AMOUNT_UNREADABLE = _(
    "Write the amount in digits, with or without thousands separators, for "
    "example %(example)s."
)
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


def succession_day(predecessor, successor):
    """The first day `successor` stands in for `predecessor`: the day after the
    predecessor's `valid_until`, else the successor's `valid_from`; None when
    neither date is recorded."""
    if predecessor.valid_until is not None:
        return predecessor.valid_until + datetime.timedelta(days=1)
    return successor.valid_from


def active_span(chain, index):
    """(first day, last day) that `chain[index]` stands for its chain (an area or
    an organisation, then those that succeeded it); None where open."""
    record = chain[index]
    starts = [record.valid_from]
    if index:
        starts.append(succession_day(chain[index - 1], record))
    first = max((day for day in starts if day is not None), default=None)
    last = record.valid_until
    if last is None and index + 1 < len(chain):
        day = succession_day(record, chain[index + 1])
        last = day - datetime.timedelta(days=1) if day is not None else None
    return first, last


def succession_error(chain, index, first_day, last_day=None):
    """None when `chain[index]` may be named on a record dated `first_day` to
    `last_day` (an undated record: any day of that span); else the ValidationError
    that names what to choose instead."""
    last_day = last_day or first_day
    if first_day is None:
        return None
    record = chain[index]
    first, last = active_span(chain, index)
    if last is not None and first_day > last:
        if index + 1 < len(chain):
            return ValidationError(
                SUCCEEDED_BY,
                code="succeeded",
                params={
                    "old": record,
                    "new": chain[index + 1],
                    "date": date_text(last + datetime.timedelta(days=1)),
                },
            )
        return ValidationError(
            ENDED_ON, code="ended", params={"old": record, "date": date_text(last)}
        )
    if first is not None and last_day < first:
        if index:
            return ValidationError(
                TOOK_OVER_ON,
                code="not_yet",
                params={
                    "old": chain[index - 1],
                    "new": record,
                    "date": date_text(first),
                },
            )
        return ValidationError(
            STARTS_ON, code="not_yet", params={"new": record, "date": date_text(first)}
        )
    return None


def area_error(area, first_day, last_day=None):
    """None when `area` and the areas containing it exist on a record dated
    `first_day` to `last_day`; else the ValidationError naming the successor."""
    if area is None or first_day is None:
        return None
    error = succession_error(succession_chain(area), 0, first_day, last_day)
    if error is not None:
        return error
    outer, seen = area.parent, {area.pk}
    while outer is not None and outer.pk not in seen:
        seen.add(outer.pk)
        if outer.valid_until is not None and first_day > outer.valid_until:
            params = {"area": area, "old": outer}
            if outer.successor_id is not None:
                day = outer.valid_until + datetime.timedelta(days=1)
                return ValidationError(
                    IN_AREA_SUCCEEDED_BY,
                    code="succeeded",
                    params=params | {"new": outer.successor, "date": date_text(day)},
                )
            return ValidationError(
                IN_AREA_ENDED_ON,
                code="ended",
                params=params | {"date": date_text(outer.valid_until)},
            )
        outer = outer.parent
    return None


def succession_chain(record):
    """`record`, then each record that succeeded it, in order (a loop stops)."""
    chain, seen = [record], {record.pk}
    while chain[-1].successor_id is not None and chain[-1].successor_id not in seen:
        chain.append(chain[-1].successor)
        seen.add(chain[-1].pk)
    return chain
