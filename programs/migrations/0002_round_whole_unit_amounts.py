"""Round amounts saved with decimals in VND or LAK, before 0003 forbids them.

The CHECK constraints of 0003 would otherwise stop this migration on any such row
already saved. A fraction of a đồng or a kip pays for nothing, and every page and
report already showed these amounts rounded the same way (half to even, as Babel
formats money), so readers see no change but a total that now adds up.
"""

from decimal import ROUND_HALF_EVEN, Decimal

from django.db import migrations
from django.db.models.functions import Floor

# Frozen here, as a migration must not follow the code: CLDR's whole-unit currencies
# among the choices when this was written.
WHOLE_UNIT_CURRENCIES = ["LAK", "VND"]
ONE = Decimal(1)


def _round(rows, field):
    for row in rows.filter(**{f"{field}__isnull": False}).exclude(
        **{field: Floor(field)}
    ):
        whole = getattr(row, field).quantize(ONE, rounding=ROUND_HALF_EVEN)
        type(row).objects.filter(pk=row.pk).update(**{field: whole})


def round_whole_unit_amounts(apps, schema_editor):
    JointProgram = apps.get_model("programs", "JointProgram")
    GiftDistribution = apps.get_model("programs", "GiftDistribution")
    DistributionItem = apps.get_model("programs", "DistributionItem")
    programmes = JointProgram.objects.filter(currency__in=WHOLE_UNIT_CURRENCIES)
    _round(programmes, "budget")
    _round(programmes, "actual_cost")
    _round(
        GiftDistribution.objects.filter(currency__in=WHOLE_UNIT_CURRENCIES),
        "total_value",
    )
    _round(
        DistributionItem.objects.filter(
            distribution__currency__in=WHOLE_UNIT_CURRENCIES
        ),
        "unit_value",
    )


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [
        # Rounded amounts cannot be told from whole ones afterwards: nothing to undo.
        migrations.RunPython(round_whole_unit_amounts, migrations.RunPython.noop),
    ]
