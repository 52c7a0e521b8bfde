"""The progress computation: how an agreement's commitments stand, year by year.

Every page and every export calls `agreement_progress` (one year) or
`agreement_overview` (all years); none counts on its own. `loading` reads the
database in a fixed number of queries; `rules` computes in plain Python over what
was read, so the rules can be unit-tested on hand-made data; `types` holds what
comes back.
"""

from .loading import overview_data_load_many, progress_data_load
from .rules import overview_compute, year_progress_compute
from .types import (
    AgreementOverview,
    CommitmentProgress,
    DistrictTotal,
    ItemTotal,
    Money,
    Phase,
    Status,
    YearProgress,
    YearSummary,
    YearTotals,
)

__all__ = [
    "AgreementOverview",
    "CommitmentProgress",
    "DistrictTotal",
    "ItemTotal",
    "Money",
    "Phase",
    "Status",
    "YearProgress",
    "YearSummary",
    "YearTotals",
    "agreement_overview",
    "agreement_progress",
    "agreements_overview",
]


def agreement_progress(*, agreement, year, today, published_only=True):
    """The progress of `agreement` in `year`: the one computation pages and exports use.

    Reads the database in 11 queries whatever the volume.
    """
    data = progress_data_load(
        agreement=agreement,
        years=[year],
        today=today,
        published_only=published_only,
        detail=True,
    )
    return year_progress_compute(data, year, today=today)


def agreement_overview(*, agreement, today, published_only=True):
    """Every year of `agreement` at a glance: scorecard, totals to date, rotation.

    Reads the database in 9 queries whatever the volume.
    """
    data = progress_data_load(
        agreement=agreement,
        years=list(agreement.years),
        today=today,
        published_only=published_only,
        detail=False,
    )
    return overview_compute(data, today=today)


def agreements_overview(*, agreements, today, published_only=True):
    """`agreement_overview` of each agreement, in the same order.

    Reads the database in 9 queries whatever the number of agreements.
    """
    data = overview_data_load_many(
        agreements=agreements, today=today, published_only=published_only
    )
    return [
        overview_compute(data[agreement.pk], today=today) for agreement in agreements
    ]
