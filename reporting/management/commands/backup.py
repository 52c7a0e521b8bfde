import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reporting.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write the database and the uploaded files into one .tar file: "
        "var/backups/cooperation-<UTC time>.tar unless --output says otherwise. "
        "Safe while the app runs. Restore with `restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="The .tar file to write.")

    def handle(self, *args, output=None, **options):
        if output is None:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
            output = (
                Path(settings.BASE_DIR)
                / "var"
                / "backups"
                / (f"cooperation-{stamp}.tar")
            )
        output = Path(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        try:
            manifest = backup_write(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"{output}: {manifest['engine']}, {len(manifest['tables'])} tables, "
            f"{rows} rows, {len(manifest['media'])} files."
        )
