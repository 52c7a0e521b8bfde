"""Idempotent loading: a row is created or brought up to date, never duplicated."""

from collections import Counter
from dataclasses import dataclass, field

from exchanges.models import DelegationVisit, InformationExchange
from programs.models import GiftDistribution, JointProgram

# Titles of made-up records start with this, besides their `is_example` flag.
EXAMPLE = "[Example] "


@dataclass
class LoadReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    removed: list = field(default_factory=list)  # example records taken off
    kept: list = field(default_factory=list)  # example records real ones depend on

    def __str__(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{self.unchanged} unchanged"
        )

    def removed_text(self):
        """'2 delegation visits, 1 joint programme' for the removed records."""
        counts = Counter(record._meta for record in self.removed)
        return ", ".join(
            f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"
            for meta, count in counts.items()
        )


def upsert(report, model, lookup, values=None, many=None):
    """Create or update one row found by `lookup`; save only what differs.

    Saving only on a difference keeps a second run from touching `updated_at`, so
    loading twice changes nothing at all.
    """
    values = values or {}
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance.save()
        report.created.append(instance)
    else:
        changed = {k: v for k, v in values.items() if getattr(instance, k) != v}
        if changed:
            for name, value in changed.items():
                setattr(instance, name, value)
            instance.full_clean()
            instance.save()
            report.updated.append(instance)
        else:
            report.unchanged += 1
    for name, targets in (many or {}).items():
        manager = getattr(instance, name)
        if {obj.pk for obj in manager.all()} != {obj.pk for obj in targets}:
            manager.set(targets)
    return instance


def examples_remove(report, agreement):
    """Delete the example records (`is_example`) that hang on a real `agreement`.

    Earlier versions of the demo loaded its examples into the real memorandum,
    where they changed its verdicts and totals. Real records (not flagged) are
    never touched: an example programme that still holds a real distribution, or
    an example visit that a real programme names, stays and goes to
    `report.kept`, so that deleting it does not delete or change a real record.
    Removed records go to `report.removed`; their items, recipients, members and
    attachments are deleted first, since a record with children refuses to be
    deleted.
    """
    examples = {"agreement": agreement, "is_example": True}

    def remove(record, *children):
        for relation in children:
            for child in getattr(record, relation).all():
                child.delete()
        report.removed.append(record)
        record.delete()

    for distribution in GiftDistribution.objects.filter(
        program__agreement=agreement, is_example=True
    ):
        remove(distribution, "items", "recipients", "attachments")
    for programme in JointProgram.objects.filter(**examples):
        if programme.distributions.exists():
            report.kept.append(programme)
        else:
            remove(programme, "attachments")
    for visit in DelegationVisit.objects.filter(**examples):
        if visit.programs.exists():
            report.kept.append(visit)
        else:
            remove(visit, "members", "attachments")
    for exchange in InformationExchange.objects.filter(**examples):
        remove(exchange)
