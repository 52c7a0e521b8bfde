from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from cooperation.auth import DEMO_PASSWORD, DEMO_USERNAME
from cooperation.staff_groups import DATA_ENTRY


class Command(BaseCommand):
    help = (
        f"Create or reset the demo staff login '{DEMO_USERNAME}' "
        f"(password '{DEMO_PASSWORD}') in the Data entry group. Development only."
    )

    def handle(self, *args, **options):
        # A known password is a door left open: never on a production site.
        if not settings.DEBUG:
            raise CommandError("The demo login is only created when DEBUG is on.")
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"first_name": "Demo", "last_name": "Staff"},
        )
        user.is_staff = True
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=DATA_ENTRY))
        verb = "created" if created else "ready"
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo staff login {verb}: {DEMO_USERNAME} / {DEMO_PASSWORD}"
            )
        )
