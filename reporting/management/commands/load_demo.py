from django.core.management.base import BaseCommand

from reporting.demo import demo_load


class Command(BaseCommand):
    help = (
        "Load the real 2022–2027 Kon Tum – Attapeu memorandum (idempotent). "
        "With --examples, add clearly labelled example records for 2023–2025."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--examples",
            action="store_true",
            help="Also load made-up example records for 2023–2025.",
        )

    def handle(self, *args, examples, **options):
        report = demo_load(examples=examples)
        self.stdout.write(self.style.SUCCESS(f"Demo agreement loaded: {report}."))
