"""For migrations only: move a single-language text into its language's field.

The leading underscore keeps Django's migration loader from taking this module
for a migration.
"""

import re

LAO = re.compile("[\u0e80-\u0eff]")
# Letters only Vietnamese uses among the three languages (đ, ơ, ư, ă, and the
# tone-marked vowels of Latin Extended Additional).
VIETNAMESE = re.compile("[đĐơƠưƯăĂ\u1ea0-\u1ef9]")


def language_of(text):
    """The language a text was written in, from its letters: Lao script, else
    Vietnamese letters, else English."""
    if LAO.search(text):
        return "lo"
    if VIETNAMESE.search(text):
        return "vi"
    return "en"


def texts_to_their_language(model_label, fields):
    """A RunPython function: each text of `fields` moves to `<field>_<language>`,
    its language read from its own letters (a programme titled from a Vietnamese
    source may have a description written in English), and a record without an
    original language takes its first text's."""

    def move(apps, schema_editor):
        model = apps.get_model(*model_label.split("."))
        for record in model.objects.all():
            changed = []
            for field in fields:
                text = getattr(record, field)
                if not text:
                    continue
                language = language_of(text)
                setattr(record, f"{field}_{language}", text)
                changed.append(f"{field}_{language}")
                if not record.original_language:
                    record.original_language = language
                    changed.append("original_language")
            if changed:
                record.save(update_fields=changed)

    return move
