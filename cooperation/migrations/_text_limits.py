"""For migrations only: stop before a text-length constraint fails on saved rows.

Adding a CHECK constraint to a table that holds longer text fails with a message
that names no record ("check constraint … is violated by some row"). This check
runs first and names each one, so whoever migrates can shorten them (or attach the
full text as a document) and migrate again. Never truncate: the text is a record.

The leading underscore keeps Django's migration loader from taking this module
for a migration.
"""

from django.db.models.functions import Length


def refuse_longer_text(app_label, limits):
    """A RunPython function that raises, naming every row whose text is too long.

    `limits`: {model_name: {field: max_length}}, frozen in the migration.
    """

    def check(apps, schema_editor):
        problems = []
        for model_name, fields in limits.items():
            model = apps.get_model(app_label, model_name)
            for field, max_length in fields.items():
                rows = (
                    model.objects.annotate(text_length=Length(field))
                    .filter(text_length__gt=max_length)
                    .values_list("pk", "text_length")
                    .order_by("pk")
                )
                problems += [
                    f"{app_label}.{model_name} {pk}: {field} has {length} "
                    f"characters, at most {max_length}"
                    for pk, length in rows
                ]
        if problems:
            raise RuntimeError(
                "Text longer than the new limits: shorten it, then migrate again.\n"
                + "\n".join(problems)
            )

    return check
