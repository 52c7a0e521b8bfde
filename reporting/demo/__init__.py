"""Demo data, loaded from above the domain apps: the real memorandum and an example.

`real` holds only what the source article states, on the real agreements.
`examples` builds a separate, made-up agreement between fictional parties, each
of its pages and files saying so. Neither imports the other; both use
`loading.upsert`. Real and example records never share an agreement: loading
also removes example records that earlier versions put on the real memorandum.
"""

from django.db import transaction

from .examples import EXAMPLE_AGREEMENT_SLUG, load_examples
from .loading import LoadReport, examples_remove
from .real import (
    AGREEMENT_SLUG,
    PREDECESSOR_SLUG,
    load_2022_activities,
    load_agreements,
    load_item_catalogue,
    load_organisations,
    load_places,
)

__all__ = [
    "AGREEMENT_SLUG",
    "EXAMPLE_AGREEMENT_SLUG",
    "PREDECESSOR_SLUG",
    "demo_load",
]


@transaction.atomic
def demo_load(*, examples=False):
    """Load (or bring up to date) the demo agreements; return what changed.

    With `examples`, also the made-up example agreement and its records.
    """
    report = LoadReport()
    items = load_item_catalogue(report)
    places = load_places(report)
    organisations = load_organisations(report, places)
    agreement = load_agreements(report, organisations)
    for real in (agreement.predecessor, agreement):
        examples_remove(report, real)
    load_2022_activities(report, agreement, places, organisations, items)
    if examples:
        load_examples(report, places, items)
    return report
