from django.core.management.base import BaseCommand

from reporting.demo import EXAMPLE_AGREEMENT_SLUG, demo_load


class Command(BaseCommand):
    help = (
        "Load the real 2022–2027 Kon Tum – Attapeu memorandum (idempotent), and "
        "remove example records left on it. With --examples, also load a separate, "
        "made-up example agreement with busy years."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--examples",
            action="store_true",
            help=(
                f"Also load the made-up example agreement ({EXAMPLE_AGREEMENT_SLUG}) "
                "between fictional parties."
            ),
        )

    def handle(self, *args, examples, **options):
        report = demo_load(examples=examples)
        self.stdout.write(self.style.SUCCESS(f"Demo agreement loaded: {report}."))
        if report.removed:
            self.stdout.write(
                f"Removed {len(report.removed)} example records from the real "
                f"agreements ({report.removed_text()}): examples belong on "
                f"{EXAMPLE_AGREEMENT_SLUG}."
            )
        if report.kept:
            self.stdout.write(
                self.style.WARNING(
                    f"Kept {len(report.kept)} example records on the real agreements "
                    "that real records depend on; move or unflag them in the admin: "
                    + "; ".join(str(record) for record in report.kept)
                )
            )
