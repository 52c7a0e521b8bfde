"""The four formats of the annual report, by file extension, and their responses."""

from django.http import HttpResponse


def _csv(report, options):
    from .csv import report_csv

    # A byte-order mark makes Excel read the file as UTF-8 (Vietnamese, Lao).
    return report_csv(report, hxl=options.get("hxl", False)).encode("utf-8-sig")


def _xlsx(report, options):
    from .xlsx import report_xlsx

    return report_xlsx(report)


def _docx(report, options):
    from .docx import report_docx

    return report_docx(report)


def _pdf(report, options):
    from .pdf import report_pdf

    return report_pdf(report, photos=options.get("photos", True))


FORMATS = {
    "pdf": ("application/pdf", _pdf),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _docx,
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _xlsx,
    ),
    "csv": ("text/csv; charset=utf-8", _csv),
}


def report_render(report, file_format, **options):
    """The report as bytes in `file_format` (pdf, docx, xlsx or csv)."""
    _content_type, render = FORMATS[file_format]
    return render(report, options)


def report_response(report, file_format, **options):
    content_type, _render = FORMATS[file_format]
    response = HttpResponse(
        report_render(report, file_format, **options), content_type=content_type
    )
    filename = f"{report.filename_stem}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
