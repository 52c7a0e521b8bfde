from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from programs.retention import recipients_anonymise


class Command(BaseCommand):
    help = (
        "Erase the names, years of birth, schools or villages and guardians of the "
        "recipients of distributions that ended more than RECIPIENT_RETENTION_YEARS "
        "years ago, in their history too; sex and age band stay for the counts. "
        "Running it again changes nothing. Prints counts, never a name."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say how many recipients and history rows it would change; "
            "change nothing.",
        )

    def handle(self, *args, dry_run, **options):
        years = settings.RECIPIENT_RETENTION_YEARS
        if years < 1:
            raise CommandError(
                f"RECIPIENT_RETENTION_YEARS is {years}: it must be at least 1, "
                "or lists would be erased in the year of their distribution."
            )
        result = recipients_anonymise(
            today=timezone.localdate(), years=years, dry_run=dry_run
        )
        self.stdout.write(
            f"Retention: {years} years; distributions that ended before "
            f"{result.cutoff.isoformat()}."
        )
        verb = "Would anonymise" if dry_run else "Anonymised"
        summary = (
            f"{verb} {result.recipients} recipients of {result.distributions} "
            f"distributions, and erase personal details from {result.history_rows} "
            "history rows"
            if dry_run
            else f"{verb} {result.recipients} recipients of {result.distributions} "
            f"distributions; erased personal details from {result.history_rows} "
            "history rows"
        )
        if dry_run:
            self.stdout.write(f"{summary}. Nothing was changed (--dry-run).")
        else:
            self.stdout.write(self.style.SUCCESS(f"{summary}."))
