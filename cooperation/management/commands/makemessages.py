"""Django's makemessages without fuzzy matching.

By default msgmerge guesses a translation for a new string from a similar old one
and marks it fuzzy: "to edit" arrived as "nguồn ảnh" (the Vietnamese for
"credit"). A new string is better empty, for a translator to fill in; the tests
fail on either until it is translated.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
