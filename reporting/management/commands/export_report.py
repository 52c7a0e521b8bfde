from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from cooperation.models import Agreement
from reporting.report.annual import annual_report_build
from reporting.report.export import FORMATS, report_render


class Command(BaseCommand):
    help = (
        "Write the annual report of an agreement for one year, e.g. "
        "`export_report kontum-attapeu-2022-2027 2022 --format pdf`. "
        "Never stopped by REPORT_RENDER_SECONDS, the web downloads' deadline: "
        "a command line may take its time, so a report too slow for the site "
        "can still be written here."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The agreement's short web name.")
        parser.add_argument("year", type=int)
        parser.add_argument("--format", choices=sorted(FORMATS), default="pdf")
        parser.add_argument(
            "--output",
            help="File to write: default <slug>_<year>.<format>; '-' for stdout.",
        )
        parser.add_argument(
            "--include-unpublished",
            action="store_true",
            help="Staff copy: count unpublished records too.",
        )
        parser.add_argument("--hxl", action="store_true", help="CSV: add HXL tags.")
        parser.add_argument(
            "--no-photos", action="store_true", help="PDF: leave the photos out."
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="The report's language, from cover to last sheet name.",
        )

    def handle(self, *args, language, **options):
        with translation.override(language):
            self.export(**options)

    def export(self, *, slug, year, **options):
        try:
            agreement = Agreement.objects.get(slug=slug)
        except Agreement.DoesNotExist:
            raise CommandError(f"No agreement with the slug '{slug}'.") from None
        if not agreement.covers_year(year):
            raise CommandError(
                f"{year} is outside the agreement "
                f"({agreement.start_date.year}–{agreement.end_date.year})."
            )
        report = annual_report_build(
            agreement=agreement,
            year=year,
            today=timezone.localdate(),
            published_only=not options["include_unpublished"],
        )
        file_format = options["format"]
        content = report_render(
            report, file_format, hxl=options["hxl"], photos=not options["no_photos"]
        )
        output = options["output"] or f"{report.filename_stem}.{file_format}"
        if output == "-":
            self.stdout._out.buffer.write(content)
            return
        Path(output).write_bytes(content)
        self.stderr.write(f"Wrote {output} ({len(content):,} bytes).")
