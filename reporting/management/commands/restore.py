from django.core.management.base import BaseCommand, CommandError

from reporting.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with a backup written by "
        "`backup`, then check them against its manifest. Everything entered since "
        "the backup is lost: stop the app first, and take a backup of now."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The .tar file `backup` wrote.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Do not ask for confirmation (scripts).",
        )

    def handle(self, *args, backup, yes=False, **options):
        if not yes:
            answer = input(
                "This replaces the database and every uploaded file with the "
                f"backup {backup}. Type 'restore' to go on: "
            )
            if answer.strip() != "restore":
                raise CommandError("Nothing was changed.")
        try:
            restored = backup_restore(backup)
        except (BackupError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {restored.rows} rows in {restored.tables} tables and "
            f"{restored.files} files; both match the backup's manifest."
        )
