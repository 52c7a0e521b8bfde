from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from cooperation.auth import DEMO_PASSWORD, DEMO_USERNAME
from cooperation.models import AgreementParty, StaffMembership
from cooperation.staff_groups import DATA_ENTRY
from cooperation.validation import succession_chain
from reporting.demo import AGREEMENT_SLUG


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
        organisation = self.demo_organisation()
        if organisation is not None:
            StaffMembership.objects.update_or_create(
                user=user, defaults={"organisation": organisation}
            )
        verb = "created" if created else "ready"
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo staff login {verb}: {DEMO_USERNAME} / {DEMO_PASSWORD}"
            )
        )

    def demo_organisation(self):
        """The demo agreement's first party as it stands today (its last
        successor), whose staff reach the records of the branches it succeeded;
        None before the demo is loaded."""
        party = (
            AgreementParty.objects.filter(agreement__slug=AGREEMENT_SLUG)
            .select_related("organisation")
            .order_by("order", "pk")
            .first()
        )
        return succession_chain(party.organisation)[-1] if party else None
