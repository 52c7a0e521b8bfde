"""Demo data, loaded from above the domain apps: the real memorandum and examples.

`real` holds only what the source article states; `examples` adds made-up records,
each flagged. Neither imports the other; both use `loading.upsert`.
"""

from django.db import transaction

from .examples import load_examples
from .loading import LoadReport
from .real import (
    AGREEMENT_SLUG,
    PREDECESSOR_SLUG,
    load_2022_activities,
    load_agreements,
    load_item_catalogue,
    load_organisations,
    load_places,
)

__all__ = ["AGREEMENT_SLUG", "PREDECESSOR_SLUG", "demo_load"]


@transaction.atomic
def demo_load(*, examples=False):
    """Load (or bring up to date) the demo agreement; return what changed."""
    report = LoadReport()
    items = load_item_catalogue(report)
    places = load_places(report)
    organisations = load_organisations(report, places)
    agreement = load_agreements(report, organisations)
    load_2022_activities(report, agreement, places, organisations, items)
    if examples:
        load_examples(report, agreement, places, organisations, items)
    return report
