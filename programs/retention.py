"""The retention rule for recipient lists: personal details are erased after a set
number of years, here and in the history; sex and age band stay for the counts.

A recipient list serves the distribution's year: to answer for who received what
while the year is reported, confirmed by both parties and questioned. After
`RECIPIENT_RETENTION_YEARS` (3 by default) full years from the distribution's last
day, its recipients keep their list number, sex and age band and lose their name,
year of birth, school or village and guardian, in the record and in every version
of its history. `manage.py anonymise_recipients` applies the rule (README,
"Recipients and their privacy"); running it again changes nothing.

The admin's own log needs nothing: a recipient's `str()` carries no name, and a
change message names the fields changed, never their values.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cooperation.history import REASON_ANONYMISED

from .models import GiftDistribution, Recipient, has_no_personal_details

ERASED = {
    "full_name": "",
    "birth_year": None,
    "school_or_village": "",
    "guardian": "",
}


@dataclass(frozen=True)
class Anonymisation:
    """What a run did, or would do: counts only."""

    cutoff: datetime.date  # distributions that ended before this day are past it
    recipients: int  # recipients anonymised by this run
    distributions: int  # the distributions they are listed on
    history_rows: int  # versions in the history whose personal details were erased
    dry_run: bool = False


def retention_cutoff(today, years):
    """The day `years` years before `today` (28 February for a 29th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _last_day():
    return Coalesce("end_date", "start_date")


def distributions_past_retention(cutoff):
    """Pks of the distributions, standing or deleted, whose last day is before
    `cutoff`: a subquery of the standing ones, and a list of the deleted ones
    (read from their history, each by its latest version)."""
    standing = GiftDistribution.objects.annotate(last_day=_last_day()).filter(
        last_day__lt=cutoff
    )
    deleted_versions = (
        GiftDistribution.history.exclude(id__in=GiftDistribution.objects.values("pk"))
        .annotate(last_day=_last_day())
        .order_by("id", "-history_date", "-history_id")
        .values_list("id", "last_day")
    )
    latest = {}
    for pk, last_day in deleted_versions:
        latest.setdefault(pk, last_day)
    deleted = [pk for pk, last_day in latest.items() if last_day < cutoff]
    return standing.values("pk"), deleted


def recipients_anonymise(*, today, years, dry_run=False):
    """Erase the personal details of the recipients of distributions that ended
    more than `years` years before `today`, and of every version of them in the
    history. Returns an `Anonymisation`; with `dry_run`, changes nothing."""
    cutoff = retention_cutoff(today, years)
    standing, deleted = distributions_past_retention(cutoff)
    pending = Recipient.objects.filter(
        distribution__in=standing, anonymised_at__isnull=True
    )
    counts = {
        "recipients": pending.count(),
        "distributions": pending.values("distribution").distinct().count(),
    }

    def history_to_erase():
        # Also by the recipient: one moved from an old distribution to a newer
        # one keeps its older versions under the old one, and the other way round.
        anonymised = Recipient.objects.filter(anonymised_at__isnull=False)
        return Recipient.history.filter(
            Q(distribution_id__in=standing)
            | Q(distribution_id__in=deleted)
            | Q(id__in=anonymised.values("pk"))
        ).exclude(has_no_personal_details())

    if dry_run:
        # The versions this run would erase: the older ones of the recipients
        # still pending are among them already.
        return Anonymisation(
            cutoff=cutoff,
            history_rows=history_to_erase().count(),
            dry_run=True,
            **counts,
        )
    now = timezone.now()
    with transaction.atomic():
        pending.update(**ERASED, anonymised_at=now, version=F("version") + 1)
        Recipient.history.bulk_history_create(
            list(Recipient.objects.filter(anonymised_at=now)),
            update=True,
            default_change_reason=REASON_ANONYMISED,
            default_date=now,
        )
        history_rows = history_to_erase().update(
            **ERASED, anonymised_at=Coalesce(F("anonymised_at"), Value(now))
        )
    return Anonymisation(cutoff=cutoff, history_rows=history_rows, **counts)
