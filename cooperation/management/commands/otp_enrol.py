import segno
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODES = 10


class Command(BaseCommand):
    help = (
        "Give a user a second factor: an authenticator-app key (shown as a QR code "
        "and an otpauth:// address) and single-use backup codes. Needed before a "
        "superuser can sign in where OTP_REQUIRED_FOR_SUPERUSERS is on."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Remove the user's existing key and backup codes first "
            "(a lost or new phone).",
        )
        parser.add_argument(
            "--no-qr",
            action="store_true",
            help="Print the otpauth:// address only, without the QR code.",
        )

    @transaction.atomic
    def handle(self, *args, username, replace, no_qr, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        enrolled = TOTPDevice.objects.devices_for_user(user)
        if enrolled.exists() and not replace:
            raise CommandError(
                f"{username} already has an authenticator key. "
                "Run again with --replace to give a new one (the old one stops "
                "working)."
            )
        enrolled.delete()
        StaticDevice.objects.devices_for_user(user).delete()

        device = TOTPDevice.objects.create(user=user, name="authenticator")
        backup = StaticDevice.objects.create(user=user, name="backup codes")
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
        StaticToken.objects.bulk_create(
            StaticToken(device=backup, token=code) for code in codes
        )

        self.stdout.write(
            f"Scan this with an authenticator app on {username}'s phone "
            "(or type the address into it):\n"
        )
        if not no_qr:
            segno.make(device.config_url, error="m").terminal(
                out=self.stdout, compact=True
            )
        self.stdout.write(device.config_url)
        self.stdout.write(
            "\nBackup codes, each good once, for when the phone is not at hand. "
            "Keep them somewhere safe, not on the phone:"
        )
        for code in codes:
            self.stdout.write(f"  {code}")
        self.stdout.write(
            self.style.WARNING(
                "\nThe key above signs in as this user with the password: "
                "clear the terminal once it is scanned."
            )
        )
