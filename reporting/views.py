"""Public pages: no login, published records only, aggregates and public officials.

Each page is cached whole (see page_cache) under the content version, read in one
plain query: a cached page costs that query and nothing else.
"""

import math

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation import scopes
from cooperation.models import Agreement
from cooperation.ratelimit import rate_limited
from cooperation.signin.audit import audit_event

from .languages import address_in_language, report_language
from .models import ContentVersion
from .page_cache import cached_page
from .page_charts import agreement_charts, year_charts
from .progress import agreement_overview, agreement_progress, agreements_overview
from .report.annual import annual_report_build
from .report.deadline import RETRY_AFTER_SECONDS, ReportTooSlow, report_deadline
from .report.export import FORMATS, report_response
from .report.sections import report_sections, totals_section

# In the order the year page offers them, with what each is for. (gettext_lazy by its
# own name: makemessages does not know an alias such as _lazy, and would skip them.)
REPORT_FORMATS = [
    ("pdf", "PDF", gettext_lazy("to print and sign")),
    ("docx", "Word", gettext_lazy("to edit")),
    ("xlsx", "Excel", gettext_lazy("to work with the figures")),
    ("csv", "CSV", gettext_lazy("to share")),
]


def health(request):
    """A plain page for load balancers and the benchmark's baseline: no queries."""
    return render(request, "health.html")


def language_choose(request, code):
    """Remember the reader's language in a cookie and go to the page `next` names,
    in that language (its query kept).

    A plain link rather than Django's POST form: the pages then carry no CSRF
    token, so one cached page serves every reader. The cookie is what the admin
    follows; the public pages follow their address.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404(_("Unknown language."))
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(address_in_language(next_url, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def default_language_redirect(request):
    """/vi/… for good at the same address without the prefix, query kept: the
    default language's pages have none, so each page has one address per language.
    """
    prefix = get_script_prefix()
    default = f"{prefix}{settings.LANGUAGE_CODE}/"
    return HttpResponsePermanentRedirect(
        prefix + request.get_full_path().removeprefix(default)
    )


def agreement_list(request):
    """Agreements in force first; straight to the agreement when there is only one."""
    return cached_page(request, ContentVersion.read(), lambda: _agreement_list(request))


def _agreement_list(request):
    today = timezone.localdate()
    agreements = list(
        Agreement.objects.active_first(today=today).prefetch_related(
            "party_signatures__organisation"
        )
    )
    if len(agreements) == 1:
        return redirect(agreements[0])
    # The same computation as each agreement's page, so the counts agree.
    overviews = agreements_overview(agreements=agreements, today=today)
    return render(
        request,
        "reporting/agreement_list.html",
        {"entries": list(zip(agreements, overviews, strict=True))},
    )


def _year_agreement_or_404(slug, year):
    agreement = get_object_or_404(Agreement, slug=slug)
    if not agreement.covers_year(year):
        raise Http404(
            _("The agreement runs from %(start)s to %(end)s; %(year)s is outside it.")
            % {
                "start": agreement.start_date.year,
                "end": agreement.end_date.year,
                "year": year,
            }
        )
    return agreement


def agreement_detail(request, slug):
    def render_page():
        agreement = get_object_or_404(
            Agreement.objects.select_related("predecessor"), slug=slug
        )
        overview = agreement_overview(agreement=agreement, today=timezone.localdate())
        return render(
            request,
            "reporting/agreement_detail.html",
            {
                "agreement": agreement,
                "overview": overview,
                "totals_section": totals_section(
                    overview.totals_to_date, title=_("Totals to date"), key="totals"
                ),
                "charts": agreement_charts(overview),
            },
        )

    return cached_page(request, ContentVersion.read(), render_page)


def agreement_year(request, slug, year):
    def render_page():
        agreement = _year_agreement_or_404(slug, year)
        progress = agreement_progress(
            agreement=agreement, year=year, today=timezone.localdate()
        )
        return render(
            request,
            "reporting/agreement_year.html",
            {
                "agreement": agreement,
                "progress": progress,
                "sections": report_sections(progress),
                "charts": year_charts(progress),
                "years": list(agreement.years),
                "report_formats": REPORT_FORMATS,
            },
        )

    return cached_page(request, ContentVersion.read(), render_page)


# REPORT_DOWNLOADS_PER_TEN_MINUTES counts in windows this long.
REPORT_DOWNLOAD_WINDOW_SECONDS = 10 * 60


def report_downloads_refused(request, retry_after):
    """A 429 in the language of the page's address, saying when to try again.

    Made before cached_page is reached, so the page cache never keeps it.
    """
    address = request.resolver_match.kwargs
    back_url = reverse(
        "reporting:agreement_year",
        kwargs={"slug": address["slug"], "year": address["year"]},
    )
    response = render(
        request,
        "too_many_downloads.html",
        {"back_url": back_url, "retry_minutes": math.ceil(retry_after / 60)},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


@rate_limited(
    scope="report-download",
    limit_setting="REPORT_DOWNLOADS_PER_TEN_MINUTES",
    window_seconds=REPORT_DOWNLOAD_WINDOW_SECONDS,
    refused=report_downloads_refused,
)
def agreement_report(request, slug, year, file_format):
    """The year's annual report as a public download: published records only.

    In the language of its address (the page's that links it), or `?lang=`'s.
    """
    if file_format not in FORMATS:
        raise Http404(_("Unknown report format."))
    language = report_language(request)
    with translation.override(language):
        # The cache key carries the active language, so each has its own file.
        response = _agreement_report(request, slug, year, file_format)
    response["Content-Language"] = language
    return response


def _agreement_report(request, slug, year, file_format):
    options = report_options(request)

    def render_file():
        agreement = _year_agreement_or_404(slug, year)
        try:
            with report_deadline():
                report = annual_report_build(
                    agreement=agreement, year=year, today=timezone.localdate()
                )
                return report_response(report, file_format, **options)
        except ReportTooSlow:
            # cached_page keeps this refusal for its Retry-After, so readers
            # asking again meanwhile do not start the same slow work again.
            return report_too_slow(
                request,
                back_url=reverse(
                    "reporting:agreement_year", kwargs={"slug": slug, "year": year}
                ),
            )

    return cached_page(
        request, ContentVersion.read(), render_file, variant=sorted(options.items())
    )


def report_too_slow(request, *, back_url, command=""):
    """A 503 that says the report ran past REPORT_RENDER_SECONDS and was stopped.

    `command`: for staff, the export_report line that writes it without a limit.
    """
    response = render(
        request,
        "report_too_slow.html",
        {
            "back_url": back_url,
            "command": command,
            "retry_minutes": max(1, RETRY_AFTER_SECONDS // 60),
        },
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def report_options(request):
    """The report options a download's query string may set; nothing else counts."""
    return {
        "hxl": request.GET.get("hxl") == "1",
        "photos": request.GET.get("photos") != "0",
    }


def staff_report_download(request, pk, year, file_format):
    """Any year's annual report for staff, unpublished records included.

    In the staff member's language, as the admin is, or `?lang=`'s.

    Served under /admin/ through `admin_site.admin_view` (config/urls.py): staff
    login required, and never stored by a browser or a proxy.
    """
    if not request.user.has_perm("cooperation.view_agreement"):
        raise PermissionDenied
    # Only the agreements the staff member's organisation is a party to.
    agreement = scopes.viewable(request.user, Agreement.objects.filter(pk=pk)).first()
    if agreement is None or file_format not in FORMATS:
        raise Http404(_("No such report."))
    if not agreement.covers_year(year):
        raise Http404(_("No such report."))
    language = report_language(request)
    with translation.override(language):
        response = _staff_report(request, agreement, year, file_format)
    response["Content-Language"] = language
    audit_event(
        "report_export",
        request,
        agreement=agreement.pk,
        year=year,
        format=file_format,
        status=response.status_code,
    )
    return response


def _staff_report(request, agreement, year, file_format):
    options = report_options(request)
    try:
        with report_deadline():
            report = annual_report_build(
                agreement=agreement,
                year=year,
                today=timezone.localdate(),
                published_only=False,
            )
            return report_response(report, file_format, **options)
    except ReportTooSlow:
        flags = ["--include-unpublished", f"--language {translation.get_language()}"]
        flags += ["--hxl"] if options["hxl"] and file_format == "csv" else []
        flags += ["--no-photos"] if not options["photos"] else []
        return report_too_slow(
            request,
            back_url=reverse("admin:cooperation_agreement_change", args=[agreement.pk]),
            command=(
                f"python manage.py export_report {agreement.slug} {year} "
                f"--format {file_format} {' '.join(flags)}"
            ),
        )
