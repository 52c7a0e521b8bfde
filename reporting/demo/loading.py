"""Idempotent loading: a row is created or brought up to date, never duplicated."""

from dataclasses import dataclass, field

# Titles of made-up records start with this, besides their `is_example` flag.
EXAMPLE = "[Example] "


@dataclass
class LoadReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0

    def __str__(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{self.unchanged} unchanged"
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
